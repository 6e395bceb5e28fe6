"""The language bias taken out of a search's query vector (`index/bias.py`), with the fake embedder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from index.bias import LanguageBias, sample
from index.embed import FakeEmbedder, Kind
from index.models import Filters
from index.search import Searcher

BOTH = frozenset({"da", "en"})


class Counting(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        self.texts += len(texts)
        return super().embed(texts, kind)


def test_the_sample_asks_the_same_questions_in_each_language() -> None:
    questions = sample()
    assert set(questions) == BOTH
    assert len(questions["da"]) == len(questions["en"]) >= 40
    assert len(set(questions["da"])) == len(questions["da"])


def test_a_question_is_moved_away_from_its_language_s_mean_question() -> None:
    embedder = FakeEmbedder()
    bias = LanguageBias(embedder, 0.5)
    vector = embedder.embed(["Hvad har udvalget besluttet om svømmehallen?"], "query")[0]
    moved = bias.shifted(vector, "da", BOTH)
    assert moved is not None
    mean = embedder.embed(sample()["da"], "query").mean(axis=0)
    expected = vector - 0.5 * mean
    assert moved == pytest.approx(expected / np.linalg.norm(expected), abs=1e-6)
    # Closer to the question's own words, further from what every Danish question shares.
    assert float(moved @ mean) < float(vector @ mean)


@pytest.mark.parametrize(
    ("language", "languages", "weight"),
    [
        ("da", frozenset({"da"}), 0.5),  # one language in the index: nothing to be biased between
        ("en", frozenset({"da"}), 0.5),  # no passage in the question's language to be drawn to
        ("da", frozenset({"da", "und"}), 0.5),  # a document of no telling language is no other language
        ("no", frozenset({"da", "sv"}), 0.5),  # langdetect's Norwegian and Swedish for Danish are Danish
        ("fr", frozenset({"fr", "da", "en"}), 0.5),  # a language the sample does not have
        ("en", BOTH, 0.0),  # turned off
    ],
)
def test_no_shift_where_it_cannot_help(language: str, languages: frozenset[str], weight: float) -> None:
    embedder = FakeEmbedder()
    vector = embedder.embed(["What did the committee decide?"], "query")[0]
    bias = LanguageBias(embedder, weight)
    assert bias.shifted(vector, language, languages) is None
    assert bias.applies(BOTH) == (weight > 0)
    assert not bias.applies(frozenset({"da", "no", "sv", "und"}))  # Scandinavian ones count as Danish


def test_the_means_are_embedded_once_per_model_and_kept(tmp_path: Path) -> None:
    first = Counting()
    LanguageBias(first, cache_dir=tmp_path).means()
    assert first.texts == sum(len(q) for q in sample().values())
    again = Counting()
    kept = LanguageBias(again, cache_dir=tmp_path).means()
    assert again.texts == 0 and set(kept) == BOTH
    other = Counting()
    other.name = "fake/another"
    LanguageBias(other, cache_dir=tmp_path).means()
    assert other.texts > 0  # another model's vectors are not those kept
    wider = FakeEmbedder(dim=32)
    assert LanguageBias(wider, cache_dir=tmp_path).means()["da"].shape == (32,)  # nor another size's


def test_a_broken_or_unwritable_cache_costs_only_the_embedding(tmp_path: Path) -> None:
    (tmp_path / "language_bias.npz").write_bytes(b"not a zip file")
    embedder = Counting()
    assert set(LanguageBias(embedder, cache_dir=tmp_path).means()) == BOTH
    assert embedder.texts > 0
    (tmp_path / "language_bias.npz").write_bytes(b"")  # cut off before anything was written
    assert set(LanguageBias(Counting(), cache_dir=tmp_path).means()) == BOTH
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    counting = Counting()
    bias = LanguageBias(counting, cache_dir=blocked / "cache")
    assert set(bias.means()) == BOTH
    embedded = counting.texts
    assert set(bias.means()) == BOTH and counting.texts == embedded  # computed once, kept in memory


def test_search_ranks_by_the_moved_vector_and_reports_the_question_s_similarity(
    fake_index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    searcher = Searcher(fake_index.record, fake_index.store, fake_index.embedder, tmp_path, 0.5)
    asked: list[tuple[np.ndarray, np.ndarray | None]] = []
    query = fake_index.store.query

    def spy(vector, k, where=None, rank_by=None):  # type: ignore[no-untyped-def]
        asked.append((vector, rank_by))
        return query(vector, k, where, rank_by)

    monkeypatch.setattr(fake_index.store, "query", spy)
    question = "Hvad har forvaltningen besluttet om telefonerne?"
    vector = fake_index.embedder.embed([question], "query")[0]
    # The seed corpus is Danish: a Danish question is searched as it is.
    result = searcher.search(question, 5)
    assert asked[-1][1] is None
    # With an English document in the index, it is ranked by the moved vector, its similarities its own.
    catalog = searcher.catalog()
    monkeypatch.setattr(catalog, "public_languages", BOTH)
    result = searcher.search(question, 5)
    shifted = searcher.bias.shifted(vector, "no", BOTH)  # langdetect's reading of this Danish question
    assert asked[-1][1] is not None and shifted is not None
    assert asked[-1][1] == pytest.approx(shifted)
    # No document of the index is in English: none of the passages found is in another language.
    assert result.other_language == frozenset()
    own = dict(query(vector, fake_index.store.count()))
    assert result.similarity and set(result.similarity) <= set(own)
    assert all(result.similarity[cid] == pytest.approx(own[cid], abs=1e-5) for cid in result.similarity)
    # A search filtered to documents of one language is not shifted.
    searcher.search(question, 5, Filters(municipality="København"))
    assert asked[-1][1] is None


def test_only_documents_in_the_other_sampled_language_count_as_another_language(fake_index) -> None:  # type: ignore[no-untyped-def]
    catalog = fake_index.searcher.catalog()
    some = list(catalog.chunks)[:3]
    doc = catalog.docs[catalog.chunks[some[0]].doc_id]
    assert doc.language == "da"
    # For an English question, Danish passages are in the other language; for a Danish ("no") one, none is.
    assert catalog.other_language(some, "en", BOTH) == frozenset(some)
    assert catalog.other_language(some, "no", BOTH) == frozenset()
    # A language the sample lacks (or "und") is no other language to lift.
    assert catalog.other_language(some, "en", frozenset({"en", "de"})) == frozenset()
