"""eDoc agenda publishing: `eDocAgendaPublishing.xml` beside the agenda's and the items' PDFs.

The manifest's root is `<Meeting>` with `Committee`, `MeetingDate` ("04-12-2012 13:00:00"), `MeetingState`
("Referat endeligt godkendt" for approved minutes) and `MeetingAgendaTypes/MeetingAgendaType`, one per
published agenda ("Åben dagsorden", "Lukket dagsorden"), each with the whole agenda's `PDFDocument` and
`MeetingAgendaItems/MeetingAgendaItem`: `AgendaItemNumber`, the item's own `PDFDocument`, `FullText` (the
item as plain text, headings run into the text) and `Document` (`Title`, `NeutralTitle`, `PublishingType`
"SKAL PUBLICERES" for public items, `Attachments/Attachment` with `Title`, `PDFDocument`,
`PublishingType`). The decision is the end of `FullText`, from "<udvalg>s beslutning den 04.12.2012".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape

from ingest.exports.build import (
    access,
    enclosure,
    item_field,
    kind,
    meeting_closed,
    required,
    short_name,
    unique,
    when,
)
from ingest.exports.models import AgendaItem, ItemField, MeetingExport
from ingest.exports.tree import ExportTree, PathIndex, folder_of
from ingest.exports.values import is_closed_label
from ingest.exports.xmlread import ManifestError, child, children, local, parse, raw_text, root_of, text

SYSTEM = "edoc"
PUBLIC = "skal publiceres"
# "Økonomiudvalgets beslutning den 07.03.2024", the genitive run into the text before it.
_DECISION_HEADING = re.compile(
    r"(?:[A-ZÆØÅ][\w-]*s\s+)?[Bb]eslutning\s+den\s+\d{1,2}[.\-/]\d{1,2}[.\-/]\d{2,4}"
)
_CASE_NUMBER = re.compile(r"Sagsnr\.?:\s*(\d{2,4}[-/]\d+(?:[-/]\d+)?)")


def matches(document: ET.Element | bytes) -> bool:
    """A `<Meeting>` with a `Committee` and `MeetingAgendaTypes`."""
    root = root_of(document)
    return (
        root is not None
        and local(root.tag) == "Meeting"
        and child(root, "Committee") is not None
        and child(root, "MeetingAgendaTypes") is not None
    )


def read(tree: ExportTree, manifest_path: str) -> list[MeetingExport]:
    root = parse(tree.read(manifest_path))
    if not matches(root):
        raise ManifestError(f"{manifest_path}: not an eDoc agenda publishing")
    committee = required(text(root, "Committee"), "committee", manifest_path)
    date, time = when(text(root, "MeetingDate"), manifest_path)
    says_minutes = "referat" in text(root, "MeetingState").casefold()
    index = PathIndex.of(tree)
    base = folder_of(manifest_path)
    exports = []
    for agenda in children(child(root, "MeetingAgendaTypes"), "MeetingAgendaType"):
        agenda_type = text(agenda, "AgendaType")
        agenda_closed = is_closed_label(agenda_type)
        items = tuple(
            _item(item, committee, agenda_closed, index, base)
            for item in children(child(agenda, "MeetingAgendaItems"), "MeetingAgendaItem")
        )
        export_kind = kind(says_minutes, items)
        label = "Referat" if export_kind == "minutes" else "Dagsorden"
        title = f"{label} {committee} {date}" + (f" ({agenda_type})" if agenda_type else "")
        closed = meeting_closed(items, agenda_closed)
        whole = enclosure(index, text(agenda, "PDFDocument"), title, closed, base)
        exports.append(
            MeetingExport(
                system=SYSTEM,
                manifest=manifest_path,
                committee=committee,
                committee_short=short_name(committee),
                meeting_date=date,
                meeting_time=time,
                kind=export_kind,
                items=items,
                meeting_files=unique([whole]),
                sources=(manifest_path,),
            )
        )
    if not exports:
        raise ManifestError(f"{manifest_path}: no agenda in the manifest")
    return exports


def _item(item: ET.Element, committee: str, agenda_closed: bool, index: PathIndex, base: str) -> AgendaItem:
    number = text(item, "AgendaItemNumber")
    document = child(item, "Document")
    title = text(document, "Title") or text(document, "NeutralTitle") or f"Punkt {number}"
    closed = agenda_closed or text(document, "PublishingType").casefold() != PUBLIC
    full_text = raw_text(item, "FullText")
    attachments = [
        enclosure(
            index,
            text(attachment, "PDFDocument"),
            text(attachment, "Title") or text(attachment, "NeutralTitle"),
            closed or text(attachment, "PublishingType").casefold() != PUBLIC,
            base,
        )
        for attachment in children(child(document, "Attachments"), "Attachment")
    ]
    case = text(document, "Case", "CaseLogicIdentifier") or _case_number(full_text)
    return AgendaItem(
        number=number,
        title=title,
        access=access(closed),
        fields=_fields(full_text, committee),
        enclosures=unique(attachments),
        case_number=case or None,
        document=enclosure(index, text(item, "PDFDocument"), title, closed, base),
    )


def _fields(full_text: str, committee: str) -> tuple[ItemField, ...]:
    """The item's text, and its decision as a field of its own when the text has one."""
    description, decision = split_decision(full_text, committee)
    fields = [
        item_field("Beskrivelse", _paragraphs(description)),
        item_field("Beslutning", _paragraphs(decision), decision=True),
    ]
    return tuple(f for f in fields if f is not None)


