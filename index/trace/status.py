"""A status per recommendation, decided by the evidence, explained in a sentence and a language-neutral code.

The evidence is the place that answers this recommendation: the linked passage of each answering document
(its own table row when the report pairs them). When several documents answer, the latest one decides the
current status. A passage counts as an answer when its relative score (see `index.trace.link`) stands out
from the recommendation's other candidates, or when it is the same table row.

| `reason_code`   | status          | the evidence says |
|---|---|---|
| `action_taken`  | `addressed`     | a change made ("har pr. 1. april indført", "er indskærpet") |
| `decision_made` | `addressed`     | a decision or a dated start ("Det er besluttet", "fra 1. juni 2024") |
| `plan_or_study` | `partially`     | a plan or study, no decision ("vil undersøge", "vil blive drøftet") |
| `acknowledged`  | `partially`     | agreement, no commitment ("er enig", "tages med i overvejelserne") |
| `mentioned`     | `partially`     | the same subject, neither an action nor a plan |
| `mixed`         | `partially`     | part declined, part acted on or planned (one cell for several units) |
| `declined`      | `not_addressed` | the unit declines ("finder ikke anledning til", "ser ikke behov for") |
| `no_match`      | `not_addressed` | answering documents exist, but no passage answers this recommendation |
| `no_response`   | `not_addressed` | no later document of the same municipality |
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from index.trace.models import Response, Status
from index.trace.reasons import Reason

# A passage must stand this many spread units above the recommendation's mean over its candidates (the
# one-to-one matching adds one unit to each recommendation's own place). Measured on the development sets.
LINKED = 1.0

REASON_CODES: dict[str, Status] = {
    "action_taken": "addressed",
    "decision_made": "addressed",
    "plan_or_study": "partially",
    "acknowledged": "partially",
    "mentioned": "partially",
    "mixed": "partially",
    "declined": "not_addressed",
    "no_match": "not_addressed",
    "no_response": "not_addressed",
}

_DECLINE = re.compile(
    r"\b(finder|ser|har|vurderer|mener|skønner)\s+(\w+\s+){0,2}(ikke|ingen)[\s,]+([\w,]+\s+){0,4}"
    r"(anledning|behov|grund|mulighed)|"
    r"\bikke\s+(\w+\s+){0,2}(enig|imødekomme|hensigtsmæssigt)|\b(afviser|fastholder|ønsker ikke|vil ikke|"
    r"kan ikke (\w+\s+){0,2}(imødekomme|følge|indføre|gennemføre))|"
    r"\b(sees? no (need|reason)|declines?|does not agree|will not)\b",
    re.IGNORECASE,
)
_PARTICIPLE = (
    r"(indført|iværksat|etableret|udsendt|implementeret|gennemført|ændret|nedsat|igangsat|oprettet|"
    r"ansat|udarbejdet|revideret|afsat|indskærpet|opdateret|fastsat|offentliggjort|godkendt|instrueret|"
    r"indarbejdet|omlagt|justeret|tilrettet|udvidet|skrevet om|taget i brug|sendt|lanceret|forbedret|"
    r"decided|introduced|implemented|established|launched|adopted|changed)"
)
_DONE = re.compile(
    rf"\b(har|er|blev|er blevet|have|has|was|were|been)\s+([\w.]+\s+){{0,8}}?{_PARTICIPLE}\b|"
    rf"\b{_PARTICIPLE}\s+(i|pr\.|den)\s+(\d|januar|februar|marts|april|maj|juni|juli|august|september|oktober|"
    r"november|december)|\b(har|have|has)\s+(\w+\s+){0,3}?(siden|since)\b",
    re.IGNORECASE,
)
_DECIDED = re.compile(
    r"\b(det er besluttet|har besluttet|er vedtaget|har vedtaget|it (has been|was) decided)\b|"
    r"\b(træder i kraft|gælder fra|takes effect)\b|"
    r"\b(fra|pr\.|med virkning fra|from)\s+(den\s+)?\d{1,2}\.?\s+(januar|februar|marts|april|maj|juni|juli|"
    r"august|september|oktober|november|december|january|february|march|may|june|july|october)\w*\s+\d{4}",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(vil|skal|agter|forventer|planlægger|påtænker)\s+(\w+\s+){0,4}?"
    r"(undersøge|overveje|vurdere|drøfte|se på|arbejde|afdække|analysere|kigge|"
    r"blive drøftet|blive vurderet|blive undersøgt|blive set på)|"
    r"\b(vil|skal)\s+(\w+\s+){0,3}?(indskærpe|indføre|ændre|etablere|iværksætte|revidere|udarbejde|gennemgå|"
    r"følge op|opkvalificere|blive fulgt op|blive indført|blive ændret)|\b(i færd med|i gang med|arbejder "
    r"(\w+\s+){0,2}?(med|på)|fortsætter)\b|"
    r"\b(undersøger|overvejer|vurderer|drøfter|analyserer|afdækker|planlægger)\s+(\w+\s+){0,3}?(at|om|"
    r"mulighed\w*|hvordan)\b|"
    r"\b(undersøges|overvejes|vurderes|drøftes|analyseres|afdækkes|på sigt|arbejdes (der )?(løbende )?på|"
    r"plan(s|ned)? to|will (consider|review|look into|examine))\b",
    re.IGNORECASE,
)
_ACKNOWLEDGED = re.compile(
    r"\b(enig(e)?|tages med i overvejelserne|tager .{0,40}til (sig|efterretning)|opmærksom(me)?|kan genkende|"
    r"genkender|anerkender|noterer sig|fokus på|agrees?|aware|acknowledges?)\b",
    re.IGNORECASE,
)
_PARTS = re.compile(r"(?<=[.;!?])\s+|\s*[•◦]\s*")  # sentences and bullets of a passage
_NEGATED = re.compile(r"\bikke\b|\bnot\b", re.IGNORECASE)


def _commitment(quote: str) -> tuple[str, str] | None:
    for code, pattern in (("action_taken", _DONE), ("decision_made", _DECIDED)):
        for found in pattern.finditer(quote):
            if not _NEGATED.search(_clause(quote, found)):
                return code, found.group(0)
    for code, pattern in (("plan_or_study", _PLANNED), ("acknowledged", _ACKNOWLEDGED)):
        intent = pattern.search(quote)
        if intent:
            return code, intent.group(0)
    return None


def classify(quote: str) -> tuple[str, str | None]:
    """The reason code a passage supports, and the words that decided it. A decline decides, unless
    another part of the passage (a follow-up cell answering for several units) acts on or plans it."""
    declined = _DECLINE.search(quote)
    if declined:
        parts = _PARTS.split(quote)
        other = _commitment(" ".join(p for p in parts if not _DECLINE.search(p)))
        if other is None:
            return "declined", declined.group(0)
        return "mixed", f"{declined.group(0)} … {other[1]}"
    return _commitment(quote) or ("mentioned", None)


def _clause(text: str, found: re.Match[str]) -> str:
    """The clause around a match: an action negated in its own clause ("sendes ikke") is not an action."""
    start = max(text.rfind(c, 0, found.start()) for c in ",;.") + 1
    ends = [e for e in (text.find(c, found.end()) for c in ",;.") if e >= 0]
    return text[start : min(ends, default=len(text))]


_CONFIDENCE = {"action_taken": 0.6, "decision_made": 0.6, "plan_or_study": 0.5, "acknowledged": 0.45}


def _latest(linked: Sequence[Response], dates: Mapping[str, str | None]) -> Response:
    """The answer from the latest dated document; undated ones rank after dated, by score."""
    return max(linked, key=lambda r: (dates.get(r.doc_id) or "", r.score))


def judge(
    responses: Sequence[Response], dates: Mapping[str, str | None] | None = None
) -> tuple[Status, float, Reason, list[Response]]:
    """Status, confidence, reason and the evidence that decided it (best first)."""
    linked = [r for r in responses if r.same_row or r.score >= LINKED]
    if not linked:
        if not responses:
            return "not_addressed", 0.6, Reason("no_response"), []
        best = max(r.score for r in responses)
        reason = Reason("no_match", best=best, needs=LINKED)
        return "not_addressed", min(0.9, 0.5 + 0.1 * (LINKED - best)), reason, []
    deciding = next((r for r in linked if r.same_row), None) or _latest(linked, dates or {})
    code, words = classify(deciding.quote)
    reason = Reason(code, where="" if deciding.same_row else deciding.source, words=words or "")
    strength = 1.0 if deciding.same_row else min(1.0, (deciding.score - LINKED) / LINKED)
    confidence = _CONFIDENCE.get(code, 0.35) + 0.35 * max(strength, 0.0)
    evidence = [deciding, *(r for r in linked if r is not deciding)]
    return REASON_CODES[code], min(confidence, 0.95), reason, evidence
