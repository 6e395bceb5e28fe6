from pathlib import Path

from index.record import Record


def test_duplicate_links_are_read_through_indexes(tmp_path: Path) -> None:
    """Every search reads the duplicate links (for "also in"); a full scan of the passages made searches
    over 10k passages six times slower."""
    record = Record(tmp_path / "record.sqlite3")
    statements: list[str] = []
    record.db.set_trace_callback(statements.append)
    record.copies()
    record.db.set_trace_callback(None)
    plan = [str(row[-1]) for sql in statements for row in record.db.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert statements and not [step for step in plan if step.startswith("SCAN")], plan
    assert any("documents_dup" in step for step in plan) and any("chunks_dup" in step for step in plan)
