"""Scoring tracing against hand-labelled report/response sets (`eval/data/trace/<set>/`, see its README).

Each set is ingested into its own temporary index and traced as a user would trace it. A predicted
recommendation matches a gold one when their words overlap (most of the gold's words, and at least half of
the prediction's, so a whole paragraph cannot stand in for one bullet); matching is one-to-one. Then:

- extraction precision and recall over the set's recommendations,
- department accuracy and status accuracy over the matched ones,
- top-response accuracy over the matched ones that gold says were answered: the top-linked response lies in
  one of the gold answering passages (same document, overlapping words).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.factory import open_index
from index.settings import Settings
from index.trace.models import Recommendation
from index.trace.run import trace
from ingest.pipeline import IngestOptions, run_ingest
from ingest.skeleton import fold

TRACE_SETS = Path(__file__).parent / "data" / "trace"
GOLD_FILE = "gold.jsonl"
HELDOUT_PREFIX = "heldout"
GOLD_SHARE = 0.6  # of the gold span's words found in the prediction
PREDICTED_SHARE = 0.4  # of the prediction's words found in the gold span (a reason clause may precede)
ANSWER_SHARE = 0.5  # of the shorter of answer and response
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class GoldAnswer:
    doc: str
    text: str


@dataclass(frozen=True)
class GoldRec:
    doc: str
    text: str
    department: tuple[str, ...]
    status: str
    year: int | None
    answers: tuple[GoldAnswer, ...] = ()


@dataclass(frozen=True)
class TraceSet:
    name: str
    folder: Path
    gold: tuple[GoldRec, ...]

    @property
    def heldout(self) -> bool:
        return self.name.startswith(HELDOUT_PREFIX)


def load_set(folder: Path) -> TraceSet:
    """A set's gold labels; a malformed line or a span missing from its file is an error naming the line."""
    gold = []
    for n, line in enumerate((folder / GOLD_FILE).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rec = GoldRec(
                row["doc"],
                row["text"],
                tuple(row["department"]),
                row["status"],
                row.get("year"),
                tuple(GoldAnswer(a["doc"], a["text"]) for a in row.get("answers", [])),
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ValueError(f"{folder / GOLD_FILE}:{n}: {error}") from error
        for doc, text in [(rec.doc, rec.text), *((a.doc, a.text) for a in rec.answers)]:
            if text not in (folder / doc).read_text(encoding="utf-8"):
                raise ValueError(f"{folder / GOLD_FILE}:{n}: {text!r} is not in {doc}")
        gold.append(rec)
    return TraceSet(folder.name, folder, tuple(gold))


def load_sets(root: Path = TRACE_SETS) -> list[TraceSet]:
    return [load_set(p) for p in sorted(root.iterdir()) if (p / GOLD_FILE).is_file()]


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def _shared(a: Counter[str], b: Counter[str]) -> int:
    return sum((a & b).values())


def spans_match(predicted: str, gold: str) -> bool:
    p, g = words(predicted), words(gold)
    shared = _shared(p, g)
    return bool(g) and shared >= GOLD_SHARE * sum(g.values()) and shared >= PREDICTED_SHARE * sum(p.values())


def answer_matches(quote: str, answer: str) -> bool:
    q, a = words(quote), words(answer)
    return bool(q and a) and _shared(q, a) >= ANSWER_SHARE * min(sum(q.values()), sum(a.values()))


def department_matches(predicted: str | None, accepted: Sequence[str]) -> bool:
    if not predicted:
        return False
    p = fold(predicted).lower()
    return any((a := fold(name).lower()) == p or (len(p) > 3 and (a in p or p in a)) for name in accepted)


@dataclass
class SetScore:
    name: str
    heldout: bool
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    department_right: int = 0
    status_right: int = 0
    answered: int = 0
    top_right: int = 0
    mistakes: list[dict[str, object]] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        def share(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        return {
            "set": self.name,
            "heldout": self.heldout,
            "gold": self.gold,
            "predicted": self.predicted,
            "precision": share(self.matched, self.predicted),
            "recall": share(self.matched, self.gold),
            "department_accuracy": share(self.department_right, self.matched),
            "status_accuracy": share(self.status_right, self.matched),
            "top_response_accuracy": share(self.top_right, self.answered),
            "answered": self.answered,
            "mistakes": self.mistakes,
        }


def score(tset: TraceSet, recs: Sequence[Recommendation], sources: dict[str, str]) -> SetScore:
    """Compare traced recommendations with the gold; `sources` maps doc_id to file name."""
    result = SetScore(tset.name, tset.heldout, gold=len(tset.gold), predicted=len(recs))
    free = list(recs)
    for gold in tset.gold:
        rec = next(
            (
                r
                for r in free
                if sources.get(r.rec.span.doc_id) == gold.doc and spans_match(r.rec.span.text, gold.text)
            ),
            None,
        )
        if rec is None:
            result.mistakes.append({"kind": "missed", "gold": gold.text})
            continue
        free.remove(rec)
        result.matched += 1
        if department_matches(rec.rec.department, gold.department):
            result.department_right += 1
        else:
            result.mistakes.append({"kind": "department", "gold": gold.department, "got": rec.rec.department})
        if rec.status == gold.status:
            result.status_right += 1
        else:
            result.mistakes.append(
                {
                    "kind": "status",
                    "text": gold.text,
                    "gold": gold.status,
                    "got": rec.status,
                    "why": rec.reason,
                }
            )
        if gold.answers:
            result.answered += 1
            top = rec.responses[0] if rec.responses else None
            if top and any(
                sources.get(top.doc_id) == a.doc and answer_matches(top.quote, a.text) for a in gold.answers
            ):
                result.top_right += 1
            else:
                result.mistakes.append(
                    {"kind": "response", "text": gold.text, "got": top.quote if top else None}
                )
    result.mistakes += [{"kind": "extra", "got": r.rec.span.text} for r in free]
    return result


def documents(tset: TraceSet, folder: Path) -> Path:
    """A copy of the set's documents without its gold labels, to ingest as a user would."""
    folder.mkdir(parents=True)
    for path in tset.folder.iterdir():
        if path.is_file() and path.name != GOLD_FILE:
            shutil.copy2(path, folder / path.name)
    return folder


def evaluate_set(tset: TraceSet, embedder: str) -> SetScore:
    with tempfile.TemporaryDirectory(prefix="sporbar-traceset-") as tmp:
        docs = documents(tset, Path(tmp) / "docs")
        index = open_index(Settings(data_dir=Path(tmp) / "data", embedder=embedder))
        run_ingest(index.record, [docs], IngestOptions())
        sources = {d.doc_id: d.source for d in index.record.documents()}
        return score(tset, trace(index.record, index.embedder), sources)


def totals(scores: Sequence[SetScore]) -> dict[str, object]:
    """The sets pooled (micro-averaged), as one more summary."""
    pooled = SetScore("all", all(s.heldout for s in scores))
    for s in scores:
        for name in (
            "gold",
            "predicted",
            "matched",
            "department_right",
            "status_right",
            "answered",
            "top_right",
        ):
            setattr(pooled, name, getattr(pooled, name) + getattr(s, name))
    out = pooled.summary()
    out.pop("mistakes")
    return out
