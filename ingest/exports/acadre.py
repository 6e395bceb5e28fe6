"""Acadre MM publishing: `XML_<agenda id>.xml` beside `Files_<agenda id>_<doc id>/` folders.

Both manifests are `<root>`s of `<table name="…">` elements whose `fields/field` hold the values:

- the index `XML_<id>.xml` writes each value as an attribute named after the field (`<field sysid="57"/>`);
  its `table[@name='producedAgenda']` lists the produced agendas, one `fields` group each: `type` (1
  Dagsorden, 2 Referat), `access`/`accessid` ("Åben" 1, "Lukket" 2, person 3), `publish`, `filesfolder`
  ("Files_1863_3687982"), `xmlfilename`, `docfilename` (the agenda as DOCX) and `pdffilename`.
- the agenda XML in the files folder writes `<field name="sysid">1863</field>`: `table[@name='agenda']`
  holds `committee` (`name`), `meeting` (`name`, `date` "2013-06-20 10:30", `location`) and one
  `agendaitemparents` per item (`sort` is the item's number) with its `agendaitem` (`name`, `access`,
  `accessname`, `caseno`), the item's `bullet`s (`bulletname`, HTML `bulletcontent`) and `enclosure`s
  (`name`, `access`, `filename` "3525829E1.DOCX", `EnclosureFileType`).

Files are looked up as named, then as their PDF twin ("3525829E1.PDF"), then by their title
("Opsamlingsnotat. Temamøde 20.09.2012.docx"), as exporters name them either way.
"""

from __future__ import annotations

import logging
import posixpath
import re
import xml.etree.ElementTree as ET

from ingest.exports.build import access, item_field, kind, meeting_closed, required, short_name, unique, when
from ingest.exports.models import AgendaItem, Enclosure, ItemField, MeetingExport
from ingest.exports.tree import ExportTree, PathIndex, folder_of
from ingest.exports.values import flag, is_closed_label
from ingest.exports.xmlread import ManifestError, children, local, parse, root_of

log = logging.getLogger(__name__)

SYSTEM = "acadre"
OPEN = "1"
_AGENDA_TYPES = {"1": "Dagsorden", "2": "Referat"}
_INDEX_NAME = re.compile(r"XML_(\d+)\.xml$", re.I)


def matches(document: ET.Element | bytes) -> bool:
    """An index (`table[@name='producedAgenda']`) or an agenda XML (`table[@name='agenda']` with items)."""
    root = root_of(document)
    if root is None or local(root.tag) != "root":
        return False
    return _is_index(root) or _is_agenda(root)


def read(tree: ExportTree, manifest_path: str) -> list[MeetingExport]:
    root = parse(tree.read(manifest_path))
    index = PathIndex.of(tree)
    if _is_index(root):
        return _read_index(tree, root, manifest_path, index)
    if _is_agenda(root):
        return [_export(root, manifest_path, (manifest_path,), index, _Produced())]
    raise ManifestError(f"{manifest_path}: not an Acadre publishing")


class _Produced:
    """What the index says of one produced agenda (all optional for an agenda XML read alone)."""

    def __init__(self, values: dict[str, str] | None = None, closed: bool = False) -> None:
        self.values = values or {}
        self.closed = closed

    @property
    def type_name(self) -> str:
        return _AGENDA_TYPES.get(self.values.get("type", ""), "")


def _read_index(tree: ExportTree, root: ET.Element, manifest: str, index: PathIndex) -> list[MeetingExport]:
    agenda_id = _attribute_fields(_table(root, "agenda")).get("sysid", "")
    if not agenda_id and (named := _INDEX_NAME.search(manifest)):
        agenda_id = named.group(1)
    exports = []
    for group in children(_table(root, "producedAgenda"), "fields"):
        values = _attribute_fields_of(group)
        folder = values.get("filesfolder") or f"Files_{agenda_id}_{values.get('docID', '')}"
        xml_path = index.resolve(f"{folder}/{values.get('xmlfilename', '')}", folder_of(manifest))
        if not values.get("xmlfilename") or xml_path is None:
            continue  # a produced agenda the export does not carry (not published)
        values["filesfolder"] = folder_of(xml_path)
        closed = (
            values.get("accessid", OPEN) != OPEN
            or is_closed_label(values.get("access", ""))
            or flag(values.get("publish", "1")) is False  # produced but not published: keep it closed
        )
        agenda_root = parse(tree.read(xml_path))
        if not _is_agenda(agenda_root):
            raise ManifestError(f"{xml_path}: not an Acadre agenda XML")
        exports.append(_export(agenda_root, manifest, (manifest, xml_path), index, _Produced(values, closed)))
    return exports


