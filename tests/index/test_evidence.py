"""The bar a sentence must clear, by the languages of the question and of the sentence's document."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from index.cited import Thresholds
from index.evidence import bars, in_language
from index.models import Hit
from index.quotes import Candidate

LIMITS = Thresholds(same_language=0.86, cross_language=0.79, english=0.84)


class _Catalogued:
    """A searcher whose catalog knows one Danish and one English document."""

    def catalog(self) -> SimpleNamespace:
        return SimpleNamespace(
            docs={"da": SimpleNamespace(language="da"), "en": SimpleNamespace(language="en")}
        )


def _sentence(doc_id: str) -> Candidate:
    text = "Kommunen har indført en ny procedure."
    return Candidate(
        Hit("c", doc_id, "s.txt", "t", None, None, "note", "", None, text, 0, len(text), 1.0), 0, len(text)
    )


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("da", [0.86, 0.79, 0.86]),  # a Danish question: Danish same, English across, unknown as asked
        ("no", [0.86, 0.79, 0.86]),  # Norwegian reads as Danish
        ("en", [0.79, 0.84, 0.84]),  # an English question: Danish across, English in English lower
    ],
)
def test_each_sentence_has_the_bar_of_its_language_pair(asked: str, expected: list[float]) -> None:
    cands = [_sentence("da"), _sentence("en"), _sentence("unknown")]
    assert bars(_Catalogued(), asked, cands, LIMITS).tolist() == pytest.approx(expected)  # type: ignore[arg-type]
    assert in_language(_Catalogued(), asked, cands) == [b != 0.79 for b in expected]  # type: ignore[arg-type]
