"""Extractive answers with citations: the sentences of the top passages that best answer a question,
quoted verbatim with their offsets in the stored text. Nothing is generated, so nothing is invented; when
no sentence is close enough to the question, the answer says that the documents do not answer it.

A sentence's evidence is its cosine similarity to the question (the searcher's embedder: the question as
a query, the sentences as passages) measured against a bar. Cross-lingual similarity runs lower than
same-language similarity, so an English question over a Danish passage has a lower bar. The bars are
calibrated on the QA set and `eval/data/unanswerable.jsonl` (see `eval/answers.py`).
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass
from functools import cache
from itertools import pairwise

import numpy as np

from index.embed import Embedder
from index.models import Filters, Hit
from index.search import Searcher
from ingest.assemble import SECTION_SEPARATOR
from ingest.gazetteer import load_gazetteer
from ingest.metadata import detect_language
from ingest.sentences import sentence_spans

_INLINE_MARKER = re.compile(r"\s[•◦▪‣]\s")  # a list item that starts inside a line (table cells)
_MARKER = re.compile(r"^(?:[•◦▪‣∙*–-]\s+)+")  # list markers in front of a sentence
_LABEL = re.compile(r"^[^\W\d_][^:\n]{0,58}?:(?:\s+|$)")  # "Header: text", "Opfølgning – Hvad gør vi?:"
_LABEL_WORDS = 7
_MIN_WORDS = 4
_CAPITALISED = re.compile(r"(?<=\s)[A-ZÆØÅ][\w'’-]{2,}")  # not the first word: "Vejen til …"
_KOMMUNE = re.compile(r"\s+(?:kommunes?|municipality(?:['’]s)?)\b", re.IGNORECASE)
_SCANDINAVIAN = frozenset({"da", "no", "nb", "nn", "sv"})  # langdetect mixes them up on short text

NO_ANSWER = {
    "da": "Ingen passage i dokumenterne besvarer dette spørgsmål, så der gives intet svar.",
    "en": "No passage in the documents answers this question, so no answer is given.",
}


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    source: str
    section: str
    page: int | None
    quote: str
    start: int
    end: int
    score: float = 0.0  # the sentence's cosine similarity to the question
    title: str = ""  # of the document the quote comes from, with its municipality and date or year
    municipality: str | None = None
    date: str | None = None
    year: int | None = None

    def public(self) -> dict[str, object]:
        return {**asdict(self), "score": round(self.score, 4)}


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    found: bool
    citations: tuple[Citation, ...]
    took_ms: float
    evidence: float | None = None  # the best sentence's similarity minus its bar; None: no sentence at all

    def public(self) -> dict[str, object]:
        return {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "citations": [c.public() for c in self.citations],
            "took_ms": round(self.took_ms, 1),
            "evidence": None if self.evidence is None else round(self.evidence, 4),
        }


@dataclass(frozen=True)
class Thresholds:
    """How close to the question a sentence must be to be quoted (cosine similarity)."""

    same_language: float = 0.865  # question and passage in the same language
    cross_language: float = 0.795  # e.g. an English question, a Danish passage
    margin: float = 0.03  # further citations score within this of the best one
    max_citations: int = 3
    near_duplicate: float = 0.6  # word overlap above which a sentence repeats one already chosen


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage; `start`, `end` are offsets in the document's stored text."""

    hit: Hit
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.hit.text[self.start - self.hit.start : self.end - self.hit.start]


# --- sentences -------------------------------------------------------------------------------------
def _skip(pattern: re.Pattern[str], text: str, start: int, end: int) -> int:
    found = pattern.match(text[start:end])
    return start + found.end() if found else start


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without list markers, without a leading short "Header:" label, and trimmed."""
    start = _skip(_MARKER, text, start, end)
    label = _LABEL.match(text[start:end])
    if label and len(label.group().split()) <= _LABEL_WORDS:
        start = _skip(_MARKER, text, start + label.end(), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of the sentences of a passage, shifted by `offset`: lines, list items (also those
    inside one line of a table cell) and the sentences in them, without markers and "Header:" labels."""
    spans: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        inner = [m.start() + 1 for m in _INLINE_MARKER.finditer(text, start, end)]
        cuts = [start, *sorted(inner), end]
        for a, b in pairwise(cuts):
            a, b = _clean_span(text, a, b)
            if b > a:
                spans.append((offset + a, offset + b))
    return spans


def candidates(hits: list[Hit]) -> list[Candidate]:
    """Sentences of the hits worth quoting: a few words at least, no bare headings."""
    found = []
    for hit in hits:
        headings = set(hit.section.split(SECTION_SEPARATOR)) if hit.section else set()
        for start, end in split_sentences(hit.text, hit.start):
            candidate = Candidate(hit, start, end)
            if len(candidate.text.split()) >= _MIN_WORDS and candidate.text not in headings:
                found.append(candidate)
    return found


# --- municipalities --------------------------------------------------------------------------------
@cache
def _bare_names() -> dict[str, tuple[str, bool]]:
    """Lower-cased names and aliases of all municipalities, and their genitives ("Gentoftes",
    "Copenhagen's"): to the canonical name and whether the form is a genitive."""
    forms = [(form.lower(), m.name) for m in load_gazetteer().municipalities for form in (m.name, *m.aliases)]
    names = {form: (name, False) for form, name in forms}
    for form, name in forms:
        for ending in ("s", "'s", "’s"):
            names.setdefault(form + ending, (name, True))
    return names


def named_municipalities(text: str) -> set[str]:
    """Municipalities a text names: "X Kommune", one of its bodies, or its bare name (exact spelling)."""
    names = set(load_gazetteer().scores(text))
    bare = _bare_names()
    for word in _CAPITALISED.findall(text):
        if word.lower() in bare:
            names.add(bare[word.lower()][0])
    return names


