"""The fields of an agenda item in minutes ("Sagsfremstilling", "Indstilling", "Beslutning"): headings that
divide one item, not items of their own. Readers nest them under the item; answers look for the decision."""

from __future__ import annotations

import re

from ingest.exports.values import is_decision_name

ITEM_FIELDS = frozenset(
    re.split(
        r",\s*",
        "sagsfremstilling, sagsbeskrivelse, resumé, resume, indstilling, beslutning, bilag, økonomi, "
        "baggrund, høring, lovgrundlag, forslag, tidligere beslutninger, sagens behandling, case, "
        "background, recommendation, decision, attachments",
    )
)


def is_item_field(name: str) -> bool:
    """Whether a heading names a field of an agenda item, a trailing colon aside ("Indstilling",
    "Beslutning i Social- og Sundhedsudvalget den 11. marts 2025:")."""
    return name.strip().rstrip(":").strip().lower() in ITEM_FIELDS or is_decision_name(name)
