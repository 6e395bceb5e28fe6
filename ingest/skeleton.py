"""A lossy, OCR-tolerant matching key for Danish text.

OCR of Danish print loses æ/ø/å and confuses vowels, 'g' and 'ø', 'l' and 'I' (see FACTS.md). Folding
letters to ASCII, mapping l/|/! to i and collapsing every run of vowel-like letters to one letter makes a
clean text and its garbled copy produce nearly the same tokens. The key is for matching only: it is never
shown and never ranked on.
"""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans(
    {"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a", "|": "i", "!": "i", "l": "i", "L": "i"}
)
# Shapes OCR confuses in any language: rn/m, cl/d, 0/o, 1/i, c/e, f/t, h/b. Both sides of a comparison
# fold the same way, so merging them costs little precision and buys recall on other scanners' output.
_SHAPES = (("rn", "m"), ("cl", "d"))
_DANISH = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
_SHAPE_LETTERS = str.maketrans({"0": "o", "1": "i", "c": "e", "f": "t", "h": "b"})
_VOWELISH = re.compile(r"[aeiouyg@z&£]+")
_TOKEN = re.compile(r"[a-z0-9]+")
_MARKUP = re.compile(r"<[^>]{0,200}>")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def skeleton_tokens(text: str) -> list[str]:
    """The key as a token list; one-letter tokens (bullets, 'og' after collapsing) are dropped."""
    folded = _strip_accents(_MARKUP.sub(" ", text).translate(_FOLD).lower())
    for shape, letter in _SHAPES:
        folded = folded.replace(shape, letter)
    folded = folded.translate(_SHAPE_LETTERS)
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
    return _strip_accents(text.lower().translate(_DANISH))
