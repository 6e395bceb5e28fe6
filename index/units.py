"""The names a question gives (a unit, a committee, a place: "Plan og Byg", "Hjemmeplejen Syd",
"Skårup") and whether a document names them too.

A question about what one department did is not answered by another department's measures in the same
report: "Hvad har Handicap og Psykiatri i Thisted gjort …?" was answered with the job centre's. A document
that never names what the question names cannot be about it. Names are the question's capitalised words
after its first, joined by "og", "and" or "&"; a municipality's name, the citizen advisor, weekdays and
months are left out (the municipality is checked elsewhere, and "Thursdays" is answered by "alle hverdage").
Compared word by word by stem (a form of it, or in an OCR copy its folded key), so "Visitationen" is named
by "Visitation" and "Jobcenter" by "Jobcentret".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from index.analyze import analyze
from index.evidence import named_municipalities
from index.quotes import Candidate

_NAME = re.compile(r"[A-ZÆØÅ][\w'’-]*(?:\s+(?:og|and|&|for|of)\s+[A-ZÆØÅ][\w'’-]*|\s+[A-ZÆØÅ][\w'’-]*)*")
_JOINS = {"og", "and", "&", "for", "of"}
_GENITIVE = re.compile(r"['’]s?$|(?<=[a-zæøå])s$")
_NOT_NAMES = re.compile(
    r"^(?:I|Borgerrådgiver\w*|Citizens?['’]?s?|Advis[eo]rs?|Ombudsm[ae]n\w*|Kommune\w*|Municipality\w*|"
    r"Danmark|Denmark|Danish|Dansk|"
    r"(?:man|tirs|ons|tors|fre|lør|søn)dag\w*|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|"
    r"januar\w*|februar\w*|marts|march|april|maj|may|juni|june|juli|july|august|september|oktober|october|"
    r"november|december)$",
    re.IGNORECASE,
)


def _words(name: str) -> list[tuple[str, str | None]]:
    """Each word of a name as its stem and its OCR-folded key (an OCR copy writes "Miljeforvaltningen");
    stopwords ("Hvad", the first word of a later sentence) are no part of a name."""
    forms: list[tuple[str, str | None]] = []
    for word in name.split():
        terms = analyze(word) if word.lower() not in _JOINS else []
        stems = [t for t in terms if not t.startswith("~")]
        if stems:
            forms.append((stems[0], next((t for t in terms if t.startswith("~")), None)))
    return forms


def _setting(word: str) -> bool:
    """Whether a word is the setting, not a name to look for: a municipality (also in the genitive:
    "Randers", "Horsens'", "Aarhus's"), the citizen advisor, a weekday or a month."""
    bare = _GENITIVE.sub("", word)
    return bool(
        _NOT_NAMES.match(word)
        or _NOT_NAMES.match(bare)
        or named_municipalities(f" {word}")
        or named_municipalities(f" {bare}")
    )


def named_units(question: str) -> list[str]:
    """The names a question gives, the setting left out (see the module's note). A sentence's first word is
    capitalised whatever it is, so it is no name ("Har Plan og Byg svaret?" names Plan og Byg)."""
    names = []
    for match in _NAME.finditer(question):
        words = match.group().split()
        if not question[: match.start()].strip() or re.search(r"[.!?:]\s*$", question[: match.start()]):
            words = words[1:]
        kept = [word for word in words if not _setting(word)]
        while kept and kept[0].lower() in _JOINS:
            kept.pop(0)
        while kept and kept[-1].lower() in _JOINS:
            kept.pop()
        if kept and _words(" ".join(kept)):
            names.append(" ".join(kept))
    return names


@lru_cache(maxsize=256)  # the same reports are cited question after question
def _terms(text: str) -> frozenset[str]:
    return frozenset(analyze(text))


def _named(word: tuple[str, str | None], terms: frozenset[str], garbled: bool) -> bool:
    """Whether a document's terms name a word: its stem, a form of it ("Jobcenter" in "Jobcentret": one
    stem begins the other over five letters or more), or in an OCR copy its folded key."""
    stem, folded = word
    if stem in terms or (garbled and folded in terms):
        return True
    head = stem[: max(5, len(stem) - 2)]
    return len(stem) >= 5 and any(t.startswith(head) for t in terms)


def naming(
    question: str,
    cands: list[Candidate],
    chosen: list[int],
    alike: list[bool],
    document: Callable[[str], tuple[str, bool]],
) -> list[int]:
    """The chosen sentences whose document names everything the question names. Checked only where `alike`
    says the document is in the question's language: a Danish question names an English document's
    units in Danish. `document` gives a document's stored text and whether it is OCR-garbled."""
    names = [_words(name) for name in named_units(question)]
    if not names:
        return chosen
    known: dict[str, bool] = {}

    def names_all(doc_id: str) -> bool:
        if doc_id not in known:
            text, garbled = document(doc_id)
            terms = _terms(text)
            known[doc_id] = all(_named(word, terms, garbled) for name in names for word in name)
        return known[doc_id]

    return [i for i in chosen if not alike[i] or names_all(cands[i].hit.doc_id)]
