"""An answer's objects: the answer, its citations (verbatim spans of stored text), and the thresholds that
decide whether a sentence is close enough to a question to be quoted."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from index.models import Hit
from index.quotes import Candidate


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

    @classmethod
    def of(cls, n: int, hit: Hit, quote: str, start: int, end: int, score: float = 0.0) -> Citation:
        """A quote from a hit's document, labelled as the hit is."""
        return cls(
            n, hit.doc_id, hit.source, hit.section, hit.page, quote, start, end, score,
            hit.title, hit.municipality, hit.date, hit.year,
        )  # fmt: skip

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
    mode: str = "extractive"  # "extractive", "generated" or "excerpts"
    notice: str | None = None  # e.g. why a generated answer fell back to the extractive one

    def public(self) -> dict[str, object]:
        return {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "mode": self.mode,
            "notice": self.notice,
            "citations": [c.public() for c in self.citations],
            "took_ms": round(self.took_ms, 1),
            "evidence": None if self.evidence is None else round(self.evidence, 4),
        }


@dataclass(frozen=True)
class Thresholds:
    """How close to the question a sentence must be to be quoted (cosine similarity)."""

    same_language: float = 0.865  # question and passage in the same language
    cross_language: float = 0.795  # e.g. an English question, a Danish passage
    # Both in English: the model's English-to-English similarities run lower than Danish-to-Danish ones for
    # the sentences that answer (calibrated on the answer sets' English documents, see docs/answers.md).
    english: float = 0.85
    margin: float = 0.03  # further citations score within this of the best one
    max_citations: int = 4
    near_duplicate: float = 0.6  # word overlap above which a sentence repeats one already chosen
    # For a question about actions: what stating one adds to a sentence's rank (and describing a problem
    # takes away). The rank orders sentences; it never decides whether there is an answer.
    action_weight: float = 0.02
    # A word the question turns on this much (1 - cosine of the question with and without it) must be
    # answered to by a quoted sentence, or the answer is declined (`index/focus.py`).
    focus_drift: float = 0.025
    # For a question about actions that no sentence clears its bar for: how far under it a sentence that
    # states an action may lie, and how much it must answer to the question's focus words to be quoted.
    focus_reach: float = 0.03
    focus_fit: float = 0.008
    # For an answered question about actions: how far under its bar an action of a quoted passage may lie
    # and still be quoted first, when it answers the question's focus words better (`index/actions.py`).
    passage_reach: float = 0.05
    # For a question about actions that no sentence clears its bar for: how far under it a sentence that
    # raises a problem may lie when an action follows it (`index.actions.answered_problem`).
    problem_reach: float = 0.015
    # For a question about actions: how far an action read on from the sentence before it must lie above
    # the best sentence alone to be quoted first (`index.actions.read_first`).
    read_ahead: float = 0.015


def answer_text(citations: list[Citation]) -> str:
    """The quoted sentences, whitespace collapsed, each followed by its citation mark."""
    return " ".join(f"{' '.join(c.quote.split())} [{c.n}]" for c in citations)


def cite(n: int, first: Candidate, last: Candidate, score: float) -> Citation:
    """A citation of the stored text from the start of `first` to the end of `last` (one passage)."""
    hit, start, end = first.hit, first.start, last.end
    quote = hit.text[start - hit.start : end - hit.start]
    return Citation.of(n, hit, quote, start, end, score)


def declined(question: str, text: str, started: float, evidence: float | None = None) -> Answer:
    return Answer(question, text, False, (), (time.perf_counter() - started) * 1000, evidence)
