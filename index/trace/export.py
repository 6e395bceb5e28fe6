"""Recommendations as filtered lists and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from index.trace.models import Recommendation
from ingest.gazetteer import load_gazetteer
from ingest.skeleton import fold

CSV_FIELDS = (
    "rec_id",
    "doc_id",
    "source",
    "year",
    "theme",
    "section",
    "text",
    "status",
    "confidence",
    "override",
    "override_note",
    "override_by",
    "override_at",
    "effective_status",
    "reason",
    "response_source",
    "response_quote",
)


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


def to_csv(recs: Sequence[Recommendation]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for rec in recs:
        top = rec.responses[0] if rec.responses else None
        override = rec.status_override
        writer.writerow(
            [
                rec.rec.rec_id,
                rec.rec.span.doc_id,
                rec.rec.source,
                rec.rec.year or "",
                rec.rec.theme,
                rec.rec.section,
                " ".join(rec.rec.span.text.split()),
                rec.status,
                f"{rec.confidence:.2f}",
                override.status if override else "",
                override.note if override else "",
                override.by if override else "",
                override.at if override else "",
                rec.effective_status,
                rec.reason,
                top.source if top else "",
                " ".join(top.quote.split()) if top else "",
            ]
        )
    return out.getvalue()
