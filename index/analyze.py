"""Lexical analysis for Danish (and English) BM25: tokens, stems, compound parts and OCR skeletons.

Danish writes compounds as one word ("telefonpolitikken"), so a query for "telefon" only meets it when the
compound is split into known words. OCR-garbled text is matched through its skeleton tokens (prefixed "~"),
which clean queries produce too.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import Stemmer
import wordfreq
from bm25s.stopwords import STOPWORDS_DANISH, STOPWORDS_EN

from ingest.skeleton import skeleton_tokens

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MIN_PART = 4
_MIN_COMPOUND = 8
_LINKS = ("s", "e")  # fuge letters between compound parts ("sag-s-behandling")
SKELETON_PREFIX = "~"


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("danish")


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(STOPWORDS_DANISH) | frozenset(STOPWORDS_EN)


@cache
def _vocabulary() -> frozenset[str]:
    """Common Danish words that may stand as a compound part."""
    return frozenset(
        w
        for w in wordfreq.top_n_list("da", 40000)
        if w.isalpha() and len(w) >= _MIN_PART and w not in _stopwords()
    )


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """Known words a compound is made of, longest head first; () when it does not split."""
    if len(word) < _MIN_COMPOUND:
        return ()
    vocab = _vocabulary()
    for i in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
        head, tail = word[:i], word[i:]
        if head not in vocab:
            continue
        tails = [tail] + [tail[1:] for link in _LINKS if tail.startswith(link) and len(tail) > _MIN_PART]
        for candidate in tails:
            if candidate in vocab:
                return (head, candidate)
            rest = compound_parts(candidate)
            if rest:
                return (head, *rest)
    return ()


def tokens(text: str) -> list[str]:
    """Lowercased word tokens without stopwords."""
    stop = _stopwords()
    return [w for w in (m.lower() for m in _WORD.findall(text)) if w not in stop and len(w) > 1]


def analyze(text: str, extra: str | None = None) -> list[str]:
    """BM25 terms of a text: stems, stems of compound parts, and skeleton tokens.

    `extra` is a second reading of the same passage (machine-corrected OCR text) whose terms are added.
    """
    words = tokens(text) + (tokens(extra) if extra else [])
    stem = _stemmer().stemWord
    terms = [stem(w) for w in words]
    for w in words:
        terms.extend(stem(part) for part in compound_parts(w))
    terms.extend(SKELETON_PREFIX + t for t in skeleton_tokens(text) if len(t) > 2)
    return terms
