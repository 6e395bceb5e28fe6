"""The domain objects of recommendation tracing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Status = Literal["addressed", "partially", "not_addressed"]
STATUSES: tuple[Status, ...] = ("addressed", "partially", "not_addressed")


@dataclass(frozen=True)
class Span:
    """A piece of a document's stored text: `text == stored_text[start:end]`."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Extracted:
    """A recommendation found in a document, before linking."""

    rec_id: str
    span: Span
    source: str
    theme: str
    section: str
    year: int | None
    municipality: str | None
    row_response: Span | None = None  # the same table row's follow-up cell, when the document pairs them
    department: str | None = None  # the addressee unit, named in the sentence, its table row or its section
    title: str = ""  # of the document the recommendation comes from


@dataclass(frozen=True)
class Response:
    doc_id: str
    source: str
    quote: str
    start: int
    end: int
    score: float
    same_row: bool = False


@dataclass(frozen=True)
class Override:
    status: Status
    note: str
    by: str
    at: str


@dataclass(frozen=True)
class HistoryEntry:
    """One answering document's verdict on a recommendation: its status, judged on that document alone,
    with the evidence that decided it. `year` is the answering document's year (its date, else its year)."""

    year: int | None
    date: str | None
    status: Status
    reason: str  # in English; `reason_da` says the same in Danish
    reason_code: str
    reason_da: str
    doc_id: str
    source: str
    title: str
    doc_type: str
    quote: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Repeat:
    """The same recommendation in another report of the same municipality (a later one repeating it, or
    the earlier one it repeats)."""

    rec_id: str
    doc_id: str
    source: str
    title: str
    year: int | None


@dataclass
class Recommendation:
    rec: Extracted
    status: Status
    confidence: float
    reason: str
    responses: list[Response] = field(default_factory=list)
    status_override: Override | None = None
    reason_code: str = "no_response"  # language-neutral; see index.trace.status for the codes
    reason_da: str = ""  # `reason` in Danish
    history: list[HistoryEntry] = field(default_factory=list)  # oldest first; the last decides `status`
    repeated_from: Repeat | None = None  # the earlier report's same recommendation
    repeated_in: list[Repeat] = field(default_factory=list)  # later reports that recommend it again

    @property
    def effective_status(self) -> Status:
        return self.status_override.status if self.status_override else self.status

    def public(self) -> dict[str, object]:
        rec = self.rec
        return {
            "rec_id": rec.rec_id,
            "doc_id": rec.span.doc_id,
            "source": rec.source,
            "title": rec.title,
            "text": rec.span.text,
            "start": rec.span.start,
            "end": rec.span.end,
            "theme": rec.theme,
            "section": rec.section,
            "year": rec.year,
            "municipality": rec.municipality,
            "department": rec.department,
            "status": self.status,
            "reason_code": self.reason_code,
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
            "reason_da": self.reason_da,
            "status_override": asdict(self.status_override) if self.status_override else None,
            "effective_status": self.effective_status,
            "responses": [asdict(r) for r in self.responses],
            "history": [asdict(h) for h in self.history],
            "repeated_from": asdict(self.repeated_from) if self.repeated_from else None,
            "repeated_in": [asdict(r) for r in self.repeated_in],
        }
