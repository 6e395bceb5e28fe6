"""The torch engine (the GPU path): chosen by name, named by its precision, in the shared vector space; with
the real weights its vectors match the default engine's, in fp32 and in the half precision CUDA runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embed import compatible, make_embedder
from index.engines.torch_e5 import TorchE5Embedder
from index.settings import Settings

TEXTS = [
    "Forvaltningen har indført en ny telefontid, så borgerne kan ringe mellem kl. 9 og 15.",
    "Borgerrådgiveren anbefaler, at klagevejledningen skrives i et klart sprog.",
]
QUESTIONS = ["what did the department promise about telephones", "hvad anbefaler borgerrådgiveren?"]


def test_the_device_decides_name_precision_and_batch(tmp_path: Path) -> None:
    gpu = make_embedder("torch:cuda", threads=1, model_dir=tmp_path)
    cpu = make_embedder("torch", threads=1, model_dir=tmp_path)
    assert isinstance(gpu, TorchE5Embedder) and isinstance(cpu, TorchE5Embedder)
    assert gpu.name.endswith("-fp16") and gpu.half and gpu.batch_tokens > cpu.batch_tokens
    assert cpu.name.endswith("-fp32") and cpu.device == "cpu" and not cpu.half
    assert gpu._wide is None  # nothing loaded before the first text
    int8 = TorchE5Embedder(tmp_path, 1, int8=True)
    assert int8.name.endswith("-int8")
    with pytest.raises(ValueError, match="unknown torch device"):
        make_embedder("torch:tpu")


def test_fp32_and_fp16_share_the_default_engines_index_and_int8_does_not() -> None:
    default = make_embedder(Settings().embedder, threads=1).name
    assert {TorchE5Embedder.name_of_precision(p) for p in ("fp32", "fp16")} <= compatible(default)
    assert TorchE5Embedder.name_of_precision("int8") not in compatible(default)


@pytest.mark.integration
@pytest.mark.parametrize("half", [False, True])
def test_vectors_match_the_default_engine(half: bool) -> None:
    reference = make_embedder("onnx", threads=2)
    engine = TorchE5Embedder(Settings().model_dir, 2)
    engine.warm_up()
    if half:  # what `torch:cuda` runs, on the CPU here
        engine._wide = engine._narrow = engine._wide.half()
        engine.half = True
    for kind, texts in (("passage", TEXTS), ("query", QUESTIONS)):
        cosines = (reference.embed(texts, kind) * engine.embed(texts, kind)).sum(axis=1)
        assert np.all(cosines >= 0.999), cosines  # measured 0.9999 for both
