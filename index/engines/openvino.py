"""multilingual-e5-small on OpenVINO's CPU runtime: the ONNX engine's model file, tokens and windows, run by
a faster runtime.

OpenVINO reads the q4 file (its 4-bit MatMulNBits included) and runs it about twice as fast as ONNX Runtime
on the same cores (docs/model-speed.md), with vectors 0.9999 to the ONNX engine's. The compiled model gets
one stream per thread, one thread each: a question alone runs on one core, concurrent questions run side by
side, and a large call spreads its batches over every stream (two one-thread streams beat one two-thread
stream here, as two processes beat two threads with ONNX Runtime).
"""

from __future__ import annotations

import queue
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.engines.build import DEFAULT_VARIANT, INPUTS, OUTPUT, ensure_model
from index.engines.onnx import BATCH_TOKENS, OnnxE5Embedder, Window, batches
from index.engines.tokenize import E5Tokenizer
from index.engines.weights import E5Weights


class OpenVinoE5Embedder(OnnxE5Embedder):
    """Thread-safe: every call takes its own inference requests from a shared pool."""

    def __init__(
        self, model_dir: Path, threads: int, batch_tokens: int = BATCH_TOKENS, variant: str = DEFAULT_VARIANT
    ) -> None:
        super().__init__(model_dir, threads, batch_tokens, variant)
        self._streams: Streams | None = None

    @staticmethod
    def name_of(variant: str) -> str:
        return f"openvino/multilingual-e5-small-{variant}"

    def warm_up(self) -> None:
        with self._load_lock:
            if self._streams is not None:
                return
            weights = E5Weights()
            path = ensure_model(self.model_dir, weights, self.variant)
            self._weights = weights
            self._tokenizer = E5Tokenizer(weights.vocabulary)
            self._streams = Streams(_compile(path, self.threads), self.threads)  # last: `embed` checks it

    def embed(self, texts: Sequence[str], kind: str) -> np.ndarray:
        if self._streams is None:
            self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._embed(texts, kind, self._streams)

    def _means(self, windows: Sequence[Window], session: Any) -> np.ndarray:
        groups = batches([len(w.ids) for w in windows], self.batch_tokens)
        feeds = [dict(zip(INPUTS, self.inputs([windows[i].ids for i in g]), strict=True)) for g in groups]
        means = np.zeros((len(windows), self.dim), dtype=np.float32)
        for group, result in zip(groups, session.run(feeds), strict=True):
            means[group] = result
        return means


class Streams:
    """A compiled model and a pool of inference requests: `run` spreads a call's feeds over up to `width`
    requests at once (one per stream) and returns their outputs in order."""

    def __init__(self, compiled: Any, width: int) -> None:
        self.compiled = compiled
        self.width = max(width, 1)
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def _take(self) -> Any:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return self.compiled.create_infer_request()

    def run(self, feeds: Sequence[dict[str, np.ndarray]]) -> list[np.ndarray]:
        if not feeds:
            return []
        requests = [self._take() for _ in range(min(len(feeds), self.width))]
        out: list[np.ndarray] = []
        try:
            # In waves, one feed per request; feeds come sorted by length, so a wave's runs take alike.
            for start in range(0, len(feeds), len(requests)):
                wave = list(zip(requests, feeds[start : start + len(requests)], strict=False))
                for request, feed in wave:
                    request.start_async(feed)
                for request, _ in wave:
                    request.wait()
                    out.append(np.array(request.get_tensor(OUTPUT).data, dtype=np.float32))
        finally:
            # None goes back to the pool still running; one whose inference failed is dropped (its
            # `wait` raises again), and the error already on its way is the one the caller sees.
            for request in requests:
                try:
                    request.wait()
                except Exception:
                    continue
                self._idle.put(request)
        return out


def _compile(path: Path, threads: int) -> Any:
    import openvino as ov

    config = {
        "NUM_STREAMS": max(threads, 1),
        "INFERENCE_NUM_THREADS": max(threads, 1),
        # The q4 file's numbers as ONNX Runtime computes them: no bf16/fp16 shortcuts where a CPU has them.
        "INFERENCE_PRECISION_HINT": "f32",
        # Threads are not pinned to cores: the machine is shared with the web server, Chroma and ingest.
        "ENABLE_CPU_PINNING": False,
    }
    return ov.Core().compile_model(str(path), "CPU", config)