# eDoc's FullText is the item's text with its layout gone: labels run into the words around them
# ("høringssvarSagsnr.: 2023-031877Dok.nr.: …SammendragForslaget …"). The labels it prints are known.
_LABELS = (
    "Sagsnr.:",
    "Dok.nr.:",
    "Sammendrag",
    "Sagsfremstilling",
    "Baggrund",
    "Økonomiske konsekvenser og finansiering",
    "Beslutningen træffes af",
    "Indstilling",
    "Bilag",
    "Følgende deltog ikke i behandlingen af punktet:",
)
_LABEL = re.compile("(" + "|".join(re.escape(label) for label in _LABELS) + ")")
_RUN_ON = re.compile(r"(?<=[a-zæøå0-9.:)])(?=[A-ZÆØÅ][a-zæøå]|[A-Z]\))")


def _paragraphs(text: str) -> str:
    """FullText as HTML: a heading per known label, a paragraph per stretch between them, and a break
    where a word runs into the next capitalised one."""
    if not text.strip():
        return ""
    parts = []
    for piece in _LABEL.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if piece in _LABELS and piece.endswith(":"):
            parts.append(f"<p>{escape(piece)}</p>")
        elif piece in _LABELS:
            parts.append(f"<h3>{escape(piece)}</h3>")
        else:
            lines = [line.strip() for line in _RUN_ON.sub("\n", piece).split("\n") if line.strip()]
            parts.extend(f"<p>{escape(line)}</p>" for line in lines)
    return "\n".join(parts)


def split_decision(full_text: str, committee: str = "") -> tuple[str, str]:
    """(text before the decision, the decision from its heading on); the decision is "" when there is none.

    The heading is "<committee>s beslutning den 04.12.2012" (or any "…s beslutning den <date>"); the
    last one starts the decision, so earlier meetings' decisions quoted in the text stay in the text.
    """
    patterns = [re.compile(re.escape(committee) + r"s?\s+beslutning\s+den\s+\d", re.I)] if committee else []
    patterns.append(_DECISION_HEADING)
    for pattern in patterns:
        found = list(pattern.finditer(full_text))
        if found:
            start = found[-1].start()
            return full_text[:start], full_text[start:]
    return full_text, ""


def _case_number(full_text: str) -> str:
    found = _CASE_NUMBER.search(full_text)
    return found.group(1) if found else ""
