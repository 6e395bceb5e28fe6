"""Recommendations as filtered lists and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from index.trace.models import Recommendation
from ingest.gazetteer import load_gazetteer
from ingest.skeleton import fold

Lang = Literal["da", "en"]
Dialect = Literal["excel-da", "comma"]
LANGS: tuple[Lang, ...] = ("da", "en")
DIALECTS: tuple[Dialect, ...] = ("excel-da", "comma")

# Column names per language; a response's columns repeat for as many as the longest list.
COLUMNS: dict[Lang, tuple[str, ...]] = {
    "en": (
        "rec_id",
        "municipality",
        "department",
        "year",
        "title",
        "source",
        "theme",
        "section",
        "text",
        "status",
        "confidence",
        "reason",
        "reason_code",
        "override",
        "override_note",
        "override_by",
        "override_at",
        "effective_status",
        "repeated_from_year",
        "recommended_again",
    ),
    "da": (
        "rec_id",
        "kommune",
        "forvaltning",
        "år",
        "titel",
        "fil",
        "tema",
        "afsnit",
        "anbefaling",
        "beregnet status",
        "sikkerhed",
        "begrundelse",
        "begrundelseskode",
        "rettet status",
        "note til rettelsen",
        "rettet af",
        "rettet",
        "gældende status",
        "gentaget fra år",
        "anbefalet igen",
    ),
}
RESPONSE_COLUMNS: dict[Lang, tuple[str, ...]] = {
    "en": ("response_{n}_year", "response_{n}_status", "response_{n}_source", "response_{n}_quote"),
    "da": ("svar_{n}_år", "svar_{n}_status", "svar_{n}_fil", "svar_{n}_citat"),
}
STATUS_NAMES: dict[Lang, dict[str, str]] = {
    "en": {"addressed": "addressed", "partially": "partially", "not_addressed": "not_addressed"},
    "da": {"addressed": "Fulgt op", "partially": "Delvist fulgt op", "not_addressed": "Ikke fulgt op"},
}
# Cells Excel would evaluate as a formula get a leading apostrophe: a quote is text, never a formula.
_FORMULA = ("=", "+", "-", "@")


@dataclass(frozen=True)
class RecFilters:
    municipality: str | None = None
    status: str | None = None
    theme: str | None = None
    doc_id: str | None = None
    year: int | None = None

    def keep(self, rec: Recommendation) -> bool:
        municipality = load_gazetteer().normalise(self.municipality) if self.municipality else None
        return (
            (municipality is None or rec.rec.municipality == municipality)
            and (self.status is None or rec.effective_status == self.status)
            and (self.theme is None or fold(self.theme) in fold(f"{rec.rec.theme} {rec.rec.section}"))
            and (self.doc_id is None or rec.rec.span.doc_id == self.doc_id)
            and (self.year is None or rec.rec.year == self.year)
        )


@dataclass(frozen=True)
class Quote:
    year: int | None
    status: str
    source: str
    quote: str


def quotes(rec: Recommendation) -> list[Quote]:
    """Every response quote with its source: each answering document's deciding quote (oldest first),
    then the other linked responses."""
    out = [Quote(h.year, h.status, h.source, h.quote) for h in rec.history]
    seen = {(h.doc_id, h.start, h.end) for h in rec.history}
    for r in rec.responses:
        if (r.doc_id, r.start, r.end) not in seen:
            seen.add((r.doc_id, r.start, r.end))
            out.append(Quote(None, "", r.source, r.quote))
    return out


def to_csv(recs: Sequence[Recommendation], lang: Lang = "en", dialect: Dialect = "comma") -> str:
    """The recommendations as CSV: `excel-da` is what Danish Excel opens by a double click (semicolons,
    decimal commas, UTF-8 with a byte order mark); `comma` is plain RFC 4180 UTF-8."""
    excel = dialect == "excel-da"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    names = STATUS_NAMES[lang]
    per_rec = [quotes(r) for r in recs]
    width = max((len(q) for q in per_rec), default=0)
    header = list(COLUMNS[lang])
    for n in range(1, width + 1):
        header.extend(c.format(n=n) for c in RESPONSE_COLUMNS[lang])
    writer.writerow(header)

    def number(value: float) -> str:
        text = f"{value:.2f}"
        return text.replace(".", ",") if excel else text

    def cell(value: object) -> str:
        text = " ".join(str(value).split()) if value is not None else ""
        return "'" + text if excel and text.startswith(_FORMULA) else text

    for rec, found in zip(recs, per_rec, strict=True):
        override = rec.status_override
        row = [
            rec.rec.rec_id,
            rec.rec.municipality or "",
            rec.rec.department or "",
            rec.rec.year or "",
            rec.rec.title,
            rec.rec.source,
            rec.rec.theme,
            rec.rec.section,
            rec.rec.span.text,
            names[rec.status],
            number(rec.confidence),
            (rec.reason_da or rec.reason) if lang == "da" else rec.reason,
            rec.reason_code,
            names[override.status] if override else "",
            override.note if override else "",
            override.by if override else "",
            override.at if override else "",
            names[rec.effective_status],
            rec.repeated_from.year or "" if rec.repeated_from else "",
            " ".join(sorted({str(r.year) for r in rec.repeated_in if r.year})),
        ]
        for q in found:
            row.extend([q.year or "", names[q.status] if q.status else "", q.source, q.quote])
        row.extend([""] * (len(header) - len(row)))
        writer.writerow([cell(v) for v in row])
    text = out.getvalue()
    return "\ufeff" + text if excel else text
