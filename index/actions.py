"""For a question about actions ("what did X do / promise / decide"): which sentences answer it.

A sentence that states an action, decision or commitment ranks above one that describes the problem
(`preference`); a problem or background sentence that is chosen brings the action after it along
(`responses`). Where no sentence clears its bar alone, an action may still answer: read on from the
sentence before it (`read_on`, `read_first`), after a problem just under the bar (`answered_problem`), with
half the question's words in its passage (`supported`), or answering most to the words the question turns
on (`focused`, `index.focus.fit`). A passage often holds several actions, and the one closest to the
question as a whole (a receipt for unanswered mail) can be another than the one about what is asked
(decision letters rewritten in plain language): the action of a quoted passage that answers clearly
better to the question's words is quoted first (`answering_action`). From minutes, the decision of the
agenda item the answer comes from goes first (`decision_first`).
"""

from __future__ import annotations

import re

import numpy as np

from index.choice import select
from index.cited import Thresholds
from index.embed import Embedder
from index.evidence import similarities
from index.focus import fit
from index.question import mentioned
from index.quotes import Candidate, raises_problem, states_action, states_problem
from ingest.assemble import SECTION_SEPARATOR
from ingest.fields import is_decision_field, is_item_field

_RESPONSE_WINDOW = 3  # sentences after a problem where what is done about it is looked for
_RESPONSES = 2  # responses added to an answer at most


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
    embedder: Embedder, question: str, cands: list[Candidate], evidence: np.ndarray, limits: Thresholds
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
    fits = fit(embedder, question, [cands[i].text for i in near])
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
    first: the best of them and those near it (`select`), when nothing was chosen or when the best lies
    `limits.read_ahead` above the best sentence alone; and which of the result were chosen so (they are
    quoted with the sentence before them). Keeping only those `read_ahead` above (tried) lost a question
    whose answer was the second reading on."""
    if not len(read):
        return chosen, frozenset()
    lead = float(read.max()) - (float(evidence.max()) if chosen else 0.0)
    if lead < (limits.read_ahead if chosen else 0.0):
        return chosen, frozenset()
    first = select(cands, read, limits)  # once the reading on wins, its choice as a whole
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
    """For a question about actions: a chosen sentence that states no action (a problem, a recommendation,
    background) is preceded by the first sentence after it, in the same passage and close by, that states
    one (the problem and what is done about it stand together: the next sentence, the next cell of a table
    row)."""
    result: list[int] = []
    added = 0
    for i in chosen:
        if added < _RESPONSES and not states_action(cands[i].text):
            j = _response(cands, i)
            if j is not None and j not in result and j not in chosen:
                result.append(j)
                added += 1
        if i not in result:
            result.append(i)
    return result


def answering_action(
    embedder: Embedder,
    question: str,
    cands: list[Candidate],
    evidence: np.ndarray,
    chosen: list[int],
    limits: Thresholds,
) -> list[int]:
    """`chosen` with the action of a chosen sentence's passage that answers most to the question's words
    put first, when it lies at most `limits.passage_reach` under its bar, answers to them by at least
    `limits.focus_fit`, and more than every chosen sentence does; else `chosen` as it is."""
    passages = {id(cands[i].hit) for i in chosen}
    pool = [
        j
        for j, c in enumerate(cands)
        if j not in chosen
        and id(c.hit) in passages
        and evidence[j] >= -limits.passage_reach
        and states_action(c.text)
    ]
    if not pool:
        return chosen
    fits = fit(embedder, question, [cands[i].text for i in [*chosen, *pool]])
    mine, theirs = fits[: len(chosen)], fits[len(chosen) :]
    best = int(np.argmax(theirs))
    if theirs[best] < limits.focus_fit or theirs[best] <= float(mine.max()):
        return chosen
    return [pool[best], *chosen][: limits.max_citations]


_HEADING_WORDS = 10
# A line of its own that ends no sentence or clause: a heading (a date's periods inside it are no end:
# "Beslutning i Social- og Sundhedsudvalget den 11. marts 2025:").
_HEADING_LINE = re.compile(r"^[^\S\n]*([^\n]{1,79}[^\s.!?,;])[^\S\n]*$", re.MULTILINE)


def _decision(name: str) -> bool:
    return is_decision_field(name) or name.strip().rstrip(":").lower() == "decision"


def _headings(c: Candidate) -> list[str]:
    """The headings of a sentence's passage above it: lines of their own that start like a title."""
    lines = (m.group(1) for m in _HEADING_LINE.finditer(c.hit.text[: c.start - c.hit.start]))
    return [h for h in lines if len(h.split()) <= _HEADING_WORDS and (h[0].isupper() or h[0].isdigit())]


def _item(c: Candidate) -> tuple[str, str] | None:
    """The agenda item a sentence belongs to (its document and the item's section path), or None when its
    passage is not divided into an item's fields. A passage can run on into the next item: a heading of
    its own paragraph above the sentence that is no field ("Punkt 7. Forslag om …") starts that item."""
    path = c.hit.section.split(SECTION_SEPARATOR) if c.hit.section else []
    divided = len(path) > 1 and is_item_field(path[-1])
    heads = _headings(c)
    items = [h for h in heads if not is_item_field(h)]
    if items and (divided or len(items) < len(heads)):
        outer = path[:-2] if divided else path[:-1]
        return c.hit.doc_id, SECTION_SEPARATOR.join([*outer, items[-1]])
    return (c.hit.doc_id, SECTION_SEPARATOR.join(path[:-1])) if divided else None


def _in_decision(c: Candidate) -> bool:
    """Whether a sentence stands under an item's decision field: the last heading above it in its passage
    is that field (a field, not the next item's title), or, with none, the passage's own section is."""
    heads = _headings(c)
    if heads:
        return is_item_field(heads[-1]) and _decision(heads[-1])
    return _decision(c.hit.section.split(SECTION_SEPARATOR)[-1])


def decision_first(
    cands: list[Candidate], evidence: np.ndarray, chosen: list[int], limits: Thresholds
) -> list[int]:
    """For a question about actions answered from an agenda item of minutes (the chosen sentence closest to
    the question is in it): the first sentence of that item's decision goes first, when it lies at most
    `limits.passage_reach` under its bar. What a committee did about a matter is what it decided; the case
    description and the proposal come before it."""
    if not chosen:
        return chosen
    item = _item(cands[max(chosen, key=lambda i: float(evidence[i]))])  # the item closest to the question
    if item is None:
        return chosen
    decided = [
        j
        for j, c in enumerate(cands)
        if _item(c) == item
        and _in_decision(c)
        and evidence[j] >= -limits.passage_reach
        and not states_problem(c.text)
    ]
    if not decided:
        return chosen
    # The first that states an action ("Udvalget godkendte …"), before a list of who was absent.
    first = min(decided, key=lambda j: (not states_action(cands[j].text), cands[j].hit.start, cands[j].start))
    return [first, *(i for i in chosen if i != first)][: limits.max_citations]
