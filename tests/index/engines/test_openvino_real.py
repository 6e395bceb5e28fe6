"""The OpenVINO engine with the real model file: the ONNX engine's vectors, also under concurrent calls."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from index.embed import make_embedder
from index.engines.onnx import OnnxE5Embedder
from index.engines.openvino import OpenVinoE5Embedder
from tests.index.engines.test_onnx_real import DANISH, ENGLISH
from tests.support import seed

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def engines() -> tuple[OpenVinoE5Embedder, OnnxE5Embedder]:
    openvino, onnx = make_embedder("openvino", threads=2), make_embedder("onnx", threads=2)
    assert isinstance(openvino, OpenVinoE5Embedder) and isinstance(onnx, OnnxE5Embedder)
    return openvino, onnx


def test_the_same_vectors_as_onnx_runtime(engines: tuple[OpenVinoE5Embedder, OnnxE5Embedder]) -> None:
    openvino, onnx = engines
    texts = [*DANISH, *ENGLISH, seed("001").read_text(encoding="utf-8")[:6000]]  # the last: several windows
    for kind in ("query", "passage"):
        new, old = openvino.embed(texts, kind), onnx.embed(texts, kind)
        assert new.shape == (len(texts), 384) and new.dtype == np.float32
        assert np.allclose(np.linalg.norm(new, axis=1), 1.0, atol=1e-5)
        assert (new * old).sum(axis=1).min() >= 0.9999


def test_concurrent_questions_get_the_vectors_they_get_alone(
    engines: tuple[OpenVinoE5Embedder, OnnxE5Embedder],
) -> None:
    openvino, _ = engines
    questions = [*ENGLISH, *DANISH] * 2
    alone = [openvino.embed([q], "query")[0] for q in questions]
    together: dict[int, np.ndarray] = {}

    def ask(i: int) -> None:
        together[i] = openvino.embed([questions[i]], "query")[0]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(questions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert min(float(alone[i] @ together[i]) for i in range(len(questions))) >= 0.99999
