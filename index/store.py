"""Vector store behind a Protocol, with one implementation over Chroma: embedded or a Chroma server.

Chroma types stay in this module (and in `remote.py`, which keeps server mode's document records in the
same server); callers see ids, numpy vectors, plain metadata and cosine similarities.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.config import Settings
from chromadb.utils.embedding_functions import register_embedding_function

Metadata = dict[str, str | int | float | bool]

MODEL_KEY = "model_name"
DIM_KEY = "dim"
# HNSW settings only take effect when a collection is created. Embedding costs far more than graph
# construction here, so build for recall.
HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 100}
DEFAULT_PORT = 8000
_MANY = (list, tuple, set, frozenset)  # a filter value meaning "any of"


class ModelMismatch(RuntimeError):
    """The index was built with another embedding model or dimension."""


class EmbeddingRefused(RuntimeError):
    """Chroma tried to embed text itself; every vector must come from our embedder."""


class VectorStore(Protocol):
    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[Metadata],
        documents: Sequence[str] | None = None,
    ) -> None: ...

    def add(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[Metadata]) -> None:
        """Like upsert without texts, for ids known to be absent: skips the delete that upsert needs."""
        ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def ids(self) -> set[str]: ...

    def count(self) -> int: ...

    def query(
        self,
        vector: np.ndarray,
        k: int,
        where: Mapping[str, object] | None = None,
        rank_by: np.ndarray | None = None,
    ) -> list[tuple[str, float]]:
        """The k nearest passages to `rank_by` (default: `vector`), each with its cosine similarity to
        `vector`."""
        ...

    def get(self, ids: Sequence[str]) -> dict[str, tuple[Metadata, str | None]]: ...

    def all_items(self, batch: int = 1000) -> Iterator[tuple[str, Metadata, str | None]]: ...


@register_embedding_function  # so Chroma can rebuild it from the stored config
class RefuseEmbedding(EmbeddingFunction[Documents]):
    """Attached to every collection in place of Chroma's default, which would download an ONNX model."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        raise EmbeddingRefused(
            "Chroma was asked to embed text; pass vectors from the project's embedder instead"
        )

    @staticmethod
    def name() -> str:
        return "sporbar-refuse"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> RefuseEmbedding:
        return RefuseEmbedding()

    def get_config(self) -> dict[str, Any]:
        return {}

    def default_space(self) -> Space:
        return "cosine"

    def is_legacy(self) -> bool:
        return False


def where_clause(where: Mapping[str, object] | None) -> dict[str, Any] | None:
    """Equality filters ({"year": 2021}, or a list for "any of") in Chroma's syntax."""
    if not where:
        return None
    terms: list[dict[str, Any]] = []
    for key, value in where.items():
        if isinstance(value, _MANY):
            values = list(value)
            _check_scalars(key, values)
            terms.append({key: {"$in": values}})
        else:
            _check_scalars(key, [value])
            terms.append({key: {"$eq": value}})
    # Chroma rejects an "$and" of one term.
    return terms[0] if len(terms) == 1 else {"$and": terms}


def _check_scalars(key: str, values: list[object]) -> None:
    for value in values:
        if not isinstance(value, str | int | float | bool):
            raise TypeError(f"filter {key!r}: unsupported value {value!r}")


