"""What the HTTP routes do, as plain methods over one open index; routes stay thin and testable."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from index.factory import Index, open_index
from index.group import POOL, GroupedResult, group_by_document, strong_count
from index.lock import DataDirBusy, writer_lock
from index.models import Filters, Mode, SearchResult
from index.record import Record
from index.settings import Settings
from index.sync import sync_index
from index.trace.models import STATUSES, Recommendation
from index.trace.stored import load as load_trace
from index.trace.stored import store as store_traces
from ingest.dedup import jaccard, key_shingles
from ingest.errors import RejectedFile
from ingest.files import SourceFile
from ingest.models import Document, content_hash
from ingest.ocr import reading as ocr_reading
from ingest.pipeline import ingest_file, remove_documents

if TYPE_CHECKING:
    from collections.abc import Iterator

    from index.answer import Answer
    from index.respond import Event

log = logging.getLogger(__name__)
audit = logging.getLogger("api.audit")

UPLOAD_SUFFIXES = (
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".pdf",
    ".docx",
    ".doc",
    ".rtf",
    ".odt",
)


MAX_READING = 20_000  # characters of a document read in one machine-corrected reading


class UploadRejected(ValueError):
    """An upload that cannot be ingested; the reason is for the user."""


class QueryRejected(ValueError):
    """A query or question that is not searched (empty, too long); the reason is for the user."""


@dataclass(frozen=True)
class Duplicate:
    doc_id: str
    source: str
    similarity: float


@dataclass(frozen=True)
class DocumentView:
    document: Document
    duplicates: list[Duplicate]


def safe_upload_name(name: str | None) -> str:
    """The last component of a client's file name, never a path: no separators, no dot files, no `..`."""
    base = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    if not base or base in (".", "..") or base.startswith(".") or "\x00" in base:
        raise UploadRejected(f"unusable file name {name!r}")
    if Path(base).suffix.lower() not in UPLOAD_SUFFIXES:
        raise UploadRejected(
            f"unsupported file type {Path(base).suffix or '(none)'}; allowed: {', '.join(UPLOAD_SUFFIXES)}"
        )
    return base[:200]


