"""Finding recommendations in any document: recommendation columns of tables, and sentences that
recommend, criticise or propose — in the advisor's own text, or quoted and summarised in responses."""

from __future__ import annotations

import re
from collections.abc import Iterator

from index.trace.models import Extracted, Span
from ingest.assemble import SECTION_SEPARATOR
from ingest.models import CellSpan, Document, Unit, content_hash
from ingest.sentences import sentence_spans
from ingest.skeleton import fold

# Column headers, compared accent-folded and lower-cased.
REC_HEADERS = ("anbefal", "recommend", "kritik", "forslag", "papeg")
THEME_HEADERS = ("tema", "emne", "theme", "topic")
RESPONSE_HEADERS = ("opfolg", "svar", "handling", "follow", "response", "hvad gor", "tiltag", "initiativ")

# A sentence that recommends, criticises or proposes.
_CUE = re.compile(
    r"\b(det anbefales|anbefaler|anbefalinge?n? om|anbefales|bør|foreslås|foreslår|det foreslås|"
    r"der konstateres|konstaterer|opfordrer|opfordres|henstiller|kritiserer|"
    r"recommends?|recommended|should|proposes?)\b",
    re.IGNORECASE,
)
# In a response, a recommending sentence counts only when it is attributed to the advisor or report.
_ATTRIBUTED = re.compile(
    r"borgerr[aå]d(s)?giver|ombudsm|beretning|[aå]rsrapport|citizen advisor|ombudsman|the report",
    re.IGNORECASE,
)
_RECOMMENDS = re.compile(r"anbefal|foresl|påpeg|peger på|recommend|propos", re.IGNORECASE)
_REPORT_YEAR = re.compile(
    r"(?:[aå]rsrapport|[aå]rsberetning|beretning|annual report)\D{0,40}?\b((?:19|20)\d\d)\b", re.IGNORECASE
)
_MIN_WORDS = 5


def _header_is(cell: CellSpan, names: tuple[str, ...]) -> bool:
    header = fold(cell.header).lower()
    return any(name in header for name in names)


def _cell(unit: Unit, names: tuple[str, ...]) -> CellSpan | None:
    return next((c for c in unit.cells if _header_is(c, names)), None)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())


def _span(doc: Document, start: int, end: int) -> Span:
    start, end = _trimmed(doc.text, start, end)
    return Span(doc.doc_id, start, end, doc.text[start:end])


def report_year(doc: Document) -> int | None:
    """The year of the report the document comes from or answers; else the year it is dated."""
    found = _REPORT_YEAR.search(doc.text[:5000])
    if found:
        return int(found.group(1))
    return int(doc.date[:4]) if doc.date else None


def _theme_of(section: str) -> str:
    last = section.split(SECTION_SEPARATOR)[-1] if section else ""
    return re.sub(r"^\s*\d+(\.\d+)*\.?\s*", "", last).strip()


def _make(
    doc: Document, span: Span, theme: str, section: str, year: int | None, row: Span | None
) -> Extracted:
    rec_id = content_hash(doc.doc_id, " ".join(span.text.split()))
    return Extracted(rec_id, span, doc.source, theme, section, year, doc.municipality, row, doc.title)


def _from_rows(doc: Document, year: int | None) -> Iterator[Extracted]:
    for unit in doc.units:
        rec_cell = _cell(unit, REC_HEADERS) if unit.cells else None
        if rec_cell is None or rec_cell.end <= rec_cell.start:
            continue
        span = _span(doc, rec_cell.start, rec_cell.end)
        if len(span.text.split()) < 2:
            continue
        theme_cell = _cell(unit, THEME_HEADERS)
        theme = doc.text[theme_cell.start : theme_cell.end].strip(' "”“•\n') if theme_cell else ""
        response_cell = _cell(unit, RESPONSE_HEADERS)
        row = _span(doc, response_cell.start, response_cell.end) if response_cell else None
        yield _make(doc, span, theme or _theme_of(unit.section), unit.section, year, row)


def _from_sentences(doc: Document, year: int | None) -> Iterator[Extracted]:
    attributed_only = doc.doc_type in ("response", "minutes")
    for unit in doc.units:
        if unit.cells or unit.kind == "heading":
            continue
        for start, end in sentence_spans(doc.text[unit.start : unit.end], unit.start):
            sentence = doc.text[start:end]
            if len(sentence.split()) < _MIN_WORDS:
                continue
            if attributed_only:
                if not (_ATTRIBUTED.search(sentence) and _RECOMMENDS.search(sentence)):
                    continue
            elif not _CUE.search(sentence):
                continue
            yield _make(doc, _span(doc, start, end), _theme_of(unit.section), unit.section, year, None)


def extract(doc: Document) -> list[Extracted]:
    """The recommendations in one document, in reading order, one per table row or sentence."""
    year = report_year(doc)
    found = {r.rec_id: r for r in [*_from_rows(doc, year), *_from_sentences(doc, year)]}
    return sorted(found.values(), key=lambda r: r.span.start)
