"""For a question about actions: the action that answers the question's own words, from the passage the
answer already quotes.

A passage that answers "hvad vil X gøre ved afgørelser, som borgerne ikke forstår?" often holds several
actions, and the one closest to the question as a whole (a receipt for unanswered mail) can be another
than the one about what is asked (decision letters rewritten in plain language), which may lie a few
hundredths under its bar. What tells them apart is how much each answers to the words the question
turns on (`index.focus.fit`): the action of the same passage that answers to them clearly better than
every quote chosen, and well enough on its own, is quoted first.
"""

from __future__ import annotations

import numpy as np

from index.cited import Thresholds
from index.embed import Embedder
from index.focus import fit
from index.quotes import Candidate, states_action


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
