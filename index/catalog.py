"""An in-memory view of the indexed passages for one record generation: metadata for filters, section
names for the section preference, and Hit construction. Passage texts stay in the record (they are
most of its bytes) and are read for the hits only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.models import Filters, Hit
from index.record import Record
from ingest.assemble import SECTION_SEPARATOR
from ingest.models import Chunk, Document
from ingest.skeleton import skeleton

_NUMBERING = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")
_MIN_SECTION_KEY = 8  # a section name must be this specific (in skeleton characters) to count as named


@dataclass
class Catalog:
    generation: int
    docs: dict[str, Document]
    chunks: dict[str, Chunk]  # without their texts
    section_keys: dict[str, set[str]]  # skeleton of a section name → chunk ids under it
    copies: dict[str, list[str]]  # canonical doc or chunk id → sources of its duplicates

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
        return cls(generation, docs, chunks, keys, record.copies())

    def matching(self, filters: Filters) -> set[str]:
        """Ids of passages whose document passes the filters (the lexical side's filter)."""

        def ok(doc: Document) -> bool:
            return (
                (filters.municipality is None or doc.municipality == filters.municipality)
                and (filters.doc_type is None or doc.doc_type == filters.doc_type)
                and (filters.year is None or (doc.date or "")[:4] == str(filters.year))
            )

        return {cid for cid, c in self.chunks.items() if ok(self.docs[c.doc_id])}

    def section_matches(self, query: str) -> set[str]:
        """Passages under a section whose name the query contains (OCR-tolerant, accents ignored)."""
        padded = f" {skeleton(query)} "
        found: set[str] = set()
        for key, ids in self.section_keys.items():
            if f" {key} " in padded:
                found |= ids
        return found

    def hits(self, ranked: list[tuple[str, float]], record: Record) -> list[Hit]:
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
                    also_in=sorted({*self.copies.get(doc.doc_id, ()), *self.copies.get(chunk_id, ())}),
                )
            )
        return found
