"""Whether an answer responds to the word a question turns on.

A sentence can clear its similarity bar by matching the question's setting (the municipality, the citizen
advisor, Borgerservice) while saying nothing about what is asked ("how much does a passport cost", "how
many trees were planted"). The test works across languages, since it asks the embedder, not the words:
leaving a word out of the question moves the question's embedding by some amount (how much the question
turns on that word), and moves a quoted sentence's similarity to the question (how much the sentence
answers to it). A word the question turns on strongly that no quoted sentence answers to, so that the
sentence is as close or closer to the question without it, means the answer is about something else.

A word a quote states itself (its stem and compound parts stand in the quote) is answered to by definition
and costs no model call: each word tested is one more question to embed, the check's whole cost.
"""

from __future__ import annotations

import re

import numpy as np
from bm25s.stopwords import STOPWORDS_DANISH, STOPWORDS_EN

from index.analyze import analyze
from index.embed import Embedder
from index.question import words

_MIN_LETTERS = 3
# How much of a word's pull on the question a quote must answer to: a fall in similarity smaller than this
# share of the word's drift is noise ("potholes", drift 0.041, answered by 0.0007 by a sentence on winter
# routes; the least of the right answers' was 7 % of the drift).
_NOISE = 0.05
# Words that every question about the documents shares or that stand in for a municipality's name; the
# citizen advisor is who the documents are written by or to (a letter's "you"), seldom what is asked about.
_SETTING = frozenset(
    re.split(
        r"\s+",
        "kommune kommunen kommunens municipality municipality's borgerrådgiver borgerrådgiveren "
        "borgerrådgiverens advisor advisor's adviser adviser's ombudsman",
    )
)
_QUESTION_WORDS = frozenset(
    re.split(
        r"\s+",
        "hvad hvem hvor hvornår hvordan hvorfor hvilke hvilken hvilket what who whom whose where when why "
        "how which do does did is are was were can could will would should has have",
    )
)
_IGNORED = frozenset(STOPWORDS_DANISH) | frozenset(STOPWORDS_EN) | _SETTING | _QUESTION_WORDS


def focus_words(question: str) -> list[str]:
    """The question's words that may carry what it asks: not stopwords, question words or the setting;
    the setting's words when nothing else is left ("Hvem er borgerrådgiver i kommunen?" asks about it)."""
    found = [w for w in words(question) if len(w) >= _MIN_LETTERS and w.lower() not in _IGNORED]
    if not found:
        found = [w for w in words(question) if len(w) >= _MIN_LETTERS and w.lower() in _SETTING]
    return list(dict.fromkeys(found))


def without(question: str, word: str) -> str:
    """The question with every occurrence of a word left out."""
    return " ".join(re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", question).split())


def _terms(text: str) -> set[str]:
    return {t for t in analyze(text) if not t.startswith("~")}


def stated(word: str, quotes: list[str]) -> bool:
    """Whether a quote states the word itself: every one of its terms (stem, compound parts) is a quote's."""
    mine = _terms(word)
    return bool(mine) and any(mine <= _terms(quote) for quote in quotes)


def _gains(
    embedder: Embedder, question: str, quotes: list[str], focus: list[str] | None = None
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The question's focus words (or those given); how far leaving each out moves the question
    (1 - cosine); and how much each quote's similarity to the question falls when it is left out
    (quotes x words)."""
    focus = focus_words(question) if focus is None else focus
    if not focus or not quotes:
        return focus, np.zeros(len(focus)), np.zeros((len(quotes), len(focus)))
    queries = embedder.embed([question, *(without(question, w) for w in focus)], "query")
    sentences = embedder.embed(quotes, "passage")
    sims = sentences @ queries.T  # quotes x (question, then the question without each word)
    return focus, 1.0 - queries[1:] @ queries[0], sims[:, :1] - sims[:, 1:]


def unanswered_focus(embedder: Embedder, question: str, quotes: list[str], drift: float) -> str | None:
    """A word the question turns on (leaving it out moves the question's embedding by at least `drift`,
    1 - cosine) that no quote answers to (leaving it out lowers no quote's similarity by more than noise, a
    twentieth of the word's drift); None when there is none. Words a quote states are not tested (see the
    module's note)."""
    if not quotes:
        return None
    unstated = [w for w in focus_words(question) if not stated(w, quotes)]
    if not unstated:
        return None
    focus, moved, gains = _gains(embedder, question, quotes, unstated)
    answered = gains.max(axis=0)  # per word, the quote that answers to it most
    for word, shift, gain in zip(focus, moved, answered, strict=True):
        if shift >= drift and gain <= _NOISE * shift:
            return word
    return None


def fit(embedder: Embedder, question: str, quotes: list[str]) -> np.ndarray:
    """Per quote: how much it answers to the question's focus words, each weighed by how far the question
    turns on it (the mean fall in similarity when a word is left out, weighted by the word's drift)."""
    focus, moved, gains = _gains(embedder, question, quotes)
    if not focus or not quotes or float(moved.sum()) <= 0:
        return np.zeros(len(quotes), dtype=np.float32)
    return np.asarray(gains @ moved / moved.sum(), dtype=np.float32)
