"""The focus check with the fake (bag-of-words) embedder: a quote that shares the question's setting but
not the word it turns on does not answer it; a quote that says what is asked does."""

from __future__ import annotations

from index.embed import FakeEmbedder
from index.focus import focus_words, unanswered_focus, without

QUESTION = "Hvad koster et nyt pas i Borgerservice?"


def test_focus_words_leave_out_stopwords_question_words_and_the_setting() -> None:
    assert focus_words("Hvad gør kommunen ved ventetiden på pas og pas?") == ["gør", "ventetiden", "pas"]
    assert focus_words("How much does the municipality spend?") == ["much", "spend"]


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
