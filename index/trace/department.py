"""The unit a recommendation is addressed to: named in the sentence, in its table row, or by its section.

Danish units are compounds on a few stems ("Ældre- og Handicapforvaltningen", "Jobcentret",
"Pladsanvisningen", "Hjælpemiddelteamet") or short capitalised pairs ("Vej og Park", "Teknik & Byg").
The advisor, the municipality and bare generic words ("forvaltningen", "kommunen") are not addressees:
then the section's heading says which unit the passage is about.
"""

from __future__ import annotations

import re

from index.trace.cues import RECOMMENDS
from ingest.assemble import SECTION_SEPARATOR
from ingest.skeleton import fold

_STEMS = (
    "forvaltning",
    "afdeling",
    "kontor",
    "team",
    "enhed",
    "radgivning",
    "anvisning",
    "visitation",
    "center",
    "centre",
    "sekretariat",
    "service",
    "opkraevning",
    "myndighed",
    "direktion",
    "stab",
    "administration",
)
_GENERIC = frozenset(
    {
        "forvaltningen",
        "forvaltningerne",
        "afdelingen",
        "afdelingerne",
        "kommunen",
        "administrationen",
        "myndigheden",
        "myndighederne",
        "enheden",
        "enhederne",
        "centret",
        "centeret",
        "stabene",
        "direktionen",
        "kontoret",
        "teamet",
    }
)
_NOT_UNITS = re.compile(r"borgerr[aå]dgiv|ombudsm|kommune\b|kommunes\b", re.IGNORECASE)
_WORD = re.compile(r"(?:[\wÆØÅæøå]+-\s+og\s+)?[\wÆØÅæøå]+")
_JOBCENTER = re.compile(r"\bJobcenter\s+[A-ZÆØÅ][\wæøå]+")
_PAIR = re.compile(r"\b[A-ZÆØÅ][\wæøå]+(?:-\s+og\s+|\s+(?:og|&)\s+)[A-ZÆØÅ][\wæøå]+")
_GENERIC_HEADING = re.compile(
    r"anbefal|indledning|forord|resum|sammenfat|opfølgning|afslutning|baggrund|^om\b|tal for|statistik|"
    r"citater|bilag|konklusion|indhold|[aå]rsrapport|beretning|funktion|generelt|introduction|summary",
    re.IGNORECASE,
)


def _is_unit_word(word: str) -> bool:
    key = fold(word).lower().replace("- og ", " ")
    last = key.split()[-1]
    if last in _GENERIC or _NOT_UNITS.search(word):
        return False
    for stem in _STEMS:
        at = last.find(stem)
        if at < 0:
            continue
        # A name ("Pladsanvisningen", "Visitationen"), or a definite compound ("genoptræningsenheden").
        if word[0].isupper() or " " in key or (at > 0 and last.endswith(("en", "et"))):
            return True
    return False


def _nominative(name: str) -> str:
    """ "Rehabiliteringsteamets" → "Rehabiliteringsteamet": the unit, not its genitive."""
    return name[:-1] if name.endswith(("ets", "ens")) else name


def in_sentence(sentence: str) -> str | None:
    """The unit the sentence addresses: after the verb that recommends ("opfordrer Visitationen til"),
    else the first unit it names ("Borgerservice bør …"); the advisor and the municipality are not units."""
    verb = RECOMMENDS.search(sentence)
    if verb:
        after = _first_unit(sentence[verb.end() :])
        if after:
            return after
    return _first_unit(sentence)


def _first_unit(sentence: str) -> str | None:
    found: list[tuple[int, str]] = []
    for pattern in (_JOBCENTER, _PAIR):
        found += [
            (m.start(), m.group(0)) for m in pattern.finditer(sentence) if not _NOT_UNITS.search(m.group(0))
        ]
    found += [(m.start(), m.group(0)) for m in _WORD.finditer(sentence) if _is_unit_word(m.group(0))]
    if not found:
        return None
    start = min(at for at, _ in found)
    # Of names starting at the same place, the longest ("Jobcenter Odense" over "Jobcenter").
    return _nominative(max((name for at, name in found if at == start), key=len).strip())


def in_section(section: str) -> str | None:
    """The innermost heading that names a subject area rather than a part of the report."""
    for heading in reversed(section.split(SECTION_SEPARATOR) if section else []):
        name = re.sub(r"^\s*\d+(\.\d+)*\.?\s*", "", heading).strip()
        if name and not _GENERIC_HEADING.search(name) and len(name.split()) <= 8:
            return name
    return None
