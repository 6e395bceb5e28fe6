"""The fields of an agenda item in minutes ("Sagsfremstilling", "Indstilling", "Beslutning"): headings that
divide one item, not items of their own. Readers nest them under the item; answers look for the decision."""

from __future__ import annotations

import re

from ingest.exports.values import is_decision_name

ITEM_FIELDS = frozenset(
    re.split(
        r",\s*",
        "sagsfremstilling, supplerende sagsfremstilling, sagsbeskrivelse, sagens indhold, resumé, resume, "
        "præsentation, indstilling, beslutning, bilag, økonomi, økonomiske konsekvenser, baggrund, høring, "
        "høringssvar, lovgrundlag, retsgrundlag, vurdering, kommunikation, tidsplan, videre proces, "
        "beslutningskompetence, forslag, tidligere beslutninger, sagens behandling, case, background, "
        "summary, recommendation, decision, financial implications, consultation, attachments",
    )
)
# Who in the administration recommends, as the field's heading: "Forvaltningen foreslår", "Direktionen
# indstiller", "Forvaltningens indstilling", "Administrationens forslag"; not "Borgeren foreslår".
_ADMINISTRATION = r"(?:[\w-]*forvaltning|administration|direktion|direktør|[\w-]*afdeling|[\w-]*center|centr)"
_RECOMMENDS = re.compile(
    rf"^\s*{_ADMINISTRATION}(?:en|et)?\s+(?:indstiller|foreslår)\s*:?\s*$|"
    rf"^\s*{_ADMINISTRATION}(?:en|et)?s\s+(?:indstilling|forslag)\s*:?\s*$",
    re.IGNORECASE,
)


# The fields of a mail's, memo's or meeting record's header ("Fra:", "Sendt:", "Emne:", "Deltagere:"): no
# heading and no sentence to quote.
HEADER_FIELDS = (
    "fra", "from", "sendt", "sent", "til", "to", "cc", "bcc", "emne", "subject", "dato", "date",
    "møde", "sted", "deltagere", "afbud", "referent",
)  # fmt: skip


# A decision field's heading begins with the word ("Beslutning i Økonomiudvalget den …", "Udvalgets
# beslutning"); an item's title may hold it anywhere ("Punkt 3. Opfølgning på beslutning om madservice").
_DECISION_HEADING = re.compile(r"^\s*(?:[^\W\d_]+s\s+)?(?:beslutning|decision)\b", re.IGNORECASE)


def is_decision_field(name: str) -> bool:
    """Whether a heading names the decision field of an agenda item."""
    return bool(_DECISION_HEADING.match(name)) and is_decision_name(name)


def is_item_field(name: str) -> bool:
    """Whether a heading names a field of an agenda item, a trailing colon aside ("Indstilling",
    "Forvaltningen foreslår", "Beslutning i Social- og Sundhedsudvalget den 11. marts 2025:")."""
    plain = name.strip().rstrip(":").strip().lower()
    return plain in ITEM_FIELDS or bool(_RECOMMENDS.match(name)) or is_decision_field(name)
