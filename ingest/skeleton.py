"""A lossy, OCR-tolerant matching key for Danish text.

OCR of Danish print loses æ/ø/å and confuses vowels, 'g' and 'ø', 'l' and 'I' (see FACTS.md). Folding
letters to ASCII, mapping l/|/! to i and collapsing every run of vowel-like letters to one letter makes a
clean text and its garbled copy produce nearly the same tokens. The key is for matching only: it is never
shown and never ranked on.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

# Each table maps a character to letters that are not keys of the same table, so replacing one key after
# another equals translating all at once; `str.replace` runs in C at memory speed, while `str.translate` with
# a dict costs ~80 ns a character on non-ASCII text (the skeleton runs over every passage of a BM25 build).
_Pairs = tuple[tuple[str, str], ...]
_FOLD: _Pairs = (("æ", "ae"), ("ø", "o"), ("å", "a"), ("Æ", "ae"), ("Ø", "o"), ("Å", "a"))
_FOLD += (("|", "i"), ("!", "i"), ("l", "i"), ("L", "i"))
# Shapes OCR confuses in any language: rn/m, cl/d, 0/o, 1/i, c/e, f/t, h/b. Both sides of a comparison
# fold the same way, so merging them costs little precision and buys recall on other scanners' output.
_SHAPES = (("rn", "m"), ("cl", "d"))
_DANISH = (("æ", "ae"), ("ø", "o"), ("å", "a"))
_SHAPE_LETTERS = (("0", "o"), ("1", "i"), ("c", "e"), ("f", "t"), ("h", "b"))
_VOWELISH = re.compile(r"[aeiouyg@z&£]+")
_TOKEN = re.compile(r"[a-z0-9]+")
_MARKUP = re.compile(r"<[^>]{0,200}>")


def _replaced(text: str, pairs: _Pairs) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def _class(codepoints: list[int]) -> str:
    """A regex character class of the code points, as ranges."""
    ranges: list[list[int]] = []
    for c in codepoints:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]+"


@cache
def _combining_marks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Every combining character (accents once NFKD has split them off): those of the Basic Multilingual
    Plane, and those above it. Apart, because one class holding both is matched ~15x slower."""
    marks = [c for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))]
    basic, astral = [c for c in marks if c <= 0xFFFF], [c for c in marks if c > 0xFFFF]
    return re.compile(_class(basic)), re.compile(_class(astral))


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    basic, astral = _combining_marks()
    stripped = basic.sub("", decomposed)
    return astral.sub("", stripped) if stripped and max(stripped) > "\uffff" else stripped


def skeleton_tokens(text: str) -> list[str]:
    """The key as a token list; one-letter tokens (bullets, 'og' after collapsing) are dropped."""
    folded = _strip_accents(_replaced(_MARKUP.sub(" ", text), _FOLD).lower())
    folded = _replaced(_replaced(folded, _SHAPES), _SHAPE_LETTERS)
    collapsed = _VOWELISH.sub("a", folded)
    return [tok for tok in _TOKEN.findall(collapsed) if len(tok) > 1]


def skeleton(text: str) -> str:
    """The key as one space-separated string."""
    return " ".join(skeleton_tokens(text))


def shingles(tokens: list[str], size: int = 5) -> set[str]:
    """Word shingles of the key; short texts yield one shingle of all their tokens."""
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def fold(text: str) -> str:
    """Lower case without accents or Danish letters (æ → ae, ø → o, å → a), for comparing names."""
    return _strip_accents(_replaced(text.lower(), _DANISH))
