"""Factories that open the record, the vector store, the embedder and the searcher for a data dir."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from index.embed import Embedder, VectorCache, compatible, make_embedder
from index.record import Record
from index.remote import RemoteRecord
from index.search import Searcher
from index.settings import Settings
from index.store import ModelMismatch, VectorStore, open_store
from index.sync import SyncReport, sync_index
from index.trace.stored import store as store_traces

COLLECTION = "passages"
log = logging.getLogger(__name__)


@dataclass
class Index:
    settings: Settings
    record: Record
    store: VectorStore
    embedder: Embedder
    searcher: Searcher
    remote: RemoteRecord | None = None  # server mode: the shared document records

    def sync(self, progress: bool = False) -> SyncReport:
        """Bring the vector store in step with the record, and in server mode share the record."""
        report = sync_index(self.record, self.store, self.embedder, progress)
        if self.remote is not None:
            self.remote.push(self.record)
        return report

    def trace(self) -> None:
        """Trace the recommendations again when the documents changed, and keep the result in the record
        (after an ingest or a removal; a server's start leaves a stale one to its first reader)."""
        store_traces(self.record, self.embedder)

    def pull(self) -> bool:
        """Server mode: take over the shared records when another process changed them."""
        return self.remote.pull(self.record) if self.remote is not None else False

    def sync_mark(self) -> str | None:
        """Changes whenever any process changed the vector store."""
        return self.record.meta.store_sync_mark

    def reopen_store(self) -> None:
        """See vectors another process wrote to the embedded store (a server-mode store is always live)."""
        self.store = _store(self.settings, self.embedder, fresh=True)
        self.searcher.store = self.store


def _store(settings: Settings, embedder: Embedder, fresh: bool = False, repair: bool = False) -> VectorStore:
    def attempt(fresh: bool) -> VectorStore:
        return open_store(
            data_dir=settings.data_dir,
            chroma_url=settings.chroma_url,
            collection=COLLECTION,
            model_name=embedder.name,
            dim=embedder.dim,
            accepts=compatible(embedder.name),
            fresh=fresh,
        )

    try:
        return attempt(fresh)
    except ModelMismatch:
        raise
    except Exception as exc:
        if settings.chroma_url is not None:
            raise
        if not repair:
            raise RuntimeError(
                f"the vector store in {settings.data_dir} cannot be opened ({exc}); "
                "`sporbar ingest` or a restart of `sporbar serve` rebuilds it from the record"
            ) from exc
        # The record is the truth: an embedded store that cannot be opened (a hard kill can leave its
        # files broken) is set aside and rebuilt from the record and its vector cache by the next sync.
        broken = settings.data_dir / f"chroma.broken-{int(time.time())}"
        log.warning("vector store in %s cannot be opened (%s); moved to %s", settings.data_dir, exc, broken)
        (settings.data_dir / "chroma").rename(broken)
        return attempt(True)


def open_index(settings: Settings, repair: bool = False) -> Index:
    """Open the index; `repair` (only for a holder of the writer lock) rebuilds a broken embedded store."""
    embedder: Embedder = make_embedder(
        settings.embedder, settings.embed_workers, settings.model_threads, settings.model_dir
    )
    if settings.query_cache > 0:
        embedder = VectorCache(embedder, settings.query_cache)
    embedder.warm_up()
    record = Record(settings.record_path)
    store = _store(settings, embedder, repair=repair)
    remote = RemoteRecord.connect(settings.chroma_url) if settings.chroma_url else None
    if remote is not None:
        remote.pull(record)
    searcher = Searcher(record, store, embedder, settings.data_dir / "cache", settings.language_bias)
    return Index(settings, record, store, embedder, searcher, remote)
