"""Recommendation tracing as computed at ingest: one stored result per access level, with the key it was
computed under (the record's generation, the embedder and the tracing code), so a reader serves it as
long as the key still holds. Writing it never bumps the generation: it is derived, like the vector cache."""

from __future__ import annotations

import time
from typing import NamedTuple

from index.record.db import Database


class StoredTrace(NamedTuple):
    key: str
    payload: str
    computed_at: float


class Traces:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, access: str) -> StoredTrace | None:
        row = self._db.execute(
            "SELECT key, payload, computed_at FROM traces WHERE access = ?", (access,)
        ).fetchone()
        return None if row is None else StoredTrace(row["key"], row["payload"], row["computed_at"])

    def put(self, access: str, key: str, payload: str) -> None:
        with self._db.transaction(bump=False) as db:
            db.execute(
                "INSERT OR REPLACE INTO traces VALUES (?, ?, ?, ?)", (access, key, payload, time.time())
            )

    def clear(self) -> None:
        with self._db.transaction(bump=False) as db:
            db.execute("DELETE FROM traces")
