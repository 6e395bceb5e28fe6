"""An ingest run: discover files, skip unchanged ones, build the rest, write them to the sink, refresh
duplicates."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ingest.build import build_document, file_hash
from ingest.chunk import ChunkSizes
from ingest.dedup import key_shingles, make_item, signature
from ingest.errors import RejectedFile
from ingest.files import SourceFile, discover, overrides_for
from ingest.sink import DocumentSink

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    duplicates: int = 0
    rejected: list[dict[str, str]] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)

    def public(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
        }


@dataclass(frozen=True)
class IngestOptions:
    sizes: ChunkSizes = field(default_factory=ChunkSizes)
    max_bytes: int = 50 * 1024 * 1024
    progress: bool = False
    mask_cpr: bool = True


def ingest_file(sink: DocumentSink, file: SourceFile, known: dict[str, str], options: IngestOptions) -> str:
    """Ingest one file; returns "added", "updated" or "unchanged", raises RejectedFile."""
    data = file.read(options.max_bytes)
    previous = known.get(file.doc_id)
    if previous == file_hash(data):
        return "unchanged"
    # Side-car files beat an export's manifest, which beats what is guessed from the text.
    metadata = {**dict(file.metadata), **overrides_for(file)}
    doc, chunks = build_document(data, file, metadata, options.sizes, options.mask_cpr, options.progress)
    sink.put(
        doc,
        chunks,
        signature(key_shingles(doc.text)),
        [make_item(c.chunk_id, doc.doc_id, c.text).signature for c in chunks],
    )
    return "added" if previous is None else "updated"


def run_ingest(
    sink: DocumentSink, paths: Sequence[Path], options: IngestOptions, prune: bool = False
) -> IngestReport:
    report = IngestReport()
    known = sink.file_hashes()
    files = list(discover(list(paths)))
    for file in tqdm(files, desc="ingest", unit="file", disable=not options.progress):
        try:
            outcome = ingest_file(sink, file, known, options)
        except RejectedFile as exc:
            report.rejected.append({"source": file.rel_path, "reason": exc.reason})
            log.warning("rejected %s: %s", file.locator, exc.reason)
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome != "unchanged":
            report.changed_ids.append(file.doc_id)
    if prune:
        report.removed = prune_missing(sink, paths, {f.doc_id for f in files})
    if report.changed_ids or report.removed or sink.duplicates_stale():
        sink.refresh_duplicates()
        duplicates = {d.doc_id for d in sink.documents() if not d.canonical}
        report.duplicates = len(duplicates.intersection(report.changed_ids))
    return report


def prune_missing(sink: DocumentSink, paths: Sequence[Path], found: set[str]) -> int:
    """Remove documents from under the given folders (files, archive members, agenda items) that this
    run did not find there."""
    roots = [p.resolve() for p in paths if p.resolve().is_dir()]
    gone = [
        d.doc_id
        for d in sink.documents()
        if d.doc_id not in found and any(Path(d.abs_path).is_relative_to(root) for root in roots)
    ]
    return sink.delete(gone) if gone else 0


def remove_documents(sink: DocumentSink, ids_or_sources: Sequence[str]) -> int:
    """Remove documents named by doc_id, source file name, relative path or absolute path."""
    wanted = set(ids_or_sources)
    resolved = {str(Path(x).resolve()) for x in ids_or_sources}
    doomed = [
        d.doc_id
        for d in sink.documents()
        if d.doc_id in wanted or d.source in wanted or d.path in wanted or d.abs_path in resolved
    ]
    removed = sink.delete(doomed) if doomed else 0
    if removed:
        sink.refresh_duplicates()
    return removed
