"""Zip archives as folders: their members are read in memory, never extracted to disk, with guards
against zip bombs (total size, member count, compression ratio, nesting depth) and unsafe member names."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ingest.errors import RejectedFile

ZIP_MAGIC = b"PK\x03\x04"
NESTED = "!/"  # joins an archive's path and a member's path: "export.zip!/Enclosures/1.pdf"


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 10_000
    max_total_bytes: int = 2 * 1024**3  # uncompressed, over all members of one archive and its nested ones
    max_member_bytes: int = 50 * 1024**2
    max_ratio: float = 200.0  # uncompressed / compressed size of one member
    max_depth: int = 3  # archives inside archives


@dataclass
class ZipTree:
    """The files of a zip archive (and of the archives inside it), by posix path inside the archive.

    Nested archives appear as folders: "inner.zip!/a.pdf". Unsafe members (absolute paths, "..") and
    members over the limits are listed in `rejected` with a reason instead of being read."""

    data: bytes
    limits: ZipLimits = field(default_factory=ZipLimits)
    files: dict[str, tuple[zipfile.ZipFile, str]] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)
    _total: int = 0

    def __post_init__(self) -> None:
        self._open(self.data, "", 0)

    def _open(self, data: bytes, prefix: str, depth: int) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise RejectedFile(f"damaged zip archive: {exc}") from exc
        members = [i for i in infos if not i.is_dir()]
        if len(self.files) + len(members) > self.limits.max_members:
            raise RejectedFile(f"zip archive has more than {self.limits.max_members} files")
        for info in members:
            name = prefix + info.filename
            reason = self._unsafe(info)
            if reason:
                self.rejected[name] = reason
                continue
            self._total += info.file_size
            if self._total > self.limits.max_total_bytes:
                raise RejectedFile(
                    f"zip archive unpacks to more than {self.limits.max_total_bytes / 1024**3:.0f} GB"
                )
            if info.filename.lower().endswith(".zip"):
                if depth + 1 >= self.limits.max_depth:
                    self.rejected[name] = f"archive nested more than {self.limits.max_depth} deep"
                    continue
                try:
                    self._open(self._read_member(archive, info), name + NESTED, depth + 1)
                except RejectedFile as exc:
                    self.rejected[name] = exc.reason
                continue
            self.files[name] = (archive, info.filename)

    def _unsafe(self, info: zipfile.ZipInfo) -> str | None:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or info.filename.startswith(("/", "\\")):
            return "unsafe path in zip archive"
        if info.flag_bits & 0x1:
            return "encrypted zip member"
        if info.file_size > self.limits.max_member_bytes:
            limit = self.limits.max_member_bytes / 1e6
            return f"file too large: {info.file_size / 1e6:.1f} MB (limit {limit:.1f} MB)"
        if info.compress_size and info.file_size / info.compress_size > self.limits.max_ratio:
            return "suspicious compression ratio (zip bomb)"
        return None

    def _read_member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        # Read at most the declared size plus one byte: a header that understates the size is caught.
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
        if len(data) > info.file_size:
            raise RejectedFile("zip member larger than its header says")
        return data

    def paths(self) -> list[str]:
        return sorted(self.files)

    def read(self, path: str) -> bytes:
        archive, name = self.files[path]
        try:
            return self._read_member(archive, archive.getinfo(name))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise RejectedFile(f"damaged zip member: {exc}") from exc


def is_archive(data: bytes) -> bool:
    """A zip archive of files, not a document format that is a zip inside (DOCX, ODT, XLSX …)."""
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return not ({"[Content_Types].xml", "mimetype", "META-INF/manifest.xml"} & set(names))
