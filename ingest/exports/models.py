"""What a committee-meeting export says, read from its manifest, whatever system wrote it.

Readers for each system (SBSYS, eDoc, Fujitsu eDoc, Acadre) turn a manifest into a `MeetingExport`; the
ingest pipeline turns each agenda item into a document with its fields as sections, and each enclosure
into a document linked to its item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Access = Literal["public", "restricted"]
ExportKind = Literal["agenda", "minutes"]


@dataclass(frozen=True)
class ItemField:
    """One field of an agenda item ("Sagsfremstilling", "Indstilling", "Beslutning", …)."""

    name: str
    html: str  # the field's content as the manifest gives it: HTML, or plain text
    is_decision: bool = False  # the decision ("Beslutning"): findable as such


@dataclass(frozen=True)
class Enclosure:
    """A file the manifest names: an item's enclosure, or the meeting's own agenda or minutes."""

    title: str
    path: str  # relative to the export's root, posix separators, as the file is named in the tree
    access: Access = "public"


@dataclass(frozen=True)
class AgendaItem:
    number: str  # "2", "2a"
    title: str
    access: Access
    fields: tuple[ItemField, ...]
    enclosures: tuple[Enclosure, ...] = ()
    case_number: str | None = None
    document: Enclosure | None = None  # the item itself as one file (eDoc writes a PDF per item), not a bilag


@dataclass(frozen=True)
class MeetingExport:
    system: str  # "sbsys", "edoc", "fujitsu-edoc", "acadre"
    manifest: str  # the manifest's path relative to the export's root
    committee: str
    committee_short: str | None
    meeting_date: str  # YYYY-MM-DD
    meeting_time: str | None  # HH:MM
    kind: ExportKind  # "minutes" when the export carries decisions / referat
    items: tuple[AgendaItem, ...]
    meeting_files: tuple[Enclosure, ...] = ()  # the full agenda/minutes, files tied to the meeting only
    location: str | None = None
    sources: tuple[str, ...] = ()  # every manifest file read for this export, `manifest` first (Acadre: 2)
