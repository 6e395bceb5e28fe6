"""Finding recommendations in any document: recommendation columns of tables, sentences that recommend
(see `index.trace.cues` for what counts and what only looks alike), and bullets under a recommending
lead-in — in the advisor's own text, or quoted and summarised in responses. Each gets its addressee unit:
named in the sentence, else in the row's unit column, else by its section's heading."""

from __future__ import annotations

import re
from collections.abc import Iterator

from index.trace.cues import ATTRIBUTED, RECOMMENDATION_OF, RECOMMENDS, is_lead_in, recommending_cue
from index.trace.department import in_section, in_sentence
from index.trace.models import Extracted, Span
from ingest.assemble import SECTION_SEPARATOR
from ingest.models import CellSpan, Document, Unit, content_hash
from ingest.sentences import sentence_spans
from ingest.skeleton import fold

# Column headers, compared accent-folded and lower-cased.
REC_HEADERS = ("anbefal", "recommend", "kritik", "forslag", "papeg")
THEME_HEADERS = ("tema", "emne", "theme", "topic")
RESPONSE_HEADERS = ("opfolg", "svar", "handling", "follow", "response", "hvad gor", "tiltag", "initiativ")

# Table columns that name the addressee unit of a row.
UNIT_HEADERS = ("omrad", "afdeling", "forvaltning", "enhed", "ansvarlig", "adressat", "department", "unit")
RESPONDING_TYPES = ("response", "minutes", "note", "agenda")
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


_YEAR = re.compile(r"\b(19|20)\d\d\b")
HEAD_CHARS = 400


def document_when(doc: Document) -> str | None:
    """When a document was written, for ordering answers: its date, else the latest year its head prints
    (a letterhead's "4. april 2024" that the date reader did not take). Never used as the document's date."""
    if doc.date:
        return doc.date
    years = [m.group(0) for m in _YEAR.finditer(doc.text[:HEAD_CHARS])]
    return max(years) if years else None


def _theme_of(section: str) -> str:
    last = section.split(SECTION_SEPARATOR)[-1] if section else ""
    return re.sub(r"^\s*\d+(\.\d+)*\.?\s*", "", last).strip()


def _make(
    doc: Document,
    span: Span,
    theme: str,
    section: str,
    year: int | None,
    row: Span | None,
    department: str | None = None,
) -> Extracted:
    rec_id = content_hash(doc.doc_id, " ".join(span.text.split()))
    unit = in_sentence(span.text) or department or in_section(section)
    return Extracted(
        rec_id, span, doc.source, theme, section, year, doc.municipality, row, unit, title=doc.title
    )


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
        unit_cell = _cell(unit, UNIT_HEADERS)
        named = doc.text[unit_cell.start : unit_cell.end].strip(' "”“•\n') if unit_cell else None
        yield _make(doc, span, theme or _theme_of(unit.section), unit.section, year, row, named or None)


def _attributed(sentence: str) -> bool:
    """In a responding document: a sentence that reports what the advisor or the report recommended."""
    return bool(ATTRIBUTED.search(sentence)) and bool(
        RECOMMENDS.search(sentence) or RECOMMENDATION_OF.search(sentence)
    )


def _from_sentences(doc: Document, year: int | None) -> Iterator[Extracted]:
    responding = doc.doc_type in RESPONDING_TYPES
    listing: str | None = None  # the section of a lead-in whose bullets are recommendations, while they last
    for unit in doc.units:
        if unit.cells or unit.kind == "heading":
            listing = None
            continue
        if unit.kind == "bullet" and listing is not None and unit.section == listing:
            if len(doc.text[unit.start : unit.end].split()) >= _MIN_WORDS:
                span = _span(doc, unit.start, unit.end)
                yield _make(doc, span, _theme_of(unit.section), unit.section, year, None)
            continue
        listing = None
        for start, end in sentence_spans(doc.text[unit.start : unit.end], unit.start):
            sentence = doc.text[start:end]
            if is_lead_in(sentence) and (not responding or ATTRIBUTED.search(sentence)):
                listing = unit.section
                continue
            if len(sentence.split()) < _MIN_WORDS or recommending_cue(sentence) is None:
                continue
            if responding and not _attributed(sentence):
                continue
            yield _make(doc, _span(doc, start, end), _theme_of(unit.section), unit.section, year, None)


def extract(doc: Document) -> list[Extracted]:
    """The recommendations in one document, in reading order, one per table row or sentence."""
    year = report_year(doc)
    found = {r.rec_id: r for r in [*_from_rows(doc, year), *_from_sentences(doc, year)]}
    return sorted(found.values(), key=lambda r: r.span.start)
