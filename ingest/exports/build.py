"""Building blocks the readers share: fields, enclosures found in the tree, access, kind and date."""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterable

from ingest.exports.models import Access, AgendaItem, Enclosure, ExportKind, ItemField
from ingest.exports.tree import PathIndex, folder_of
from ingest.exports.values import is_decision_name, is_empty_html, meeting_when
from ingest.exports.xmlread import ManifestError

log = logging.getLogger(__name__)

# Besides a file named like the manifest, the names exporters give the meeting's own agenda/minutes.
MEETING_FILE_NAMES = ("dagsorden", "referat", "samlet dagsorden", "samlet referat")
MEETING_FILE_SUFFIXES = (".pdf", ".html", ".htm", ".docx", ".doc")
# "Udvalget for plan, udvikling og kultur (PUK)": the committee's short name in parentheses at the end.
_SHORT_NAME = re.compile(r"\(([A-ZÆØÅ][A-ZÆØÅ0-9&/-]{1,11})\)\s*$")


def access(closed: bool) -> Access:
    return "restricted" if closed else "public"


def item_field(name: str, content: str, decision: bool = False) -> ItemField | None:
    """A field as the manifest gives it, or None when it has no visible text."""
    if is_empty_html(content):
        return None
    name = " ".join(name.split()) or "Tekst"
    return ItemField(name=name, html=content, is_decision=decision or is_decision_name(name))


def enclosure(index: PathIndex, name: str, title: str, closed: bool, base: str = "") -> Enclosure | None:
    """The file a manifest names, found in the tree; None (with a warning) when the export lacks it."""
    if not name.strip():
        return None
    path = index.resolve(name, base)
    if path is None:
        log.warning("export file named in the manifest is missing: %s", name)
        return None
    title = " ".join(title.split()) or posixpath.basename(path)
    return Enclosure(title=title, path=path, access=access(closed))


def unique(enclosures: Iterable[Enclosure | None]) -> tuple[Enclosure, ...]:
    """The enclosures found, each file once (the first mention wins), in manifest order."""
    seen: set[str] = set()
    kept: list[Enclosure] = []
    for found in enclosures:
        if found is not None and found.path not in seen:
            seen.add(found.path)
            kept.append(found)
    return tuple(kept)


def meeting_files_beside(
    index: PathIndex, manifest: str, title: str, closed: bool, names: Iterable[str] = ()
) -> list[Enclosure]:
    """The meeting's own agenda/minutes beside the manifest: a file with the manifest's name and
    another suffix, or one of the usual names ("Dagsorden.html"), plus any `names` the manifest gives."""
    folder = folder_of(manifest)
    stem = posixpath.splitext(posixpath.basename(manifest))[0]
    wanted = [stem + suffix for suffix in MEETING_FILE_SUFFIXES]
    wanted += [usual + suffix for usual in MEETING_FILE_NAMES for suffix in MEETING_FILE_SUFFIXES]
    found = [enclosure(index, name, title, closed, base=folder) for name in names]
    for name in wanted:
        path = index.resolve(name, folder)
        if path is not None and folder_of(path) == folder and path != manifest:
            found.append(Enclosure(title=title, path=path, access=access(closed)))
    return [f for f in found if f is not None]


def meeting_closed(items: Iterable[AgendaItem], agenda_closed: bool) -> bool:
    """Whether the meeting's own agenda/minutes must be restricted: the agenda is closed, or any of
    its items is (the full document may print a closed item's text)."""
    return agenda_closed or any(item.access == "restricted" for item in items)


def kind(says_minutes: bool, items: Iterable[AgendaItem]) -> ExportKind:
    """Minutes when the manifest says so or any item carries a decision."""
    if says_minutes or any(f.is_decision for item in items for f in item.fields):
        return "minutes"
    return "agenda"


def short_name(committee: str) -> str | None:
    """The short name a committee's name ends with in parentheses ("… (PUK)" → "PUK"), if any."""
    found = _SHORT_NAME.search(committee)
    return found.group(1) if found else None


def when(value: str, manifest: str) -> tuple[str, str | None]:
    found = meeting_when(value)
    if found is None:
        raise ManifestError(f"{manifest}: no meeting date in {value!r}")
    return found


def required(value: str, what: str, manifest: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ManifestError(f"{manifest}: no {what}")
    return value
