"""Domain objects of the ingest stages.

A parser turns a file into `Block`s (headings, paragraphs, bullets, table rows) that still carry the
source's line breaks; cleaning and assembly turn them into the stored text and `Unit`s that point into it;
chunking groups units into `Chunk`s. Ids are content hashes so unchanged chunks are recognised for free.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal, get_args

BlockKind = Literal["heading", "paragraph", "bullet", "row"]
DocType = Literal["report", "response", "note", "news", "minutes", "agenda", "other"]
DOC_TYPES: tuple[DocType, ...] = get_args(DocType)  # the one list of document types
Access = Literal["public", "restricted"]


def content_hash(*parts: str, length: int = 16) -> str:
    """A short, stable hex digest of the given strings."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:length]


@dataclass(frozen=True)
class Cell:
    """One table cell: its column header and its text (list items as separate lines)."""

    header: str
    text: str


@dataclass(frozen=True)
class Block:
    """A structural piece of a parsed document, before cleaning.

    `text` may hold the source's own line breaks (wrapped lines, hyphenation at line ends); the cleaning
    steps join them. `level` is the heading level or the bullet depth (1 = bullet, 2 = sub-bullet).
    """

    kind: BlockKind
    text: str = ""
    level: int = 0
    page: int | None = None
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class ParsedDocument:
    """What a parser returns: the format it recognised and the blocks in reading order.

    `ocr` is True when any page's text was read by OCR; `ocr_confidence` is then the mean confidence
    (0–1) of the OCR'd words, a quality score for that text.
    """

    format: str
    blocks: tuple[Block, ...]
    pages: int | None = None
    title_hint: str | None = None
    ocr: bool = False
    ocr_confidence: float | None = None


@dataclass(frozen=True)
class CellSpan:
    header: str
    start: int
    end: int


@dataclass(frozen=True)
class Unit:
    """A cleaned block placed in the stored text: `text[start:end]` is what the block shows."""

    kind: BlockKind
    start: int
    end: int
    level: int = 0
    page: int | None = None
    section: str = ""
    cells: tuple[CellSpan, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A passage: a span of a document's stored text with its place in the document's structure."""

    chunk_id: str
    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str
    section: str = ""
    page: int | None = None
    quality: float = 1.0
    corrected_text: str | None = None  # machine-corrected OCR text, for lexical matching only
    duplicate_of: str | None = None  # chunk_id of the canonical copy of this passage in another document

    @property
    def text_hash(self) -> str:
        return content_hash(" ".join(self.text.split()))


@dataclass
class Document:
    """A document record as the contract shows it, plus the bookkeeping ingest needs."""

    doc_id: str
    source: str
    path: str
    title: str
    municipality: str | None
    date: str | None
    doc_type: DocType
    language: str
    ocr_garbled: bool
    quality: float
    format: str
    text: str
    file_hash: str
    abs_path: str
    canonical: bool = True
    duplicate_of: str | None = None
    chunks: int = 0
    pages: int | None = None
    content_hash: str = ""
    ingested_at: float = 0.0
    units: list[Unit] = field(default_factory=list)
    # From a committee-meeting export's manifest (or a side-car file); None for other documents.
    year: int | None = None  # the year the document is about, else the year of its date
    year_source: str | None = None  # where `year` came from: metadata, title, text (its opening) or date
    committee: str | None = None
    committee_short: str | None = None  # the manifest's short name ("PUK"), for the committee filter
    meeting_date: str | None = None  # ISO day
    meeting_time: str | None = None  # HH:MM
    item_number: str | None = None  # "2", "2a"
    parent_id: str | None = None  # an enclosure's agenda item
    access: Access = "public"  # "restricted": a closed agenda item or its enclosure
    ocr: bool = False  # the text came from OCR run at ingest

    def public(self) -> dict[str, object]:
        """The contract's Document fields."""
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "path": self.path,
            "title": self.title,
            "municipality": self.municipality,
            "date": self.date,
            "doc_type": self.doc_type,
            "language": self.language,
            "ocr_garbled": self.ocr_garbled,
            "quality": round(self.quality, 3),
            "canonical": self.canonical,
            "duplicate_of": self.duplicate_of,
            "chunks": self.chunks,
            "format": self.format,
            "pages": self.pages,
            "year": self.year,
            "year_source": self.year_source,
            "committee": self.committee,
            "committee_short": self.committee_short,
            "meeting_date": self.meeting_date,
            "meeting_time": self.meeting_time,
            "item_number": self.item_number,
            "parent_id": self.parent_id,
            "access": self.access,
            "ocr": self.ocr,
        }
