"""OCR detection, text quality and dictionary repair for Danish text.

Clean Danish has about 2.9 æ/ø/å per 100 letters and ~90% of its words in a frequency dictionary; OCR
copies of old print lose æ/ø/å and fall to 75–80% (FACTS.md). Repair maps an unknown token to the most
frequent Danish word with the same OCR-tolerant skeleton; the result is used for lexical matching only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import wordfreq

_WORD = re.compile(r"[^\W\d_]{2,}")
_TOKEN = re.compile(r"[\w@|£]+")
_GLITCH = re.compile(r"\w*[@|£]\w*|\b[IJ][gbz][a-zæøå]+|\b\w+[éè]\w+")
_DANISH_LETTERS = set("æøåÆØÅ")
_CLEAN_DANISH_SHARE = 2.5  # æ/ø/å per 100 letters at which a Danish text counts as intact
_VALID_FLOOR, _VALID_CLEAN = 0.6, 0.9


@dataclass(frozen=True)
class TextQuality:
    danish_letters: float  # æ/ø/å per 100 letters
    valid_words: float  # share of words found in the language's frequency dictionary
    glitches: float  # share of tokens with OCR debris (@, |, "Ig…")
    quality: float  # 0–1
    garbled: bool


def _clip(value: float) -> float:
    return max(0.0, min(1.0, value))


def measure(text: str, language: str = "da") -> TextQuality:
    """Quality of a text; `garbled` marks Danish that lost its letters and words to OCR."""
    letters = [ch for ch in text if ch.isalpha()]
    words = _WORD.findall(text)
    if not letters or not words:
        return TextQuality(0.0, 0.0, 0.0, 0.0, False)
    lang = language if language in wordfreq.available_languages() else "en"
    danish = 100 * sum(ch in _DANISH_LETTERS for ch in letters) / len(letters)
    valid = sum(wordfreq.zipf_frequency(w.lower(), lang) > 0 for w in words) / len(words)
    glitches = len(_GLITCH.findall(text)) / len(words)
    valid_score = _clip((valid - _VALID_FLOOR) / (_VALID_CLEAN - _VALID_FLOOR))
    if language == "da":
        quality = 0.5 * _clip(danish / _CLEAN_DANISH_SHARE) + 0.5 * valid_score
        garbled = (danish < 0.3 and valid < 0.87) or glitches > 0.005
    else:
        quality = valid_score
        garbled = glitches > 0.01
    return TextQuality(danish, valid, glitches, _clip(quality - 5 * glitches), garbled)


# OCR's confusions in Danish print, reversed: what a garbled letter may have been.
_PAIRS = {"ae": "æ", "ee": "æ", "ze": "æ", "z£": "æ", "Ae": "Æ", "Ze": "Æ", "Z£": "Æ"}
_SINGLES = {
    "a": "åæø",
    "e": "øæ",
    "g": "ø",
    "o": "ø",
    "é": "åø",
    "è": "åø",
    "3": "å",
    "d": "å",
    "s": "ø",
    "@": "Ø",
    "|": "lI",
    "I": "l",
    "A": "Å",
    "O": "Ø",
    "E": "Æ",
}
_MAX_CANDIDATES = 4096
_MIN_GAIN = 1.5  # a known word is replaced only by a much more frequent one ("pa" → "på")


@cache
def _danish_frequencies() -> dict[str, float]:
    return wordfreq.get_frequency_dict("da")


def _candidates(token: str) -> list[str]:
    """Spellings the token may have had before OCR, the token itself first."""
    variants = [""]
    i = 0
    while i < len(token):
        pair = token[i : i + 2]
        options = [pair, _PAIRS[pair]] if pair in _PAIRS else []
        step = 2 if options else 1
        if not options:
            options = [token[i], *_SINGLES.get(token[i], "")]
        variants = [v + o for v in variants for o in options][:_MAX_CANDIDATES]
        i += step
    return variants


@cache
def _repair_token(token: str) -> str:
    freqs = _danish_frequencies()
    lowered = token.lower()
    own = freqs.get(lowered, 0.0)
    best, best_freq = token, own
    for candidate in _candidates(token):
        freq = freqs.get(candidate.lower(), 0.0)
        if freq > best_freq:
            best, best_freq = candidate, freq
    if best == token or best_freq <= 0:
        return token
    gain = wordfreq.freq_to_zipf(best_freq) - (wordfreq.freq_to_zipf(own) if own else 0.0)
    if own and gain < _MIN_GAIN:
        return token
    return best[0].upper() + best[1:] if token[:1].isupper() else best


def repair(text: str) -> str:
    """Machine-corrected Danish text: garbled tokens replaced by the likeliest dictionary spelling."""
    return _TOKEN.sub(lambda m: _repair_token(m.group(0)), text)
