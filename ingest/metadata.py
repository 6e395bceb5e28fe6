"""Document metadata read from the cleaned text: language, own date, document type and title.

Each function is small and pure. They look where a document states these things about itself (its
header, a labelled field, its title) and never guess from the body: a date mentioned in passing is not the
document's date. Cue words are compared on the skeleton key so that OCR'd copies classify like clean ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from functools import cache

from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException

from ingest.gazetteer import load_gazetteer
from ingest.models import DocType, Unit
from ingest.skeleton import skeleton

_LANGUAGE_SAMPLE = 4000
_HEADER_LINES = 8
_LONG_BLOCK = 160  # a block longer than this is body text: the header zone ends before it
_MAX_TITLE = 200
_SHORT_LINE = 60


# langdetect mixes the Scandinavian languages up on short text: a Danish question is often "no".
SCANDINAVIAN = frozenset({"da", "no", "nb", "nn", "sv"})


def scandinavian_as_danish(code: str) -> str:
    """A detected language with the Scandinavian ones taken as Danish, the corpus' own."""
    return "da" if code in SCANDINAVIAN else code


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when there is nothing to tell it by."""
    sample = text[:_LANGUAGE_SAMPLE]
    if not any(ch.isalpha() for ch in sample):
        return "und"
    DetectorFactory.seed = 0  # langdetect is random unless seeded
    try:
        return str(detect(sample))
    except LangDetectException:
        return "und"


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(phrase.strip() for phrase in text.split("|"))


# --- dates -----------------------------------------------------------------------------------------

_MONTHS = tuple(
    tuple(names.split())
    for names in _phrases(
        "januar january jan | februar february feb | marts march mar | april apr | maj may |"
        "juni june jun | juli july jul | august aug | september sep sept | oktober october okt oct |"
        "november nov | december dec"
    )
)
MONTH_NAMES = tuple(name for names in _MONTHS for name in names)  # every spelling, Danish and English
_MONTH_WORD = r"[^\W\d_][^\s\d.,:;]{2,11}"
_DMY = rf"(?P<d1>\d{{1,2}})(?:\.|st|nd|rd|th)?\s*(?P<m1>{_MONTH_WORD})\.?\s+(?P<y1>\d{{4}})"
_MDY = rf"(?P<m2>{_MONTH_WORD})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
_NUMERIC = r"(?P<d3>\d{1,2})(?P<sep>[./-])(?P<m3>\d{1,2})(?P=sep)(?P<y3>\d{4})"
_ISO = r"(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})"
_DATE = rf"(?:{_DMY}|{_MDY}|{_NUMERIC}|{_ISO})"
WEEKDAY = r"(?:(?:man|tirs|ons|tors|fre|lør|søn)dag|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
# "13. marts 2023", "Gentofte, den 13. marts 2023", "Mandag den 13. marts 2023": only a date.
_DATE_LINE = re.compile(
    rf"(?:[^\d\n,]{{1,40}},\s*)?(?:{WEEKDAY}\s*,?\s*)?(?:den\s+|d\.\s*)?{_DATE}\s*\.?", re.IGNORECASE
)
_DATE_LABEL = r"(?:dato|date|mødedato|meeting date|udgivet|published|offentliggjort|dateret)"
_LABELLED = re.compile(rf"{_DATE_LABEL}\s*[:.]?\s*(?:den\s+)?{_DATE}", re.IGNORECASE)


@cache
def _month_tables() -> tuple[dict[str, int], dict[str, int]]:
    exact = {name: i for i, names in enumerate(_MONTHS, start=1) for name in names}
    fuzzy: dict[str, set[int]] = {}
    for i, names in enumerate(_MONTHS, start=1):
        for name in names:
            if len(name) >= 5:
                fuzzy.setdefault(skeleton(name), set()).add(i)
    return exact, {key: next(iter(ms)) for key, ms in fuzzy.items() if len(ms) == 1 and len(key) >= 4}


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _month(word: str) -> int | None:
    """A month number from a name, tolerating OCR damage where only one month fits."""
    exact, fuzzy = _month_tables()
    lowered = word.lower().rstrip(".")
    if lowered in exact:
        return exact[lowered]
    if len(lowered) < 4:
        return None
    key = skeleton(lowered)
    if key in fuzzy:
        return fuzzy[key]
    near = {month for candidate, month in fuzzy.items() if len(key) >= 5 and _within_one_edit(key, candidate)}
    return near.pop() if len(near) == 1 else None


def _iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    for n in "1234":
        if groups[f"y{n}"]:
            day, month_text, year = groups[f"d{n}"], groups[f"m{n}"], groups[f"y{n}"]
            month = int(month_text) if month_text.isdigit() else _month(month_text)
            if month is None or not 1900 <= int(year) <= 2100:
                return None
            try:
                return dt.date(int(year), month, int(day)).isoformat()
            except ValueError:
                return None
    return None


def _header_lines(text: str) -> list[str]:
    """The first few non-empty lines, ending before the first long paragraph."""
    lines: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        block_lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not block_lines:
            continue
        if len(" ".join(block_lines)) > _LONG_BLOCK:
            # A date line glued to the first paragraph (a lost blank line) is still a header line.
            glued = [line for line in block_lines[:1] if len(line) <= _SHORT_LINE]
            return (lines + glued)[:_HEADER_LINES]
        lines.extend(block_lines)
        if len(lines) >= _HEADER_LINES:
            break
    return lines[:_HEADER_LINES]


def _date_line(line: str) -> str | None:
    match = _DATE_LINE.fullmatch(line.strip())
    return _iso(match) if match else None


def find_date(text: str) -> str | None:
    """The date the document prints as its own (ISO "YYYY-MM-DD"), or None; never one from the body."""
    for line in _header_lines(text):
        if found := _date_line(line):
            return found
    for line in text.splitlines():
        match = _LABELLED.match(line.strip())
        if match and (found := _iso(match)):
            return found
    return None


# --- the year a document is about ------------------------------------------------------------------

_YEAR = r"(?P<year>(?:19|20)\d{2})\b"
_REPORT = (
    r"\w*(?:beretning|rapport|redegørelse|regnskab|evaluering)"
    r"|annual\s+report|report|review|statement"
)
# "beretning for 2017", "Årsrapport 2023", "annual report for 2022", "regnskab for året 2021"
_REPORT_YEAR = re.compile(
    rf"\b(?:{_REPORT})\s+(?:for\s+)?(?:(?:året|the\s+year)\s+)?{_YEAR}(?![-–/]\d)", re.IGNORECASE
)
# "for perioden 1. maj til 31. december 2023", "the period from May to December 2023": the period's end
_PERIOD_YEAR = re.compile(
    rf"\b(?:perioden|period)\b[^;:!?]{{0,80}}?\s(?:til|to|until|-|–)\s+[^;:!?]{{0,30}}?\b{_YEAR}",
    re.IGNORECASE,
)
_OPENING = 1500  # characters of the text where a document says what it covers


def find_year(text: str, title: str) -> tuple[int, str] | None:
    """The year a document says it is about, and where it says so ("title" or "text"): a report for a
    year or a period that ends in one, named in its title or its opening; never a year mentioned in the
    body."""
    for where, haystack in (("title", title), ("text", text[:_OPENING])):
        found = [m for pattern in (_REPORT_YEAR, _PERIOD_YEAR) for m in pattern.finditer(haystack)]
        if found:
            first = min(found, key=lambda m: m.start())
            return int(first.group("year")), where
    return None


# --- document type ----------------------------------------------------------------------------------


_RESPONSE_CUES = _phrases(
    "redegørelse for de initiativer | redegørelse for initiativer | administrationens opfølgning |"
    "administrationens svar | administrationens redegørelse | administrationens bemærkninger |"
    "forvaltningens svar | forvaltningens opfølgning | forvaltningens bemærkninger |"
    "opfølgning på anbefalinger | opfølgning på beretning | opfølgning på årsberetning |"
    "høringssvar | besvarelse | svar på | management response | response to | reply to |"
    "follow-up on | follow-up to"
)
_REPORT_WORDS = _phrases("beretning | årsberetning | årsrapport | annual report | rapport | report")
_NOTE_LABELS = _phrases("notat | bilag | memo | memorandum")
_NOTE_START = re.compile(r"(?:notat|memo|memorandum)\s*(?:til|om|vedr|:)", re.IGNORECASE)
_MINUTES_LABELS = _phrases("referat | dagsorden | beslutningsprotokol | minutes | agenda")
_MINUTES_BODY = _phrases("mødedato | mødested | fraværende | sagsfremstilling | afbud")
_CHROME = _phrases(
    "gå til hovedindhold | gå til hoved indhold | til forsiden | skip to main content |"
    "del på facebook | del artiklen"
)
_WEAK_CHROME = ("læs mere", "read more")  # also in reports ("Læs mere på …"): a hint, not proof
_QUOTE_ATTRIBUTION = re.compile(
    r"[”\"“»]\s*,?\s*(?:siger|fortæller|udtaler|tilføjer|says|said)\s+(?:[A-ZÆØÅ]|hun\b|han\b)"
)
_DECISION_LINE = re.compile(r"^\s*(?:beslutning|decision)\s*:", re.IGNORECASE | re.MULTILINE)
# What a document's title or header says it is, in any municipality's wording (the phrases above are
# exact): an answer to the advisor ("Opfølgning på borgerrådgiverens anbefalinger", "Redegørelse til
# Borgerrådgiveren", "Status på …anbefalinger", "Handleplan for …", "To: The Citizens' Advisor", "You said,
# we did"), a meeting's record ("Referat af mødet …", "summary … of the meeting", "Møde:"), news ("Nyhed ·
# Publiceret …", "Council Newsletter"), a memo or mail ("Til:" and "Fra:" lines).
_HEAD_CUES: dict[DocType, re.Pattern[str]] = {
    # Said to the advisor, or about recommendations, whatever else is near.
    "response": re.compile(
        r"\bsvar (?:til|på) (?:\w+ ){0,2}(?:borgerrådgiver|anbefaling|beretning|årsberetning|redegørelse)|"
        r"\b(?:til|to):?\s+(?:the\s+)?(?:borgerrådgiver|citizens?['’]?\s+advis[eo]r)|\byou said,? we did|"
        r"\bstatus (?:på|on)\b[^\n/]{0,40}\b(?:anbefaling|recommendation)",
        re.IGNORECASE,
    ),
    "minutes": re.compile(
        r"\b(?:referat|beslutningsprotokol|meeting notes|mødenoter|minutes of)\b|^minutes\b|minutes\s*[–-]|"
        r"\b(?:committee|council|board)\s+minutes\b|"
        r"^protokol\b[^\n]{0,60}\b(?:udvalg|byråd|møde|bestyrelse)|"
        r"^(?:møde|deltagere|til stede|fraværende|present|attendees|absent)\s*:|"
        r"\b(?:opsummering|summary|beslutninger)\b[^\n/]{0,40}\b(?:mødet|meeting)\b",
        re.IGNORECASE | re.MULTILINE,
    ),
    # A label with its separator ("Nyhed · Publiceret …", "Municipality news, 9 September"), a dateline, or
    # a breadcrumb through the news ("Forside / Nyheder / 2024"); not a menu's "Nyheder".
    "news": re.compile(
        r"\b(?:nyhed|news|nyhedsbrev|newsletter|pressemeddelelse|press release)\s*[·,|–-]|"
        r"^(?:nyhed|nyhedsbrev|newsletter|pressemeddelelse|press release)\b|^(?:publiceret|published)\b|"
        r"/\s*(?:nyheder|news)\s*/",
        re.IGNORECASE | re.MULTILINE,
    ),
    # The report itself, named in its header (its title line may be the unit's name): "ÅRSRAPPORT 2023",
    # "Borgerrådgiverens årsberetning 2024", "The Citizens' Advisor's Report 2023", "A thematic report".
    "report": re.compile(
        r"^(?:[\w'’]+\s+){0,3}(?:års)?(?:beretning\w*|rapport(?:en)?)\b|^(?:[\w'’]+\s+){0,4}(?:annual\s+)?report\b|"
        r"\b(?:annual|thematic)\s+report\b|\btemaundersøgelse\b",
        re.IGNORECASE | re.MULTILINE,
    ),
    "note": re.compile(r"\b(?:internal note|intern note|briefing|notat)\b", re.IGNORECASE),
}
# Answers by their form ("Opfølgning på …", "Handleplan", "Redegørelse til …"), which budgets, climate plans
# and water reports share: they count only beside what the advisor's work is about (`_ABOUT_ADVICE`).
_ANSWER_FORM = re.compile(
    r"\b(?:opfølgning(?:en)? (?:på|af)|follow[- ]?up (?:on|to)|redegørelse (?:til|om)|handleplan|"
    r"handlingsplan|action plan|status (?:på|on))\b",
    re.IGNORECASE,
)
_ADVISOR = re.compile(r"borgerrådgiver|citizens?['’]?\s+advis[eo]r", re.IGNORECASE)
_ABOUT_ADVICE = re.compile(
    _ADVISOR.pattern + r"|anbefaling|recommendation|beretning|annual report|klage|complaint|borgerkontakt",
    re.IGNORECASE,
)
_MEMO_FIELDS = (
    re.compile(r"^(?:til|to)\s*:", re.IGNORECASE),
    re.compile(r"^(?:fra|from)\s*:", re.IGNORECASE),
)
_PRIORITY: tuple[DocType, ...] = ("response", "minutes", "note", "report", "news")
_MIN_TYPE_SCORE = 3


def _padded(text: str) -> str:
    return f" {skeleton(text)} "


@cache
def _cue(phrase: str) -> str:
    return f" {skeleton(phrase)} "


def _count(haystack: str, phrases: Sequence[str]) -> int:
    """How many of the phrases occur (on the skeleton key, at word boundaries)."""
    return sum(1 for phrase in phrases if _cue(phrase) in haystack)


def _is_label(line: str, labels: tuple[str, ...]) -> bool:
    """A header line that is only a label, e.g. "Notat", "NOTAT:", "Bilag 3"."""
    words = re.sub(r"[\d:.,()]+|\bnr\b", " ", line.lower()).split()
    return len(words) == 1 and _cue(words[0]) in _label_keys(labels)


@cache
def _label_keys(labels: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_cue(label) for label in labels)


def _doc_type_scores(text: str, title: str) -> dict[DocType, int]:
    header = _header_lines(text)
    head = _padded(" \n ".join([title, *header]))
    body = _padded(text)
    title_key = skeleton(title)
    said = "\n".join([title, *header])
    scores: dict[DocType, int] = dict.fromkeys(_PRIORITY, 0)
    answers = _ANSWER_FORM.search(said) and _ABOUT_ADVICE.search(f"{said}\n{text[:_OPENING]}")
    says_response = _count(head, _RESPONSE_CUES) or _HEAD_CUES["response"].search(said) or answers
    scores["response"] = 5 * bool(says_response) + min(_count(body, _RESPONSE_CUES), 3)
    memo = all(any(field.match(line) for line in header) for field in _MEMO_FIELDS)
    to_advisor = any(_MEMO_FIELDS[0].match(line) and _ADVISOR.search(line) for line in header)
    if memo and not to_advisor:
        # A memo's or a mail's own fields outweigh a phrase in its subject ("VS: … manglende svar på …");
        # one addressed to the advisor is a letter answering the advisor, typed by its cues.
        scores["note"] += 8
    elif (
        memo
        or _HEAD_CUES["note"].search(said)
        or any(_is_label(line, _NOTE_LABELS) or _NOTE_START.match(line) for line in header)
    ):
        scores["note"] += 5
    if _HEAD_CUES["minutes"].search(said) or any(_is_label(line, _MINUTES_LABELS) for line in header):
        scores["minutes"] += 5
    scores["minutes"] += min(_count(body, _MINUTES_BODY) + len(_DECISION_LINE.findall(text)), 4)
    report_keys = [skeleton(word) for word in _REPORT_WORDS]
    if _count(f" {title_key} ", _REPORT_WORDS):
        scores["report"] += 3
        if any(title_key.startswith(key) for key in report_keys):
            scores["report"] += 2  # the title *is* a report ("Årsberetning 2023"), not about one
    elif _HEAD_CUES["report"].search(said):
        scores["report"] += 5
    news = 2 * min(_count(body, _CHROME), 2) + min(_count(body, _WEAK_CHROME), 1)
    news += 3 * bool(_HEAD_CUES["news"].search(said))
    news += 2 * min(len(_QUOTE_ATTRIBUTION.findall(text)), 3)
    if news and not any(_date_line(line) for line in header):
        news += 1
    scores["news"] = news
    return scores


def classify_doc_type(text: str, title: str) -> DocType:
    """One of report / response / note / news / minutes / other, from cues in the header and body."""
    scores = _doc_type_scores(text, title)
    best = max(_PRIORITY, key=lambda kind: scores[kind])  # ties go to the earlier, more specific type
    return best if scores[best] >= _MIN_TYPE_SCORE else "other"


# --- title ------------------------------------------------------------------------------------------

_MARKDOWN_TITLE = re.compile(r"^[ \t]{0,3}#[ \t]+(\S.*)$", re.MULTILINE)
_NON_TITLES = (
    *_NOTE_LABELS,
    *_MINUTES_LABELS,
    *_CHROME,
    *_WEAK_CHROME,
    *_phrases(
        "indhold | indholdsfortegnelse | contents | table of contents | forside | menu | søg | search | print"
    ),
)
_FIELD = re.compile(  # memo fields, case numbers and page markers
    r"(?:til|fra|cc|bcc|to|from|sendt|sent)\s*:"
    r"|(?:sagsnr|j\.?\s?nr|dok\.?\s?nr|journalnr)\b"
    r"|(?:side|page)\s+\d+(?:\s+(?:af|of)\s+\d+)?$",
    re.IGNORECASE,
)
# "Emne: SV: VS: …": a reply's and a forward's marks are no part of the subject.
_SUBJECT = re.compile(
    r"^(?:emne|vedr\.?|vedrørende|subject|re)\s*:\s*(?:(?:sv|vs|re|fw|fwd|aw|wg)\s*:\s*)*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
_ORG_WORD = re.compile(
    r"(sekretariat|forvaltning|afdeling|direktion|stab|kontor|center|centret|enhed|udvalg|administration)"
    r"(en|et|s)?$"
)
_ORG_PREFIX = re.compile(r"(?:center|centre|afdeling|sekretariat|kontor|enhed) for\b")
_FUNCTION_WORDS = frozenset(("i", "med", "til", "om", "for", "af", "på", "fra", "ved", "of", "in", "to"))
_SENTENCE_END = (".", "!", "?", ";")


def _collapse(text: str) -> str:
    return " ".join(text.replace("#", " ").split()).strip(" •◦-–")


def _cut(text: str) -> str:
    if len(text) <= _MAX_TITLE:
        return text
    head = text[: _MAX_TITLE + 1]
    return head[: head.rfind(" ")].rstrip(" ,;:–-") if " " in head else head[:_MAX_TITLE]


def _is_organisation(line: str) -> bool:
    if load_gazetteer().is_organisation(line):
        return True
    # "Direktionssekretariatet", "Center for Social og Sundhed": a sender, not a title.
    words = line.lower().split()
    bare = len(words) <= 3 and not set(words) & _FUNCTION_WORDS
    return (bare and bool(_ORG_WORD.search(words[-1]))) or bool(_ORG_PREFIX.match(line.lower()))


def _rejected(line: str) -> bool:
    """A line that is never a title: a date, a label, a sender, a form field or web chrome."""
    lowered = line.lower()
    return (
        sum(ch.isalpha() for ch in line) < 3
        or _date_line(line) is not None
        or bool(_LABELLED.match(line))
        or "cookie" in lowered
        or _is_label(line, _NON_TITLES)
        or _padded(line) in _label_keys(_NON_TITLES)
        or bool(_FIELD.match(line))
        or _is_organisation(line)
    )


def _candidates(text: str, units: Sequence[Unit]) -> Iterator[tuple[str, str]]:
    """(kind, text) of the first blocks; the text's blank-line blocks when there are no units."""
    if units:
        for unit in sorted(units, key=lambda u: u.start)[:15]:
            yield unit.kind, text[unit.start : unit.end]
        return
    for block in re.split(r"\n[ \t]*\n", text.strip())[:15]:
        yield "paragraph", block


def derive_title(text: str, units: Sequence[Unit]) -> str:
    """A title from the text: a markdown "# " title, else the first heading or short opening paragraph."""
    markdown = _MARKDOWN_TITLE.search(text[:5000])
    if markdown:
        return _cut(_collapse(markdown.group(1)))
    for kind, raw in _candidates(text, units):
        if kind in ("bullet", "row"):
            continue
        lines = [_collapse(part) for part in raw.splitlines()]
        while lines and (not lines[0] or _rejected(lines[0])):
            lines.pop(0)  # a sender or date line glued to the title by a lost blank line
        line = " ".join(part for part in lines if part)
        subject = _SUBJECT.match(line)
        if subject:
            return _cut(subject.group("rest"))
        if not line or _rejected(line):
            continue
        if kind == "heading":
            return _cut(line)
        if len(line) <= _MAX_TITLE and (not line.endswith(_SENTENCE_END) or len(line.split()) <= 12):
            return _cut(line)
        # Body text before any title: its first sentence is the best we have.
        return _cut(re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0])
    return ""
