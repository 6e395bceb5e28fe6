"""Sentence spans in stored text: lines (bullets, "Header: text" cells) and sentences within them.

Danish abbreviations ("bl.a.", "f.eks.", "jf.", "nr.") and dates ("13. marts") do not end a sentence;
a year before a capital does ("… medio 2024. Her vil …").
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    {
        "bl.a",
        "f.eks",
        "fx",
        "jf",
        "nr",
        "pkt",
        "pr",
        "ca",
        "evt",
        "mht",
        "inkl",
        "ekskl",
        "dvs",
        "osv",
        "mv",
        "m.v",
        "m.m",
        "mm",
        "etc",
        "vedr",
        "hhv",
        "iht",
        "kl",
        "st",
        "stk",
        "e.g",
        "i.e",
        "vs",
        "no",
        "mr",
        "mrs",
        "dr",
    }
)
_END = re.compile(r"[.!?…]+[\"”’)]*\s+(?=[\"“”(]?[A-ZÆØÅ0-9•])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_CAPITAL_NEXT = re.compile(r"[\"“”(]?[A-ZÆØÅ]")


def _is_break(text: str, dot: int, next_start: int) -> bool:
    """Whether the punctuation at `dot` ends a sentence rather than an abbreviation or a number;
    `next_start` is where the following sentence would begin."""
    word = _WORD_BEFORE.search(text, 0, dot + 1)
    token = word.group(1).rstrip('.!?…"”’)').lower() if word else ""
    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return False
    if token.isdigit():  # "13. marts", "3. Klima": an ordinal; "i 2024. Her": a year that ends one
        return len(token) == 4 and _CAPITAL_NEXT.match(text, next_start) is not None
    return True


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, shifted by `offset`; whitespace trimmed from both ends."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for stop in _END.finditer(text, line.start(), line.end()):
            if _is_break(text, stop.start(), stop.end()):
                spans.append((start, stop.start() + len(stop.group().rstrip())))
                start = stop.end()
        spans.append((start, line.end()))
    trimmed = []
    for start, end in spans:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        tail = len(piece.rstrip())
        if tail > lead:
            trimmed.append((offset + start + lead, offset + start + tail))
    return trimmed
