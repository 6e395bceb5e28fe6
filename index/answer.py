"""Extractive answers with citations: the sentences of the top passages that best answer a question,
quoted verbatim with their offsets in the stored text. Nothing is generated, so nothing is invented; when
no sentence is close enough to the question, the answer says that the documents do not answer it.

A sentence's evidence is its cosine similarity to the question (the searcher's embedder: the question as
a query, the sentences as passages) measured against a bar. Cross-lingual similarity runs lower than
same-language similarity, so an English question over a Danish passage has a lower bar. The bars are
calibrated on the QA set and `eval/data/unanswerable.jsonl` (see `eval/answers.py`).

Whether a question is answered is decided by that evidence alone. Which sentences answer it also weighs
what they state: for "what did X do / promise / decide" a sentence stating an action, decision or
commitment goes before one describing the problem. A bullet's lead-in is quoted with its continuation.
Input without a Danish or English word is declined, and one or two words get excerpts (`index/excerpts.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from itertools import zip_longest

import numpy as np

from index.actions import (
    answered_problem,
    answering_action,
    decision_first,
    focused,
    preference,
    read_first,
    read_on,
    responses,
    supported,
)
from index.choice import select, spans
from index.cited import Answer, Citation, Thresholds, answer_text, cite, declined
from index.counted import about_asked
from index.evidence import (
    about,
    bars,
    in_language,
    named_municipalities,
    reply_language,
    similarities,
    without_municipalities,
)
from index.excerpts import excerpts
from index.focus import unanswered_focus
from index.models import Filters, Hit
from index.question import (
    asks_about_proposals,
    asks_also_when,
    asks_for_action,
    asks_for_figure,
    asks_for_money,
    asks_for_person,
    asks_for_time,
    asks_since_when,
    checked,
    has_words,
    is_keyword_query,
    is_question,
    mentioned,
    mostly_symbols,
    words,
)
from index.quotes import (
    Candidate,
    candidates,
    only_considered,
    split_sentences,
    states_figure,
    states_money,
    states_name,
    states_point_in_time,
    states_time,
)
from index.search import Searcher
from index.units import naming
from ingest.metadata import detect_language

__all__ = [
    "NO_ANSWER",
    "NO_WORDS",
    "Answer",
    "Candidate",
    "Citation",
    "Thresholds",
    "compose_answer",
    "named_municipalities",
    "preferred",
    "reply_language",
    "select",
    "split_sentences",
    "without_municipalities",
]

NO_ANSWER = {
    "da": "Ingen passage i dokumenterne besvarer dette spørgsmål, så der gives intet svar.",
    "en": "No passage in the documents answers this question, so no answer is given.",
}
NO_WORDS = {
    "da": "Spørgsmålet indeholder ingen danske eller engelske ord at søge på, så der gives intet svar.",
    "en": "The question holds no Danish or English word to search for, so no answer is given.",
}


# What the answer to a kind of question must state (the first kind that fits): a sum, a figure, a name, a
# point in time, a time.
_ANSWERED_BY: tuple[tuple[Callable[[str], bool], Callable[[str], bool]], ...] = (
    (asks_for_money, states_money),
    (asks_for_figure, states_figure),
    (asks_for_person, states_name),
    (asks_since_when, states_point_in_time),
    (asks_for_time, states_time),
)
_DEPTH, _WIDTH = 5, 5  # passages searched, and passages answered from, per passage asked for (k)


def _stored(searcher: Searcher, doc_id: str) -> tuple[str, bool]:
    doc = searcher.record.document(doc_id)
    return (doc.text, doc.ocr_garbled) if doc is not None else ("", False)


def preferred(question: str, cands: list[Candidate], limits: Thresholds, action: bool) -> np.ndarray | None:
    """What each sentence's rank gains from what the question asks besides its topic: an action (see
    `index.actions.preference`), and a time when a second part asks when ("Which units were trained, and
    when?"), since a sentence that says when answers both parts."""
    prefer = preference(cands, limits) if action else None
    if asks_also_when(question):
        timed = np.asarray([limits.action_weight if states_time(c.text) else 0.0 for c in cands], np.float32)
        prefer = timed if prefer is None else prefer + timed
    return prefer


def compose_answer(
    searcher: Searcher,
    question: str,
    k: int = 5,
    filters: Filters | None = None,
    limits: Thresholds | None = None,
) -> Answer:
    """Search, quote the sentences that best answer the question, and cite them; or say there is none.
    Raises `index.question.MarkupOnly` for input that is markup and nothing else."""
    started = time.perf_counter()
    limits = limits or Thresholds()
    plain = checked(question)
    asked = detect_language(plain)
    if mostly_symbols(plain) or not (has_words(plain) or _corpus_word(searcher, plain)):
        # Without a word there is no language to tell either: the documents' own language is used.
        return declined(question, NO_WORDS["da"], started)
    if is_keyword_query(plain):
        return excerpts(searcher, question, plain, k, filters, limits, started)
    wanted = named_municipalities(plain)
    hits = retrieve(searcher, plain, k, filters)
    cands = candidates(hits)
    cosine = similarities(searcher.embedder, plain, cands, wanted, reply_language(asked))
    bar = bars(searcher, asked, cands, limits)
    evidence = cosine - bar
    best = float(evidence.max()) if len(evidence) else None
    states = next((states for asks, states in _ANSWERED_BY if asks(plain)), None)
    action = asks_for_action(plain)
    chosen = select(cands, evidence, limits, preferred(plain, cands, limits, action))
    # The question as a municipality's own passages are compared with it (see `similarities`).
    bare = without_municipalities(plain, reply_language(asked))
    joined: frozenset[int] = frozenset()
    if action:
        read = read_on(searcher.embedder, plain, cands, wanted, reply_language(asked), bar)
        chosen, joined = read_first(cands, evidence, read, chosen, limits)
    if action and not chosen:
        chosen = supported(cands, evidence, bare, limits)
    own = bare if wanted else plain
    if action and not chosen:
        chosen = answered_problem(cands, evidence, limits)
    if action and not chosen:
        chosen = focused(searcher.embedder, own, cands, evidence, limits)
    if action and chosen:
        chosen = answering_action(searcher.embedder, own, cands, evidence, chosen, limits)
        chosen = decision_first(cands, evidence, chosen, limits)
    if action:
        chosen = responses(cands, chosen)
    if not asks_about_proposals(plain):
        # What was decided, done or is so is not answered by what was only considered or proposed: the
        # sets' on-topic questions about ideas never decided were answered that way.
        chosen = [i for i in chosen if not only_considered(cands[i].text)]
    if states is not None:
        # A question for a figure is answered by the chosen sentences that state one (for a sum, with its
        # currency; for who holds a post, a name; for when, a time). Only those: letting a sentence further
        # down answer instead (tried) answered unanswerable questions with whatever number came next.
        chosen = [i for i in chosen if states(cands[i].text)]
    alike = in_language(searcher, asked, cands)
    chosen = about_asked(plain, cands, chosen, alike)
    chosen = naming(plain, cands, chosen, alike, lambda doc_id: _stored(searcher, doc_id))
    if not is_question(plain):
        # Not a question (a statement, a command, a string of words): its words themselves must occur
        # around a sentence for it to be quoted.
        chosen = [i for i in chosen if mentioned(plain, cands[i].hit.text)]
    citations = [
        cite(n, cands[a], cands[b], float(cosine[a : b + 1].max()))
        for n, (a, b) in enumerate(spans(cands, chosen, action, joined), start=1)
    ]
    if citations and unanswered_focus(
        searcher.embedder, own, [c.quote for c in citations], limits.focus_drift
    ):
        citations = []
    if not citations:
        return declined(question, NO_ANSWER[reply_language(asked)], started, best)
    took = (time.perf_counter() - started) * 1000
    return Answer(question, answer_text(citations), True, tuple(citations), took, best)


def retrieve(searcher: Searcher, question: str, k: int, filters: Filters | None) -> list[Hit]:
    """The passages an answer draws on, for k: the top 5k that can speak for the municipalities the
    question names, out of a search 5k deep, taken in turn with the top of a search within each named
    municipality's own documents. Within, so that other municipalities' passages (or its own in the
    question's language, when the one that answers is in another) do not crowd a named one's out; deeper
    and wider than k, so that documents close to the question in wording (English ones for an English
    question) do not crowd out the one whose sentence answers it. Each sentence still has to clear its bar
    on its own."""
    wanted = named_municipalities(question)
    found = searcher.search(question, k * _DEPTH, filters).results
    ranked = [[h for h in found if about(h, wanted)]]
    if not (filters and filters.municipality):
        scope = filters or Filters()
        ranked += [
            searcher.search(question, k * _WIDTH, replace(scope, municipality=name)).results
            for name in sorted(wanted)
        ]
    return _alternated(ranked)[: k * _WIDTH]


def _alternated(ranked: list[list[Hit]]) -> list[Hit]:
    """The rankings' hits taken in turn, rank by rank, each passage once."""
    seen: set[str] = set()
    result = []
    for row in zip_longest(*ranked):
        for hit in row:
            if hit is not None and hit.chunk_id not in seen:
                seen.add(hit.chunk_id)
                result.append(hit)
    return result


def _corpus_word(searcher: Searcher, text: str) -> bool:
    """Whether any word of the text is a word of the indexed passages (a name, a compound)."""
    lexical = searcher.lexical()
    return any(lexical.knows(w) for w in words(text) if len(w) > 1)
