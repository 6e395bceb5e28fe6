import sqlite3
from pathlib import Path

import numpy as np
import pytest

from index.record import SCHEMA_VERSION, Record
from index.record.schema import SchemaTooNew


def test_duplicate_links_are_read_through_indexes(tmp_path: Path) -> None:
    """Every search reads the duplicate links (for "also in"); a full scan of the passages made searches
    over 10k passages six times slower."""
    record = Record(tmp_path / "record.sqlite3")
    statements: list[str] = []
    record.db.conn.set_trace_callback(statements.append)
    record.copies()
    record.db.conn.set_trace_callback(None)
    plan = [str(row[-1]) for sql in statements for row in record.db.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert statements and not [step for step in plan if step.startswith("SCAN")], plan
    assert any("documents_dup" in step for step in plan) and any("chunks_dup" in step for step in plan)


def test_a_new_record_has_the_current_schema_and_keeps_it_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    record = Record(path)
    assert record.meta.schema_version == SCHEMA_VERSION
    record.close()
    again = Record(path)
    assert again.meta.schema_version == SCHEMA_VERSION
    again.close()


def test_a_record_from_a_newer_version_is_refused_not_misread(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    Record(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(SchemaTooNew):
        Record(path)


def test_meta_facts_are_typed_and_persist(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    record = Record(path)
    assert record.generation() == 0 and record.meta.store_synced_generation is None
    assert record.meta.store_sync_mark is None and not record.duplicates_stale()
    record.meta.store_synced_generation = 7
    record.meta.new_store_sync_mark()
    mark = record.meta.store_sync_mark
    record.meta.remote_marker = "m1"
    record.meta.remote_tracked_since = "m0"
    record.meta.remote_shared_state = "3:v"
    record.close()
    again = Record(path)
    assert again.meta.store_synced_generation == 7 and again.meta.store_sync_mark == mark and mark
    assert (again.meta.remote_marker, again.meta.remote_tracked_since) == ("m1", "m0")
    assert again.meta.remote_shared_state == "3:v"


def test_a_write_marks_duplicates_stale_and_bumps_the_generation(tmp_path: Path) -> None:
    record = Record(tmp_path / "record.sqlite3")
    before = record.generation()
    record.delete(["nothing"])
    assert record.duplicates_stale() and record.generation() == before + 1
    record.set_duplicates({}, {})
    assert not record.duplicates_stale()


def test_overrides_change_their_version_but_not_the_generation(tmp_path: Path) -> None:
    record = Record(tmp_path / "record.sqlite3")
    generation, version = record.generation(), record.overrides.version
    record.overrides.set("rec-1", "addressed", "svar", "tester", "2026-01-01")
    assert record.overrides.all() == {
        "rec-1": {"status": "addressed", "note": "svar", "by": "tester", "at": "2026-01-01"}
    }
    assert record.overrides.version != version and record.generation() == generation
    version = record.overrides.version
    assert record.overrides.clear("rec-1") and not record.overrides.clear("rec-1")
    assert record.overrides.all() == {} and record.overrides.version != version


def test_the_embedding_cache_is_keyed_by_text_hash_and_model(tmp_path: Path) -> None:
    record = Record(tmp_path / "record.sqlite3")
    vector = np.arange(4, dtype=np.float32)
    record.vectors.put({"h1": vector}, "model-a")
    assert record.vectors.get(["h1", "h2"], "model-b") == {}
    got = record.vectors.get(["h1", "h2"], "model-a")
    assert list(got) == ["h1"] and np.array_equal(got["h1"], vector)