class Service:
    """One open index shared by the server's worker threads; writes take the data dir's writer lock."""

    def __init__(self, settings: Settings, index: Index) -> None:
        self.settings = settings
        self.index = index
        self._mark = index.sync_mark()
        self._checked = time.monotonic()
        self._refresh_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._trace_lock = threading.Lock()
        self._trace: dict[bool, tuple[tuple[int, str], list[Recommendation]]] = {}

    @classmethod
    def open(cls, settings: Settings) -> Service:
        try:
            # Bring the vector store in step with the record (after a crash, or a store rebuilt from
            # scratch); when another process is writing, that process syncs instead.
            with writer_lock(settings.lock_path):
                index = open_index(settings, repair=True)
                index.sync()
        except DataDirBusy:
            log.info("another process is writing to %s; not syncing at start-up", settings.data_dir)
            index = open_index(settings)
        index.searcher.views()  # the passage view and BM25 loaded before the first search, not by it
        if index.searcher.bias.applies(index.searcher.catalog().languages):
            index.searcher.bias.means()  # the language means too, in an index of two languages
        return cls(settings, index)

    # --- freshness --------------------------------------------------------------------------------
    def refresh(self, force: bool = False) -> bool:
        """Pick up another process's writes to an embedded store; True when the view was reopened."""
        now = time.monotonic()
        if not force and now - self._checked < self.settings.refresh_seconds:
            return False
        if not self._refresh_lock.acquire(blocking=False):
            return False  # another thread is refreshing right now
        try:
            self._checked = now
            if self.index.remote is not None:
                # Server mode: vectors are live in the server; the document records are pulled.
                return self.index.pull()
            mark = self.index.sync_mark()
            if mark == self._mark:
                return False
            self.index.reopen_store()
            self._mark = mark
            log.info("reopened the vector store after another process's write")
            return True
        finally:
            self._refresh_lock.release()

    # --- reads ------------------------------------------------------------------------------------
    def search(
        self, query: str, k: int, filters: Filters, offset: int = 0, mode: Mode = "hybrid"
    ) -> SearchResult:
        self._check(query)
        self.refresh()
        result = self.index.searcher.search(query, k + offset, filters, mode)
        result.results = result.results[offset:]
        self._audit("search", {h.doc_id for h in result.results}, filters.restricted)
        return result

    def search_documents(
        self, query: str, k: int, filters: Filters, offset: int = 0, mode: Mode = "hybrid"
    ) -> GroupedResult:
        """One result per document (`k` documents from `offset`), with the count of documents above the
        relevance floor among the searched passages."""
        self._check(query)
        self.refresh()
        result = self.index.searcher.search(query, max(POOL, 2 * (k + offset)), filters, mode)
        groups = group_by_document(result)
        page = groups[offset : offset + k]
        self._audit("search", {g.best.doc_id for g in page}, filters.restricted)
        return GroupedResult(result.query, result.took_ms, strong_count(groups), page, offset)

    def ask(self, question: str, k: int, filters: Filters) -> Answer:
        from index.respond import final

        return final(self.ask_events(question, k, filters))

    def ask_events(self, question: str, k: int, filters: Filters) -> Iterator[Event]:
        """The answer as events: verified sentences as they come, then ("answer", Answer). The question
        is checked before the first event (QueryRejected)."""
        from index.question import MarkupOnly
        from index.respond import answer_events

        self._check(question)
        self.refresh()
        try:
            events = answer_events(self.index.searcher, question, k, filters, self.settings.chat_model())
        except MarkupOnly as exc:
            raise QueryRejected(str(exc)) from exc
        return self._audited(events, filters.restricted)

    def _audited(self, events: Iterator[Event], restricted: bool) -> Iterator[Event]:
        for kind, payload in events:
            if kind == "answer":
                self._audit("ask", {c.doc_id for c in payload.citations}, restricted)  # type: ignore[attr-defined]
            yield kind, payload

    def _check(self, query: str) -> None:
        try:
            self.settings.check_query(query)
        except ValueError as exc:
            raise QueryRejected(str(exc)) from exc

    def _audit(self, action: str, doc_ids: set[str], restricted: bool) -> None:
        """Reads of restricted documents are logged (by id, never by content)."""
        if not restricted or not doc_ids:
            return
        catalog = self.index.searcher.catalog()
        shown = sorted(d for d in doc_ids if d in catalog.docs and catalog.docs[d].access == "restricted")
        if shown:
            audit.info("restricted read", extra={"fields": {"action": action, "doc_ids": shown}})

    def documents(self, restricted: bool = False) -> list[Document]:
        """Every document the caller may see."""
        self.refresh()
        return [d for d in self.index.record.documents() if restricted or d.access == "public"]

    def document(self, doc_id: str, restricted: bool = False) -> DocumentView | None:
        """One document with its duplicates; None when there is none the caller may see."""
        self.refresh()
        doc = self._visible(doc_id, restricted)
        if doc is None:
            return None
        self._audit("document", {doc_id}, restricted)
        # Texts are read for the linked copies only: a document view costs the same in a large archive.
        linked = [
            d.doc_id
            for d in self.index.record.documents()
            if doc.doc_id in _links(d, doc) and (restricted or d.access == "public")
        ]
        others = [d for d in map(self.index.record.document, linked) if d is not None]
        key = key_shingles(doc.text)
        duplicates = [
            Duplicate(d.doc_id, d.source, round(jaccard(key, key_shingles(d.text)), 3)) for d in others
        ]
        return DocumentView(doc, duplicates)

    def reading(
        self, doc_id: str, start: int, end: int, restricted: bool = False
    ) -> tuple[str, str | None] | None:
        """The stored text `[start:end]` of a document and its machine-corrected reading (None when the
        document is not OCR-garbled Danish, or repair changes nothing); None when there is no document
        the caller may see. ValueError for a span outside the text or longer than `MAX_READING`."""
        doc = self._visible(doc_id, restricted)
        if doc is None:
            return None
        if not 0 <= start < end <= len(doc.text) or end - start > MAX_READING:
            raise ValueError(f"start and end must mark 1–{MAX_READING} characters of the text")
        self._audit("document", {doc_id}, restricted)
        text = doc.text[start:end]
        return text, ocr_reading(text) if doc.ocr_garbled and doc.language == "da" else None

    def _visible(self, doc_id: str, restricted: bool) -> Document | None:
        doc = self.index.record.document(doc_id)
        return doc if doc is not None and (restricted or doc.access == "public") else None

    def original_file(self, doc_id: str, restricted: bool = False) -> Path | None:
        """The file on disk a document was read from; None for archive members and agenda items (whose
        file holds other documents too) and for documents the caller may not see."""
        doc = self._visible(doc_id, restricted)
        path = Path(doc.abs_path) if doc else None
        return path if path is not None and path.is_file() else None

    def counts(self) -> dict[str, int]:
        documents, canonical = self.index.record.counts()
        return {
            "documents": documents,
            "canonical_documents": canonical,
            "passages": self.index.store.count(),
        }

    def recommendations(self, restricted: bool = False) -> list[Recommendation]:
        """Traced recommendations as stored at ingest (computed and stored here only when the record
        changed another way), with the current overrides. Without `restricted`, from public documents
        alone: statuses, reasons and evidence included."""
        self.refresh()
        key = (self.index.record.generation(), self.index.record.overrides.version)
        with self._trace_lock:
            cached = self._trace.get(restricted)
            if cached is None or cached[0] != key:
                cached = (key, load_trace(self.index.record, self.index.embedder, restricted))
                self._trace[restricted] = cached
            return cached[1]

    def override(
        self, rec_id: str, status: str | None, note: str, by: str, restricted: bool = False
    ) -> Recommendation | None:
        """Set (or with `status` None, clear) the advisor's status for a recommendation: the one path for
        the CLI and the API. Returns the recommendation as traced after the change, None when there is no
        such recommendation; ValueError for an unknown status."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        if rec_id not in {r.rec.rec_id for r in self.recommendations(restricted)}:
            return None
        record = Record(self.settings.record_path)
        try:
            self._pull(record)
            if status is None:
                record.overrides.clear(rec_id)
            else:
                at = datetime.now(UTC).isoformat(timespec="seconds")
                record.overrides.set(rec_id, status, note, by, at)
            if self.index.remote is not None:
                self.index.remote.push(record)
        finally:
            record.close()
        return next(r for r in self.recommendations(restricted) if r.rec.rec_id == rec_id)

    # --- writes -----------------------------------------------------------------------------------
    def upload(self, name: str | None, data: bytes) -> tuple[Document, bool]:
        """Ingest one uploaded file; returns the document and whether it is new. Raises UploadRejected."""
        safe = safe_upload_name(name)
        if len(data) > self.settings.max_file_bytes:
            raise UploadRejected(f"file too large (limit {self.settings.max_file_mb:g} MB)")
        if not data.strip():
            raise UploadRejected("empty file")
        # Stored under a folder named by the name's hash: the client's name is never a path of its own.
        folder = self.settings.uploads_dir / content_hash(safe)[:16]
        target = folder / safe
        with self._write_lock, writer_lock(self.settings.lock_path):
            record = Record(self.settings.record_path)
            try:
                self._pull(record)
                known = record.file_hashes()
                existed = target.exists()
                previous = target.read_bytes() if existed else None
                folder.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                file = SourceFile(target.resolve(), safe)
                try:
                    ingest_file(record, file, known, self.settings.ingest_options())
                except RejectedFile as exc:
                    _restore(target, previous)
                    raise UploadRejected(exc.reason) from exc
                record.refresh_duplicates()
                self._sync(record)
                doc = record.document(file.doc_id)
            finally:
                record.close()
        assert doc is not None
        return doc, not existed

    def delete(self, doc_id: str) -> bool:
        with self._write_lock, writer_lock(self.settings.lock_path):
            record = Record(self.settings.record_path)
            try:
                self._pull(record)
                doc = record.document(doc_id)
                if doc is None:
                    return False
                remove_documents(record, [doc_id])
                self._sync(record)
            finally:
                record.close()
        if doc.abs_path.startswith(str(self.settings.uploads_dir.resolve())):
            Path(doc.abs_path).unlink(missing_ok=True)
        return True

    def _pull(self, record: Record) -> None:
        if self.index.remote is not None:
            self.index.remote.pull(record)

    def _sync(self, record: Record) -> None:
        sync_index(record, self.index.store, self.index.embedder)
        store_traces(record, self.index.embedder)
        if self.index.remote is not None:
            self.index.remote.push(record)
        self._mark = record.meta.store_sync_mark  # our own write: no reopen needed


def _links(candidate: Document, doc: Document) -> set[str]:
    """Documents linked to `doc` as duplicates: its aliases, or its canonical copy and that copy's aliases."""
    if candidate.doc_id == doc.doc_id:
        return set()
    group = {doc.doc_id, doc.duplicate_of} - {None}
    if candidate.duplicate_of in group or candidate.doc_id == doc.duplicate_of:
        return {doc.doc_id}
    return set()


def _restore(target: Path, previous: bytes | None) -> None:
    if previous is None:
        target.unlink(missing_ok=True)
    else:
        target.write_bytes(previous)