class ChromaStore:
    """A VectorStore over one Chroma collection; the client decides embedded or server."""

    def __init__(self, client: ClientAPI, collection: Collection, dim: int, batch_size: int) -> None:
        self._client = client
        self._collection = collection
        self.dim = dim
        self.batch_size = batch_size

    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[Metadata],
        documents: Sequence[str] | None = None,
    ) -> None:
        # Chroma's upsert merges new metadata keys into the old ones; delete first so it replaces.
        # A crash in between loses the batch here only; the record is the source of truth to re-sync from.
        self._write(ids, vectors, metadatas, documents, replace=True)

    def add(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[Metadata]) -> None:
        self._write(ids, vectors, metadatas, None, replace=False)

    def _write(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[Metadata],
        documents: Sequence[str] | None,
        replace: bool,
    ) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape != (len(ids), self.dim) or len(metadatas) != len(ids):
            raise ValueError(
                f"{len(ids)} ids need a ({len(ids)}, {self.dim}) array and as many metadatas, "
                f"got {vectors.shape} and {len(metadatas)}"
            )
        if documents is not None and len(documents) != len(ids):
            raise ValueError(f"{len(ids)} ids but {len(documents)} documents")
        for start in range(0, len(ids), self.batch_size):
            part = slice(start, start + self.batch_size)
            if replace:
                self._collection.delete(ids=list(ids[part]))
            self._collection.add(
                ids=list(ids[part]),
                embeddings=vectors[part],
                # Chroma rejects an empty metadata dict but accepts None.
                metadatas=[dict(m) or None for m in metadatas[part]],
                documents=None if documents is None else list(documents[part]),
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), self.batch_size):
            self._collection.delete(ids=list(ids[start : start + self.batch_size]))

    def ids(self) -> set[str]:
        found: set[str] = set()
        offset = 0
        while page := self._collection.get(include=[], limit=self.batch_size, offset=offset)["ids"]:
            found.update(page)
            offset += len(page)
        return found

    def count(self) -> int:
        return self._collection.count()

    def query(
        self,
        vector: np.ndarray,
        k: int,
        where: Mapping[str, object] | None = None,
        rank_by: np.ndarray | None = None,
    ) -> list[tuple[str, float]]:
        if k <= 0 or any(isinstance(v, _MANY) and not v for v in (where or {}).values()):
            return []  # nothing asked for, or "any of nothing"
        query = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        if query.shape[1] != self.dim:
            raise ValueError(f"query vector has dim {query.shape[1]}, the store {self.dim}")
        ranking = query if rank_by is None else np.asarray(rank_by, dtype=np.float32).reshape(1, -1)
        if ranking.shape[1] != self.dim:
            raise ValueError(f"ranking vector has dim {ranking.shape[1]}, the store {self.dim}")
        result = self._collection.query(
            query_embeddings=ranking,
            n_results=k,
            where=where_clause(where),
            include=["distances"] if rank_by is None else ["embeddings"],
        )
        ids = result["ids"][0]
        if not ids:
            return []
        if rank_by is not None:
            # Ranked by another vector: the similarities reported are still the query's own.
            found = np.asarray((result["embeddings"] or [[]])[0], dtype=np.float32)
            return list(zip(ids, (found @ query[0] / _norms(found, query[0])).tolist(), strict=True))
        distances = result["distances"] or [[]]
        # Cosine distance is 1 - cosine similarity.
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances[0], strict=True)]

    def get(self, ids: Sequence[str]) -> dict[str, tuple[Metadata, str | None]]:
        found: dict[str, tuple[Metadata, str | None]] = {}
        for start in range(0, len(ids), self.batch_size):
            part = list(ids[start : start + self.batch_size])
            result = self._collection.get(ids=part, include=["metadatas", "documents"])
            found.update((i, (m, d)) for i, m, d in _rows(result))
        return found

    def all_items(self, batch: int = 1000) -> Iterator[tuple[str, Metadata, str | None]]:
        batch = min(batch, self.batch_size)
        offset = 0
        while True:
            result = self._collection.get(include=["metadatas", "documents"], limit=batch, offset=offset)
            if not result["ids"]:
                return
            yield from _rows(result)
            offset += len(result["ids"])

    def close(self) -> None:
        """Release the client (for an embedded store, its hold on the folder)."""
        _close(self._client)


def _norms(vectors: np.ndarray, vector: np.ndarray) -> np.ndarray:
    return np.maximum(np.linalg.norm(vectors, axis=1) * float(np.linalg.norm(vector)), 1e-12)


def _rows(result: Mapping[str, Any]) -> Iterator[tuple[str, Metadata, str | None]]:
    ids: list[str] = result["ids"]
    metadatas = result["metadatas"] or [None] * len(ids)
    documents = result["documents"] or [None] * len(ids)
    for i, m, d in zip(ids, metadatas, documents, strict=True):
        yield i, dict(m or {}), d


def _close(client: ClientAPI) -> None:
    close = getattr(client, "close", None)  # on the concrete clients, not on ClientAPI
    if close is not None:
        close()


def _client(data_dir: Path, chroma_url: str | None, fresh: bool = False) -> ClientAPI:
    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url is None:
        path = data_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        if fresh:
            # An embedded client never sees another process's new vectors; only a new system reads them.
            # Clients already open keep their old system until they are dropped.
            SharedSystemClient.clear_system_cache()
        return chromadb.PersistentClient(path=str(path), settings=settings)
    url = urlparse(chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ValueError(f"Chroma URL must look like http://host:port, got {chroma_url!r}")
    port = url.port or (443 if url.scheme == "https" else DEFAULT_PORT)
    return chromadb.HttpClient(host=url.hostname, port=port, ssl=url.scheme == "https", settings=settings)


def client_for(chroma_url: str) -> ClientAPI:
    """A client of a Chroma server, for the other collections server mode keeps there."""
    return _client(Path("."), chroma_url)


def open_store(
    *,
    data_dir: Path,
    chroma_url: str | None,
    collection: str,
    model_name: str,
    dim: int,
    accepts: frozenset[str] = frozenset(),
    batch_size: int | None = None,
    fresh: bool = False,
) -> VectorStore:
    """Open (or create) the collection and check it was built with this model and dimension.

    A new collection records `model_name`; an existing one opens if it was built by `model_name` or by a
    name in `accepts` (another engine of the same model whose vectors agree with this one's).
    `batch_size` caps writes and pages below Chroma's own limit (tests set it small); `fresh` opens a new
    embedded client that sees what other processes wrote since this process first opened the folder.
    """
    client = _client(data_dir, chroma_url, fresh)
    limit = client.get_max_batch_size()
    coll = client.get_or_create_collection(
        collection,
        configuration={"hnsw": HNSW},
        metadata={MODEL_KEY: model_name, DIM_KEY: dim},
        embedding_function=RefuseEmbedding(),
    )
    # An existing collection keeps its own metadata; compare it with what we were asked for.
    found = coll.metadata or {}
    if found.get(MODEL_KEY) not in accepts | {model_name} or found.get(DIM_KEY) != dim:
        _close(client)
        raise ModelMismatch(
            f"collection {collection!r} was built with model {found.get(MODEL_KEY)!r} "
            f"(dim {found.get(DIM_KEY)}), but the configured model is {model_name!r} (dim {dim}); "
            "rebuild the index or use another collection"
        )
    return ChromaStore(client, coll, dim, min(batch_size or limit, limit))
