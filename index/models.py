"""Objects of the search layer that several layers share: filters, hits, search results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from ingest.gazetteer import load_gazetteer
from ingest.models import DOC_TYPES

Mode = Literal["hybrid", "dense", "lexical"]


@dataclass(frozen=True)
class Filters:
    municipality: str | None = None
    doc_type: str | None = None
    year: int | None = None

    def normalised(self) -> Filters:
        """Canonical filter values: known municipality names in any spelling or language."""
        municipality = self.municipality
        if municipality:
            municipality = load_gazetteer().normalise(municipality) or municipality.strip()
        doc_type = self.doc_type.strip().lower() if self.doc_type else None
        if doc_type and doc_type not in DOC_TYPES:
            raise ValueError(f"unknown doc_type {self.doc_type!r}; use one of {', '.join(DOC_TYPES)}")
        return Filters(municipality or None, doc_type, self.year)

    def where(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    doc_id: str
    source: str
    title: str
    municipality: str | None
    date: str | None
    doc_type: str
    section: str
    page: int | None
    text: str
    start: int
    end: int
    score: float
    also_in: list[str] = field(default_factory=list)

    def public(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class SearchResult:
    query: str
    took_ms: float
    results: list[Hit]

    def public(self) -> dict[str, object]:
        return {
            "query": self.query,
            "took_ms": round(self.took_ms, 1),
            "results": [h.public() for h in self.results],
        }
