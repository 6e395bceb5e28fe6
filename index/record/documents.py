"""The transactional record of documents and passages: the source of truth in embedded mode.

SQLite in WAL mode; a document and its chunks are written or removed in one transaction, so a crash
never leaves a half-ingested document. Vector and lexical indexes are derived from this record. The
record's other concerns share its file and connection and hang off it: `meta` (typed small facts),
`vectors` (the embedding cache), `overrides` (the advisor's status overrides), `traces` (tracing
computed at ingest) and `replica` (server mode's payloads and change tracking).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from index.duplicates import refresh_duplicates
from index.record.db import Database
from index.record.meta import Meta
from index.record.overrides import Overrides
from index.record.replication import Replication
from index.record.rows import (
    CHUNK_COLUMNS,
    CHUNK_TEXTS,
    DOC_COLUMNS,
    DOC_TEXTS,
    chunk_from_row,
    document_from_row,
    document_values,
)
from index.record.traces import Traces
from index.record.vectors import EmbeddingCache
from ingest.models import Chunk, Document

# Passages that belong in the search indexes: of canonical documents, and not duplicates themselves.
_INDEXABLE = "FROM chunks c JOIN documents d USING (doc_id) WHERE d.canonical = 1 AND c.duplicate_of IS NULL"
_INSERT_CHUNK = (
    'INSERT INTO chunks (chunk_id, doc_id, ordinal, start, "end", text, section, page, quality, '
    "corrected_text, text_hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class Record:
    """Documents and passages in one SQLite file; implements ingest's `DocumentSink`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = Database(path)
        self.meta = Meta(self.db)
        self.vectors = EmbeddingCache(self.db)
        self.overrides = Overrides(self.db, self.meta)
        self.replica = Replication(self.db)
        self.traces = Traces(self.db)

    def close(self) -> None:
        self.db.close()

    def generation(self) -> int:
        """A counter that changes with every write to documents or passages."""
        return self.meta.generation

    # --- writes -----------------------------------------------------------------------------------
    def put(
        self, doc: Document, chunks: list[Chunk], signature: np.ndarray, chunk_signatures: list[np.ndarray]
    ) -> None:
        """Insert or replace a document with its chunks, atomically."""
        with self.db.transaction() as db:
            self.meta.duplicates_stale = True
            db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc.doc_id,))
            db.execute(
                f"INSERT OR REPLACE INTO documents ({', '.join(DOC_COLUMNS)}, signature) "
                f"VALUES ({', '.join('?' * (len(DOC_COLUMNS) + 1))})",
                [*document_values(doc), signature.tobytes()],
            )
            db.executemany(
                _INSERT_CHUNK,
                [
                    (
                        c.chunk_id,
                        c.doc_id,
                        c.ordinal,
                        c.start,
                        c.end,
                        c.text,
                        c.section,
                        c.page,
                        c.quality,
                        c.corrected_text,
                        c.text_hash,
                        sig.tobytes(),
                    )
                    for c, sig in zip(chunks, chunk_signatures, strict=True)
                ],
            )

    def delete(self, doc_ids: list[str]) -> int:
        with self.db.transaction() as db:
            self.meta.duplicates_stale = True
            removed = 0
            for doc_id in doc_ids:
                db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
                removed += db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount
            return removed

    def set_duplicates(self, doc_map: Mapping[str, str], chunk_map: Mapping[str, str]) -> None:
        """Replace all duplicate links: `doc_map` non-canonical doc → canonical, same for chunks."""
        with self.db.transaction() as db:
            # Only the rows that were duplicates are reset: every row written would cost a million updates
            # at scale and mark every document changed for server mode.
            db.execute(
                "UPDATE documents SET canonical = 1, duplicate_of = NULL "
                "WHERE duplicate_of IS NOT NULL OR canonical = 0"
            )
            db.executemany(
                "UPDATE documents SET canonical = 0, duplicate_of = ? WHERE doc_id = ?",
                [(canon, doc) for doc, canon in doc_map.items()],
            )
            db.execute("UPDATE chunks SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL")
            db.executemany(
                "UPDATE chunks SET duplicate_of = ? WHERE chunk_id = ?",
                [(canon, chunk) for chunk, canon in chunk_map.items()],
            )
            self.meta.duplicates_stale = False

    def duplicates_stale(self) -> bool:
        """Documents changed since duplicate groups were last computed (e.g. a run was killed)."""
        return self.meta.duplicates_stale

    def refresh_duplicates(self) -> None:
        """Recompute duplicate groups over the whole record."""
        refresh_duplicates(self)

    # --- reads ------------------------------------------------------------------------------------
    def file_hashes(self) -> dict[str, str]:
        rows = self.db.execute("SELECT doc_id, file_hash FROM documents")
        return {r["doc_id"]: r["file_hash"] for r in rows}

    def documents(self, with_text: bool = False) -> list[Document]:
        # Texts are most of the table's bytes: leave them on disk unless asked for.
        columns = "*" if with_text else ", ".join(c for c in DOC_COLUMNS if c not in DOC_TEXTS)
        rows = self.db.execute(f"SELECT {columns} FROM documents ORDER BY source, path").fetchall()
        return [document_from_row(r, with_text) for r in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self.db.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else document_from_row(row, True)

    def signatures(self) -> list[tuple[str, np.ndarray]]:
        rows = self.db.execute("SELECT doc_id, signature FROM documents")
        return [(r["doc_id"], np.frombuffer(r["signature"], dtype=np.uint64)) for r in rows]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        if doc_id is None:
            rows = self.db.execute("SELECT * FROM chunks ORDER BY doc_id, ordinal")
        else:
            rows = self.db.execute("SELECT * FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        return [chunk_from_row(r) for r in rows]

    def chunk_rows(self) -> list[sqlite3.Row]:
        """Chunks with their dedup fields, for passage-level deduplication."""
        return self.db.execute(
            "SELECT c.chunk_id, c.doc_id, c.text, c.text_hash, c.signature, c.duplicate_of, d.quality, "
            "d.canonical, d.access, d.item_number, d.committee, d.meeting_date, d.municipality "
            "FROM chunks c JOIN documents d USING (doc_id) "
            "ORDER BY c.doc_id, c.ordinal"
        ).fetchall()

    def indexable_chunks(self, with_text: bool = True) -> list[Chunk]:
        """Passages that belong in the search indexes: canonical documents, no duplicate passages.
        Without text, `text` and `corrected_text` are left empty (a light view of a large index)."""
        columns = "c.*" if with_text else ", ".join(f"c.{c}" for c in CHUNK_COLUMNS if c not in CHUNK_TEXTS)
        rows = self.db.execute(f"SELECT {columns} {_INDEXABLE} ORDER BY c.doc_id, c.ordinal")
        return [chunk_from_row(r, with_text) for r in rows]

    def count_indexable(self) -> int:
        return int(self.db.execute(f"SELECT count(*) {_INDEXABLE}").fetchone()[0])

    def chunk_texts(self, chunk_ids: Sequence[str]) -> dict[str, str]:
        """The texts of these passages (those still in the record)."""
        sql = "SELECT chunk_id, text FROM chunks WHERE chunk_id IN ({})"
        return {r[0]: r[1] for r in self.db.rows_in(sql, chunk_ids)}

    def indexable_texts(self) -> Iterator[tuple[str, str, str | None]]:
        """(passage id, text, corrected text) of the indexable passages, read a page at a time."""
        cursor = self.db.execute(
            f"SELECT c.chunk_id, c.text, c.corrected_text {_INDEXABLE} ORDER BY c.doc_id, c.ordinal"
        )
        while rows := cursor.fetchmany(1000):
            yield from ((r[0], r[1], r[2]) for r in rows)

    def counts(self) -> tuple[int, int]:
        """Documents and canonical documents, counted without loading them."""
        row = self.db.execute("SELECT count(*), coalesce(sum(canonical), 0) FROM documents").fetchone()
        return int(row[0]), int(row[1])

    def copies(self) -> dict[str, list[tuple[str, str]]]:
        """(doc_id, source) of the other copies, keyed by the canonical document or passage id they
        duplicate."""
        rows = self.db.execute(
            "SELECT duplicate_of, doc_id, source FROM documents WHERE duplicate_of IS NOT NULL UNION "
            "SELECT c.duplicate_of, d.doc_id, d.source FROM chunks c JOIN documents d USING (doc_id) "
            "WHERE c.duplicate_of IS NOT NULL ORDER BY 1, 3"
        )
        found: dict[str, list[tuple[str, str]]] = {}
        for target, doc_id, source in rows:
            found.setdefault(target, []).append((doc_id, source))
        return found
