"""The action of a quoted passage that answers the question's own words, with the fake (bag-of-words)
embedder: quoted first when it is within reach of its bar and answers the words better than the quotes
chosen; not when it is too far under, answers too little, or stands in another passage."""

from __future__ import annotations

import re

import numpy as np

from index.actions import answering_action
from index.answer import Candidate, Thresholds
from index.embed import FakeEmbedder
from index.models import Hit

QUESTION = "Hvad vil kommunen gøre ved afgørelser, som borgerne ikke forstår?"
TEXTS = [
    "Afdelingen sender en kvittering til borgerne, når der gøres noget ved en mail.",  # chosen: close
    "Alle afgørelser skrives om, så borgerne forstår afgørelser og hvad de kan gøre.",  # the action asked
    "Borgerne klager over lange svartider.",  # a complaint
]


def _hit(texts: list[str], chunk: str) -> tuple[Hit, list[Candidate]]:
    text = "\n".join(texts)
    hit = Hit(chunk, "d", "s.txt", "t", None, None, "note", "", None, text, 0, len(text), 1.0)
    return hit, [Candidate(hit, m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def test_the_action_that_answers_the_words_goes_first() -> None:
    _, cands = _hit(TEXTS, "c")
    limits = Thresholds(passage_reach=0.05, focus_fit=0.0)
    evidence = np.asarray([0.01, -0.04, -0.01], dtype=np.float32)
    assert answering_action(FakeEmbedder(256), QUESTION, cands, evidence, [0], limits) == [1, 0]
    too_far = np.asarray([0.01, -0.06, -0.01], dtype=np.float32)
    assert answering_action(FakeEmbedder(256), QUESTION, cands, too_far, [0], limits) == [0]
    strict = Thresholds(passage_reach=0.05, focus_fit=1.0)
    assert answering_action(FakeEmbedder(256), QUESTION, cands, evidence, [0], strict) == [0]
    # When the quote chosen answers the words best already, it stays as it is.
    assert answering_action(FakeEmbedder(256), QUESTION, cands, evidence, [1], limits) == [1]


def test_an_action_of_another_passage_is_not_brought_in() -> None:
    _, first = _hit(TEXTS[:1], "c1")
    _, second = _hit(TEXTS[1:], "c2")
    cands = [*first, *second]
    evidence = np.asarray([0.01, -0.04, -0.01], dtype=np.float32)
    limits = Thresholds(passage_reach=0.05, focus_fit=0.0)
    assert answering_action(FakeEmbedder(256), QUESTION, cands, evidence, [0], limits) == [0]
