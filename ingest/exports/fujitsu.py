"""Fujitsu eDoc agenda publishing: `<guid>.xml` beside `<guid>.html` and `Attachments/`.

The manifest's root is `Root`, its content in the namespace `http://www.fujitsu.dk/agenda/xml/schemas/…`:
`Committee` (`Name`, `ShortName`) holds `Meeting` (`MeetingDateTime` "02-05-2017 10:00",
`MeetingLocation`), which holds `Agenda` (`Type`: Dagsorden / Referat) with `AgendaElements/AgendaElement`
(`AccessIsPublic`, `AccessName` "Offentlig publicering" / "Fortrolig publicering", `HandlingItem` with
`SerialNo`, `Title`, `CaseNumber`, `CasePresentations/CasePresentation` (`Title`, HTML `Content`,
`IsDecision`) and `Attachments/Attachment` (`Title`, `Link` "\\Attachments\\6104646-6648380-1.pdf",
`AccessName`, `AccessEnumName`)). The HTML beside the manifest is the whole agenda; unless
`OutputFilterIsPublic` says it was filtered to public items, it prints the closed items too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ingest.exports.build import (
    access,
    enclosure,
    item_field,
    kind,
    meeting_closed,
    meeting_files_beside,
    required,
    short_name,
    unique,
    when,
)
from ingest.exports.models import AgendaItem, ItemField, MeetingExport
from ingest.exports.tree import ExportTree, PathIndex, folder_of
from ingest.exports.values import flag, is_closed_label
from ingest.exports.xmlread import (
    ManifestError,
    child,
    children,
    local,
    namespace,
    parse,
    raw_text,
    root_of,
    text,
)

SYSTEM = "fujitsu-edoc"
NAMESPACE_PREFIX = "http://www.fujitsu.dk/agenda/xml/schemas/"


def matches(document: ET.Element | bytes) -> bool:
    """A `Root` whose Fujitsu-namespaced `Committee` holds a `Meeting`."""
    root = root_of(document)
    if root is None or local(root.tag) != "Root":
        return False
    committee = child(root, "Committee")
    return (
        committee is not None
        and namespace(committee.tag).startswith(NAMESPACE_PREFIX)
        and child(committee, "Meeting") is not None
    )


def read(tree: ExportTree, manifest_path: str) -> list[MeetingExport]:
    root = parse(tree.read(manifest_path))
    if not matches(root):
        raise ManifestError(f"{manifest_path}: not a Fujitsu eDoc agenda")
    index = PathIndex.of(tree)
    committee_xml = child(root, "Committee")
    meeting = child(committee_xml, "Meeting")
    committee = required(text(committee_xml, "Name"), "committee", manifest_path)
    date, time = when(text(meeting, "MeetingDateTime"), manifest_path)
    exports = []
    for agenda in children(meeting, "Agenda"):
        agenda_type = text(agenda, "Type")
        agenda_closed = is_closed_label(agenda_type)
        base = folder_of(manifest_path)
        items = tuple(
            _item(element, agenda_closed, index, base)
            for element in children(child(agenda, "AgendaElements"), "AgendaElement")
        )
        output_type = text(root, "OutputTypeEnumName").casefold()
        says_minutes = "referat" in agenda_type.casefold() or output_type in ("minutes", "referat")
        export_kind = kind(says_minutes, items)
        filtered_public = flag(text(root, "OutputFilterIsPublic")) is True
        # The HTML prints every item unless the output was filtered to the public ones.
        closed = agenda_closed or (not filtered_public and meeting_closed(items, agenda_closed=False))
        title = f"{agenda_type or 'Dagsorden'} {committee} {date}"
        exports.append(
            MeetingExport(
                system=SYSTEM,
                manifest=manifest_path,
                committee=committee,
                committee_short=text(committee_xml, "ShortName") or short_name(committee),
                meeting_date=date,
                meeting_time=time,
                kind=export_kind,
                items=items,
                meeting_files=unique(meeting_files_beside(index, manifest_path, title, closed)),
                location=text(meeting, "MeetingLocation") or None,
                sources=(manifest_path,),
            )
        )
    if not exports:
        raise ManifestError(f"{manifest_path}: no agenda in the manifest")
    return exports


def _item(element: ET.Element, agenda_closed: bool, index: PathIndex, base: str) -> AgendaItem:
    handling = child(element, "HandlingItem")
    closed = (
        agenda_closed
        or flag(text(element, "AccessIsPublic")) is False
        or is_closed_label(text(element, "AccessName"))
    )
    fields: list[ItemField] = []
    for presentation in children(child(handling, "CasePresentations"), "CasePresentation"):
        decision = flag(text(presentation, "IsDecision")) is True
        found = item_field(text(presentation, "Title"), raw_text(presentation, "Content"), decision)
        if found is not None:
            fields.append(found)
    enclosures = [
        enclosure(
            index,
            text(attachment, "Link"),
            text(attachment, "Title"),
            closed or _attachment_closed(attachment),
            base,
        )
        for attachment in children(child(handling, "Attachments"), "Attachment")
    ]
    number = text(handling, "SerialNo") or text(element, "SortOrder")
    return AgendaItem(
        number=number,
        title=text(handling, "Title") or text(handling, "NeutralTitle") or f"Punkt {number}",
        access=access(closed),
        fields=tuple(fields),
        enclosures=unique(enclosures),
        case_number=text(handling, "CaseNumber") or None,
    )


def _attachment_closed(attachment: ET.Element) -> bool:
    enum_name = text(attachment, "AccessEnumName")
    if enum_name:
        return enum_name.casefold() != "public"
    return is_closed_label(text(attachment, "AccessName"))
