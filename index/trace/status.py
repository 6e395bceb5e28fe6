"""A status per recommendation, decided by the evidence and explained in one sentence.

`addressed`: a linked response states a concrete action or decision. `partially`: it acknowledges,
studies or plans without committing. `not_addressed`: no response passage is close enough.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.trace.models import Response, Status

# A response passage must be at least this close (embedding cosine plus small lifts) to count as linked;
# measured on the 004 table: true follow-ups score 0.83–0.92, unrelated passages mostly below 0.80.
LINKED = 0.80

_ACTION = re.compile(
    r"\b((er|blev|bliver|har|vil blive) (nu |netop |derfor |også )?(besluttet|indført|iværksat|etableret|"
    r"udsendt|implementeret|gennemført|ændret|nedsat|igangsat|oprettet|lagt|ansat|udarbejdet|revideret|"
    r"afsat|indskærpet|gennemgået|opdateret|sat)|besluttet|iværksætte|igangsætte|indskærpe[r]?|"
    r"etablere[r]?|implementere[r]?|indføre[r]?|udsendt|afholde[r]?|sikre[r]?|"
    r"decided|introduced|implemented|established|launched|will (introduce|implement|ensure|set up))\b",
    re.IGNORECASE,
)
_INTENT = re.compile(
    r"\b(undersøge[sr]?|overveje[sr]?|vurdere[sr]?|drøfte[sr]?|drøftelse|på sigt|arbejde[sr]? (løbende )?på|"
    r"arbejdes (løbende )?på|opmærksom(me)?|kan genkende|genkender|evaluering|evaluere|sat på pause|"
    r"forvente[r]?|planlægge[sr]?|tager .{0,40}til sig|enig(e)?|fokus på|"
    r"consider(ing)?|review(ing)?|aware|plan(s|ned)? to|look into)\b",
    re.IGNORECASE,
)


def _first(pattern: re.Pattern[str], responses: Sequence[Response]) -> str | None:
    for response in responses:
        found = pattern.search(response.quote)
        if found:
            return found.group(0)
    return None


def judge(responses: Sequence[Response]) -> tuple[Status, float, str, list[Response]]:
    """Status, confidence, reason and the evidence that decided it."""
    linked = [r for r in responses if r.score >= LINKED]
    if not linked:
        best = max((r.score for r in responses), default=0.0)
        reason = (
            f"No response passage matches it closely enough (best match {best:.2f}, needs {LINKED:.2f})."
            if responses
            else "No response document from the same municipality is in the corpus."
        )
        return "not_addressed", min(0.9, 0.5 + (LINKED - best)), reason, []
    evidence = linked[:2]
    strength = min(1.0, (evidence[0].score - LINKED) / (1 - LINKED)) if not evidence[0].same_row else 1.0
    where = "the same table row" if evidence[0].same_row else evidence[0].source
    action = _first(_ACTION, evidence)
    if action:
        reason = f"The response in {where} states a concrete action or decision (“{action}”)."
        return "addressed", 0.55 + 0.4 * strength, reason, linked
    intent = _first(_INTENT, evidence)
    if intent:
        reason = f"The response in {where} acknowledges or plans (“{intent}”) without a concrete commitment."
        return "partially", 0.5 + 0.3 * strength, reason, linked
    reason = f"The response in {where} is on the same subject but states no action or plan."
    return "partially", 0.35 + 0.2 * strength, reason, linked
