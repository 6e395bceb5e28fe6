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
_MIN_PART = 4  # letters in each part of a compound
_MIN_CHANGED_PART = 5  # letters in a part that repair changes
_MIN_PART_FREQ = wordfreq.zipf_to_freq(3.0)  # each part of a repaired compound is a common word


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
def _spelling(part: str, depth: int = 1) -> tuple[str, float]:
    """The most frequent dictionary word the part may have been before OCR, with its frequency; ("", 0)
    when there is none. With `depth`, a part may itself be a compound of two such words."""
    freqs = _danish_frequencies()
    own = freqs.get(part.lower(), 0.0)
    best, best_freq = "", 0.0
    for candidate in _candidates(part):
        freq = freqs.get(candidate.lower(), 0.0)
        if freq > best_freq:
            best, best_freq = candidate, freq
    if own and wordfreq.freq_to_zipf(best_freq) - wordfreq.freq_to_zipf(own) < _MIN_GAIN:
        return part, own  # a word as it stands ("sager", not the commoner "søger")
    if not best_freq and depth:
        return _compound(part, depth - 1)
    return best, best_freq


def _compound(token: str, depth: int = 1) -> tuple[str, float]:
    """A compound read as two dictionary words ("Miljeforvaltningen" → "Miljø" + "forvaltningen"), the
    first one possibly with a linking s or e ("klagesags|omradet"); its frequency is that of the rarer
    part. Danish writes most of its long words this way, and the dictionary lists few of them. Of the
    ways to read it, the one that changes the fewest letters wins, then the most frequent."""
    best, best_key = "", (-len(token) - 1, 0.0)
    for cut in range(_MIN_PART, len(token) - _MIN_PART + 2):
        right, right_freq = _spelling(token[cut:], 0)
        if right_freq < _MIN_PART_FREQ:
            continue
        left, left_freq = "", 0.0
        if token[cut - 1] in "se" and cut > _MIN_PART:  # a linking letter stays as it is
            stem, left_freq = _spelling(token[: cut - 1], depth)
            left = stem + token[cut - 1]
        if left_freq < _MIN_PART_FREQ:
            left, left_freq = _spelling(token[:cut], depth)
        freq = min(left_freq, right_freq)
        if freq < _MIN_PART_FREQ or _short_change(token[:cut], left) or _short_change(token[cut:], right):
            continue
        key = (-_changes(token, left + right), freq)
        if key > best_key:
            best, best_key = left + right, key
    return best, best_key[1]


def _short_change(before: str, after: str) -> bool:
    """A short part read as another word: too easily a coincidence ("ering" as "æring")."""
    return before.lower() != after.lower() and len(after) < _MIN_CHANGED_PART


def _changes(before: str, after: str) -> int:
    """Letters a repair brought in that the token did not have (æ, ø, å for their look-alikes)."""
    return sum(1 for ch in after.lower() if ch not in before.lower())


@cache
def _repair_token(token: str, compounds: bool = True) -> str:
    freqs = _danish_frequencies()
    own = freqs.get(token.lower(), 0.0)
    best, best_freq = _spelling(token, 0)
    if compounds and not best_freq and not own and len(token) >= 2 * _MIN_PART:
        best, best_freq = _compound(token)
        if best.lower() == token.lower():
            return token  # a compound of known words, spelt right
    if not best or best == token or best_freq <= 0:
        return token
    gain = wordfreq.freq_to_zipf(best_freq) - (wordfreq.freq_to_zipf(own) if own else 0.0)
    if own and gain < _MIN_GAIN:
        return token
    return best[0].upper() + best[1:] if token[:1].isupper() else best


def repair(text: str, compounds: bool = True) -> str:
    """Machine-corrected Danish text: garbled tokens replaced by the likeliest dictionary spelling; with
    `compounds`, unknown compounds read as two dictionary words as well."""
    return _TOKEN.sub(lambda m: _repair_token(m.group(0), compounds), text)


def reading(text: str) -> str | None:
    """A machine-corrected reading of an OCR-garbled Danish text, or None when repair changes nothing."""
    corrected = repair(text)
    return corrected if corrected != text else None
