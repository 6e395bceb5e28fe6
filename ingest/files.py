"""Finding the documents to ingest and the metadata that comes with them.

A folder or zip archive is read as a tree of files. Committee-meeting exports in it are recognised by their
manifests: each agenda item becomes a source of its own (its text made from the manifest's fields) and the
files the manifest names carry its metadata; every other file is a source as it is. Zip archives inside are
read the same way, in memory.

A side-car `<file>.meta.json` or a folder's `sporbar.json` (`{"file name": {...}}`, and at an export's root
also plain fields for every document in it) set metadata; side-cars beat manifests, manifests beat what
is guessed from the text.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path, PurePosixPath

from ingest.archives import NESTED, ZipTree, is_archive
from ingest.errors import RejectedFile
from ingest.exports.detect import find_exports
from ingest.exports.models import Enclosure, MeetingExport
from ingest.exports.render import item_html
from ingest.exports.tree import ExportTree, resolve
from ingest.gazetteer import load_gazetteer
from ingest.models import content_hash

log = logging.getLogger(__name__)
_TAG = re.compile(r"<[^>]+>")
MANIFEST = "sporbar.json"
SIDECAR_SUFFIX = ".meta.json"
OVERRIDABLE = ("title", "municipality", "date", "doc_type", "year", "committee", "meeting_date", "access")


@dataclass(frozen=True)
class SourceFile:
    """One document to ingest: where its bytes are, its path relative to what was given to ingest, and
    the metadata that came with it."""

    abs_path: Path  # the file on disk; for a zip member, the archive
    rel_path: str
    member: str | None = None  # the path inside the archive at abs_path (nested archives joined by "!/")
    key: str | None = None  # a stable identity other than the file (an agenda item: manifest#number)
    name: str | None = None  # the `source` shown to users, when not the file's own name
    metadata: tuple[tuple[str, str], ...] = ()  # from an export's manifest or its root sporbar.json
    reader: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)
    error: str | None = None  # found unreadable while discovering it

    @property
    def locator(self) -> str:
        return str(self.abs_path) + (NESTED + self.member if self.member else "")

    @property
    def origin(self) -> str:
        """Where the document comes from, stored as its `abs_path`: a file path only for a file on disk."""
        return self.key or self.locator

    @property
    def doc_id(self) -> str:
        return content_hash(self.origin)

    @property
    def source(self) -> str:
        if self.name:
            return self.name
        return PurePosixPath(self.member).name if self.member else self.abs_path.name

    def read(self, max_bytes: int) -> bytes:
        if self.error:
            raise RejectedFile(self.error)
        if self.reader is not None:
            data = self.reader()
            if len(data) > max_bytes:
                raise RejectedFile(
                    f"file too large: {len(data) / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB)"
                )
            return data
        try:
            size = self.abs_path.stat().st_size
            if size > max_bytes:
                raise RejectedFile(f"file too large: {size / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB)")
            return self.abs_path.read_bytes()
        except OSError as exc:
            raise RejectedFile(f"cannot read file: {exc.strerror or exc}") from exc


class FolderFiles:
    """A folder's files as a tree of posix paths; hidden files and metadata files left out."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def paths(self) -> list[str]:
        found = []
        for path in self.root.rglob("*"):
            rel = path.relative_to(self.root)
            if (
                path.is_file()
                and not any(p.startswith(".") for p in rel.parts)
                and not _is_metadata(path.name)
            ):
                found.append(rel.as_posix())
        return sorted(found)

    def read(self, path: str) -> bytes:
        return (self.root / path).read_bytes()


def _is_metadata(name: str) -> bool:
    return name == MANIFEST or name.endswith(SIDECAR_SUFFIX)


def discover(paths: list[Path]) -> Iterator[SourceFile]:
    """Documents under the given paths, in a stable order."""
    for given in paths:
        root = given.resolve()
        if root.is_file():
            if root.suffix.lower() == ".zip" or _archive_file(root):
                yield from _archive(root, root.name)
            else:
                yield SourceFile(root, root.name)
        elif root.is_dir():
            yield from _tree(FolderFiles(root), root, None, "", _tree_defaults(root / MANIFEST))


