"""Typed accessors for the record's small facts (the `meta` table): one property per fact, so no module
spells a key by hand."""

from __future__ import annotations

import uuid

from index.record.db import Database


class Meta:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _get(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set(self, key: str, value: str | None) -> None:
        if value is None:
            self._db.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def schema_version(self) -> int:
        return int(self._get("schema_version") or 0)

    @property
    def generation(self) -> int:
        """A counter that changes with every write to documents or passages."""
        return int(self._get("generation") or 0)

    # --- duplicate groups: stale from a document write until they are recomputed ---------------------
    @property
    def duplicates_stale(self) -> bool:
        return self._get("duplicates_stale") is not None

    @duplicates_stale.setter
    def duplicates_stale(self, stale: bool) -> None:
        self._set("duplicates_stale", "1" if stale else None)

    # --- status overrides: a new version on every change, for caches of traced results ----------------
    @property
    def overrides_version(self) -> str:
        return self._get("overrides_version") or ""

    def new_overrides_version(self) -> None:
        self._set("overrides_version", uuid.uuid4().hex)

    # --- the vector store derived from this record --------------------------------------------------
    @property
    def store_sync_mark(self) -> str | None:
        """Changes whenever a sync changed the vector store: readers in other processes reopen their view."""
        return self._get("store_sync")

    def new_store_sync_mark(self) -> None:
        self._set("store_sync", uuid.uuid4().hex)

    @property
    def store_synced_generation(self) -> int | None:
        """The generation the store was last brought in step with (start-up skips comparing every id)."""
        value = self._get("store_synced_generation")
        return None if value is None else int(value)

    @store_synced_generation.setter
    def store_synced_generation(self, generation: int) -> None:
        self._set("store_synced_generation", str(generation))

    # --- server mode: how this local record stands against the shared one ------------------------------
    @property
    def remote_marker(self) -> str | None:
        """The shared marker this record was last made equal to."""
        return self._get("remote_marker")

    @remote_marker.setter
    def remote_marker(self, marker: str) -> None:
        self._set("remote_marker", marker)

    @property
    def remote_tracked_since(self) -> str | None:
        """The shared marker since which this record's list of changes is complete."""
        return self._get("remote_tracked_since")

    @remote_tracked_since.setter
    def remote_tracked_since(self, marker: str) -> None:
        self._set("remote_tracked_since", marker)

    @property
    def remote_shared_state(self) -> str | None:
        """This record's state (generation, overrides version) when it last equalled the shared one."""
        return self._get("remote_shared_state")

    @remote_shared_state.setter
    def remote_shared_state(self, state: str) -> None:
        self._set("remote_shared_state", state)