def about(hit: Hit, wanted: set[str]) -> bool:
    """Whether a passage can speak for the municipalities a question names: it is from one, or names it."""
    return not wanted or hit.municipality in wanted or bool(wanted & named_municipalities(hit.text))


def _plain(lang: str, genitive: bool, after_the: bool) -> str:
    if lang == "da":
        return "kommunens" if genitive else "kommunen"
    noun = "municipality's" if genitive else "municipality"
    return noun if after_the else f"the {noun}"


def without_municipalities(question: str, lang: str) -> str:
    """The question with the municipalities it names replaced by a plain "the municipality".

    Used against a municipality's own passages: which municipality a passage is from is settled by
    `about`, and left in, the name makes any sentence that mentions it look like an answer."""
    bare = _bare_names()
    parts, last = [], 0
    for match in _CAPITALISED.finditer(question):
        if match.group().lower() not in bare:
            continue
        end, genitive = match.end(), bare[match.group().lower()][1]
        suffix = _KOMMUNE.match(question, end)
        if suffix:
            end, genitive = suffix.end(), suffix.group().lower().endswith("s")
        after_the = question[: match.start()].lower().endswith("the ")
        parts += [question[last : match.start()], _plain(lang, genitive, after_the)]
        last = end
    return "".join([*parts, question[last:]])


# --- scoring and choosing --------------------------------------------------------------------------
def reply_language(asked: str) -> str:
    """The language of the answer's own words for a question in `asked`: Danish for a Scandinavian
    question, else English."""
    return "da" if asked in _SCANDINAVIAN else "en"


def _same_language(a: str, b: str) -> bool:
    return a == b or (a in _SCANDINAVIAN and b in _SCANDINAVIAN)


def similarities(
    embedder: Embedder, question: str, cands: list[Candidate], wanted: set[str], lang: str
) -> np.ndarray:
    """Cosine similarity of the question (as a query) to each sentence (as a passage); a municipality's
    own passages are compared with the question without its name."""
    if not cands:
        return np.zeros(0, dtype=np.float32)
    plain = without_municipalities(question, lang) if wanted else question
    queries = embedder.embed([question, plain] if plain != question else [question], "query")
    sentences = embedder.embed([c.text for c in cands], "passage")  # one call; each call has a fixed cost
    own = np.asarray([c.hit.municipality in wanted for c in cands])
    return np.asarray(np.where(own, sentences @ queries[-1], sentences @ queries[0]), dtype=np.float32)


def bars(searcher: Searcher, asked: str, cands: list[Candidate], limits: Thresholds) -> np.ndarray:
    """Each sentence's bar: lower when the question (in language `asked`) is in another language than
    the sentence's document."""
    docs = searcher.catalog().docs
    same = [c.hit.doc_id not in docs or _same_language(asked, docs[c.hit.doc_id].language) for c in cands]
    return np.where(same, limits.same_language, limits.cross_language).astype(np.float32)


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", text)}


def _repeats(text: str, chosen: list[Candidate], limit: float) -> bool:
    words = _words(text)
    return any(
        len(words & _words(other.text)) / max(1, min(len(words), len(_words(other.text)))) > limit
        for other in chosen
    )


def select(cands: list[Candidate], evidence: np.ndarray, limits: Thresholds) -> list[int]:
    """Indexes of the sentences to quote, best first: over their bar (evidence >= 0), near the best
    one, no repeats; none when even the best is under its bar."""
    order = [int(i) for i in np.argsort(-evidence, kind="stable")]
    if not order or evidence[order[0]] < 0:
        return []
    floor = max(0.0, float(evidence[order[0]]) - limits.margin)
    chosen: list[int] = []
    for i in order:
        if evidence[i] < floor or len(chosen) == limits.max_citations:
            break
        if not _repeats(cands[i].text, [cands[j] for j in chosen], limits.near_duplicate):
            chosen.append(i)
    return chosen


def answer_text(citations: list[Citation]) -> str:
    """The quoted sentences, whitespace collapsed, each followed by its citation mark."""
    return " ".join(f"{' '.join(c.quote.split())} [{c.n}]" for c in citations)


def _cite(n: int, candidate: Candidate, score: float) -> Citation:
    hit, start, end = candidate.hit, candidate.start, candidate.end
    return Citation(
        n,
        hit.doc_id,
        hit.source,
        hit.section,
        hit.page,
        candidate.text,
        start,
        end,
        score,
        hit.title,
        hit.municipality,
        hit.date,
        hit.year,
    )


def compose_answer(
    searcher: Searcher,
    question: str,
    k: int = 5,
    filters: Filters | None = None,
    limits: Thresholds | None = None,
) -> Answer:
    """Search, quote the sentences that best answer the question, and cite them; or say there is none."""
    started = time.perf_counter()
    limits = limits or Thresholds()
    asked, wanted = detect_language(question), named_municipalities(question)
    hits = [h for h in searcher.search(question, k, filters).results if about(h, wanted)]
    cands = candidates(hits)
    cosine = similarities(searcher.embedder, question, cands, wanted, reply_language(asked))
    evidence = cosine - bars(searcher, asked, cands, limits)
    chosen = select(cands, evidence, limits)
    citations = [_cite(n, cands[i], float(cosine[i])) for n, i in enumerate(chosen, start=1)]
    text = answer_text(citations) if citations else NO_ANSWER[reply_language(asked)]
    took = (time.perf_counter() - started) * 1000
    best = float(evidence.max()) if len(evidence) else None
    return Answer(question, text, bool(citations), tuple(citations), took, best)
