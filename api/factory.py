"""Factories that open the record, the vector store, the embedder and the searcher for a data dir."""

from __future__ import annotations

from dataclasses import dataclass

from api.settings import Settings
from index.embed import Embedder, make_embedder
from index.record import Record
from index.search import Searcher
from index.store import VectorStore, open_store
from index.sync import SYNC_MARK, SyncReport, sync_index

COLLECTION = "passages"


@dataclass
class Index:
    settings: Settings
    record: Record
    store: VectorStore
    embedder: Embedder
    searcher: Searcher

    def sync(self, progress: bool = False) -> SyncReport:
        return sync_index(self.record, self.store, self.embedder, progress)

    def sync_mark(self) -> str | None:
        """Changes whenever any process changed the vector store."""
        return self.record.get_meta(SYNC_MARK)

    def reopen_store(self) -> None:
        """See vectors another process wrote to the embedded store (a server-mode store is always live)."""
        self.store = _store(self.settings, self.embedder, fresh=True)
        self.searcher.store = self.store


def _store(settings: Settings, embedder: Embedder, fresh: bool = False) -> VectorStore:
    return open_store(
        data_dir=settings.data_dir,
        chroma_url=settings.chroma_url,
        collection=COLLECTION,
        model_name=embedder.name,
        dim=embedder.dim,
        fresh=fresh,
    )


def open_index(settings: Settings) -> Index:
    embedder = make_embedder(settings.embedder)
    embedder.warm_up()
    record = Record(settings.record_path)
    store = _store(settings, embedder)
    searcher = Searcher(record, store, embedder, settings.data_dir / "cache")
    return Index(settings, record, store, embedder, searcher)
