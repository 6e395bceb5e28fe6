"""One contract for every VectorStore backend: embedded Chroma and a real Chroma server."""

from __future__ import annotations

import ipaddress
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.store import (
    ChromaStore,
    EmbeddingRefused,
    ModelMismatch,
    VectorStore,
    open_store,
    where_clause,
)

DIM = 8
MODEL = "test/model-a"
OpenStore = Callable[..., ChromaStore]


def unit(*weights: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(weights)] = weights
    return v / np.linalg.norm(v)


E0, E1 = unit(1), unit(0, 1)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only loopback connections: Chroma's default embedder would reach out to download a model."""
    connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
                raise OSError(f"test tried to reach {host}")
        return connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.integration)])
def open_(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpenStore]:
    """Opens stores on one backend; each test gets its own collection so server tests stay apart."""
    # Only server tests start the server, so `-m "not integration"` never needs one.
    url = request.getfixturevalue("chroma_server") if request.param == "server" else None
    default_name = f"t-{uuid.uuid4().hex[:12]}"
    opened: list[ChromaStore] = []

    def open_store_(*, collection: str = default_name, model_name: str = MODEL, **kwargs: Any) -> ChromaStore:
        kwargs.setdefault("dim", DIM)
        store = open_store(
            data_dir=tmp_path, chroma_url=url, collection=collection, model_name=model_name, **kwargs
        )
        assert isinstance(store, ChromaStore)
        opened.append(store)
        return store

    yield open_store_
    for store in opened:
        store.close()


def fill(store: VectorStore) -> None:
    """Four passages around E0 with known cosine similarities to it: 1, 0.707, 0, -1."""
    store.upsert(
        ["a", "b", "c", "d"],
        np.stack([E0, unit(1, 1), E1, -E0]),
        [
            {"municipality": "København", "year": 2021, "doc_type": "note", "ocr": False},
            {"municipality": "Aarhus", "year": 2021, "doc_type": "policy", "ocr": True},
            {"municipality": "København", "year": 2022, "doc_type": "policy", "ocr": False},
            {"municipality": "Odense", "year": 2021, "doc_type": "note", "ocr": False},
        ],
        ["tekst a", "tekst b", "tekst c", "tekst d"],
    )


def test_upsert_count_ids_get(open_: OpenStore) -> None:
    store = open_()
    assert store.count() == 0
    assert store.ids() == set()
    fill(store)
    assert store.count() == 4
    assert store.ids() == {"a", "b", "c", "d"}
    got = store.get(["c", "a", "missing"])
    assert got == {
        "a": ({"municipality": "København", "year": 2021, "doc_type": "note", "ocr": False}, "tekst a"),
        "c": ({"municipality": "København", "year": 2022, "doc_type": "policy", "ocr": False}, "tekst c"),
    }


def test_documents_and_metadata_are_optional(open_: OpenStore) -> None:
    store = open_()
    store.upsert(["x"], E0[None, :], [{}])
    assert store.get(["x"]) == {"x": ({}, None)}


def test_upsert_of_same_id_replaces(open_: OpenStore) -> None:
    store = open_()
    store.upsert(["a"], E0[None, :], [{"year": 2021, "doc_type": "note"}], ["gammel"])
    store.upsert(["a"], E1[None, :], [{"year": 2022}], ["ny"])
    assert store.count() == 1
    # Chroma's own upsert would keep "doc_type"; ours replaces the whole item.
    assert store.get(["a"]) == {"a": ({"year": 2022}, "ny")}
    [(best, similarity)] = store.query(E1, k=1)
    assert best == "a"
    assert similarity == pytest.approx(1.0, abs=1e-5)


def test_add_writes_new_ids_without_texts(open_: OpenStore) -> None:
    store = open_()
    fill(store)
    store.add(["e", "f"], np.stack([E1, unit(1, -1)]), [{"year": 2023}, {}])
    assert store.ids() == {"a", "b", "c", "d", "e", "f"}
    assert store.get(["e", "f", "a"]) == {
        "e": ({"year": 2023}, None),
        "f": ({}, None),
        "a": ({"municipality": "København", "year": 2021, "doc_type": "note", "ocr": False}, "tekst a"),
    }
    assert {i for i, _ in store.query(E1, k=2)} == {"c", "e"}
    with pytest.raises(ValueError):
        store.add(["g"], np.stack([E0, E1]), [{}])


def test_delete(open_: OpenStore) -> None:
    store = open_()
    fill(store)
    store.delete(["b", "d", "never-there"])
    assert store.ids() == {"a", "c"}
    assert store.count() == 2
    assert store.get(["b"]) == {}
    store.delete([])
    assert store.count() == 2


def test_query_ranks_by_cosine_similarity(open_: OpenStore) -> None:
    store = open_()
    fill(store)
    hits = store.query(E0, k=3)
    assert [i for i, _ in hits] == ["a", "b", "c"]
    assert [s for _, s in hits] == pytest.approx([1.0, 2**-0.5, 0.0], abs=1e-5)
    # More than there is: everything, the opposite vector last.
    everything = store.query(E0, k=10)
    assert [i for i, _ in everything] == ["a", "b", "c", "d"]
    assert everything[-1][1] == pytest.approx(-1.0, abs=1e-5)
    assert store.query(E0, k=0) == []


