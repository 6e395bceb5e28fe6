"""The transactional record of documents and passages: the source of truth in embedded mode.

SQLite in WAL mode; a document and its chunks are written or removed in one transaction, so a crash
never leaves a half-ingested document. Vector and lexical indexes are derived from this record.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ingest.models import CellSpan, Chunk, Document, Unit

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, path TEXT NOT NULL, abs_path TEXT NOT NULL,
    file_hash TEXT NOT NULL, content_hash TEXT NOT NULL, title TEXT NOT NULL, municipality TEXT,
    date TEXT, doc_type TEXT NOT NULL, language TEXT NOT NULL, ocr_garbled INTEGER NOT NULL,
    quality REAL NOT NULL, format TEXT NOT NULL, pages INTEGER, canonical INTEGER NOT NULL,
    duplicate_of TEXT, chunks INTEGER NOT NULL, ingested_at REAL NOT NULL, text TEXT NOT NULL,
    units TEXT NOT NULL, signature BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    section TEXT NOT NULL, page INTEGER, quality REAL NOT NULL, corrected_text TEXT,
    text_hash TEXT NOT NULL, signature BLOB NOT NULL, duplicate_of TEXT
);
CREATE TABLE IF NOT EXISTS embeddings (
    text_hash TEXT NOT NULL, model TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (text_hash, model)
);
CREATE TABLE IF NOT EXISTS rec_overrides (
    rec_id TEXT PRIMARY KEY, status TEXT NOT NULL, note TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ordinal);
CREATE INDEX IF NOT EXISTS chunks_hash ON chunks(text_hash);
CREATE INDEX IF NOT EXISTS documents_dup ON documents(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX IF NOT EXISTS chunks_dup ON chunks(duplicate_of) WHERE duplicate_of IS NOT NULL;
"""
# Server mode: what changed since the record last equalled the shared one, so a push sends those items
# without comparing every document. Kept by triggers, whatever write path changed a row.
_TRACKING = """
CREATE TABLE IF NOT EXISTS unshared (kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key));
CREATE TRIGGER IF NOT EXISTS unshared_doc_insert AFTER INSERT ON documents
    BEGIN INSERT OR IGNORE INTO unshared VALUES ('doc', NEW.doc_id); END;
CREATE TRIGGER IF NOT EXISTS unshared_doc_update AFTER UPDATE ON documents
    BEGIN INSERT OR IGNORE INTO unshared VALUES ('doc', NEW.doc_id), ('doc', OLD.doc_id); END;
CREATE TRIGGER IF NOT EXISTS unshared_doc_delete AFTER DELETE ON documents
    BEGIN INSERT OR IGNORE INTO unshared VALUES ('doc', OLD.doc_id); END;
CREATE TRIGGER IF NOT EXISTS unshared_chunk_insert AFTER INSERT ON chunks
    BEGIN INSERT OR IGNORE INTO unshared VALUES ('doc', NEW.doc_id); END;
CREATE TRIGGER IF NOT EXISTS unshared_chunk_update AFTER UPDATE ON chunks
    BEGIN INSERT OR IGNORE INTO unshared VALUES ('doc', NEW.doc_id), ('doc', OLD.doc_id); END;
CREATE TRIGGER IF NOT EXISTS unshared_chunk_delete AFTER DELETE ON chunks
    BEGIN INSERT OR IGNORE INTO unshared VALUES ('doc', OLD.doc_id); END;
CREATE TRIGGER IF NOT EXISTS unshared_override_insert AFTER INSERT ON rec_overrides
    BEGIN INSERT OR IGNORE INTO unshared VALUES ('override', NEW.rec_id); END;
CREATE TRIGGER IF NOT EXISTS unshared_override_update AFTER UPDATE ON rec_overrides
    BEGIN INSERT OR IGNORE INTO unshared VALUES ('override', NEW.rec_id); END;
CREATE TRIGGER IF NOT EXISTS unshared_override_delete AFTER DELETE ON rec_overrides
    BEGIN INSERT OR IGNORE INTO unshared VALUES ('override', OLD.rec_id); END;
"""
_CHUNK_COLUMNS = [
    "chunk_id",
    "doc_id",
    "ordinal",
    "start",
    '"end"',
    "text",
    "section",
    "page",
    "quality",
    "corrected_text",
    "duplicate_of",
]
_CHUNK_TEXTS = ("text", "corrected_text")
# Passages that belong in the search indexes: of canonical documents, and not duplicates themselves.
_INDEXABLE = "FROM chunks c JOIN documents d USING (doc_id) WHERE d.canonical = 1 AND c.duplicate_of IS NULL"
_MARK_STALE = "INSERT OR REPLACE INTO meta VALUES ('duplicates_stale', '1')"
_DOC_COLUMNS = [
    "doc_id",
    "source",
    "path",
    "abs_path",
    "file_hash",
    "content_hash",
    "title",
    "municipality",
    "date",
    "doc_type",
    "language",
    "ocr_garbled",
    "quality",
    "format",
    "pages",
    "canonical",
    "duplicate_of",
    "chunks",
    "ingested_at",
    "text",
    "units",
]


