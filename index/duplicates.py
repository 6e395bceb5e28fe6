"""Recompute duplicate groups over the whole record, documents first, then passages.

Canonical copy of a group: the best quality, then born-digital over OCR text, then the newest. Passages
are compared only across canonical documents; a document's own repeated paragraphs stay. A meeting's full
agenda or minutes is compared with its agenda items by containment as well (see `meeting_copies`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from ingest.dedup import DOC_THRESHOLD, PASSAGE_THRESHOLD, Item, canonical_map, clusters, key_shingles
from ingest.models import Document

# The share of a full agenda's passage that must stand in its meeting's agenda items for it to count as
# their copy: its passages measured 0.75–0.86 against an export's items (its own labels and page title
# make up the rest).
CONTAINED = 0.7


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
    found = {
        chunk: canon
        for chunk, canon in canonical_map(groups, lambda cid: rank[cid]).items()
        if rank[chunk][3] != rank[canon][3]
    }
    shingles = {item.item_id: item.shingles for item in items}
    moved = {
        chunk: found.get(item, item)
        for chunk, item in meeting_copies(rows, shingles).items()
        if chunk not in found
    }
    # Passages that were copies of a moved one are copies of its item now: no chains.
    return {chunk: moved.get(canon, canon) for chunk, canon in found.items()} | moved


_Row = sqlite3.Row | Mapping[str, Any]  # a record's chunk row, or a plain mapping of its fields


def meeting_copies(rows: Sequence[_Row], shingles: Mapping[str, frozenset[str]]) -> dict[str, str]:
    """Passages of a meeting's full agenda or minutes (a document of the meeting that is no agenda item)
    that print its agenda items: each one whose key shingles stand, by at least `CONTAINED`, in the same
    meeting's item passages (same municipality, committee and day) is a copy of the item passage it
    shares most with. Jaccard misses them: the full document's passages cut across items and carry its own
    labels. A public passage is measured against public items only, so that text the public agenda prints
    never hides behind a closed item."""
    owners: dict[tuple[str, str, str], dict[str, list[str]]] = {}
    public: dict[str, bool] = {}
    for r in rows:
        if r["item_number"] is not None and r["committee"] and r["meeting_date"]:
            public[r["chunk_id"]] = r["access"] == "public"
            meeting = owners.setdefault(_meeting(r), {})
            for shingle in shingles[r["chunk_id"]]:
                meeting.setdefault(shingle, []).append(r["chunk_id"])
    copies: dict[str, str] = {}
    for r in rows:
        if r["item_number"] is not None:
            continue
        meeting = owners.get(_meeting(r), {})
        key = shingles[r["chunk_id"]]
        if not meeting or not key:
            continue
        seen_by_all = r["access"] == "public"
        shared: dict[str, int] = {}
        held = 0
        for shingle in key:
            items = [i for i in meeting.get(shingle, ()) if public[i] or not seen_by_all]
            if items:
                held += 1
                for item in items:
                    shared[item] = shared.get(item, 0) + 1
        if shared and held >= CONTAINED * len(key):
            copies[r["chunk_id"]] = max(shared, key=lambda item: (shared[item], item))
    return copies


def _meeting(row: _Row) -> tuple[str, str, str]:
    return (row["municipality"] or "", row["committee"] or "", row["meeting_date"] or "")


def refresh_duplicates(record: DuplicateSource) -> None:
    doc_map = document_duplicates(record)
    record.set_duplicates(doc_map, passage_duplicates(record, doc_map))
