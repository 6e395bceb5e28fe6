"""One result per document: grouping ranked passages, the relevance floor, weaker matches last."""

from __future__ import annotations

from index.group import CROSS_LANGUAGE_LIFT, FLOOR_GAP, MORE_LIMIT, group_by_document, strong_count
from index.models import Hit, SearchResult


def _hit(chunk_id: str, doc_id: str, score: float) -> Hit:
    return Hit(
        chunk_id,
        doc_id,
        f"{doc_id}.txt",
        f"Titel {doc_id}",
        "Gentofte",
        None,
        "report",
        "",
        None,
        "tekst",
        0,
        5,
        score,
    )


def _result(hits: list[Hit], similarity: dict[str, float], lexical_best: str | None = None) -> SearchResult:
    return SearchResult("q", 1.0, hits, similarity, lexical_best)


def test_passages_fold_under_their_documents_best_passage() -> None:
    hits = [_hit("a1", "A", 0.03), _hit("a2", "A", 0.029), _hit("b1", "B", 0.028), _hit("a3", "A", 0.02)]
    groups = group_by_document(_result(hits, {"a1": 0.88, "a2": 0.875, "b1": 0.87, "a3": 0.84}))
    assert [g.best.chunk_id for g in groups] == ["a1", "b1"]
    assert [h.chunk_id for h in groups[0].more] == ["a2"]  # a3 is under the floor: left out
    assert not any(g.weaker for g in groups)
    public = groups[0].public()
    assert public["title"] == "Titel A" and public["doc_id"] == "A" and public["weaker"] is False
    assert public["best"]["chunk_id"] == "a1"  # type: ignore[index]


def test_documents_under_the_floor_are_weaker_and_come_last() -> None:
    hits = [_hit("c1", "C", 0.03), _hit("d1", "D", 0.029), _hit("e1", "E", 0.02)]
    similarity = {"c1": 0.70, "d1": 0.85, "e1": 0.85 - FLOOR_GAP - 0.01}
    groups = group_by_document(_result(hits, similarity))
    assert [(g.best.doc_id, g.weaker) for g in groups] == [("D", False), ("C", True), ("E", True)]
    assert strong_count(groups) == 1


def test_the_lexical_best_passage_is_never_weaker() -> None:
    hits = [_hit("f1", "F", 0.03), _hit("g1", "G", 0.02)]
    groups = group_by_document(_result(hits, {"f1": 0.9, "g1": 0.5}, lexical_best="g1"))
    assert not any(g.weaker for g in groups)


def test_without_a_dense_side_nothing_is_weaker() -> None:
    hits = [_hit("h1", "H", 0.03), _hit("i1", "I", 0.01)]
    assert strong_count(group_by_document(_result(hits, {}))) == 2
    assert group_by_document(_result([], {})) == []


def test_more_passages_are_capped() -> None:
    hits = [_hit(f"j{i}", "J", 0.03 - i / 1000) for i in range(20)]
    (group,) = group_by_document(_result(hits, {h.chunk_id: 0.9 for h in hits}))
    assert len(group.more) == MORE_LIMIT


def test_a_passage_in_another_language_is_lifted_over_the_floor() -> None:
    """Across languages the model's similarities run lower: a Danish answer to an English question, a
    little more than the gap under the best English passage, is no weaker match."""
    hits = [_hit("en1", "EN", 0.03), _hit("da1", "DA", 0.02), _hit("en2", "EN2", 0.01)]
    below = 0.85 - FLOOR_GAP - 0.02
    similarity = {"en1": 0.85, "da1": below, "en2": below}
    lifted = group_by_document(SearchResult("q", 1.0, hits, similarity, None, frozenset({"da1"})))
    assert [(g.best.doc_id, g.weaker) for g in lifted] == [("EN", False), ("DA", False), ("EN2", True)]
    assert CROSS_LANGUAGE_LIFT > 0.02
    plain = group_by_document(SearchResult("q", 1.0, hits, similarity, None))
    assert [(g.best.doc_id, g.weaker) for g in plain] == [("EN", False), ("DA", True), ("EN2", True)]