def _export(
    root: ET.Element, manifest: str, sources: tuple[str, ...], index: PathIndex, produced: _Produced
) -> MeetingExport:
    agenda = _table(root, "agenda")
    agenda_values = _named_fields(agenda)
    meeting = _named_fields(_find_table(agenda, "meeting"))
    committee = required(
        _named_fields(_find_table(agenda, "committee")).get("name", ""), "committee", manifest
    )
    date, time = when(meeting.get("date", ""), manifest)
    files_folder = produced.values.get("filesfolder") or folder_of(sources[-1])
    agenda_closed = (
        produced.closed
        or agenda_values.get("access", OPEN) not in (OPEN, "")
        or is_closed_label(agenda_values.get("accessname", ""))
    )
    items = tuple(
        _item(parent, index, files_folder, agenda_closed)
        for parent in _find_tables(agenda, "agendaitemparents")
    )
    type_name = produced.type_name or agenda_values.get("name", "")
    export_kind = kind("referat" in type_name.casefold(), items)
    closed = meeting_closed(items, agenda_closed)
    title = f"{type_name or 'Dagsorden'} {committee} {date}"
    names = [produced.values.get("docfilename", ""), produced.values.get("pdffilename", "")]
    meeting_name = meeting.get("name", "")
    whole = [_file(index, files_folder, name, meeting_name, "", title, closed) for name in names if name]
    if not any(whole) and meeting_name:
        whole.append(_file(index, files_folder, "", meeting_name, ".pdf", title, closed))
    return MeetingExport(
        system=SYSTEM,
        manifest=manifest,
        committee=committee,
        committee_short=short_name(committee),
        meeting_date=date,
        meeting_time=time,
        kind=export_kind,
        items=items,
        meeting_files=unique(whole),
        location=meeting.get("location") or None,
        sources=sources,
    )


def _item(parent: ET.Element, index: PathIndex, folder: str, agenda_closed: bool) -> AgendaItem:
    item_xml = _table(parent, "agendaitem")
    values = _named_fields(item_xml)
    number = _named_fields(parent).get("sort", "")
    closed = (
        agenda_closed
        or values.get("access", OPEN) not in (OPEN, "")
        or is_closed_label(values.get("accessname", ""))
    )
    fields: list[ItemField] = []
    for bullet in _tables(item_xml, "bullet"):
        bullet_values = _named_fields(bullet, keep_space={"bulletcontent"})
        found = item_field(bullet_values.get("bulletname", ""), bullet_values.get("bulletcontent", ""))
        if found is not None:
            fields.append(found)
    enclosures = []
    for enclosure_xml in _tables(item_xml, "enclosure"):
        enclosure_values = _named_fields(enclosure_xml)
        enclosure_closed = (
            closed
            or enclosure_values.get("access", OPEN) not in (OPEN, "")
            or is_closed_label(enclosure_values.get("accessname", ""))
        )
        title = enclosure_values.get("name", "")
        suffix = enclosure_values.get("EnclosureFileType", "")
        found_file = _file(
            index, folder, enclosure_values.get("filename", ""), title, suffix, title, enclosure_closed
        )
        enclosures.append(found_file)
    return AgendaItem(
        number=number,
        title=values.get("name") or f"Punkt {number}",
        access=access(closed),
        fields=tuple(fields),
        enclosures=unique(enclosures),
        case_number=values.get("caseno") or None,
    )


def _file(
    index: PathIndex, folder: str, name: str, title_name: str, suffix: str, title: str, closed: bool
) -> Enclosure | None:
    """A file named `name` in the files folder, else its PDF twin, else one named after its title."""
    candidates = []
    if name:
        candidates += [name, posixpath.splitext(name)[0] + ".pdf"]
    if title_name:
        own_suffix = suffix if suffix.startswith(".") else f".{suffix}" if suffix else ""
        candidates += [title_name + s for s in (own_suffix, ".pdf", ".docx", ".doc") if s]
    for candidate in candidates:
        path = index.resolve(candidate, folder)
        if path is not None and folder_of(path) == folder:
            return Enclosure(
                title=" ".join(title.split()) or posixpath.basename(path), path=path, access=access(closed)
            )
    if name or title_name:
        log.warning("export file named in the manifest is missing: %s", name or title_name)
    return None


def _is_index(root: ET.Element) -> bool:
    return _table(root, "producedAgenda") is not None


def _is_agenda(root: ET.Element) -> bool:
    agenda = _table(root, "agenda")
    return agenda is not None and (
        _find_table(agenda, "agendaitemparents") is not None or _find_table(agenda, "meeting") is not None
    )


def _table(element: ET.Element | None, name: str) -> ET.Element | None:
    return next(iter(_tables(element, name)), None)


def _tables(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [t for t in children(element, "table") if t.get("name") == name]


def _find_table(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((t for t in element.iter() if local(t.tag) == "table" and t.get("name") == name), None)


def _find_tables(element: ET.Element | None, name: str) -> list[ET.Element]:
    if element is None:
        return []
    return [t for t in element.iter() if local(t.tag) == "table" and t.get("name") == name]


def _named_fields(table: ET.Element | None, keep_space: set[str] | None = None) -> dict[str, str]:
    """A table's own `fields/field[@name]` values (the agenda XML's form)."""
    values: dict[str, str] = {}
    for group in children(table, "fields"):
        for field in children(group, "field"):
            name = field.get("name")
            if name and name not in values:
                value = field.text or ""
                values[name] = value if keep_space and name in keep_space else value.strip()
    return values


def _attribute_fields(table: ET.Element | None) -> dict[str, str]:
    """A table's first `fields` group in the index's form, where each attribute is a field."""
    groups = children(table, "fields")
    return _attribute_fields_of(groups[0]) if groups else {}


def _attribute_fields_of(group: ET.Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for field in children(group, "field"):
        for name, value in field.attrib.items():
            values.setdefault(name, value.strip())
    return values