def test_query_ranked_by_another_vector_reports_the_query_s_own_similarity(open_: OpenStore) -> None:
    store = open_()
    fill(store)
    hits = store.query(E0, k=2, rank_by=E1)
    assert [i for i, _ in hits] == ["c", "b"]  # nearest to E1
    assert [s for _, s in hits] == pytest.approx([0.0, 2**-0.5], abs=1e-5)  # similarity to E0
    assert store.query(E0, k=2, where={"municipality": "Vejle"}, rank_by=E1) == []


# (filter, ids expected, best first); one store for all, as opening one costs more than the queries.
WHERE_CASES: list[tuple[dict[str, object], list[str]]] = [
    ({"municipality": "København"}, ["a", "c"]),
    ({"year": 2021, "doc_type": "note"}, ["a", "d"]),
    ({"municipality": "København", "year": 2021, "doc_type": "note"}, ["a"]),
    ({"ocr": True}, ["b"]),
    ({"municipality": ["Aarhus", "Odense"]}, ["b", "d"]),
    ({"year": [2022], "doc_type": "policy"}, ["c"]),
    ({"municipality": "Vejle"}, []),
    ({"municipality": []}, []),
    ({}, ["a", "b", "c", "d"]),
]


def test_query_where(open_: OpenStore) -> None:
    store = open_()
    fill(store)
    for where, expected in WHERE_CASES:
        assert [i for i, _ in store.query(E0, k=10, where=where)] == expected, where


def test_where_clause_translation() -> None:
    assert where_clause(None) is None
    assert where_clause({"year": 2021}) == {"year": {"$eq": 2021}}
    assert where_clause({"year": 2021, "doc_type": ("note", "policy")}) == {
        "$and": [{"year": {"$eq": 2021}}, {"doc_type": {"$in": ["note", "policy"]}}]
    }
    with pytest.raises(TypeError):
        where_clause({"year": None})


def test_chroma_never_embeds(open_: OpenStore) -> None:
    store = open_()
    fill(store)  # vectors in, text stored: no embedding
    assert store.query(E0, k=1)[0][0] == "a"
    # The function attached in place of Chroma's default refuses, so a text path cannot go unnoticed.
    with pytest.raises(EmbeddingRefused):
        store._collection.query(query_texts=["kommune"], n_results=1)
    with pytest.raises(EmbeddingRefused):
        store._collection.add(ids=["z"], documents=["kommune"])


def test_model_mismatch_on_reopen(open_: OpenStore) -> None:
    store = open_(collection="shared-name")
    fill(store)
    with pytest.raises(ModelMismatch, match=r"test/model-a.*test/model-b"):
        open_(collection="shared-name", model_name="test/model-b")
    with pytest.raises(ModelMismatch, match="dim 16"):
        open_(collection="shared-name", dim=16)
    assert open_(collection="shared-name").count() == 4


def test_an_engine_of_the_same_space_opens_the_index(open_: OpenStore) -> None:
    """Two engines of one model whose vectors agree may share an index; the creator's name stays."""
    store = open_(collection="same-space")
    fill(store)
    other = open_(collection="same-space", model_name="test/model-a-fast", accepts=frozenset({MODEL}))
    assert other.count() == 4 and other.query(E0, k=1)[0][0] == "a"
    assert other._collection.metadata["model_name"] == MODEL
    with pytest.raises(ModelMismatch):
        open_(collection="same-space", model_name="test/model-a-fast")  # not declared compatible


def test_reopen_keeps_data(open_: OpenStore, tmp_path: Path) -> None:
    store = open_(collection="kept")
    fill(store)
    store.close()
    again = open_(collection="kept")
    assert again.count() == 4
    assert again.query(E0, k=1)[0][0] == "a"
    assert again.get(["b"])["b"][1] == "tekst b"


def test_embedded_data_lives_under_data_dir(tmp_path: Path) -> None:
    store = open_store(data_dir=tmp_path, chroma_url=None, collection="here", model_name=MODEL, dim=DIM)
    fill(store)
    assert isinstance(store, ChromaStore)
    store.close()
    assert (tmp_path / "chroma" / "chroma.sqlite3").exists()


class CountingCollection:
    """Forwards to a Chroma collection and records the size of each write."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.adds: list[int] = []

    def add(self, **kwargs: Any) -> None:
        self.adds.append(len(kwargs["ids"]))
        self.inner.add(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_writes_and_reads_are_batched(open_: OpenStore) -> None:
    store = open_(batch_size=4)
    spy = CountingCollection(store._collection)
    store._collection = spy
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(10, DIM)).astype(np.float32)
    ids = [f"p{i:02d}" for i in range(10)]
    store.upsert(ids, vectors, [{"n": i} for i in range(10)], [f"tekst {i}" for i in range(10)])
    assert spy.adds == [4, 4, 2]
    assert store.count() == 10
    assert store.ids() == set(ids)
    assert len(store.get(ids)) == 10
    items = list(store.all_items(batch=3))
    assert sorted(i for i, _, _ in items) == ids
    assert all(m == {"n": int(i[1:])} and d == f"tekst {int(i[1:])}" for i, m, d in items)
    store.delete(ids[:9])
    assert store.ids() == {"p09"}


def test_rejects_mismatched_input(open_: OpenStore) -> None:
    store = open_()
    with pytest.raises(ValueError):
        store.upsert(["a", "b"], E0[None, :], [{}, {}])
    with pytest.raises(ValueError):
        store.upsert(["a"], E0[None, :], [{}], ["x", "y"])
    with pytest.raises(ValueError):
        store.upsert(["a"], np.ones((1, DIM + 1)), [{}])
    with pytest.raises(ValueError):
        store.query(np.ones(DIM + 1), k=1)
