"""Find the committee-meeting exports in a tree by the content of its XML files, never by their names."""

from __future__ import annotations

import logging
import posixpath
import xml.etree.ElementTree as ET
from typing import Protocol

from ingest.exports import acadre, edoc, fujitsu, sbsys
from ingest.exports.models import MeetingExport
from ingest.exports.tree import ExportTree
from ingest.exports.xmlread import ManifestError, parse, root_of

log = logging.getLogger(__name__)

# Files that are documents or media, never manifests; anything else is read when it looks like XML.
_NOT_XML = {
    ".pdf", ".doc", ".docx", ".rtf", ".odt", ".html", ".htm", ".txt", ".md", ".msg", ".eml", ".xls",
    ".xlsx", ".ppt", ".pptx", ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".zip", ".css",
    ".js", ".json", ".csv",
}  # fmt: skip


class Reader(Protocol):
    """A system's manifest reader (a module: `sbsys`, `fujitsu`, `edoc`, `acadre`)."""

    SYSTEM: str

    def matches(self, document: ET.Element | bytes) -> bool: ...

    def read(self, tree: ExportTree, manifest_path: str) -> list[MeetingExport]: ...


READERS: tuple[Reader, ...] = (sbsys, fujitsu, edoc, acadre)


def find_exports(tree: ExportTree) -> list[MeetingExport]:
    """Every meeting export whose manifest is in `tree`, in path order.

    Each XML file is tried against every reader. A manifest that cannot be read (malformed, unsafe,
    without a committee or a date) is skipped with a warning. A manifest another one already read
    (Acadre's agenda XML, read through its index) is not read again.
    """
    candidates: list[tuple[str, Reader]] = []
    for path in tree.paths():
        reader = _reader_for(tree, path)
        if reader is not None:
            candidates.append((path, reader))
    # Indexes sit above the files they point to: read them first.
    candidates.sort(key=lambda found: (found[0].count("/"), found[0]))
    consumed: set[str] = set()
    exports: list[MeetingExport] = []
    for path, reader in candidates:
        if path in consumed:
            continue
        try:
            found = reader.read(tree, path)
        except Exception as error:  # a manifest the reader cannot make sense of must not stop the ingest
            log.warning("skipped %s manifest %s: %s", reader.SYSTEM, path, error)
            continue
        for export in found:
            consumed.update(export.sources or (export.manifest,))
        exports.extend(found)
    return sorted(exports, key=lambda export: (export.manifest, export.sources))


def detect_system(document: ET.Element | bytes) -> str | None:
    """The system whose manifest this is ("sbsys", "fujitsu-edoc", "edoc", "acadre"), or None."""
    reader = _matching(document)
    return reader.SYSTEM if reader is not None else None


def _reader_for(tree: ExportTree, path: str) -> Reader | None:
    suffix = posixpath.splitext(path)[1].lower()
    if suffix in _NOT_XML:
        return None
    try:
        data = tree.read(path)
    except OSError as error:
        log.warning("could not read %s: %s", path, error)
        return None
    if suffix != ".xml" and not _looks_like_xml(data):
        return None
    try:
        root = parse(data)
    except ManifestError as error:
        log.warning("skipped %s: %s", path, error)
        return None
    return _matching(root)


def _matching(document: ET.Element | bytes) -> Reader | None:
    root = root_of(document)
    if root is None:
        return None
    return next((reader for reader in READERS if reader.matches(root)), None)


def _looks_like_xml(data: bytes) -> bool:
    head = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").lstrip("\ufeff \t\r\n").encode()
    return head.startswith(b"<?xml")
