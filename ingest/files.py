"""Finding the files to ingest and the metadata a user supplies beside them.

A side-car `<file>.meta.json` or a folder's `sporbar.json` manifest (`{"file name": {...}}`) may
override title, municipality, date and doc_type; everything else comes from the text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import RejectedFile
from ingest.models import content_hash

MANIFEST = "sporbar.json"
SIDECAR_SUFFIX = ".meta.json"
OVERRIDABLE = ("title", "municipality", "date", "doc_type")


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest: where it is, its name relative to the folder it was given in, its stable id."""

    abs_path: Path
    rel_path: str

    @property
    def doc_id(self) -> str:
        return content_hash(str(self.abs_path))

    @property
    def source(self) -> str:
        return self.abs_path.name


def _is_metadata(path: Path) -> bool:
    return path.name == MANIFEST or path.name.endswith(SIDECAR_SUFFIX)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def discover(paths: list[Path]) -> Iterator[SourceFile]:
    """Files under the given paths, in a stable order; hidden files and metadata files are skipped."""
    for given in paths:
        root = given.resolve()
        if root.is_file():
            yield SourceFile(root, root.name)
        elif root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                if not _hidden(path, root) and not _is_metadata(path):
                    yield SourceFile(path, path.relative_to(root).as_posix())


def overrides_for(file: SourceFile) -> dict[str, str]:
    """User-supplied metadata for a file; a malformed side-car rejects the file rather than being ignored."""
    found: dict[str, str] = {}
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
