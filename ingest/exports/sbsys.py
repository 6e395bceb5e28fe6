"""SBSYS publications: `PublicationNN.xml` beside `Enclosures/N.pdf`.

The manifest's root is `<Publication>` with `PublicationTypeAsEnum` (Draft, Final, Minutes …) and
`Agendas/Agenda`, each with `Meeting/When` ("15-05-2013 16:30:00"), `Meeting/Where`, `Committee/Name` and
`Items/Item` (`Number`, `Caption`, `IsPublic`, `Case/Number`, `Fields/ItemField` with `Caption` and HTML
`Content`, `Enclosures/Enclosure`). The agenda repeats every enclosure in its own `Enclosures` list with
the `ItemNumber` it belongs to; `InstantiationFilePathRelative` ("Enclosures\\1.pdf") names the file
relative to the manifest's folder.
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
from ingest.exports.models import AgendaItem, Enclosure, ItemField, MeetingExport
from ingest.exports.tree import ExportTree, PathIndex, folder_of
from ingest.exports.values import flag, is_closed_label
from ingest.exports.xmlread import ManifestError, child, children, local, parse, raw_text, root_of, text

SYSTEM = "sbsys"
_MINUTES_TYPES = ("minute", "referat", "protokol", "protocol")


def matches(document: ET.Element | bytes) -> bool:
    """A `<Publication>` whose `Agendas/Agenda` holds a meeting or items."""
    root = root_of(document)
    if root is None or local(root.tag) != "Publication":
        return False
    agenda = child(root, "Agendas", "Agenda")
    return agenda is not None and (child(agenda, "Meeting") is not None or child(agenda, "Items") is not None)


def read(tree: ExportTree, manifest_path: str) -> list[MeetingExport]:
    root = parse(tree.read(manifest_path))
    if not matches(root):
        raise ManifestError(f"{manifest_path}: not an SBSYS publication")
    publication_type = text(root, "PublicationTypeAsEnum").casefold()
    says_minutes = any(word in publication_type for word in _MINUTES_TYPES)
    index = PathIndex.of(tree)
    return [
        _export(agenda, manifest_path, says_minutes, index)
        for agenda in children(child(root, "Agendas"), "Agenda")
    ]  # `matches` made sure there is one


def _export(agenda: ET.Element, manifest: str, says_minutes: bool, index: PathIndex) -> MeetingExport:
    meeting = child(agenda, "Meeting")
    date, time = when(text(meeting, "When"), manifest)
    committee = required(text(agenda, "Committee", "Name") or text(agenda, "Name"), "committee", manifest)
    base = folder_of(manifest)
    listed = children(child(agenda, "Enclosures"), "Enclosure")
    items = tuple(_item(item, listed, index, base) for item in children(child(agenda, "Items"), "Item"))
    numbers = {item.number for item in items}
    closed = meeting_closed(items, agenda_closed=False)
    export_kind = kind(says_minutes, items)
    title = f"{'Referat' if export_kind == 'minutes' else 'Dagsorden'} {committee} {date}"
    loose = [  # enclosures of the agenda that belong to no item
        enclosure(index, _file_name(e), _title(e), closed or _closed(e), base)
        for e in listed
        if text(e, "ItemNumber") not in numbers
    ]
    return MeetingExport(
        system=SYSTEM,
        manifest=manifest,
        committee=committee,
        committee_short=short_name(committee),
        meeting_date=date,
        meeting_time=time,
        kind=export_kind,
        items=items,
        meeting_files=unique([*meeting_files_beside(index, manifest, title, closed), *loose]),
        location=text(meeting, "Where") or None,
        sources=(manifest,),
    )


def _item(item: ET.Element, listed: list[ET.Element], index: PathIndex, base: str) -> AgendaItem:
    number = text(item, "Number")
    closed = flag(text(item, "IsPublic")) is False or is_closed_label(text(item, "AccessName"))
    fields: list[ItemField] = []
    for field in children(child(item, "Fields"), "ItemField"):
        found = item_field(text(field, "Caption"), raw_text(field, "Content"))
        if found is not None:
            fields.append(found)
    own = children(child(item, "Enclosures"), "Enclosure")
    from_agenda = [e for e in listed if number and text(e, "ItemNumber") == number]
    enclosures: list[Enclosure | None] = [
        enclosure(index, _file_name(e), _title(e), closed or _closed(e), base) for e in [*own, *from_agenda]
    ]
    return AgendaItem(
        number=number,
        title=text(item, "Caption") or f"Punkt {number}",
        access=access(closed),
        fields=tuple(fields),
        enclosures=unique(enclosures),
        case_number=text(item, "Case", "Number") or None,
    )


def _file_name(enclosure_xml: ET.Element) -> str:
    return text(enclosure_xml, "InstantiationFilePathRelative") or text(
        enclosure_xml, "InstantiationFileName"
    )


def _title(enclosure_xml: ET.Element) -> str:
    return text(enclosure_xml, "Name") or text(enclosure_xml, "FileName")


def _closed(enclosure_xml: ET.Element) -> bool:
    return flag(text(enclosure_xml, "IsPublic")) is False or is_closed_label(
        text(enclosure_xml, "AccessName")
    )