def _archive_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
        return head == b"PK\x03\x04" and is_archive(path.read_bytes())
    except OSError:
        return False


def _archive(path: Path, rel: str, tree: ZipTree | None = None) -> Iterator[SourceFile]:
    try:
        zipped = tree or ZipTree(path.read_bytes())
    except (RejectedFile, OSError) as exc:
        reason = exc.reason if isinstance(exc, RejectedFile) else f"cannot read file: {exc}"
        yield SourceFile(path, rel, error=reason)
        return
    for name, reason in sorted(zipped.rejected.items()):
        yield SourceFile(path, f"{rel}/{name}", member=name, error=reason)
    yield from _tree(zipped, path, zipped, rel + "/", _tree_json(zipped, MANIFEST))


class _Locate:
    """Makes sources for paths of one tree: files on disk, or members of the archive at `root`."""

    def __init__(self, root: Path, zipped: ZipTree | None, prefix: str) -> None:
        self.root, self.zipped, self.prefix = root, zipped, prefix

    def file(self, path: str, metadata: Mapping[str, str | None]) -> SourceFile:
        pairs = _pairs(metadata)
        if self.zipped is None:
            return SourceFile(self.root / path, self.prefix + path, metadata=pairs)
        zipped = self.zipped
        return SourceFile(
            self.root, self.prefix + path, member=path, metadata=pairs, reader=lambda: zipped.read(path)
        )

    def item(
        self, manifest: str, number: str, read: Callable[[], bytes], metadata: Mapping[str, str | None]
    ) -> SourceFile:
        """An agenda item: its own document, identified by the manifest's place and the item's number,
        whatever its text is read from (the manifest's fields, or the item's own file)."""
        on_disk = self.root if self.zipped else self.root / manifest
        member = manifest if self.zipped else None
        locator = str(on_disk) + (NESTED + manifest if member else "")
        return SourceFile(
            on_disk,
            f"{self.prefix}{manifest}#{number}",
            member=member,
            key=f"{locator}#{number}",
            name=PurePosixPath(manifest).name,
            metadata=_pairs(metadata),
            reader=read,
        )

    def reader(self, tree: ExportTree, path: str) -> Callable[[], bytes]:
        return lambda: tree.read(path)


def _tree(
    tree: ExportTree, root: Path, zipped: ZipTree | None, prefix: str, defaults: Mapping[str, str]
) -> Iterator[SourceFile]:
    """Exports first (their manifests and the files they name are used up), then every other file."""
    locate = _Locate(root, zipped, prefix)
    used: set[str] = set()
    folders: dict[str, dict[str, str | None]] = {}  # an export's folder → metadata for files it leaves
    for export in find_exports(tree):
        used.update({export.manifest, *export.sources})
        folder = str(PurePosixPath(export.manifest).parent)
        here = {**defaults, **_tree_json(tree, f"{folder}/{MANIFEST}" if folder != "." else MANIFEST)}
        meeting = _meeting(export, here)
        yield from _export_sources(tree, export, locate, meeting, used)
        # A file in an export's folder that its manifest does not name belongs to the meeting all the
        # same; it is restricted when anything in the meeting is, since nothing says it is not.
        closed = any(i.access == "restricted" for i in export.items) or any(
            f.access == "restricted" for f in export.meeting_files
        )
        earlier = folders.get(folder, {}).get("access")
        access = "restricted" if closed or earlier == "restricted" else "public"
        folders[folder] = {**meeting, "access": access}
    for path in tree.paths():
        if path in used or PurePosixPath(path).name == MANIFEST:
            continue
        if path.lower().endswith(".zip") and zipped is None:
            yield from _archive(root / path, prefix + path)
        else:
            yield locate.file(path, _export_folder(folders, path) or defaults)


def _export_folder(folders: Mapping[str, dict[str, str | None]], path: str) -> dict[str, str | None] | None:
    """Metadata of the innermost export whose folder holds `path`."""
    parents = [str(p) for p in PurePosixPath(path).parents]
    for parent in parents:
        if parent in folders:
            return folders[parent]
    return None


