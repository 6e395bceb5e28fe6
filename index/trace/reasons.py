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
        "no_close_match",
        re.compile(
            r"^No response passage matches it closely enough \(best match ([\d.]+), needs ([\d.]+)\)\.$"
        ),
        lambda m: (
            f"Ingen passage i svarene ligner anbefalingen nok (bedste match {_comma(m[1])}, "
            f"kræver {_comma(m[2])})."
        ),
    ),
    (
        "no_answer_document",
        re.compile(r"^No response document from the same municipality is in the corpus\.$"),
        lambda m: "Der er intet svar fra samme kommune blandt dokumenterne.",
    ),
    (
        "no_later_document",
        re.compile(r"^No document of the same municipality dated after the report answers it\.$"),
        lambda m: "Intet dokument fra samme kommune dateret efter rapporten svarer på anbefalingen.",
    ),
    (
        "action",
        re.compile(r"^The response in (.+) states a concrete action or decision \(“(.*)”\)\.$"),
        lambda m: f"Svaret i {_where(m[1])} nævner en konkret handling eller beslutning (»{m[2]}«).",
    ),
    (
        "intent",
        re.compile(
            r"^The response in (.+) acknowledges or plans \(“(.*)”\) without a concrete commitment\.$"
        ),
        lambda m: f"Svaret i {_where(m[1])} anerkender eller planlægger (»{m[2]}«) uden et konkret tilsagn.",
    ),
    (
        "same_subject",
        re.compile(r"^The response in (.+) is on the same subject but states no action or plan\.$"),
        lambda m: f"Svaret i {_where(m[1])} handler om det samme, men nævner ingen handling eller plan.",
    ),
]


NO_LATER_DOCUMENT = "No document of the same municipality dated after the report answers it."


def latest_reason(count: int, when: str, reason: str) -> str:
    """The reason of a status decided by the latest of `count` answering documents (`when`: its year)."""
    return f"Latest of {count} answers ({when}): {reason}"


def reason_code(reason: str) -> str:
    """The template a reason comes from ("action", "intent", …); "other" for a sentence from none."""
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
