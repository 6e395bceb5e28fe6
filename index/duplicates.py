"""Recompute duplicate groups over the whole record, documents first, then passages.

Canonical copy of a group: the best quality, then born-digital over OCR text, then the newest. Passages
are compared only across canonical documents; a document's own repeated paragraphs stay.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Protocol

import numpy as np

from ingest.dedup import DOC_THRESHOLD, PASSAGE_THRESHOLD, Item, canonical_map, clusters, key_shingles
from ingest.models import Document


class DuplicateSource(Protocol):
    """What the refresh reads and writes: the record's documents, passages and duplicate links."""

    def documents(self, with_text: bool = False) -> list[Document]: ...
    def signatures(self) -> list[tuple[str, np.ndarray]]: ...
    def chunk_rows(self) -> list[sqlite3.Row]: ...
    def set_duplicates(self, doc_map: Mapping[str, str], chunk_map: Mapping[str, str]) -> None: ...


def _doc_rank(doc: Document) -> tuple[bool, bool, float, bool, str, float]:
    # A public copy is canonical over a restricted one, so that what the public sees never hides behind
    # a closed agenda item; an agenda item in the minutes over the same item in the agenda.
    minutes_item = doc.item_number is not None and doc.doc_type == "minutes"
    return (
        doc.access == "public",
        minutes_item,
        round(doc.quality, 2),
        not doc.ocr_garbled,
        doc.date or "",
        doc.ingested_at,
    )


def document_duplicates(record: DuplicateSource) -> dict[str, str]:
    docs = {d.doc_id: d for d in record.documents(with_text=True)}
    signatures = dict(record.signatures())
    items = [Item(doc_id, doc_id, key_shingles(d.text), signatures[doc_id]) for doc_id, d in docs.items()]
    groups = clusters(items, DOC_THRESHOLD)
    return canonical_map(groups, lambda doc_id: _doc_rank(docs[doc_id]))


def passage_duplicates(record: DuplicateSource, doc_map: dict[str, str]) -> dict[str, str]:
    rows = [r for r in record.chunk_rows() if r["doc_id"] not in doc_map]
    # Public passages first, then an agenda item's own passage over the same text in the meeting's full
    # agenda, then quality.
    rank = {
        r["chunk_id"]: (r["access"] == "public", r["item_number"] is not None, r["quality"], r["doc_id"])
        for r in rows
    }
    items = [
        Item(
            r["chunk_id"],
            r["doc_id"],
            key_shingles(r["text"]),
            np.frombuffer(r["signature"], dtype=np.uint64),
        )
        for r in rows
    ]
    groups = clusters(items, PASSAGE_THRESHOLD)
    # Exact copies are caught by the same clusters (Jaccard 1); group members of one document stay apart.
    return {
        chunk: canon
        for chunk, canon in canonical_map(groups, lambda cid: rank[cid]).items()
        if rank[chunk][3] != rank[canon][3]
    }


def refresh_duplicates(record: DuplicateSource) -> None:
    doc_map = document_duplicates(record)
    record.set_duplicates(doc_map, passage_duplicates(record, doc_map))
