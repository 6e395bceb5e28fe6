"""Replication for server mode: the record's rows as JSON-able payloads for a shared store that holds the
truth, a list of what changed since the record last equalled it, and replacing the record's contents."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence

from index.record.db import Database
from index.record.schema import TRACKING

Payload = dict[str, object]  # {"doc": row, "chunks": [row, …]}; blobs base64 under "<column>:b64"


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


class Replication:
    def __init__(self, db: Database) -> None:
        self._db = db

    def payloads(self, page: int = 500) -> Iterator[tuple[str, Payload]]:
        """Every document with its chunks as a plain payload, by doc_id, a page of documents at a time
        (a million passages as payloads would take gigabytes at once)."""
        after = ""
        while docs := self._db.execute(
            "SELECT * FROM documents WHERE doc_id > ? ORDER BY doc_id LIMIT ?", (after, page)
        ).fetchall():
            yield from self._payloads(docs)
            after = docs[-1]["doc_id"]

    def payloads_of(self, doc_ids: Sequence[str]) -> Iterator[tuple[str, Payload]]:
        """The payloads of these documents (those still in the record)."""
        sql = "SELECT * FROM documents WHERE doc_id IN ({}) ORDER BY doc_id"
        for i in range(0, len(doc_ids), 500):
            yield from self._payloads(list(self._db.rows_in(sql, doc_ids[i : i + 500])))

    def _payloads(self, docs: list[sqlite3.Row]) -> Iterator[tuple[str, Payload]]:
        chunks: dict[str, list[dict[str, object]]] = {}
        sql = "SELECT * FROM chunks WHERE doc_id IN ({}) ORDER BY doc_id, ordinal"
        for row in self._db.rows_in(sql, [r["doc_id"] for r in docs]):
            chunks.setdefault(row["doc_id"], []).append(_plain(row))
        for r in docs:
            yield r["doc_id"], {"doc": _plain(r), "chunks": chunks.get(r["doc_id"], [])}

    # --- change tracking -----------------------------------------------------------------------------
    def track_changes(self) -> None:
        """Start listing changed documents and overrides; idempotent."""
        self._db.conn.executescript(TRACKING)

    def unshared(self) -> list[tuple[str, str]]:
        """(kind, key) of what changed since `mark_shared`: kind "doc" (a doc_id) or "override" (a rec_id)."""
        rows = self._db.execute("SELECT kind, key FROM unshared ORDER BY kind, key")
        return [(r[0], r[1]) for r in rows]

    def mark_shared(self, items: Sequence[tuple[str, str]] | None = None) -> None:
        """Forget these changes (all of them with None): the shared store has them now."""
        with self._db.transaction(bump=False) as db:
            if items is None:
                db.execute("DELETE FROM unshared")
            else:
                db.executemany("DELETE FROM unshared WHERE kind = ? AND key = ?", items)

    def replace_all(self, payloads: Iterable[Payload], overrides: Mapping[str, Mapping[str, str]]) -> None:
        """Make the record hold exactly these documents and overrides (the embedding cache stays).
        `overrides` is read after the last payload, so a stream may fill it as it goes."""
        with self._db.transaction() as db:
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
