"""Request and response models of the HTTP API, kept apart from the domain objects they are built from."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ingest.models import DOC_TYPES


class HitOut(BaseModel):
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
    also_in: list[str]
    committee: str | None = None
    year: int | None = None
    reading: str | None = Field(
        default=None, description="machine-corrected reading of OCR-garbled text, only when it differs"
    )


class DocumentHitsOut(BaseModel):
    doc_id: str
    title: str
    source: str
    municipality: str | None
    date: str | None
    year: int | None
    committee: str | None
    doc_type: str
    best: HitOut
    more: list[HitOut]
    weaker: bool = Field(description="below the relevance floor")


class GroupedSearchOut(BaseModel):
    query: str
    took_ms: float
    total: int = Field(description="matching documents above the relevance floor")
    offset: int = 0
    results: list[DocumentHitsOut]


class SearchOut(BaseModel):
    query: str
    took_ms: float
    offset: int = 0
    results: list[HitOut]


class AskIn(BaseModel):
    question: str = Field(min_length=1, description="the limit is the setting max_query_chars")
    k: int = Field(default=5, ge=1, le=20)
    municipality: str | None = Field(default=None, max_length=100)
    doc_type: str | None = Field(default=None, description=f"one of {', '.join(DOC_TYPES)}")
    year: int | None = Field(default=None, ge=1900, le=2100)
    committee: str | None = Field(default=None, max_length=200)


class CitationOut(BaseModel):
    n: int
    doc_id: str
    source: str
    title: str = ""
    municipality: str | None = None
    date: str | None = None
    year: int | None = None
    section: str
    page: int | None
    quote: str
    start: int
    end: int


class AnswerOut(BaseModel):
    question: str
    answer: str
    found: bool
    mode: Literal["extractive", "generated", "excerpts"] = "extractive"
    notice: str | None = Field(default=None, description="e.g. why a generated answer was not used")
    citations: list[CitationOut]
    took_ms: float | None = None


class DocumentOut(BaseModel):
    doc_id: str
    source: str
    path: str
    title: str
    municipality: str | None
    date: str | None
    doc_type: str
    language: str
    ocr_garbled: bool
    quality: float
    canonical: bool
    duplicate_of: str | None
    chunks: int
    format: str | None = None
    pages: int | None = None
    year: int | None = None
    year_source: str | None = Field(
        default=None, description="where `year` came from: metadata, title, text (the opening) or date"
    )
    committee: str | None = None
    committee_short: str | None = None
    meeting_date: str | None = None
    meeting_time: str | None = None
    item_number: str | None = None
    parent_id: str | None = None
    access: str = "public"
    ocr: bool = False


class DuplicateOut(BaseModel):
    doc_id: str
    source: str
    similarity: float


class PassageOut(BaseModel):
    chunk_id: str
    start: int
    end: int
    section: str
    page: int | None
    duplicate_of: str | None


class DocumentDetailOut(DocumentOut):
    text: str
    duplicates: list[DuplicateOut]
    passages: list[PassageOut]
    has_file: bool


class ReadingOut(BaseModel):
    doc_id: str
    start: int
    end: int
    text: str = Field(description="the stored text [start:end], verbatim")
    reading: str | None = Field(
        description="machine-corrected reading of OCR-garbled text; null when there is nothing to correct"
    )


class RemovedOut(BaseModel):
    removed: int
    doc_id: str


class ErrorOut(BaseModel):
    detail: str
    request_id: str | None = None


class HealthOut(BaseModel):
    status: str
    documents: int
    passages: int
    model: str
