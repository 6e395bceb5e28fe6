"""Small readings shared by the readers: dates, closed-access labels, decision fields, empty HTML."""

from __future__ import annotations

import html
import re

_MONTHS = {
    "januar": 1,
    "februar": 2,
    "marts": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DANISH_DATE = re.compile(r"(?<!\d)(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?!\d)")
_DANISH_WORDS_DATE = re.compile(r"(?<!\d)(\d{1,2})\.?\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})(?!\d)", re.I)
_TIME = re.compile(r"(?<!\d)(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?(?!\d)")

# Labels that say an item, an agenda or a file is not public: "Lukket punkt", "Lukket dagsorden",
# "Fortrolig publicering", "Må ikke publiceres", Acadre's "Person" items, English enum names.
_CLOSED = re.compile(
    r"lukket|fortrolig|ikke[\s-]+offentlig|ikke[\s-]+publicer|må ikke|skal ikke|personsag|^person$"
    r"|closed|confidential|restricted|private|not\s+public|non[\s-]?public",
    re.I,
)
# A decision field: "Beslutning", "Beslutning i Økonomiudvalget den 10-04-2013", "Udvalgets beslutning";
# not "Beslutningen træffes af" (who decides) nor "Forslag til beslutning".
_DECISION = re.compile(r"(?<![a-zæøå])beslutning(?![a-zæøå])", re.I)
_NOT_DECISION = re.compile(r"forslag|indstilling|træffes", re.I)
_TAG = re.compile(r"<[^>]*>")
_TRUE = {"true", "1", "yes", "ja", "sand"}
_FALSE = {"false", "0", "no", "nej", "falsk"}


def meeting_when(value: str) -> tuple[str, str | None] | None:
    """ISO date and HH:MM time from a manifest's date string, or None when it holds no date.

    Reads "15-05-2013 16:30:00", "02-05-2017 10:00", "2013-06-20 10:30", "2013-06-20T10:30:00",
    "04.12.2012" and "20. juni 2013 - Kl. 10:30". A time of 00:00 is read as no time (a date alone).
    """
    for pattern, order in ((_ISO_DATE, "ymd"), (_DANISH_DATE, "dmy"), (_DANISH_WORDS_DATE, "dMy")):
        found = pattern.search(value)
        if found is None:
            continue
        first, second, third = found.groups()
        if order == "ymd":
            year, month, day = int(first), int(second), int(third)
        elif order == "dmy":
            day, month, year = int(first), int(second), int(third)
        else:
            day, month, year = int(first), _MONTHS[second.lower()], int(third)
        if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2200):
            continue
        return f"{year:04d}-{month:02d}-{day:02d}", _time(value[found.end() :])
    return None


def _time(rest: str) -> str | None:
    found = _TIME.search(rest)
    if found is None:
        return None
    hours, minutes = int(found.group(1)), int(found.group(2))
    if hours > 23 or minutes > 59 or (hours, minutes) == (0, 0):
        return None
    return f"{hours:02d}:{minutes:02d}"


def is_closed_label(label: str) -> bool:
    """Whether an access or publishing label marks something as not public."""
    return bool(label.strip()) and _CLOSED.search(label.strip()) is not None


def is_decision_name(name: str) -> bool:
    """Whether a field's name says it holds the decision ("Beslutning")."""
    return _DECISION.search(name) is not None and _NOT_DECISION.search(name) is None


def flag(value: str) -> bool | None:
    """A manifest's boolean ("True", "false", "1"), or None when it says neither."""
    folded = value.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    return None


def is_empty_html(content: str) -> bool:
    """Whether HTML (or plain text) has no visible text: "", "<p>&nbsp;</p>", "<br />"."""
    visible = html.unescape(_TAG.sub(" ", content))
    return not visible.replace("\xa0", " ").strip()
