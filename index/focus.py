"""Whether an answer responds to the word a question turns on.

A sentence can clear its similarity bar by matching the question's setting (the municipality, the citizen
advisor, Borgerservice) while saying nothing about what is asked ("how much does a passport cost", "how
many trees were planted"). The test works across languages, since it asks the embedder, not the words:
leaving a word out of the question moves the question's embedding by some amount (how much the question
turns on that word), and moves a quoted sentence's similarity to the question (how much the sentence
answers to it). A word the question turns on strongly that no quoted sentence answers to, so that the
sentence is as close or closer to the question without it, means the answer is about something else.
"""

from __future__ import annotations

import re

import numpy as np
from bm25s.stopwords import STOPWORDS_DANISH, STOPWORDS_EN

from index.embed import Embedder
from index.question import words

_MIN_LETTERS = 3
# Words that every question about the documents shares or that stand in for a municipality's name.
_SETTING = frozenset({"kommune", "kommunen", "kommunens", "municipality", "municipality's"})
_QUESTION_WORDS = frozenset(
    re.split(
        r"\s+",
        "hvad hvem hvor hvornår hvordan hvorfor hvilke hvilken hvilket what who whom whose where when why "
        "how which do does did is are was were can could will would should has have",
    )
)
_IGNORED = frozenset(STOPWORDS_DANISH) | frozenset(STOPWORDS_EN) | _SETTING | _QUESTION_WORDS


def focus_words(question: str) -> list[str]:
    """The question's words that may carry what it asks: not stopwords, question words or the setting."""
    found = [w for w in words(question) if len(w) >= _MIN_LETTERS and w.lower() not in _IGNORED]
    return list(dict.fromkeys(found))


def without(question: str, word: str) -> str:
    """The question with every occurrence of a word left out."""
    return " ".join(re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", question).split())


def unanswered_focus(
    embedder: Embedder, question: str, quotes: list[str], drift: float, drop: float = 0.0
) -> str | None:
    """A word the question turns on (leaving it out moves the question's embedding by at least `drift`,
    1 - cosine) that no quote answers to (leaving it out lowers no quote's similarity by more than
    `drop`); None when there is none."""
    focus = focus_words(question)
    if not focus or not quotes:
        return None
    queries = embedder.embed([question, *(without(question, w) for w in focus)], "query")
    sentences = embedder.embed(quotes, "passage")
    moved = 1.0 - queries[1:] @ queries[0]
    sims = sentences @ queries.T  # quotes x (question, then the question without each word)
    answered = np.max(sims[:, :1] - sims[:, 1:], axis=0)  # per word, the quote that answers to it most
    for word, shift, gain in zip(focus, moved, answered, strict=True):
        if shift >= drift and gain <= drop:
            return word
    return None
