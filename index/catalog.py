"""An in-memory view of the indexed passages for one record generation: metadata for filters, section
names for the section preference, and Hit construction. Passage texts stay in the record (they are
most of its bytes) and are read for the hits only."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.models import Filters, Hit, committee_matches
from index.record import Record
from ingest.assemble import SECTION_SEPARATOR
from ingest.metadata import scandinavian_as_danish
from ingest.models import Chunk, Document
from ingest.ocr import reading as ocr_reading
from ingest.skeleton import skeleton

_NUMBERING = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")
_MIN_SECTION_KEY = 8  # a section name must be this specific (in skeleton characters) to count as named


@dataclass
class Catalog:
    generation: int
    docs: dict[str, Document]
    chunks: dict[str, Chunk]  # without their texts
    section_keys: dict[str, set[str]]  # skeleton of a section name → chunk ids under it
    copies: dict[str, list[tuple[str, str]]]  # canonical doc or chunk id → (doc_id, source) of its copies
    public: set[str] | None  # ids of the passages of public documents; None when every document is
    languages: frozenset[str] = frozenset()  # of the documents that have passages
    public_languages: frozenset[str] = frozenset()  # of the public ones among them

    @classmethod
    def load(cls, record: Record, generation: int) -> Catalog:
        docs = {d.doc_id: d for d in record.documents()}
        # A write between the two reads shows up as a newer generation, and the next search reloads;
        # until then a passage whose document is not in this view is left out.
        chunks = {c.chunk_id: c for c in record.indexable_chunks(with_text=False) if c.doc_id in docs}
        keys: dict[str, set[str]] = {}
        for chunk in chunks.values():
            for name in chunk.section.split(SECTION_SEPARATOR) if chunk.section else []:
                key = skeleton(_NUMBERING.sub("", name))
                if len(key) >= _MIN_SECTION_KEY:
                    keys.setdefault(key, set()).add(chunk.chunk_id)
        hidden = {d.doc_id for d in docs.values() if d.access != "public"}
        public = {cid for cid, c in chunks.items() if c.doc_id not in hidden} if hidden else None
        with_text = {c.doc_id for c in chunks.values()}
        languages = frozenset(docs[d].language for d in with_text)
        public_languages = frozenset(docs[d].language for d in with_text if d not in hidden)
        return cls(generation, docs, chunks, keys, record.copies(), public, languages, public_languages)

    def languages_of(self, filters: Filters) -> frozenset[str]:
        """The languages of the documents a search with these filters may return."""
        if not filters.narrows():
            return self.languages if filters.restricted else self.public_languages
        return frozenset(
            doc.language
            for doc in self.docs.values()
            if self.visible(doc, filters.restricted) and passes(doc, filters)
        )

    def other_language(
        self, chunk_ids: Iterable[str], language: str, among: frozenset[str]
    ) -> frozenset[str]:
        """Of these passages, those whose document is in another of the languages `among` than `language`
        (Scandinavian ones taken as Danish); a document of no telling language ("und") is in none."""
        others = among - {scandinavian_as_danish(language)}
        return frozenset(
            cid
            for cid in chunk_ids
            if cid in self.chunks
            and scandinavian_as_danish(self.docs[self.chunks[cid].doc_id].language) in others
        )

    def matching(self, filters: Filters) -> set[str] | None:
        """Ids of the passages a search with these filters may return; None when it may return any."""
        if not filters.narrows():
            return None if filters.restricted else self.public
        docs = {doc_id for doc_id, doc in self.docs.items() if passes(doc, filters)}
        return {cid for cid, c in self.chunks.items() if c.doc_id in docs}

    def visible(self, doc: Document, restricted: bool) -> bool:
        return restricted or doc.access == "public"

    def section_matches(self, query: str) -> set[str]:
        """Passages under a section whose name the query contains (OCR-tolerant, accents ignored)."""
        padded = f" {skeleton(query)} "
        found: set[str] = set()
        for key, ids in self.section_keys.items():
            if f" {key} " in padded:
                found |= ids
        return found

    def hits(self, ranked: list[tuple[str, float]], record: Record, restricted: bool = False) -> list[Hit]:
        """Hits for ranked (chunk id, score) pairs, texts read from the record in one query; a passage
        deleted since this view was loaded is left out."""
        texts = record.chunk_texts([cid for cid, _ in ranked])
        found = []
        for chunk_id, score in ranked:
            if chunk_id not in texts:
                continue
            chunk = self.chunks[chunk_id]
            doc = self.docs[chunk.doc_id]
            found.append(
                Hit(
                    chunk_id=chunk_id,
                    doc_id=doc.doc_id,
                    source=doc.source,
                    title=doc.title,
                    municipality=doc.municipality,
                    date=doc.date,
                    doc_type=doc.doc_type,
                    section=chunk.section,
                    page=chunk.page,
                    text=texts[chunk_id],
                    start=chunk.start,
                    end=chunk.end,
                    score=round(score, 6),
                    also_in=self._also_in(doc.doc_id, chunk_id, restricted),
                    committee=doc.committee,
                    year=doc.year,
                    reading=_reading(doc, texts[chunk_id]),
                )
            )
        return found

    def _also_in(self, doc_id: str, chunk_id: str, restricted: bool) -> list[str]:
        """Sources of the other copies of a passage or its document that the searcher may see."""
        copies = [*self.copies.get(doc_id, ()), *self.copies.get(chunk_id, ())]
        return sorted(
            {
                source
                for copy_id, source in copies
                if copy_id in self.docs and self.visible(self.docs[copy_id], restricted)
            }
        )


def _reading(doc: Document, text: str) -> str | None:
    """The machine-corrected reading of a passage of an OCR-garbled Danish document (repair is
    dictionary-driven and cached per word: cheap enough per hit, and never stale)."""
    return ocr_reading(text) if doc.ocr_garbled and doc.language == "da" else None


def passes(doc: Document, filters: Filters) -> bool:
    """Whether a document passes the filters: the same fields, compared the same way, everywhere."""
    years = {doc.year, _year(doc.date), _year(doc.meeting_date)}
    return (
        (filters.restricted or doc.access == "public")
        and (filters.municipality is None or doc.municipality == filters.municipality)
        and (filters.doc_type is None or doc.doc_type == filters.doc_type)
        and (filters.year is None or filters.year in years)
        and (
            filters.committee is None
            or committee_matches(filters.committee, doc.committee, doc.committee_short)
        )
    )


def _year(day: str | None) -> int | None:
    return int(day[:4]) if day and day[:4].isdigit() else None
