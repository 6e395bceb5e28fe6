"""The record's one SQLite connection, shared by its parts: transactions and long IN lists."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from index.record.schema import migrate

_BUMP = (
    "INSERT INTO meta VALUES ('generation', '1') "
    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
)


class Database:
    """SQLite in WAL mode; autocommit outside explicit transactions."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        migrate(self.conn)

    def close(self) -> None:
        self.conn.close()

    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    @contextmanager
    def transaction(self, bump: bool = True) -> Iterator[sqlite3.Connection]:
        """One write; with `bump`, it also advances the generation that derived indexes compare against
        (documents and passages changed; caches and overrides do not bump)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            if bump:
                self.conn.execute(_BUMP)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def rows_in(self, sql: str, keys: Sequence[str], *before: object) -> Iterator[sqlite3.Row]:
        """Rows of `sql` whose IN ({}) list is `keys`, asked 500 at a time (SQLite caps parameters)."""
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            yield from self.conn.execute(sql.format(", ".join("?" * len(part))), [*before, *part])
