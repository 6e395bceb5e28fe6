"""How close a retrieved sentence is to a question: cosine similarity with the searcher's embedder, against
a bar that is lower across languages; and which municipalities a question names, so that a passage from
another one is not taken for an answer."""

from __future__ import annotations

import re
from functools import cache, lru_cache

import numpy as np

from index.cited import Thresholds
from index.embed import Embedder
from index.models import Hit
from index.quotes import Candidate
from index.search import Searcher
from ingest.gazetteer import load_gazetteer
from ingest.metadata import SCANDINAVIAN

_CAPITALISED = re.compile(r"(?<=\s)[A-ZÆØÅ][\w'’-]{2,}")  # not the first word: "Vejen til …"
_KOMMUNE = re.compile(r"\s+(?:kommunes?|municipality(?:['’]s)?)\b", re.IGNORECASE)


# --- municipalities --------------------------------------------------------------------------------
@cache
def _bare_names() -> dict[str, tuple[str, bool]]:
    """Lower-cased names and aliases of all municipalities, and their genitives ("Gentoftes",
    "Copenhagen's"): to the canonical name and whether the form is a genitive."""
    forms = [(form.lower(), m.name) for m in load_gazetteer().municipalities for form in (m.name, *m.aliases)]
    names = {form: (name, False) for form, name in forms}
    for form, name in forms:
        for ending in ("s", "'s", "’s"):
            names.setdefault(form + ending, (name, True))
    return names


def named_municipalities(text: str) -> set[str]:
    """Municipalities a text names: "X Kommune", one of its bodies, or its bare name (exact spelling)."""
    return set(_named(text))


@lru_cache(maxsize=4096)  # the same passages come back for question after question
def _named(text: str) -> frozenset[str]:
    names = set(load_gazetteer().scores(text))
    bare = _bare_names()
    for word in _CAPITALISED.findall(text):
        if word.lower() in bare:
            names.add(bare[word.lower()][0])
    return frozenset(names)


def about(hit: Hit, wanted: set[str]) -> bool:
    """Whether a passage can speak for the municipalities a question names: it is from one, or names it."""
    return not wanted or hit.municipality in wanted or bool(wanted & named_municipalities(hit.text))


def _plain(lang: str, genitive: bool, after_the: bool) -> str:
    if lang == "da":
        return "kommunens" if genitive else "kommunen"
    noun = "municipality's" if genitive else "municipality"
    return noun if after_the else f"the {noun}"


def without_municipalities(question: str, lang: str) -> str:
    """The question with the municipalities it names replaced by a plain "the municipality".

    Used against a municipality's own passages: which municipality a passage is from is settled by
    `about`, and left in, the name makes any sentence that mentions it look like an answer."""
    bare = _bare_names()
    parts, last = [], 0
    for match in _CAPITALISED.finditer(question):
        if match.group().lower() not in bare:
            continue
        end, genitive = match.end(), bare[match.group().lower()][1]
        suffix = _KOMMUNE.match(question, end)
        if suffix:
            end, genitive = suffix.end(), suffix.group().lower().endswith("s")
        after_the = question[: match.start()].lower().endswith("the ")
        parts += [question[last : match.start()], _plain(lang, genitive, after_the)]
        last = end
    return "".join([*parts, question[last:]])


# --- scoring and choosing --------------------------------------------------------------------------
def reply_language(asked: str) -> str:
    """The language of the answer's own words for a question in `asked`: Danish for a Scandinavian
    question, else English."""
    return "da" if asked in SCANDINAVIAN else "en"


def _same_language(a: str, b: str) -> bool:
    return a == b or (a in SCANDINAVIAN and b in SCANDINAVIAN)


def similarities(
    embedder: Embedder,
    question: str,
    cands: list[Candidate],
    wanted: set[str],
    lang: str,
    texts: list[str] | None = None,
) -> np.ndarray:
    """Cosine similarity of the question (as a query) to each sentence (as a passage), or to the `texts`
    given for them; a municipality's own passages are compared with the question without its name."""
    if not cands:
        return np.zeros(0, dtype=np.float32)
    plain = without_municipalities(question, lang) if wanted else question
    queries = embedder.embed([question, plain] if plain != question else [question], "query")
    # One call for all; each call has a fixed cost.
    sentences = embedder.embed(texts if texts is not None else [c.text for c in cands], "passage")
    own = np.asarray([c.hit.municipality in wanted for c in cands])
    return np.asarray(np.where(own, sentences @ queries[-1], sentences @ queries[0]), dtype=np.float32)


def bars(searcher: Searcher, asked: str, cands: list[Candidate], limits: Thresholds) -> np.ndarray:
    """Each sentence's bar, by the question's language (`asked`) and its document's: lower when the two
    differ, and for English in English than for Danish in Danish."""
    return np.asarray(
        [
            limits.cross_language
            if not _same_language(asked, lang)
            else limits.english
            if lang == "en"
            else limits.same_language
            for lang in _languages(searcher, asked, cands)
        ],
        dtype=np.float32,
    )


def in_language(searcher: Searcher, asked: str, cands: list[Candidate]) -> list[bool]:
    """For each sentence, whether its document is in the question's language (`asked`)."""
    return [_same_language(asked, lang) for lang in _languages(searcher, asked, cands)]


def _languages(searcher: Searcher, asked: str, cands: list[Candidate]) -> list[str]:
    """Each sentence's document's language; the question's for a document the catalog does not know."""
    docs = searcher.catalog().docs
    return [docs[c.hit.doc_id].language if c.hit.doc_id in docs else asked for c in cands]
