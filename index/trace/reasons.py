"""A status's reason as a language-neutral code, and in Danish.

The status step explains each verdict in one English sentence from a few fixed templates; the code names
the template (for filters, counts and translations) and `danish` says the same sentence in Danish, as the
web page does (api/static/reasons.js). A sentence from no known template keeps its English words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# The latest of several answers decides; its own reason follows the prefix.
LATEST = re.compile(r"^Latest of (\d+) answers \(([^)]*)\): (.+)$")


def _comma(number: str) -> str:
    return number.replace(".", ",")


def _where(place: str) -> str:
    return "samme tabelrække" if place == "the same table row" else place


_TEMPLATES: list[tuple[str, re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        "mentioned",
        re.compile(r"^The response in (.+) is on the same subject but states no action or plan\.$"),
        lambda m: f"Svaret i {_where(m[1])} handler om det samme, men nævner ingen handling eller plan.",
    ),
    (
        "no_match",
        re.compile(
            r"^No passage (?:in|of) a later document stands out as an answer "
            r"\(best (-?[\d.]+), needs ([\d.]+)\)\.$"
        ),
        lambda m: (
            f"Ingen passage i et senere dokument skiller sig ud som svar (bedste {_comma(m[1])}, "
            f"kræver {_comma(m[2])})."
        ),
    ),
    (
        "no_response",
        re.compile(r"^No later document of the same municipality is in the corpus\.$"),
        lambda m: "Der er intet senere dokument fra samme kommune blandt dokumenterne.",
    ),
    (
        "action_taken",
        re.compile(r"^The response in (.+) reports a change already made \(“(.*)”\)\.$"),
        lambda m: f"Svaret i {_where(m[1])} nævner en ændring, der allerede er gennemført (»{m[2]}«).",
    ),
    (
        "decision_made",
        re.compile(r"^The response in (.+) states a decision \(“(.*)”\)\.$"),
        lambda m: f"Svaret i {_where(m[1])} nævner en beslutning (»{m[2]}«).",
    ),
    (
        "plan_or_study",
        re.compile(r"^The response in (.+) plans or studies it \(“(.*)”\) without a decision\.$"),
        lambda m: f"Svaret i {_where(m[1])} planlægger eller undersøger det (»{m[2]}«) uden en beslutning.",
    ),
    (
        "acknowledged",
        re.compile(r"^The response in (.+) acknowledges it \(“(.*)”\) without a commitment\.$"),
        lambda m: f"Svaret i {_where(m[1])} anerkender det (»{m[2]}«) uden et tilsagn.",
    ),
    (
        "declined",
        re.compile(r"^The response in (.+) declines it \(“(.*)”\)\.$"),
        lambda m: f"Svaret i {_where(m[1])} afviser det (»{m[2]}«).",
    ),
    (
        "mixed",
        re.compile(
            r"^The response in (.+) declines part of it and acts on or plans another part \(“(.*)”\)\.$"
        ),
        lambda m: (
            f"Svaret i {_where(m[1])} afviser en del af det og handler på eller planlægger en anden del "
            f"(»{m[2]}«)."
        ),
    ),
]


def latest_reason(count: int, when: str, reason: str) -> str:
    """The reason of a status decided by the latest of `count` answering documents (`when`: its year)."""
    return f"Latest of {count} answers ({when}): {reason}"


def reason_code(reason: str) -> str:
    """The template a reason comes from ("decision_made", "declined", …); "other" for a sentence from none."""
    latest = LATEST.match(reason)
    text = latest[3] if latest else reason
    return next((code for code, pattern, _ in _TEMPLATES if pattern.match(text)), "other")


def danish(reason: str) -> str:
    """The reason in Danish where its template is known, else as it came."""
    latest = LATEST.match(reason)
    if latest:
        inner = danish(latest[3])
        return f"Det seneste af {latest[1]} svar ({latest[2]}) afgør: {inner[:1].lower()}{inner[1:]}"
    for _, pattern, say in _TEMPLATES:
        found = pattern.match(reason)
        if found:
            return say(found)
    return reason


def localised(reason: str, lang: str) -> str:
    return danish(reason) if lang == "da" else reason
