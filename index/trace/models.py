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


@dataclass
class Recommendation:
    rec: Extracted
    status: Status
    confidence: float
    reason: str
    responses: list[Response] = field(default_factory=list)
    status_override: Override | None = None
    reason_code: str = "no_response"  # language-neutral; see index.trace.status for the codes

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
            "status_override": asdict(self.status_override) if self.status_override else None,
            "effective_status": self.effective_status,
            "responses": [asdict(r) for r in self.responses],
        }
