"""A read-only view of an export's files, wherever they live (a folder, a zip read into memory).

Manifests name their files in Windows style and in whatever case the exporting system liked
(`\\Attachments\\6104646-6648380-1.pdf` for `Attachments/6104646-6648380-1.PDF`, `Enclosures\\1.pdf`),
so files are found through `resolve`, which ignores case, accepts either separator and never leaves
the export's root.
"""

from __future__ import annotations

import os
import posixpath
import unicodedata
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import ClassVar, Protocol


class ExportTree(Protocol):
    """The files of one export: posix paths relative to the export's root."""

    def paths(self) -> list[str]: ...

    def read(self, path: str) -> bytes: ...


class FolderTree:
    """An export unpacked in a folder. Symbolic links are not followed, so nothing outside `root` is read.

    The folder is listed once: the view is of an export that does not change while it is read.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._paths: list[str] | None = None

    def paths(self) -> list[str]:
        if self._paths is None:
            self._paths = self._list()
        return list(self._paths)

    def _list(self) -> list[str]:
        found: list[str] = []
        for folder, _dirs, files in os.walk(self.root, followlinks=False):
            here = Path(folder)
            for name in files:
                file = here / name
                if file.is_symlink() or not file.is_file():
                    continue
                found.append(file.relative_to(self.root).as_posix())
        return sorted(found)

    def read(self, path: str) -> bytes:
        relative = _clean(path)
        if relative is None:
            raise FileNotFoundError(path)
        file = self.root / relative
        if file.is_symlink() or not file.is_file() or not file.resolve().is_relative_to(self.root.resolve()):
            raise FileNotFoundError(path)
        return file.read_bytes()


class MemoryTree:
    """An export held in memory (a zip's members, a test's files)."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self._files = {key: value for path, value in files.items() if (key := _clean(path)) is not None}

    def paths(self) -> list[str]:
        return sorted(self._files)

    def read(self, path: str) -> bytes:
        key = _clean(path)
        if key is None or key not in self._files:
            raise FileNotFoundError(path)
        return self._files[key]


class PathIndex:
    """Finds the file a manifest names, case-insensitively and with either separator.

    `PathIndex.of(tree)` builds it once per tree; `PathIndex(paths)` for a list of paths.
    """

    _cache: ClassVar[weakref.WeakKeyDictionary[object, PathIndex]] = weakref.WeakKeyDictionary()

    @classmethod
    def of(cls, tree: ExportTree) -> PathIndex:
        try:
            found = cls._cache.get(tree)
        except TypeError:  # a tree that cannot be weakly referenced: no cache
            return cls(tree.paths())
        if found is None:
            found = cls(tree.paths())
            cls._cache[tree] = found
        return found

    def __init__(self, paths: Iterable[str]) -> None:
        self._exact: dict[str, str] = {}
        self._folded: dict[str, list[str]] = {}
        for path in paths:
            self._exact[path] = path
            self._folded.setdefault(_fold(path), []).append(path)

    def resolve(self, name: str, base: str = "") -> str | None:
        """The tree's path for `name`, tried relative to the folder `base`, then to the root; else None."""
        relative = _clean(name)
        if relative is None:
            return None
        candidates = [relative]
        folder = _clean(base) if base else None
        if folder:
            joined = _clean(f"{folder}/{relative}")
            if joined is not None:
                candidates.insert(0, joined)
        for candidate in candidates:
            if candidate in self._exact:
                return candidate
            matches = self._folded.get(_fold(candidate), [])
            if len(matches) == 1:
                return matches[0]
            if matches:
                return sorted(matches)[0]
        return None


def resolve(tree: ExportTree, path: str, base: str = "") -> str | None:
    """The path in `tree` of the file a manifest names as `path` (relative to the folder `base`), or None."""
    return PathIndex.of(tree).resolve(path, base)


def folder_of(path: str) -> str:
    """The folder a tree path lives in ("" at the root)."""
    return posixpath.dirname(path)


def _clean(path: str) -> str | None:
    """A posix path relative to the root, or None when it is empty or climbs out of the root."""
    text = path.strip().replace("\\", "/")
    if not text:
        return None
    if len(text) >= 2 and text[1] == ":" and text[0].isalpha():
        return None  # an absolute Windows path ("c:/publish/…") names no file of the export
    text = posixpath.normpath(text.lstrip("/"))
    if text in (".", "") or text == ".." or text.startswith("../"):
        return None
    return text


def _fold(path: str) -> str:
    return unicodedata.normalize("NFC", path).casefold()
