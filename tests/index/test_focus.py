"""The focus check with the fake (bag-of-words) embedder: a quote that shares the question's setting but
not the word it turns on does not answer it; a quote that says what is asked does; for an action question
just under the bar, the action that answers to the question's words is quoted."""

from __future__ import annotations

import re

import numpy as np

from index.actions import focused
from index.answer import Candidate, Thresholds
from index.embed import FakeEmbedder
from index.focus import fit, focus_words, stated, unanswered_focus, without
from index.models import Hit

QUESTION = "Hvad koster et nyt pas i Borgerservice?"


def test_focus_words_leave_out_stopwords_question_words_and_the_setting() -> None:
    assert focus_words("Hvad gør kommunen ved ventetiden på pas og pas?") == ["gør", "ventetiden", "pas"]
    assert focus_words("How much does the municipality spend?") == ["much", "spend"]
    # A question about the setting itself is tested on it.
    assert focus_words("Hvem er borgerrådgiver i kommunen?") == ["borgerrådgiver", "kommunen"]
    # The citizen advisor is who the documents are written by or to, not what a question asks about.
    assert focus_words("When will the department report back to the advisor?") == [
        "department",
        "report",
        "back",
    ]


def test_a_word_is_left_out_everywhere_but_inside_other_words() -> None:
    assert without("pas og passet, pas", "pas") == "og passet,"


def test_a_quote_about_the_setting_only_leaves_the_focus_unanswered() -> None:
    quote = "Borgerservice har lange køer om mandagen i Borgerservice."
    assert unanswered_focus(FakeEmbedder(256), QUESTION, [quote], drift=0.05) in {"koster", "nyt", "pas"}


def test_a_quote_that_says_what_is_asked_answers_every_focus_word() -> None:
    quote = "Et nyt pas koster 627 kr. i Borgerservice."
    assert unanswered_focus(FakeEmbedder(256), QUESTION, [quote], drift=0.05) is None


def test_one_quote_answering_is_enough_and_a_high_drift_bar_checks_nothing() -> None:
    quotes = ["Borgerservice har lange køer.", "Et nyt pas koster 627 kr. i Borgerservice."]
    assert unanswered_focus(FakeEmbedder(256), QUESTION, quotes, drift=0.05) is None
    assert unanswered_focus(FakeEmbedder(256), QUESTION, quotes[:1], drift=2.0) is None


def test_fit_ranks_the_quote_about_the_question_first() -> None:
    quotes = ["Borgerservice har lange køer om mandagen.", "Et nyt pas koster 627 kr. i Borgerservice."]
    fits = fit(FakeEmbedder(256), QUESTION, quotes)
    assert fits[1] > fits[0] and fits[1] > 0


def test_focused_quotes_the_action_that_answers_the_question_just_under_the_bar() -> None:
    texts = [
        "Borgerservice har besluttet at holde åbent om mandagen.",  # an action, but not about passports
        "Borgerservice vil sænke prisen på et nyt pas til 500 kr.",  # the action asked about
        "Et nyt pas koster for meget, klager borgerne.",  # a complaint
    ]
    text = "\n".join(texts)
    hit = Hit("c", "d", "s.txt", "t", None, None, "note", "", None, text, 0, len(text), 1.0)
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    cands = [Candidate(hit, a, b) for a, b in spans]
    limits = Thresholds(focus_reach=0.03, focus_fit=0.0)
    question = "Hvad vil Borgerservice gøre ved prisen på et nyt pas?"
    under = np.asarray([-0.01, -0.02, -0.005], dtype=np.float32)
    assert focused(FakeEmbedder(256), question, cands, under, limits) == [1]
    too_far = np.asarray([-0.01, -0.05, -0.005], dtype=np.float32)
    assert focused(FakeEmbedder(256), question, cands, too_far, limits) != [1]
    strict = Thresholds(focus_reach=0.03, focus_fit=1.0)
    assert focused(FakeEmbedder(256), question, cands, under, strict) == []


class Counting(FakeEmbedder):
    """The fake embedder, counting the questions it embeds."""

    def __init__(self) -> None:
        super().__init__(256)
        self.queries: list[str] = []

    def embed(self, texts, kind):  # type: ignore[no-untyped-def]
        if kind == "query":
            self.queries.extend(texts)
        return super().embed(texts, kind)


def test_a_word_the_quote_states_is_answered_without_a_model_call() -> None:
    embedder = Counting()
    assert stated("passet", ["Et nyt pas koster 627 kr."])  # the same stem
    assert not stated("telefonpolitikken", ["Telefonen skal besvares."])  # a compound needs all its parts
    quote = "Et nyt pas koster 627 kr. i Borgerservice."
    assert unanswered_focus(embedder, QUESTION, [quote], drift=0.05) is None
    assert embedder.queries == []
    # Only the word the quote does not state is left out of the question and embedded.
    unanswered_focus(embedder, QUESTION, ["Borgerservice: et pas koster 627 kr."], drift=0.05)
    assert embedder.queries == [QUESTION, without(QUESTION, "nyt")]


class Table:
    """Vectors looked up by text: the similarities a test needs, exactly."""

    name = "test/table"
    dim = 3

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = {text: v / np.linalg.norm(v) for text, v in vectors.items()}

    def warm_up(self) -> None:
        return None

    def embed(self, texts, kind):  # type: ignore[no-untyped-def]
        return np.stack([self.vectors[t] for t in texts])


def test_a_quote_that_moves_with_a_word_by_a_hair_does_not_answer_it() -> None:
    """A word the question turns on strongly ("potholes") is answered only by a quote whose similarity
    falls by more than noise when the word is left out."""
    question = "Hvad gør kommunen ved huller?"
    q, bare = np.array([1.0, 1.0, 0.0]), np.array([1.0, 0.2, 0.0])
    moved = (q / np.linalg.norm(q)) - (bare / np.linalg.norm(bare))
    vectors = {
        question: q,
        without(question, "huller"): bare,
        without(question, "gør"): q,  # no drift: not tested
        "Vi rydder sne om vinteren.": np.array([0.0, 0.0, 1.0]) + 0.01 * moved,  # a hair
        "Vi lapper vejene i april.": np.array([0.0, 0.0, 1.0]) + 2.0 * moved,
    }
    embedder = Table(vectors)
    drift = float(1 - embedder.vectors[question] @ embedder.vectors[without(question, "huller")])
    assert drift > 0.1
    assert unanswered_focus(embedder, question, ["Vi rydder sne om vinteren."], drift=0.05) == "huller"
    assert unanswered_focus(embedder, question, ["Vi lapper vejene i april."], drift=0.05) is None
