"""Rows of the documents and chunks tables as domain objects, and back."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict

from ingest.models import CellSpan, Chunk, Document, Unit

CHUNK_COLUMNS = [
    "chunk_id",
    "doc_id",
    "ordinal",
    "start",
    '"end"',
    "text",
    "section",
    "page",
    "quality",
    "corrected_text",
    "duplicate_of",
]
CHUNK_TEXTS = ("text", "corrected_text")
DOC_COLUMNS = [
    "doc_id",
    "source",
    "path",
    "abs_path",
    "file_hash",
    "content_hash",
    "title",
    "municipality",
    "date",
    "doc_type",
    "language",
    "ocr_garbled",
    "quality",
    "format",
    "pages",
    "canonical",
    "duplicate_of",
    "chunks",
    "ingested_at",
    "year",
    "year_source",
    "committee",
    "committee_short",
    "meeting_date",
    "meeting_time",
    "item_number",
    "parent_id",
    "access",
    "ocr",
    "text",
    "units",
]
DOC_TEXTS = ("text", "units")


def units_json(units: list[Unit]) -> str:
    return json.dumps([asdict(u) for u in units], ensure_ascii=False)


def units_from_json(raw: str) -> list[Unit]:
    units = []
    for item in json.loads(raw):
        item["cells"] = tuple(CellSpan(**cell) for cell in item["cells"])
        units.append(Unit(**item))
    return units


def document_values(doc: Document) -> list[object]:
    """Values for DOC_COLUMNS, in order."""
    return [getattr(doc, c) for c in DOC_COLUMNS[:-1]] + [units_json(doc.units)]


def chunk_from_row(r: sqlite3.Row, with_text: bool = True) -> Chunk:
    return Chunk(
        chunk_id=r["chunk_id"],
        doc_id=r["doc_id"],
        ordinal=r["ordinal"],
        start=r["start"],
        end=r["end"],
        text=r["text"] if with_text else "",
        section=r["section"],
        page=r["page"],
        quality=r["quality"],
        corrected_text=r["corrected_text"] if with_text else None,
        duplicate_of=r["duplicate_of"],
    )


def document_from_row(r: sqlite3.Row, with_text: bool) -> Document:
    values = {c: r[c] for c in DOC_COLUMNS if c not in DOC_TEXTS}
    values["ocr_garbled"] = bool(values["ocr_garbled"])
    values["canonical"] = bool(values["canonical"])
    values["ocr"] = bool(values["ocr"])
    return Document(
        **values,
        text=r["text"] if with_text else "",
        units=units_from_json(r["units"]) if with_text else [],
    )
