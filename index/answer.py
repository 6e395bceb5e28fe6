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

import re
import time
from dataclasses import replace
from itertools import zip_longest

import numpy as np

from index.actions import answering_action
from index.cited import Answer, Citation, Thresholds, answer_text, cite, declined
from index.embed import Embedder
from index.evidence import (
    about,
    bars,
    named_municipalities,
    reply_language,
    similarities,
    without_municipalities,
)
from index.excerpts import excerpts
from index.focus import fit, unanswered_focus
from index.models import Filters, Hit
from index.question import (
    asks_for_action,
    asks_for_figure,
    asks_for_money,
    checked,
    content_terms,
    has_words,
    is_keyword_query,
    is_question,
    mostly_symbols,
    words,
)
from index.quotes import (
    Candidate,
    candidates,
    continuation,
    raises_problem,
    split_sentences,
    states_action,
    states_figure,
    states_money,
    states_problem,
)
from index.search import Searcher
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


_RESPONSE_WINDOW = 3  # sentences after a problem where what is done about it is looked for
_RESPONSES = 2  # responses added to an answer at most
_DEPTH, _WIDTH = 4, 3  # passages searched, and passages answered from, per passage asked for (k)


# --- choosing --------------------------------------------------------------------------------------
def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", text)}


def _repeats(text: str, chosen: list[Candidate], limit: float) -> bool:
    mine = _words(text)
    return any(
        len(mine & _words(other.text)) / max(1, min(len(mine), len(_words(other.text)))) > limit
        for other in chosen
    )


def preference(cands: list[Candidate], limits: Thresholds) -> np.ndarray:
    """What each sentence's rank gains for a question about actions: stating one, or describing a problem."""
    return np.asarray(
        [
            0.0
            if c.text.endswith(":")  # announces a list: what it states is in the list
            else limits.action_weight
            if states_action(c.text)
            else -limits.action_weight
            if states_problem(c.text)
            else 0.0
            for c in cands
        ],
        dtype=np.float32,
    )


def select(
    cands: list[Candidate], evidence: np.ndarray, limits: Thresholds, prefer: np.ndarray | None = None
) -> list[int]:
    """Indexes of the sentences to quote, best first: near the best one, no repeats; none when even the
    best is under its bar. `prefer` shifts the ranking; a sentence it lifts may lie under its bar by at
    most that much."""
    if not len(evidence) or float(evidence.max()) < 0:
        return []
    rank = evidence + prefer if prefer is not None else evidence
    order = [int(i) for i in np.argsort(-rank, kind="stable")]
    floor = max(0.0, float(rank[order[0]]) - limits.margin)
    chosen: list[int] = []
    for i in order:
        if rank[i] < floor or len(chosen) == limits.max_citations:
            break
        if prefer is not None and evidence[i] < -limits.action_weight:
            continue
        if not _repeats(cands[i].text, [cands[j] for j in chosen], limits.near_duplicate):
            chosen.append(i)
    return chosen


def supported(cands: list[Candidate], evidence: np.ndarray, question: str, limits: Thresholds) -> list[int]:
    """For a question about actions that no sentence quite answers: the sentences just under their bar
    (by at most the action weight) that state an action in a passage holding at least half of the
    question's own words. The words are what lifts them: without them, nothing is quoted."""
    near = [
        i
        for i in np.argsort(-evidence, kind="stable")
        if evidence[i] >= -limits.action_weight
        and states_action(cands[i].text)
        and mentioned(question, cands[i].hit.text)
    ]
    return [int(i) for i in near[: limits.max_citations]]


def focused(
    searcher: Searcher, question: str, cands: list[Candidate], evidence: np.ndarray, limits: Thresholds
) -> list[int]:
    """For a question about actions that no sentence clears its bar for: the sentence stating an action,
    within reach of its bar, that answers most to the words the question turns on (`index.focus.fit`),
    when it answers to them by at least `limits.focus_fit`. Across languages the bar is often just
    missed by the very sentence that answers; what it says about the question's own words tells it apart
    from one that only shares the setting."""
    near = [
        int(i)
        for i in np.argsort(-evidence, kind="stable")
        if evidence[i] >= -limits.focus_reach and states_action(cands[i].text)
    ]
    if not near:
        return []
    fits = fit(searcher.embedder, question, [cands[i].text for i in near])
    best = int(np.argmax(fits))
    return [near[best]] if fits[best] >= limits.focus_fit else []


def read_on(
    embedder: Embedder, question: str, cands: list[Candidate], wanted: set[str], lang: str, bar: np.ndarray
) -> np.ndarray:
    """For a question about actions: each sentence that states an action, read together with the sentence
    before it in its passage, against the sentence's bar (-inf for the others). What is done often
    answers the question only with the problem that comes before it ("Several citizens complained that
    their payments were stopped without warning. The Jobcentre has changed its procedure so that …")."""
    read = np.full(len(cands), -np.inf, dtype=np.float32)
    which = [
        i
        for i, c in enumerate(cands)
        if i > 0 and cands[i - 1].hit is c.hit and states_action(c.text) and not cands[i - 1].lead_in
    ]
    if which:
        texts = [_stretch(cands[i - 1], cands[i]) for i in which]
        sims = similarities(embedder, question, [cands[i] for i in which], wanted, lang, texts)
        read[which] = sims - bar[which]
    return read


