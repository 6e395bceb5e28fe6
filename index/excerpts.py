"""Excerpts for a keyword query ("telefon", "klart sprog"): not an answer to a question, but the sentences
that mention the words best, each cited like an answer's. A sentence mentions a word when they share a
stem or a compound part ("telefon" in "telefonpolitikken"); when none does (an English word over Danish
text), sentences as close to the query as an answer's must be stand in; when none is, nothing is shown.
"""

from __future__ import annotations

import time

import numpy as np
import wordfreq

from index.analyze import stem
from index.cited import Answer, Citation, Thresholds, cite, declined
from index.evidence import bars, similarities
from index.models import Filters
from index.question import MIN_ZIPF, words
from index.quotes import Candidate, candidates
from index.search import Searcher

_PASSAGES = 10  # a keyword's mentions are spread over more passages than an answer's
_PER_DOCUMENT = 2

EXCERPTS = {
    "da": "Uddrag fra dokumenterne, der nævner »{query}« (søgeord, ikke et spørgsmål): ",
    "en": 'Excerpts from the documents that mention "{query}" (keywords, not a question): ',
}
NO_MENTION = {
    "da": "Ingen passage i dokumenterne nævner »{query}«, så der vises ingen uddrag.",
    "en": 'No passage in the documents mentions "{query}", so no excerpts are shown.',
}


def keyword_language(query: str) -> str:
    """Danish, unless the words are English and not Danish (a single word fools language detection)."""
    english = all(not _in(w, "da") and _in(w, "en") for w in words(query))
    return "en" if english else "da"


def _in(word: str, lang: str) -> bool:
    return wordfreq.zipf_frequency(word.lower(), lang) >= MIN_ZIPF


def mentions(cands: list[Candidate], query: str) -> np.ndarray:
    """How many of the query's words each sentence mentions: the word's stem inside one of its words
    ("klag" in "klagesagerne", "telefon" in "telefonpolitikken")."""
    stems = {stem(w) for w in words(query) if len(w) > 2} or {stem(w) for w in words(query)}
    return np.asarray([sum(s in c.text.lower() for s in stems) for c in cands], dtype=np.float32)


def excerpts(
    searcher: Searcher,
    question: str,
    query: str,
    k: int,
    filters: Filters | None,
    limits: Thresholds,
    started: float,
) -> Answer:
    """The sentences of the top passages that mention the query's words most, closest first."""
    lang = keyword_language(query)
    hits = searcher.search(query, max(k, _PASSAGES), filters).results
    cands = candidates(hits)
    if not cands:
        return declined(question, NO_MENTION[lang].format(query=query), started)
    cosine = similarities(searcher.embedder, query, cands, set(), lang)
    count = mentions(cands, query)
    if count.max() > 0:
        eligible = count == count.max()  # the sentences that mention most of the words, closest first
        rank = cosine
    else:
        eligible = cosine - bars(searcher, lang, cands, limits) >= 0
        rank = cosine
    order = [int(i) for i in np.argsort(-rank, kind="stable") if eligible[i]]
    chosen: list[int] = []
    for i in order:
        same_doc = sum(cands[j].hit.doc_id == cands[i].hit.doc_id for j in chosen)
        same_text = any(" ".join(cands[j].text.split()) == " ".join(cands[i].text.split()) for j in chosen)
        if same_doc < _PER_DOCUMENT and not same_text:
            chosen.append(i)
        if len(chosen) == limits.max_citations:
            break
    if not chosen:
        return declined(question, NO_MENTION[lang].format(query=query), started)
    citations = [cite(n, cands[i], cands[i], float(cosine[i])) for n, i in enumerate(chosen, start=1)]
    took = (time.perf_counter() - started) * 1000
    return Answer(question, _text(citations, query, lang), True, tuple(citations), took, None, "excerpts")


def _text(citations: list[Citation], query: str, lang: str) -> str:
    quotes = " ".join(f"“{' '.join(c.quote.split())}” [{c.n}]" for c in citations)
    return EXCERPTS[lang].format(query=query) + quotes
