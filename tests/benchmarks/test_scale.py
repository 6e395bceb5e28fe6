"""The scale benchmark's report: earlier runs kept beside new ones, the table, the plot (no index built)."""

import json
from pathlib import Path

from benchmarks.scale import LEVELS, QUERY_RUNS, main, markdown, merged


def _run(mode: str, passages: int, p95: float, commit: str = "new") -> dict[str, object]:
    def measured(scale: float) -> dict[str, object]:
        levels = {
            str(c): {"requests": 200, "errors": 0, "p50_ms": p95 * scale / 2, "p95_ms": p95 * scale}
            | {"p99_ms": p95 * scale * 1.1, "throughput_rps": 30.0}
            for c in LEVELS
        }
        return {"startup_healthy_s": 5.0, "startup_first_answer_s": 5.1, "rss_mb": 700, "levels": levels}

    return {
        "mode": mode,
        "passages": passages,
        "commit": commit,
        "write_s": 1.0,
        "vector_sync_s": 2.0,
        "lexical_build_s": 3.0,
        "disk_kb_per_passage": 21.0,
        "uncached": measured(1.0),
        "cached": measured(0.3),
    }


def _report(runs: list[dict[str, object]]) -> dict[str, object]:
    return {"model": "m", "model_speed": {}, "cpus": 2, "commit": "new", "vectors": "v", "runs": runs}


def test_a_run_keeps_the_earlier_sizes_it_did_not_redo(tmp_path: Path) -> None:
    earlier = [_run("server", 100_000, 180.0, "old"), _run("embedded", 10_000, 90.0, "old")]
    (tmp_path / "scale.json").write_text(json.dumps({**_report(earlier), "commit": "old"}))
    runs = merged(
        tmp_path / "scale.json", [_run("embedded", 10_000, 50.0), _run("embedded", 1_000_000, 250.0)]
    )
    assert [(r["mode"], r["passages"], r["commit"]) for r in runs] == [
        ("embedded", 10_000, "new"),
        ("embedded", 1_000_000, "new"),
        ("server", 100_000, "old"),
    ]
    assert runs[0]["uncached"]["levels"]["4"]["p95_ms"] == 50.0  # type: ignore[index]
    assert merged(tmp_path / "missing.json", runs[:1]) == runs[:1]


def test_the_table_has_a_row_per_run_query_kind_and_level() -> None:
    fresh = {**_run("server", 100_000, 180.0), "fresh_replica_healthy_s": 146.1}
    fresh |= {"fresh_replica_first_answer_s": 146.2, "fresh_replica_rss_mb": 1402}
    table = markdown(_report([_run("embedded", 100_000, 117.0), fresh]))
    rows = [
        line for line in table.splitlines() if line.startswith("| embedded") or line.startswith("| server")
    ]
    assert len(rows) == 2 * len(QUERY_RUNS) * len(LEVELS)
    assert "| embedded | 100,000 | uncached | 4 | 58.5 | 117.0 |" in table
    assert "fresh server-mode replica over 100,000 passages" in table and "healthy in 146.1 s" in table


def test_redraw_rewrites_the_table_and_plot_from_the_results_alone(tmp_path: Path) -> None:
    runs = [_run("embedded", 10_000, 44.0), _run("embedded", 100_000, 117.0), _run("server", 100_000, 179.0)]
    (tmp_path / "scale.json").write_text(json.dumps(_report(runs)))
    assert main(["--redraw", "--results", str(tmp_path)]) == 0
    assert (tmp_path / "scale.md").read_text() == markdown(_report(runs))
    assert (tmp_path / "scale.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