def read_first(
    cands: list[Candidate], evidence: np.ndarray, read: np.ndarray, chosen: list[int], limits: Thresholds
) -> tuple[list[int], frozenset[int]]:
    """`chosen` with the actions that clear their bar read on from the sentence before them (`read_on`) put
    first, when nothing was chosen or when they lie `limits.read_ahead` above the best sentence alone; and
    which of the result were chosen so (they are quoted with that sentence)."""
    if not len(read):
        return chosen, frozenset()
    lead = float(read.max()) - (float(evidence.max()) if chosen else 0.0)
    if lead < (limits.read_ahead if chosen else 0.0):
        return chosen, frozenset()
    first = select(cands, read, limits)
    return [*first, *(i for i in chosen if i not in first)][: limits.max_citations], frozenset(first)


def _stretch(first: Candidate, last: Candidate) -> str:
    """The stored text of one passage from the start of `first` to the end of `last`."""
    return first.hit.text[first.start - first.hit.start : last.end - first.hit.start]


def answered_problem(cands: list[Candidate], evidence: np.ndarray, limits: Thresholds) -> list[int]:
    """For a question about actions that no sentence clears its bar for: the closest sentence that states a
    problem, when it lies at most `limits.problem_reach` under its bar and is followed close by, in its
    passage, by a sentence that states an action (the problem the question names, then what is done about
    it). The two are quoted by `responses`; the action alone seldom repeats the question's words."""
    near = [
        int(i)
        for i in np.argsort(-evidence, kind="stable")
        if evidence[i] >= -limits.problem_reach and raises_problem(cands[i].text)
    ]
    return next(([i] for i in near if _response(cands, i) is not None), [])


def _response(cands: list[Candidate], i: int) -> int | None:
    """The first sentence after `i`, in its passage and close by, that states an action."""
    near = range(i + 1, min(i + 1 + _RESPONSE_WINDOW, len(cands)))
    return next((j for j in near if cands[j].hit is cands[i].hit and states_action(cands[j].text)), None)


def responses(cands: list[Candidate], chosen: list[int]) -> list[int]:
    """For a question about actions: a chosen sentence that describes a problem is preceded by the first
    sentence after it, in the same passage and close by, that states an action (the problem and what is
    done about it stand together: the next sentence, the next cell of a table row)."""
    result: list[int] = []
    added = 0
    for i in chosen:
        if added < _RESPONSES and (states_problem(cands[i].text) or not states_action(cands[i].text)):
            j = _response(cands, i)
            if j is not None and j not in result and j not in chosen:
                result.append(j)
                added += 1
        if i not in result:
            result.append(i)
    return result


def spans(
    cands: list[Candidate], chosen: list[int], action: bool, read_on: frozenset[int] = frozenset()
) -> list[tuple[int, int]]:
    """The chosen sentences as (first, last) candidate indexes: a lead-in runs on to its continuation, a
    continuation takes its lead-in along, a sentence chosen as read on from the one before it
    (`read_on`) takes that one along; spans inside another are left out."""
    result: list[tuple[int, int]] = []
    for i in chosen:
        first, last = i, i
        if i in read_on:
            first = i - 1
        elif cands[i].lead_in:
            last = continuation(cands, i, action)
        elif i > 0 and cands[i - 1].lead_in and continuation(cands, i - 1, action) >= i:
            first = i - 1
        if cands[first].hit is not cands[last].hit:
            first, last = i, i
        inside = [
            n
            for n, (a, b) in enumerate(result)
            if cands[a].hit is cands[first].hit and a <= last and first <= b
        ]
        if inside:  # overlaps one already chosen: join the two
            a, b = result[inside[0]]
            result[inside[0]] = (min(a, first), max(b, last))
        else:
            result.append((first, last))
    return result


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
    bar = bars(searcher, asked, cands, limits.same_language, limits.cross_language)
    evidence = cosine - bar
    best = float(evidence.max()) if len(evidence) else None
    states = states_money if asks_for_money(plain) else states_figure if asks_for_figure(plain) else None
    action = asks_for_action(plain)
    chosen = select(cands, evidence, limits, preference(cands, limits) if action else None)
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
        chosen = focused(searcher, own, cands, evidence, limits)
    if action and chosen:
        chosen = answering_action(searcher.embedder, own, cands, evidence, chosen, limits)
    if action:
        chosen = responses(cands, chosen)
    if states is not None:
        # A question for a figure is answered by the chosen sentences that state one (for a sum, with its
        # currency). Only those: letting a sentence further down answer instead (tried) answered
        # unanswerable questions with whatever number came next.
        chosen = [i for i in chosen if states(cands[i].text)]
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


def mentioned(text: str, passage: str) -> bool:
    """Whether at least half of a text's content terms (stems, compound parts) occur in a passage."""
    wanted = content_terms(text)
    return bool(wanted) and len(wanted & content_terms(passage)) * 2 >= len(wanted)


def retrieve(searcher: Searcher, question: str, k: int, filters: Filters | None) -> list[Hit]:
    """The passages an answer draws on, for k: the top 3k that can speak for the municipalities the
    question names, out of a search 4k deep, taken in turn with the top of a search within each named
    municipality's own documents. Deeper and within, so that other municipalities' passages (or its own in
    the question's language, when the one that answers is in another) do not crowd a named one's out;
    wider than k, so that one document close to the question in wording does not crowd out the one whose
    sentence answers it. Each sentence still has to clear its bar on its own."""
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
