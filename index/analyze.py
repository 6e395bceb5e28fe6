"""Lexical analysis for Danish (and English) BM25: tokens, stems, compound parts and OCR skeletons.

Danish writes compounds as one word ("telefonpolitikken"), so a query for "telefon" only meets it when the
compound is split into known words. OCR-garbled text is matched through its skeleton tokens (prefixed "~"),
which clean queries produce too.

Danish is the language analysed; `language("sv")` or `language("no")` switches stemmer, stopwords and
compound vocabulary inside a block, for benchmarks on Swedish and Norwegian sets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache

import Stemmer
import wordfreq
from bm25s.stopwords import STOPWORDS_DANISH, STOPWORDS_EN, STOPWORDS_NORWEGIAN, STOPWORDS_SWEDISH

from ingest.skeleton import skeleton_tokens

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MIN_PART = 4
_MIN_COMPOUND = 8
_LINKS = ("s", "e")  # fuge letters between compound parts ("sag-s-behandling")
SKELETON_PREFIX = "~"
# Language code → (Snowball stemmer, stopwords, wordfreq vocabulary for compound parts).
LANGUAGES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "da": ("danish", tuple(STOPWORDS_DANISH), "da"),
    "sv": ("swedish", tuple(STOPWORDS_SWEDISH), "sv"),
    "no": ("norwegian", tuple(STOPWORDS_NORWEGIAN), "nb"),
}
_language: ContextVar[str] = ContextVar("analyze_language", default="da")


@contextmanager
def language(code: str) -> Iterator[None]:
    """Analyse text in another of `LANGUAGES` inside the block; Danish everywhere else.

    An index built inside the block must be searched inside it too (and cached apart from Danish ones).
    """
    if code not in LANGUAGES:
        raise ValueError(f"no analyzer for language {code!r}; use one of {', '.join(LANGUAGES)}")
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)


@cache
def _stemmer(lang: str = "da") -> Stemmer.Stemmer:
    return Stemmer.Stemmer(LANGUAGES[lang][0])


@cache
def _stopwords(lang: str = "da") -> frozenset[str]:
    return frozenset(LANGUAGES[lang][1]) | frozenset(STOPWORDS_EN)


@cache
def _vocabulary(lang: str = "da") -> frozenset[str]:
    """Common words of the language that may stand as a compound part."""
    return frozenset(
        w
        for w in wordfreq.top_n_list(LANGUAGES[lang][2], 40000)
        if w.isalpha() and len(w) >= _MIN_PART and w not in _stopwords(lang)
    )


def compound_parts(word: str) -> tuple[str, ...]:
    """Known words a compound is made of, longest head first; () when it does not split."""
    return _compound_parts(word, _language.get())


@lru_cache(maxsize=200_000)
def _compound_parts(word: str, lang: str) -> tuple[str, ...]:
    if len(word) < _MIN_COMPOUND:
        return ()
    vocab = _vocabulary(lang)
    for i in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
        head, tail = word[:i], word[i:]
        if head not in vocab:
            continue
        tails = [tail] + [tail[1:] for link in _LINKS if tail.startswith(link) and len(tail) > _MIN_PART]
        for candidate in tails:
            if candidate in vocab:
                return (head, candidate)
            rest = _compound_parts(candidate, lang)
            if rest:
                return (head, *rest)
    return ()


def stem(word: str) -> str:
    """A word's stem, lower-cased, in the language analysed."""
    return str(_stemmer(_language.get()).stemWord(word.lower()))


def tokens(text: str) -> list[str]:
    """Lowercased word tokens without stopwords."""
    stop = _stopwords(_language.get())
    return [w for w in (m.lower() for m in _WORD.findall(text)) if w not in stop and len(w) > 1]


def analyze(text: str, extra: str | None = None) -> list[str]:
    """BM25 terms of a text: stems, stems of compound parts, and skeleton tokens.

    `extra` is a second reading of the same passage (machine-corrected OCR text) whose terms are added.
    """
    words = tokens(text) + (tokens(extra) if extra else [])
    lang = _language.get()
    analysed = [_word_terms(w, lang) for w in words]
    terms = [stem for stem, _ in analysed]
    for _, parts in analysed:
        terms.extend(parts)
    terms.extend(SKELETON_PREFIX + t for t in skeleton_tokens(text) if len(t) > 2)
    return terms


@lru_cache(maxsize=200_000)  # as many entries as the compound-part cache
def _word_terms(word: str, lang: str) -> tuple[str, tuple[str, ...]]:
    """A word's stem and its compound parts' stems: words repeat, so a BM25 build works out each once."""
    stem = _stemmer(lang).stemWord
    return stem(word), tuple(stem(part) for part in _compound_parts(word, lang))
