"""Factories that open the record, the vector store, the embedder and the searcher for a data dir."""

from __future__ import annotations

from dataclasses import dataclass

from api.settings import Settings
from index.embed import Embedder, make_embedder
from index.record import Record
from index.search import Searcher
from index.store import VectorStore, open_store
from index.sync import SyncReport, sync_index

COLLECTION = "passages"


@dataclass
class Index:
    record: Record
    store: VectorStore
    embedder: Embedder
    searcher: Searcher

    def sync(self, progress: bool = False) -> SyncReport:
        return sync_index(self.record, self.store, self.embedder, progress)


def open_index(settings: Settings) -> Index:
    embedder = make_embedder(settings.embedder)
    embedder.warm_up()
    record = Record(settings.record_path)
    store = open_store(
        data_dir=settings.data_dir,
        chroma_url=settings.chroma_url,
        collection=COLLECTION,
        model_name=embedder.name,
        dim=embedder.dim,
    )
    searcher = Searcher(record, store, embedder, settings.data_dir / "cache")
    return Index(record, store, embedder, searcher)