def _meeting(export: MeetingExport, defaults: Mapping[str, str]) -> dict[str, str | None]:
    """Metadata every document of a meeting shares."""
    return {
        "municipality": _municipality(export),
        **defaults,
        "committee": export.committee,
        "committee_short": export.committee_short,
        "meeting_date": export.meeting_date,
        "meeting_time": export.meeting_time,
        "date": export.meeting_date,
        "doc_type": export.kind,
    }


def _export_sources(
    tree: ExportTree,
    export: MeetingExport,
    locate: _Locate,
    meeting: Mapping[str, str | None],
    used: set[str],
) -> Iterator[SourceFile]:
    for item in export.items:
        metadata = {**meeting, "title": item.title, "item_number": item.number, "access": item.access}
        # eDoc writes a PDF per item: it is the item itself, read as its text when the manifest has none.
        own = resolve(tree, item.document.path) if item.document else None
        if own is not None:
            used.add(own)
        if own is not None and not item.fields:
            read = locate.reader(tree, own)
        else:
            read = _constant(item_html(export, item).encode("utf-8"))
        document = locate.item(export.manifest, item.number, read, metadata)
        yield document
        for enclosure in item.enclosures:
            access = "restricted" if "restricted" in (item.access, enclosure.access) else "public"
            extra = {"parent_id": document.doc_id, "access": access, "item_number": item.number}
            yield from _file_of(tree, enclosure, locate, {**meeting, **extra}, used)
    for file in export.meeting_files:
        yield from _file_of(tree, file, locate, {**meeting, "access": file.access}, used)


def _file_of(
    tree: ExportTree,
    enclosure: Enclosure,
    locate: _Locate,
    metadata: Mapping[str, str | None],
    used: set[str],
) -> Iterator[SourceFile]:
    path = resolve(tree, enclosure.path)
    if path is None:
        log.warning("an export names a file that is not there: %s", enclosure.path)
        return
    if path in used:
        return
    used.add(path)
    yield locate.file(path, {**metadata, "title": enclosure.title or None})


def _municipality(export: MeetingExport) -> str | None:
    """The export's municipality from what its manifest says (committee, place, the items' texts), for
    every document in it; the manifest names committees and departments a single file may not."""
    parts = [export.committee, export.location or ""]
    for item in export.items:
        parts.append(item.title)
        parts.extend(_TAG.sub(" ", unescape(field.html)) for field in item.fields)
    return load_gazetteer().find_municipality("\n".join(parts))


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _pairs(values: Mapping[str, str | None]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in values.items() if v is not None))


def _tree_defaults(path: Path) -> dict[str, str]:
    """Plain fields in a folder's sporbar.json: metadata for every document under it."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # reported per file by overrides_for
    return _plain_fields(data)


def _tree_json(tree: ExportTree, path: str) -> dict[str, str]:
    """Plain fields of a sporbar.json inside a tree (an export's root), or nothing."""
    try:
        return _plain_fields(json.loads(tree.read(path).decode("utf-8")))
    except (KeyError, OSError, RejectedFile, ValueError, UnicodeDecodeError):
        return {}


def _plain_fields(data: object) -> dict[str, str]:
    if not isinstance(data, dict):
        return {}
    return {k: str(v) for k, v in data.items() if k in OVERRIDABLE and isinstance(v, str | int)}


def overrides_for(file: SourceFile) -> dict[str, str]:
    """User-supplied metadata for a file on disk; a malformed side-car rejects the file rather than being
    ignored. Files inside archives and agenda items take theirs from the tree."""
    found: dict[str, str] = {}
    if file.member is not None or file.key is not None:
        return found
    manifest = file.abs_path.parent / MANIFEST
    sidecar = file.abs_path.with_name(file.abs_path.name + SIDECAR_SUFFIX)
    for candidate, key in ((manifest, file.abs_path.name), (sidecar, None)):
        if not candidate.is_file():
            continue
        try:
            data = json.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RejectedFile(f"unreadable metadata file {candidate.name}: {exc}") from exc
        entry = data.get(key, {}) if key is not None and isinstance(data, dict) else data
        if isinstance(entry, dict):
            found.update({k: str(v) for k, v in entry.items() if k in OVERRIDABLE and v is not None})
    return found
