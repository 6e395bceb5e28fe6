"""What a figure must be about: the thing a "how many" question counts, and the year a question names.
A sentence that states a count of something else ("seks anbefalinger" for "hvor mange henvendelser"), or
that is about other years only ("i 2023 var 38 uger" for "i 2022"), does not answer it, however close it
is to the question as a whole."""

from __future__ import annotations

import re

from index.question import content_terms, words
from index.quotes import DATE, NUMBER_WORDS, Candidate

_HOW_MANY = re.compile(r"\b(?:hvor\s+mange|how\s+many)\s+([^\W\d_]+(?:[\s-]+[^\W\d_]+)?)", re.IGNORECASE)
# Counts in digits or words; "to", "fire", "ingen", "no" too, which elsewhere are words of their own: a
# count found where there is none only lets a sentence through.
_COUNT = re.compile(rf"\d+(?:[.,]\d+)*|\b(?:{NUMBER_WORDS}|to|fire|ingen|none|no)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR_SPAN = re.compile(r"\b((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)\d\d)\b")
_AFTER, _BEFORE = 3, 1  # words after a count, and before it ("Klager: 64", "| Henvendelser | 318 |")


def counted(question: str) -> set[str]:
    """The terms (stems, compound parts) of what a "how many" question counts: the one or two words
    after "hvor mange" / "how many". Empty for any other question, or when those are stopwords."""
    found = _HOW_MANY.search(question)
    return content_terms(found.group(1)) if found else set()


def counts(text: str, terms: set[str]) -> bool:
    """Whether a sentence gives a count of what the terms name: a count with one of them among the three
    words after it or the word just before it ("318 henvendelser", "seks nye sager", "klager: 64")."""
    plain = DATE.sub(" ", text)
    for found in _COUNT.finditer(plain):
        if _YEAR.fullmatch(found.group()):
            continue
        near = words(plain[: found.start()])[-_BEFORE:] + words(plain[found.end() :])[:_AFTER]
        if terms & content_terms(" ".join(near)):
            return True
    return False


def years(text: str) -> set[int]:
    """The years a text names, spans included ("2021-2023" names 2022 too)."""
    named = {int(y) for y in _YEAR.findall(text)}
    for first, last in _YEAR_SPAN.findall(text):
        named.update(range(int(first), int(last) + 1))
    return named


def other_years(text: str, asked: set[int]) -> bool:
    """Whether a sentence is about other years than those a question asks about: it names years, none of
    them asked."""
    named = years(text)
    return bool(asked and named and not named & asked)


def about_asked(question: str, cands: list[Candidate], chosen: list[int], alike: list[bool]) -> list[int]:
    """The chosen sentences that can be about what the question counts and the year it names: a "how
    many" question is answered by a count of what it asks for (checked only where `alike` says the
    sentence is in the question's language, as words are compared), and a question naming a year not by a
    sentence about other years."""
    what = counted(question)
    if what:
        chosen = [i for i in chosen if not alike[i] or counts(cands[i].text, what)]
    named = years(question)
    return [i for i in chosen if not other_years(cands[i].text, named)]