def _plain(row: sqlite3.Row) -> dict[str, object]:
    """A row as JSON-able values; blobs as base64 under a marked key."""
    out: dict[str, object] = {}
    for key in row.keys():  # noqa: SIM118 (iterating a Row gives its values)
        value = row[key]
        if isinstance(value, bytes):
            out[f"{key}:b64"] = base64.b64encode(value).decode()
        else:
            out[key] = value
    return out


def _insert(db: sqlite3.Connection, table: str, plain: Mapping[str, object]) -> None:
    values = {
        (k[:-4] if k.endswith(":b64") else k): (base64.b64decode(str(v)) if k.endswith(":b64") else v)
        for k, v in plain.items()
    }
    columns = ", ".join(f'"{c}"' for c in values)
    db.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(values))})", list(values.values())
    )


def _units_json(units: list[Unit]) -> str:
    return json.dumps([asdict(u) for u in units], ensure_ascii=False)


def _units_from_json(raw: str) -> list[Unit]:
    units = []
    for item in json.loads(raw):
        item["cells"] = tuple(CellSpan(**cell) for cell in item["cells"])
        units.append(Unit(**item))
    return units


class Record:
    """Documents and chunks in one SQLite file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(_SCHEMA)
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self, bump: bool = True) -> Iterator[sqlite3.Connection]:
        """One write; it also bumps the generation that derived indexes compare against."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            if bump:
                self.db.execute(
                    "INSERT INTO meta VALUES ('generation', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def generation(self) -> int:
        """A counter that changes with every write to the record."""
        return int(self.get_meta("generation") or 0)

    # --- meta -------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- writes -----------------------------------------------------------------------------------
    def put(
        self, doc: Document, chunks: list[Chunk], signature: np.ndarray, chunk_signatures: list[np.ndarray]
    ) -> None:
        """Insert or replace a document with its chunks, atomically."""
        values = [getattr(doc, c) for c in _DOC_COLUMNS[:-1]] + [_units_json(doc.units)]
        with self.transaction() as db:
            db.execute(_MARK_STALE)
            db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc.doc_id,))
            db.execute(
                f"INSERT OR REPLACE INTO documents ({', '.join(_DOC_COLUMNS)}, signature) "
                f"VALUES ({', '.join('?' * (len(_DOC_COLUMNS) + 1))})",
                [*values, signature.tobytes()],
            )
            db.executemany(
                'INSERT INTO chunks (chunk_id, doc_id, ordinal, start, "end", text, section, page, quality, '
                "corrected_text, text_hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        with self.transaction() as db:
            db.execute(_MARK_STALE)
            removed = 0
            for doc_id in doc_ids:
                db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
                removed += db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount
            return removed

    def set_duplicates(self, doc_map: Mapping[str, str], chunk_map: Mapping[str, str]) -> None:
        """Replace all duplicate links: `doc_map` non-canonical doc → canonical, same for chunks."""
        with self.transaction() as db:
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
            db.execute("DELETE FROM meta WHERE key = 'duplicates_stale'")

    def duplicates_stale(self) -> bool:
        """Documents changed since duplicate groups were last computed (e.g. a run was killed)."""
        return self.get_meta("duplicates_stale") is not None

    # --- reads ------------------------------------------------------------------------------------
    def file_hashes(self) -> dict[str, str]:
        return {
            r["doc_id"]: r["file_hash"] for r in self.db.execute("SELECT doc_id, file_hash FROM documents")
        }

    def documents(self, with_text: bool = False) -> list[Document]:
        # Texts are most of the table's bytes: leave them on disk unless asked for.
        columns = "*" if with_text else ", ".join(c for c in _DOC_COLUMNS if c not in ("text", "units"))
        rows = self.db.execute(f"SELECT {columns} FROM documents ORDER BY source, path").fetchall()
        return [self._document(r, with_text) for r in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self.db.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else self._document(row, True)

    def signatures(self) -> list[tuple[str, np.ndarray]]:
        rows = self.db.execute("SELECT doc_id, signature FROM documents")
        return [(r["doc_id"], np.frombuffer(r["signature"], dtype=np.uint64)) for r in rows]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        if doc_id is None:
            rows = self.db.execute("SELECT * FROM chunks ORDER BY doc_id, ordinal")
        else:
            rows = self.db.execute("SELECT * FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        return [self._chunk(r) for r in rows]

    def chunk_rows(self) -> list[sqlite3.Row]:
        """Chunks with their dedup fields, for passage-level deduplication."""
        return self.db.execute(
            "SELECT c.chunk_id, c.doc_id, c.text, c.text_hash, c.signature, c.duplicate_of, d.quality, "
            "d.canonical FROM chunks c JOIN documents d USING (doc_id) ORDER BY c.doc_id, c.ordinal"
        ).fetchall()

    def indexable_chunks(self, with_text: bool = True) -> list[Chunk]:
        """Passages that belong in the search indexes: canonical documents, no duplicate passages.
        Without text, `text` and `corrected_text` are left empty (a light view of a large index)."""
        columns = "c.*" if with_text else ", ".join(f"c.{c}" for c in _CHUNK_COLUMNS if c not in _CHUNK_TEXTS)
        rows = self.db.execute(f"SELECT {columns} {_INDEXABLE} ORDER BY c.doc_id, c.ordinal")
        return [self._chunk(r, with_text) for r in rows]

    def count_indexable(self) -> int:
        return int(self.db.execute(f"SELECT count(*) {_INDEXABLE}").fetchone()[0])

    def chunk_texts(self, chunk_ids: Sequence[str]) -> dict[str, str]:
        """The texts of these passages (those still in the record)."""
        return {
            r[0]: r[1]
            for r in self._rows_in("SELECT chunk_id, text FROM chunks WHERE chunk_id IN ({})", chunk_ids)
        }

    def _rows_in(self, sql: str, keys: Sequence[str], *before: object) -> Iterator[sqlite3.Row]:
        """Rows of `sql` whose IN ({}) list is `keys`, asked 500 at a time (SQLite caps parameters)."""
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            yield from self.db.execute(sql.format(", ".join("?" * len(part))), [*before, *part])

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

    def copies(self) -> dict[str, list[str]]:
        """Sources of the other copies, keyed by the canonical document or passage id they duplicate."""
        rows = self.db.execute(
            "SELECT duplicate_of, source FROM documents WHERE duplicate_of IS NOT NULL UNION "
            "SELECT c.duplicate_of, d.source FROM chunks c JOIN documents d USING (doc_id) "
            "WHERE c.duplicate_of IS NOT NULL ORDER BY 1, 2"
        )
        found: dict[str, list[str]] = {}
        for target, source in rows:
            found.setdefault(target, []).append(source)
        return found

    # --- status overrides: keyed by recommendation id, independent of documents, so they survive re-ingest
    def overrides(self) -> dict[str, dict[str, str]]:
        rows = self.db.execute("SELECT rec_id, status, note, by, at FROM rec_overrides")
        return {r["rec_id"]: {k: r[k] for k in ("status", "note", "by", "at")} for r in rows}

    def overrides_version(self) -> str:
        return self.get_meta("overrides_version") or ""

    def set_override(self, rec_id: str, status: str, note: str, by: str, at: str) -> None:
        with self.transaction(bump=False) as db:
            db.execute(
                "INSERT OR REPLACE INTO rec_overrides VALUES (?, ?, ?, ?, ?)", (rec_id, status, note, by, at)
            )
            db.execute("INSERT OR REPLACE INTO meta VALUES ('overrides_version', ?)", (uuid.uuid4().hex,))

    def clear_override(self, rec_id: str) -> bool:
        with self.transaction(bump=False) as db:
            gone = db.execute("DELETE FROM rec_overrides WHERE rec_id = ?", (rec_id,)).rowcount > 0
            db.execute("INSERT OR REPLACE INTO meta VALUES ('overrides_version', ?)", (uuid.uuid4().hex,))
            return gone

    # --- replication: rows as JSON-able payloads, for a shared store that holds the truth (server mode)
    def payloads(self, page: int = 500) -> Iterator[tuple[str, dict[str, object]]]:
        """Every document with its chunks as a plain payload, by doc_id, a page of documents at a time
        (a million passages as payloads would take gigabytes at once)."""
        after = ""
        while docs := self.db.execute(
            "SELECT * FROM documents WHERE doc_id > ? ORDER BY doc_id LIMIT ?", (after, page)
        ).fetchall():
            yield from self._payloads(docs)
            after = docs[-1]["doc_id"]

    def payloads_of(self, doc_ids: Sequence[str]) -> Iterator[tuple[str, dict[str, object]]]:
        """The payloads of these documents (those still in the record)."""
        for i in range(0, len(doc_ids), 500):
            sql = "SELECT * FROM documents WHERE doc_id IN ({}) ORDER BY doc_id"
            yield from self._payloads(list(self._rows_in(sql, doc_ids[i : i + 500])))

    def _payloads(self, docs: list[sqlite3.Row]) -> Iterator[tuple[str, dict[str, object]]]:
        chunks: dict[str, list[dict[str, object]]] = {}
        sql = "SELECT * FROM chunks WHERE doc_id IN ({}) ORDER BY doc_id, ordinal"
        for row in self._rows_in(sql, [r["doc_id"] for r in docs]):
            chunks.setdefault(row["doc_id"], []).append(_plain(row))
        for r in docs:
            yield r["doc_id"], {"doc": _plain(r), "chunks": chunks.get(r["doc_id"], [])}

    def track_changes(self) -> None:
        """Start listing changed documents and overrides (server mode); idempotent."""
        self.db.executescript(_TRACKING)

    def unshared(self) -> list[tuple[str, str]]:
        """(kind, key) of what changed since `mark_shared`: kind "doc" (a doc_id) or "override" (a rec_id)."""
        return [(r[0], r[1]) for r in self.db.execute("SELECT kind, key FROM unshared ORDER BY kind, key")]

    def mark_shared(self, items: Sequence[tuple[str, str]] | None = None) -> None:
        """Forget these changes (all of them with None): the shared store has them now."""
        with self.transaction(bump=False) as db:
            if items is None:
                db.execute("DELETE FROM unshared")
            else:
                db.executemany("DELETE FROM unshared WHERE kind = ? AND key = ?", items)

    def replace_all(
        self, payloads: Iterable[Mapping[str, object]], overrides: Mapping[str, Mapping[str, str]]
    ) -> None:
        """Make the record hold exactly these documents and overrides (the embeddings cache stays).
        `overrides` is read after the last payload, so a stream may fill it as it goes."""
        with self.transaction() as db:
            db.execute("DELETE FROM chunks")
            db.execute("DELETE FROM documents")
            for payload in payloads:
                doc = payload["doc"]
                assert isinstance(doc, dict)
                _insert(db, "documents", doc)
                for chunk in payload["chunks"]:  # type: ignore[attr-defined]
                    _insert(db, "chunks", chunk)
            db.execute("DELETE FROM rec_overrides")
            db.executemany(
                "INSERT INTO rec_overrides VALUES (?, ?, ?, ?, ?)",
                [(rec_id, o["status"], o["note"], o["by"], o["at"]) for rec_id, o in overrides.items()],
            )

    # --- embedding cache: a passage's vector is computed once per model ------------------------------
    def cached_vectors(self, text_hashes: list[str], model: str) -> dict[str, np.ndarray]:
        sql = "SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({})"
        return {r[0]: np.frombuffer(r[1], dtype=np.float32) for r in self._rows_in(sql, text_hashes, model)}

    def cache_vectors(self, vectors: dict[str, np.ndarray], model: str) -> None:
        with self.transaction(bump=False) as db:
            db.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [(h, model, v.astype(np.float32).tobytes()) for h, v in vectors.items()],
            )

    @staticmethod
    def _chunk(r: sqlite3.Row, with_text: bool = True) -> Chunk:
        return Chunk(
            chunk_id=r["chunk_id"],
            doc_id=r["doc_id"],
            ordinal=r["ordinal"],
            start=r["start"],
            end=r["end"],
            text=r["text"] if with_text else "",
            section=r["section"],
            page=r["page"],
            quality=r["quality"],
            corrected_text=r["corrected_text"] if with_text else None,
            duplicate_of=r["duplicate_of"],
        )

    @staticmethod
    def _document(r: sqlite3.Row, with_text: bool) -> Document:
        values = {c: r[c] for c in _DOC_COLUMNS if c not in ("text", "units")}
        values["ocr_garbled"] = bool(values["ocr_garbled"])
        values["canonical"] = bool(values["canonical"])
        return Document(
            **values,
            text=r["text"] if with_text else "",
            units=_units_from_json(r["units"]) if with_text else [],
        )
