"""The record's SQLite schema and its migrations. One file per data dir; every concern of the record
(documents and passages, embedding cache, overrides, change tracking, meta) keeps its tables here so that
the file's layout is read in one place."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = 4
TABLES = """
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
TRACKING = """
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


def _meeting_fields(db: sqlite3.Connection) -> None:
    """Version 2: committee-meeting exports, access and OCR on documents."""
    for column in (
        "year INTEGER",
        "committee TEXT",
        "committee_short TEXT",
        "meeting_date TEXT",
        "meeting_time TEXT",
        "item_number TEXT",
        "parent_id TEXT",
        "access TEXT NOT NULL DEFAULT 'public'",
        "ocr INTEGER NOT NULL DEFAULT 0",
    ):
        db.execute(f"ALTER TABLE documents ADD COLUMN {column}")
    db.execute("UPDATE documents SET year = CAST(substr(date, 1, 4) AS INTEGER) WHERE date IS NOT NULL")


def _year_source(db: sqlite3.Connection) -> None:
    """Version 3: where a document's year came from. Years so far were the metadata's or the date's;
    documents re-derive theirs when ingest next sees them (a new pipeline version)."""
    db.execute("ALTER TABLE documents ADD COLUMN year_source TEXT")
    db.execute("UPDATE documents SET year_source = 'date' WHERE year IS NOT NULL AND date IS NOT NULL")


def _traces(db: sqlite3.Connection) -> None:
    """Version 4: recommendation tracing computed at ingest, one stored result per access level."""
    db.execute(
        "CREATE TABLE traces (access TEXT PRIMARY KEY, key TEXT NOT NULL, payload TEXT NOT NULL, "
        "computed_at REAL NOT NULL)"
    )


# Steps from one schema version to the next, keyed by the version they start from; a new file is made
# at version 1 (TABLES) and brought up like any other. A step runs inside the opening transaction; a
# file newer than this code is refused rather than misread.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _meeting_fields,
    2: _year_source,
    3: _traces,
}


class SchemaTooNew(RuntimeError):
    """The record was written by a newer Sporbar."""


def migrate(db: sqlite3.Connection) -> None:
    """Create the tables of a new record, or bring an older one up to `SCHEMA_VERSION`."""
    db.executescript(TABLES)
    db.execute("BEGIN IMMEDIATE")
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = 1 if row is None else int(row[0])
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"the record's schema version {version} is newer than this Sporbar's {SCHEMA_VERSION}"
            )
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](db)
            version += 1
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(version),))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
