"""Zip archives are read as folders, in memory, with guards against bombs and unsafe names."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from index.record import Record
from ingest.archives import ZipLimits, ZipTree, is_archive
from ingest.errors import RejectedFile
from ingest.pipeline import IngestOptions, run_ingest

TEXT = "Borgerrådgiveren anbefaler, at forvaltningen svarer borgerne inden for fire uger.\n" * 12


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_members_of_an_archive_and_of_archives_inside_it_are_ingested(tmp_path: Path) -> None:
    inner = _zip({"notat.txt": ("Notat om svarfrister.\n\n" + TEXT).encode()})
    (tmp_path / "arkiv.zip").write_bytes(
        _zip({"a/svar.md": ("# Svar\n\n" + TEXT.replace("fire", "tre")).encode(), "indre.zip": inner})
    )
    record = Record(tmp_path / "record.sqlite3")
    report = run_ingest(record, [tmp_path / "arkiv.zip"], IngestOptions())
    assert (report.added, report.rejected) == (2, [])
    docs = {d.source: d for d in record.documents()}
    assert docs["svar.md"].path == "arkiv.zip/a/svar.md"
    assert docs["notat.txt"].path == "arkiv.zip/indre.zip!/notat.txt"
    assert not Path(docs["svar.md"].abs_path).exists()  # a member is no file of its own
    again = run_ingest(record, [tmp_path / "arkiv.zip"], IngestOptions())
    assert (again.added, again.unchanged) == (0, 2)


def test_a_member_gone_from_an_archive_is_pruned(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    two = {"a.txt": TEXT.encode(), "b.txt": TEXT.replace("fire", "seks").encode() + b"Og mere."}
    (folder / "arkiv.zip").write_bytes(_zip(two))
    record = Record(tmp_path / "record.sqlite3")
    assert run_ingest(record, [folder], IngestOptions()).added == 2
    (folder / "arkiv.zip").write_bytes(_zip({"a.txt": two["a.txt"]}))
    report = run_ingest(record, [folder], IngestOptions(), prune=True)
    assert (report.unchanged, report.removed) == (1, 1)
    assert [d.source for d in record.documents()] == ["a.txt"]


def test_unsafe_names_bombs_and_broken_archives_are_reported_not_read(tmp_path: Path) -> None:
    bomb = b"\0" * (5 * 1024 * 1024)  # compresses about a thousandfold
    (tmp_path / "farlig.zip").write_bytes(
        _zip({"../../etc/evil.txt": TEXT.encode(), "bombe.txt": bomb, "ok.txt": TEXT.encode()})
    )
    (tmp_path / "brudt.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    record = Record(tmp_path / "record.sqlite3")
    report = run_ingest(record, [tmp_path], IngestOptions())
    reasons = {r["source"]: r["reason"] for r in report.rejected}
    assert report.added == 1
    assert "unsafe path" in reasons["farlig.zip/../../etc/evil.txt"]
    assert "zip bomb" in reasons["farlig.zip/bombe.txt"]
    assert "damaged zip archive" in reasons["brudt.zip"]
    assert not (tmp_path.parent / "etc").exists()


def test_limits_on_members_depth_and_size() -> None:
    many = _zip({f"{i}.txt": b"x" for i in range(5)})
    with pytest.raises(RejectedFile, match="more than 3 files"):
        ZipTree(many, ZipLimits(max_members=3))
    deep = _zip({"1.zip": _zip({"2.zip": _zip({"3.txt": b"dyb"})})})
    tree = ZipTree(deep, ZipLimits(max_depth=2))
    assert tree.paths() == [] and "nested more than 2 deep" in tree.rejected["1.zip!/2.zip"]
    assert ZipTree(deep).paths() == ["1.zip!/2.zip!/3.txt"]
    big = _zip({"stor.txt": b"y" * 2000}, zipfile.ZIP_STORED)
    with pytest.raises(RejectedFile, match="unpacks to more than"):
        ZipTree(big, ZipLimits(max_total_bytes=1000))


def test_office_documents_are_not_archives() -> None:
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert not is_archive(docx) and not is_archive(odt)
    assert is_archive(_zip({"a.txt": b"a"}))
    assert not is_archive(b"%PDF-1.7")
