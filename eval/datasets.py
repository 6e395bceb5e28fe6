"""Evaluation data sets as data: Sporbar's quoted-span questions and any BEIR-format folder.

Sporbar's own set gives relevance as verbatim quotes of documents, so it survives re-chunking: after a
corpus is chunked, a passage is relevant when it contains a quote (whitespace-normalised), with the
highest grade of the quotes it contains.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

Qrels = dict[str, dict[str, int]]


@dataclass(frozen=True)
class Quote:
    source: str
    quote: str
    grade: int


@dataclass(frozen=True)
class Question:
    qid: str
    text: str
    lang: str = ""
    tags: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()


@dataclass
class BeirDataset:
    name: str
    corpus: dict[str, tuple[str, str]]  # doc id → (title, text)
    queries: dict[str, str]
    qrels: Qrels = field(default_factory=dict)
    fingerprint: str = ""  # of the files read: corpus, queries and the split's qrels


def fingerprint(paths: Sequence[Path]) -> str:
    """A hash of the files' names and bytes, in the given order: same files, same fingerprint."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\x00")
        digest.update(path.read_bytes())
        digest.update(b"\x00")
    return digest.hexdigest()[:16]


# langdetect's codes for Norwegian Bokmål and Nynorsk, as the analyzer's language codes.
_LANGUAGE_ALIASES = {"nb": "no", "nn": "no"}


def detect_language(texts: Iterable[str], sample: int = 200) -> str:
    """The most common language of the first `sample` texts (langdetect, seeded so it repeats)."""
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0
    votes: Counter[str] = Counter()
    for i, text in enumerate(texts):
        if i >= sample:
            break
        try:
            code = detect(text)
        except LangDetectException:  # no letters
            continue
        votes[_LANGUAGE_ALIASES.get(code, code)] += 1
    return votes.most_common(1)[0][0] if votes else ""


def _norm(text: str) -> str:
    return " ".join(text.split())


def load_questions(path: Path) -> list[Question]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        quotes = tuple(Quote(q["source"], q["quote"], int(q.get("grade", 1))) for q in item["relevant"])
        questions.append(
            Question(item["id"], item["question"], item.get("lang", ""), tuple(item.get("tags", ())), quotes)
        )
    return questions


def qrels_from_quotes(questions: Iterable[Question], passages: Mapping[str, list[tuple[str, str]]]) -> Qrels:
    """Relevance of passages: `passages` maps a source file name to its (passage id, text) pairs."""
    qrels: Qrels = {}
    for question in questions:
        judged: dict[str, int] = {}
        for quote in question.quotes:
            needle = _norm(quote.quote)
            for pid, text in passages.get(quote.source, []):
                if needle in _norm(text):
                    judged[pid] = max(judged.get(pid, 0), quote.grade)
        qrels[question.qid] = judged
    return qrels


def _jsonl(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def beir_files(folder: Path, split: str = "test") -> list[Path]:
    """corpus.jsonl, queries.jsonl and qrels/<split>.tsv of a BEIR folder; FileNotFoundError if missing."""
    files = [folder / "corpus.jsonl", folder / "queries.jsonl", folder / "qrels" / f"{split}.tsv"]
    for needed in files:
        if not needed.is_file():
            raise FileNotFoundError(f"not a BEIR data set with split {split!r}: {needed} is missing")
    return files


def load_beir(folder: Path, split: str = "test") -> BeirDataset:
    """A BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv (header: query-id corpus-id score)."""
    files = beir_files(folder, split)
    qrels_path = files[2]
    corpus = {
        str(d["_id"]): (str(d.get("title") or ""), str(d.get("text") or ""))
        for d in _jsonl(folder / "corpus.jsonl")
    }
    queries = {str(q["_id"]): str(q["text"]) for q in _jsonl(folder / "queries.jsonl")}
    qrels: Qrels = {}
    with qrels_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            score = int(float(row["score"]))
            if score > 0:
                qrels.setdefault(str(row["query-id"]), {})[str(row["corpus-id"])] = score
    queries = {qid: text for qid, text in queries.items() if qid in qrels}
    return BeirDataset(folder.resolve().name, corpus, queries, qrels, fingerprint(files))
