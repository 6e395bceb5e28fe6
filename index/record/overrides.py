"""The advisor's status overrides, keyed by recommendation id and independent of documents, so they
survive re-ingest."""

from __future__ import annotations

from typing import TypedDict

from index.record.db import Database
from index.record.meta import Meta


class OverrideRow(TypedDict):
    status: str
    note: str
    by: str
    at: str


class Overrides:
    def __init__(self, db: Database, meta: Meta) -> None:
        self._db = db
        self._meta = meta

    def all(self) -> dict[str, OverrideRow]:
        rows = self._db.execute("SELECT rec_id, status, note, by, at FROM rec_overrides")
        return {
            r["rec_id"]: OverrideRow(status=r["status"], note=r["note"], by=r["by"], at=r["at"]) for r in rows
        }

    @property
    def version(self) -> str:
        """Changes with every set or clear."""
        return self._meta.overrides_version

    def set(self, rec_id: str, status: str, note: str, by: str, at: str) -> None:
        with self._db.transaction(bump=False) as db:
            db.execute(
                "INSERT OR REPLACE INTO rec_overrides VALUES (?, ?, ?, ?, ?)", (rec_id, status, note, by, at)
            )
            self._meta.new_overrides_version()

    def clear(self, rec_id: str) -> bool:
        with self._db.transaction(bump=False) as db:
            gone = db.execute("DELETE FROM rec_overrides WHERE rec_id = ?", (rec_id,)).rowcount > 0
            self._meta.new_overrides_version()
            return gone
