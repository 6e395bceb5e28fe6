import pytest

from eval.garble import Garbling, garble
from ingest.dedup import DOC_THRESHOLD, canonical_map, clusters, jaccard, make_item
from tests.support import seed


def _pair_score(a: str, b: str) -> float:
    return jaccard(make_item("a", "a", a).shingles, make_item("b", "b", b).shingles)


def test_seed_ocr_twin_scores_high_and_other_documents_low() -> None:
    clean, twin = seed("001").read_text(), seed("000").read_text()
    assert _pair_score(clean, twin) > 0.85
    for other in ("002", "003", "004"):
        assert _pair_score(clean, seed(other).read_text()) < 0.1


@pytest.mark.parametrize("rate", [0.05, 0.15, 0.3])
def test_other_garbling_still_collapses(rate: float) -> None:
    """A confusion mix the seeds do not show, re-wrapped, with dropped and merged words."""
    clean = seed("004").read_text()
    copy = garble(clean, Garbling(rate=rate, drop_rate=0.02, merge_rate=0.02, seed=7))
    assert copy != clean
    assert _pair_score(clean, copy) >= DOC_THRESHOLD


def test_same_topic_same_municipality_is_not_a_duplicate() -> None:
    assert _pair_score(seed("001").read_text(), seed("003").read_text()) < DOC_THRESHOLD


def test_clusters_and_canonical_choice() -> None:
    clean = seed("001").read_text()
    items = [
        make_item("clean", "clean", clean),
        make_item("ocr", "ocr", garble(clean, Garbling(rate=0.1, seed=1))),
        make_item("news", "news", seed("003").read_text()),
    ]
    groups = clusters(items, DOC_THRESHOLD)
    assert groups == [["clean", "ocr"]]
    assert canonical_map(groups, {"clean": 2, "ocr": 1}.__getitem__) == {"ocr": "clean"}


def test_items_of_one_owner_are_never_paired() -> None:
    text = seed("003").read_text()
    assert clusters([make_item("x1", "doc", text), make_item("x2", "doc", text)], 0.5) == []
