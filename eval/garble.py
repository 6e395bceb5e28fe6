"""Synthetic OCR damage for tests and the dedup benchmark.

Seeded and configurable: letter confusions (a mix unlike the seed corpus's when asked), lost Danish
letters, re-wrapped lines, dropped and merged words.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass, field

# A confusion mix seen in other scans: rn/m, c/e, 0/o, h/b, ae for æ, aa for å, oe or 6 for ø.
OTHER_CONFUSIONS: dict[str, tuple[str, ...]] = {
    "æ": ("ae", "a"),
    "ø": ("oe", "6", "o"),
    "å": ("aa", "a"),
    "m": ("rn",),
    "rn": ("m",),
    "e": ("c",),
    "o": ("0",),
    "h": ("b",),
    "i": ("l", "1"),
    "t": ("f",),
}


@dataclass(frozen=True)
class Garbling:
    rate: float = 0.1  # share of confusable letters that are confused
    confusions: dict[str, tuple[str, ...]] = field(default_factory=lambda: OTHER_CONFUSIONS)
    drop_rate: float = 0.0  # share of words lost
    merge_rate: float = 0.0  # share of word gaps lost ("Dervil")
    rewrap: bool = True
    seed: int = 0


def _confuse(word: str, g: Garbling, rng: random.Random) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in g.confusions and rng.random() < g.rate:
            out.append(rng.choice(g.confusions[pair]))
            i += 2
            continue
        ch = word[i]
        lower = ch.lower()
        if lower in g.confusions and (lower in "æøå" or rng.random() < g.rate):
            # Lost Danish letters are lost everywhere, as when a scan is read without a Danish model.
            sub = rng.choice(g.confusions[lower])
            out.append(sub.upper() if ch.isupper() and sub.isalpha() else sub)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def garble(text: str, g: Garbling) -> str:
    """A damaged copy of `text`; paragraphs (blank-line separated) keep their order."""
    rng = random.Random(g.seed)
    paragraphs = []
    for para in text.split("\n\n"):
        words: list[str] = []
        for word in para.split():
            if rng.random() < g.drop_rate:
                continue
            word = _confuse(word, g, rng)
            if words and rng.random() < g.merge_rate:
                words[-1] += word
            else:
                words.append(word)
        joined = " ".join(words)
        width = rng.randint(55, 95)
        paragraphs.append(textwrap.fill(joined, width=width) if g.rewrap else joined)
    return "\n\n".join(p for p in paragraphs if p)
