"""Server mode's shared records: pull and push between local records through a real Chroma server."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from index.record import Record
from index.remote import RemoteRecord
from index.store import RefuseEmbedding, client_for
from ingest.pipeline import IngestOptions, run_ingest
from tests.support import CORPUS

pytestmark = pytest.mark.integration


@pytest.fixture()
def remote(chroma_server: str) -> RemoteRecord:
    collection = client_for(chroma_server).create_collection(
        f"records-{uuid.uuid4().hex[:8]}", embedding_function=RefuseEmbedding()
    )
    return RemoteRecord(collection)


def _no_listing(*_: object) -> None:
    raise AssertionError("listed every shared item although nothing changed")


def test_records_travel_and_unchanged_pushes_cost_nothing(
    remote: RemoteRecord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.remote.PAGE", 2)  # items listed, sent and pulled over several pages
    first = Record(tmp_path / "a.sqlite3")
    run_ingest(first, [CORPUS], IngestOptions())
    docs = len(first.documents())
    assert docs > 2 * 2
    assert remote.push(first) == docs

    second = Record(tmp_path / "b.sqlite3")
    assert remote.pull(second)
    assert dict(second.replica.payloads()) == dict(first.replica.payloads())
    # Read a page of documents at a time, each with its own passages.
    assert list(first.replica.payloads(page=2)) == list(first.replica.payloads())
    assert [len(p["chunks"]) for _, p in first.replica.payloads(page=2)] == [  # type: ignore[arg-type]
        d.chunks for d in sorted(first.documents(), key=lambda d: d.doc_id)
    ]

    with monkeypatch.context() as patch:
        patch.setattr(remote, "_items", _no_listing)
        assert remote.push(first) == 0
        assert remote.push(second) == 0
        assert not remote.pull(second)

    gone = second.documents()[0].doc_id
    assert second.delete([gone]) == 1
    assert remote.push(second) == 1
    assert remote.pull(first) and gone not in {d.doc_id for d in first.documents()}

    first.overrides.set("rec-1", "addressed", "svar modtaget", "tester", "2026-01-01")
    assert remote.push(first) == 1
    assert remote.pull(second) and second.overrides.all()["rec-1"]["status"] == "addressed"


def test_a_push_after_a_pull_sends_the_changes_without_listing_everything(
    remote: RemoteRecord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = Record(tmp_path / "a.sqlite3")
    run_ingest(writer, [CORPUS], IngestOptions())
    remote.push(writer)
    other = Record(tmp_path / "b.sqlite3")
    assert remote.pull(other)

    doc = other.documents()[0]
    chunks = other.chunks(doc.doc_id)
    signature = np.zeros(128, dtype=np.uint64)
    other.put(replace(doc, title="Ny titel"), chunks, signature, [signature] * len(chunks))
    gone = other.documents()[1].doc_id
    assert other.delete([gone]) == 1
    other.overrides.set("rec-2", "partially", "", "tester", "2026-01-02")
    other.set_duplicates({}, {})  # rewrites nothing that was not a duplicate
    assert other.replica.unshared() == sorted([("doc", doc.doc_id), ("doc", gone), ("override", "rec-2")])
    with monkeypatch.context() as patch:
        patch.setattr(remote, "_items", _no_listing)
        assert remote.push(other) == 3
        assert other.replica.unshared() == []
        assert remote.push(other) == 0

    assert remote.pull(writer)
    assert dict(writer.replica.payloads()) == dict(other.replica.payloads())
    assert writer.overrides.all() == other.overrides.all()
    assert {d.doc_id: d.title for d in writer.documents()}[doc.doc_id] == "Ny titel"
