"""What a figure must be about: the thing a "how many" question counts, and the year a question names.
A sentence that states a count of something else ("seks anbefalinger" for "hvor mange henvendelser"), or
that is about other years only ("i 2023 var 38 uger" for "i 2022"), does not answer it, however close it
is to the question as a whole."""

from __future__ import annotations

import re

from index.question import content_terms, words
from index.quotes import DATE, NUMBER_WORDS, YEAR, Candidate

_HOW_MANY = re.compile(r"\b(?:hvor\s+mange|how\s+many)\s+([^\W\d_]+(?:[\s-]+[^\W\d_]+)?)", re.IGNORECASE)
# Counts in digits or words; "to", "fire", "ingen", "no" too, which elsewhere are words of their own: a
# count found where there is none only lets a sentence through.
_COUNT = re.compile(rf"\d+(?:[.,]\d+)*|\b(?:{NUMBER_WORDS}|to|fire|ingen|none|no)\b", re.IGNORECASE)
_AFTER, _BEFORE = 3, 1  # words after a count, and the word before it ("318 henvendelser", "klager 64")
_LABEL_BEFORE = 3  # words before a count in a label ("Henvendelser i alt: 318", "| Klager | 64 |")
_LABEL = re.compile(r"[:|]\s*$")
# Units written short or as a sign: what "hvor mange procent / kroner" counts.
_UNITS = {"%": "procent", "pct": "procent", "percent": "procent", "kr": "kroner", "dkk": "kroner"}
_UNIT_SIGN = re.compile(r"(?<=\d)\s*%")
# A year the question is about ("i 2022", "in 2023", "for 2024"), not one it counts from or to ("siden
# 2020", "before 2025"), nor a span.
_AT_YEAR = re.compile(
    rf"\b(?:i|in|for|året|year|during|under)\s+({YEAR.pattern})\b(?!\s*[-–/]\s*\d)", re.IGNORECASE
)
_YEAR = re.compile(rf"\b{YEAR.pattern}\b")
# A date with its year ("den 8. april 2025") says when something happens, not what year it is about.
_DATED = re.compile(rf"(?:{DATE.pattern})(?:\s+{YEAR.pattern}\b)?", DATE.flags)
_YEAR_SPAN = re.compile(rf"\b({YEAR.pattern})\s*[-–/]\s*((?:19|20)?\d\d)\b")
# A sentence comparing with another year ("318, mod 290 i 2022") is about the year asked too.
_COMPARED = re.compile(r"\b(?:mod|end|sammenlignet|against|compared|than|versus|vs)\b", re.IGNORECASE)


def counted(question: str) -> set[str]:
    """The terms (stems, compound parts) of what a "how many" question counts: the one or two words
    after "hvor mange" / "how many". Empty for any other question, or when those are stopwords."""
    found = _HOW_MANY.search(question)
    return _terms(found.group(1)) if found else set()


def _terms(text: str) -> set[str]:
    named = " ".join(_UNITS.get(w.lower(), w) for w in words(_UNIT_SIGN.sub(" procent", text)))
    return content_terms(named)


def counts(text: str, terms: set[str]) -> bool:
    """Whether a sentence gives a count of what the terms name: a count with one of them among the three
    words after it, the word just before it, or the words of a label before it ("318 henvendelser", "seks
    nye sager", "42 %", "Henvendelser i alt: 318")."""
    plain = _UNIT_SIGN.sub(" procent", DATE.sub(" ", text))
    for found in _COUNT.finditer(plain):
        if YEAR.fullmatch(found.group()):
            continue
        head = plain[: found.start()]
        before = words(head)[-(_LABEL_BEFORE if _LABEL.search(head) else _BEFORE) :]
        near = before + words(plain[found.end() :])[:_AFTER]
        if terms & _terms(" ".join(near)):
            return True
    return False


def years(text: str) -> set[int]:
    """The years a text names, dates aside, spans included ("2021-2023" names 2022 too, "2016/17" 2017)."""
    plain = _DATED.sub(" ", text)
    named = {int(y) for y in _YEAR.findall(plain)}
    for first, last in _YEAR_SPAN.findall(plain):
        end = int(last) if len(last) == 4 else int(first[:2] + last)
        named.update(range(int(first), end + 1))
    return named


def asked_years(question: str) -> set[int]:
    """The years a question is about: named after "i", "in", "for" (not "siden 2020", "before 2025")."""
    return {int(y) for y in _AT_YEAR.findall(question)}


def other_years(text: str, asked: set[int]) -> bool:
    """Whether a sentence is about other years than those a question asks about: it names years, none of
    them asked, and compares with none ("318, mod 290 i 2022" is about the year asked too)."""
    named = years(text)
    return bool(asked and named and not named & asked and not _COMPARED.search(text))


def about_asked(question: str, cands: list[Candidate], chosen: list[int], alike: list[bool]) -> list[int]:
    """The chosen sentences that can be about what the question counts and the year it names: a "how
    many" question is answered by a count of what it asks for (checked only where `alike` says the
    sentence is in the question's language, as words are compared), and a question about a year not by a
    sentence about other years."""
    what = counted(question)
    if what:
        chosen = [i for i in chosen if not alike[i] or counts(cands[i].text, what)]
    named = asked_years(question)
    return [i for i in chosen if not other_years(cands[i].text, named)]
