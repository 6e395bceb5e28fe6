"""Which sentences an answer quotes: the best one and those near it, without repeats, and the spans of
stored text they make (a bullet's lead-in runs on to its continuation)."""

from __future__ import annotations

import re

import numpy as np

from index.cited import Thresholds
from index.quotes import Candidate, continuation


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", text)}


def _repeats(text: str, chosen: list[Candidate], limit: float) -> bool:
    mine = _words(text)
    return any(
        len(mine & _words(other.text)) / max(1, min(len(mine), len(_words(other.text)))) > limit
        for other in chosen
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
