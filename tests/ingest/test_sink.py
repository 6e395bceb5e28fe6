"""Ingest writes through its own small `DocumentSink`: any object with those methods takes an ingest run,
and the index's record is one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from index.record import Record
from ingest.models import Chunk, Document
from ingest.pipeline import IngestOptions, remove_documents, run_ingest
from ingest.sink import DocumentSink


class MemorySink:
    def __init__(self) -> None:
        self.docs: dict[str, tuple[Document, list[Chunk]]] = {}
        self.hashes: dict[str, str] = {}
        self.refreshes = 0
        self.stale = False

    def file_hashes(self) -> dict[str, str]:
        return dict(self.hashes)

    def documents(self) -> list[Document]:
        return [replace(doc, text="") for doc, _ in self.docs.values()]

    def put(
        self, doc: Document, chunks: list[Chunk], signature: np.ndarray, chunk_signatures: list[np.ndarray]
    ) -> None:
        assert len(chunks) == len(chunk_signatures) and signature.size
        self.docs[doc.doc_id] = (doc, chunks)
        self.hashes[doc.doc_id] = doc.file_hash
        self.stale = True

    def delete(self, doc_ids: list[str]) -> int:
        gone = [self.docs.pop(d, None) for d in doc_ids]
        for doc_id in doc_ids:
            self.hashes.pop(doc_id, None)
        self.stale = True
        return sum(g is not None for g in gone)

    def duplicates_stale(self) -> bool:
        return self.stale

    def refresh_duplicates(self) -> None:
        self.refreshes += 1
        self.stale = False


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Borgerrådgiveren anbefaler, at forvaltningen svarer hurtigere.\n" * 20)
    (folder / "b.md").write_text("# Notat\n\nForvaltningen har indført faste svarfrister for alle sager.\n")
    return folder


def test_any_sink_takes_an_ingest_run(tmp_path: Path) -> None:
    sink = MemorySink()
    folder = _folder(tmp_path)
    report = run_ingest(sink, [folder], IngestOptions())
    assert (report.added, report.unchanged, report.rejected) == (2, 0, [])
    assert sink.refreshes == 1 and not sink.stale
    assert all(chunks for _, chunks in sink.docs.values())
    again = run_ingest(sink, [folder], IngestOptions())
    assert (again.added, again.unchanged) == (0, 2) and sink.refreshes == 1  # nothing changed, no refresh
    assert remove_documents(sink, ["a.txt"]) == 1 and sink.refreshes == 2
    assert [d.source for d in sink.documents()] == ["b.md"]


def test_the_record_is_a_sink(tmp_path: Path) -> None:
    sink: DocumentSink = Record(tmp_path / "record.sqlite3")
    report = run_ingest(sink, [_folder(tmp_path)], IngestOptions())
    assert report.added == 2 and not sink.duplicates_stale()
