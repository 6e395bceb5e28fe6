"""Objects of the search layer that several layers share: filters, hits, search results."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Literal

from ingest.gazetteer import load_gazetteer
from ingest.models import DOC_TYPES
from ingest.skeleton import fold

Mode = Literal["hybrid", "dense", "lexical"]


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to, and whether it may see restricted documents (closed agenda items:
    only with the restricted key, or from the CLI, which reads the data dir directly)."""

    municipality: str | None = None
    doc_type: str | None = None
    year: int | None = None
    committee: str | None = None
    restricted: bool = False

    def normalised(self) -> Filters:
        """Canonical filter values: known municipality names in any spelling or language."""
        municipality = self.municipality
        if municipality:
            municipality = load_gazetteer().normalise(municipality) or municipality.strip()
        doc_type = self.doc_type.strip().lower() if self.doc_type else None
        if doc_type and doc_type not in DOC_TYPES:
            raise ValueError(f"unknown doc_type {self.doc_type!r}; use one of {', '.join(DOC_TYPES)}")
        committee = (self.committee or "").strip() or None
        return replace(self, municipality=municipality or None, doc_type=doc_type, committee=committee)

    def narrows(self) -> bool:
        """Whether any field narrows the documents searched."""
        return any(v is not None for v in (self.municipality, self.doc_type, self.year, self.committee))

    def where(self) -> dict[str, object]:
        """The fields the vector store filters on itself (exact values); the rest is matched by the
        catalog, which knows every document's year, committee and access."""
        return {k: v for k, v in (("municipality", self.municipality), ("doc_type", self.doc_type)) if v}


def committee_matches(wanted: str, name: str | None, short: str | None) -> bool:
    """A committee filter value matches the committee's name, its short name, or a run of whole words
    inside the name; accents and case are ignored ("miljo" finds "Klima og Miljø", "PUK" finds the
    committee whose short name it is, "milj" finds nothing)."""
    if not name:
        return False
    query = _words(wanted)
    if not query:
        return False
    if short and _words(short) == query:
        return True
    words = _words(name)
    if words == query:
        return True
    return any(words[i : i + len(query)] == query for i in range(len(words) - len(query) + 1))


def _words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", fold(text))


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
    committee: str | None = None
    year: int | None = None  # the year the document is about, else the year of its date
    reading: str | None = None  # a machine-corrected reading of an OCR-garbled `text`, when it differs

    def public(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class SearchResult:
    query: str
    took_ms: float
    results: list[Hit]
    # What the two sides said, for telling strong matches from weak ones (index/group.py): the dense
    # side's cosine similarity of each passage it found, and the lexical side's best passage.
    similarity: dict[str, float] = field(default_factory=dict)
    lexical_best: str | None = None
    # In an index of two languages, the passages of `similarity` in another language than the question's:
    # the model's similarities across languages run lower than within one.
    other_language: frozenset[str] = frozenset()

    def public(self) -> dict[str, object]:
        return {
            "query": self.query,
            "took_ms": round(self.took_ms, 1),
            "results": [h.public() for h in self.results],
        }
