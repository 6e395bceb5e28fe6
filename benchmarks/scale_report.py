"""The scale benchmark's results: merged runs in scale.json, the markdown table and the plot."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from benchmarks.scale_load import QUERY_RUNS

REPO = Path(__file__).resolve().parent.parent


def save(report: dict[str, object], runs: list[dict[str, object]], results: Path, fresh: bool) -> None:
    """Write the report with this invocation's runs (and, unless fresh, the earlier ones it did not redo)."""
    results.mkdir(parents=True, exist_ok=True)
    report["runs"] = runs if fresh else merged(results / "scale.json", runs)
    (results / "scale.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    write_report(report, results)


def write_report(report: dict[str, object], results: Path) -> None:
    (results / "scale.md").write_text(markdown(report))
    plot(report, results / "scale.png")


def merged(path: Path, runs: list[dict[str, object]]) -> list[dict[str, object]]:
    """This invocation's runs beside the earlier ones in the results file that it did not redo
    (a 1M run takes hours; the smaller sizes need not be rebuilt with it). Each run names its commit."""
    try:
        earlier = json.loads(path.read_text())
    except (OSError, ValueError):
        return runs
    redone = {(r["mode"], r["passages"]) for r in runs}
    kept = [
        {"commit": earlier.get("commit", "unknown"), **r}
        for r in earlier.get("runs", [])
        if (r["mode"], r["passages"]) not in redone
    ]
    modes = ("embedded", "server")
    return sorted(kept + runs, key=lambda r: (modes.index(str(r["mode"])), int(str(r["passages"]))))


def commit_id() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def markdown(report: dict[str, object]) -> str:
    lines = [
        f"Model {report['model']}: {report['model_speed']} (real passages, {report['cpus']} CPUs); "
        f"vectors {report['vectors']}; commit {report['commit']} (each run's own commit in scale.json).",
        "",
        "| mode | passages | queries | clients | p50 ms | p95 ms | p99 ms | req/s | errors | RSS MB "
        "| start s (healthy / first answer) | disk KB/passage | build s (write / vectors / BM25) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in report["runs"]:  # type: ignore[attr-defined]
        for queries in QUERY_RUNS:
            measured = run[queries]
            for clients, level in measured["levels"].items():
                lines.append(
                    f"| {run['mode']} | {run['passages']:,} | {queries} | {clients} | {level['p50_ms']} "
                    f"| {level['p95_ms']} | {level['p99_ms']} | {level['throughput_rps']} "
                    f"| {level['errors']} | {measured['rss_mb']} "
                    f"| {measured['startup_healthy_s']} / {measured['startup_first_answer_s']} "
                    f"| {run['disk_kb_per_passage']} | {run['write_s']} / {run['vector_sync_s']} "
                    f"/ {run['lexical_build_s']} |"
                )
    lines.append("")
    for run in report["runs"]:  # type: ignore[attr-defined]
        if "fresh_replica_healthy_s" in run:
            lines.append(
                f"- A fresh server-mode replica over {run['passages']:,} passages (empty data dir: pulls the "
                f"records, builds BM25): healthy in {run['fresh_replica_healthy_s']} s, first answer at "
                f"{run['fresh_replica_first_answer_s']} s, RSS {run['fresh_replica_rss_mb']} MB."
            )
    return "\n".join(lines) + "\n"


TARGET_SIZE = 100_000  # the size the targets are set for
TARGETS = {"p95_ms": 150, "rss_mb": 2048, "startup_s": 10}


def plot(report: dict[str, object], path: Path) -> None:
    """How latency, memory and start-up grow with the index, against the targets; and p95 by clients."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs: list[dict[str, Any]] = report["runs"]  # type: ignore[assignment]
    modes = sorted({str(r["mode"]) for r in runs})
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    (latency, memory), (startup, clients) = axes
    for n, mode in enumerate(modes):
        color = f"C{n}"  # one colour a mode in every panel
        mine = sorted((r for r in runs if r["mode"] == mode), key=lambda r: int(r["passages"]))
        sizes = [int(r["passages"]) for r in mine]
        for queries, style in zip(QUERY_RUNS, ("-", ":"), strict=True):
            latency.plot(
                sizes,
                [r[queries]["levels"]["4"]["p95_ms"] for r in mine],
                marker="o",
                linestyle=style,
                color=color,
                label=f"{mode}, {queries}",
            )
        memory.plot(sizes, [r["uncached"]["rss_mb"] for r in mine], marker="o", color=color, label=mode)
        startup.plot(
            sizes,
            [r["uncached"]["startup_healthy_s"] for r in mine],
            marker="o",
            color=color,
            label=f"{mode}, restart",
        )
        fresh = [r for r in mine if "fresh_replica_healthy_s" in r]
        if fresh:
            startup.plot(
                [int(r["passages"]) for r in fresh],
                [r["fresh_replica_healthy_s"] for r in fresh],
                marker="s",
                linestyle="--",
                color=color,
                label=f"{mode}, new replica",
            )
    for axis, key, label in (
        (latency, "p95_ms", "hybrid /api/search p95, 4 clients (ms)"),
        (memory, "rss_mb", "API RSS after the load (MB)"),
        (startup, "startup_s", "start-up until healthy (s)"),
    ):
        axis.axhline(TARGETS[key], linestyle="--", color="grey", linewidth=1)
        axis.axvline(TARGET_SIZE, linestyle=":", color="grey", linewidth=1)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("passages")
        axis.set_ylabel(label)
        axis.legend(fontsize=8)
    for run in runs:
        levels = run["uncached"]["levels"]
        clients.plot(
            [int(c) for c in levels],
            [v["p95_ms"] for v in levels.values()],
            marker="o",
            label=f"{run['mode']} {int(run['passages']):,}",
        )
    clients.axhline(TARGETS["p95_ms"], linestyle="--", color="grey", linewidth=1)
    clients.set_xscale("log", base=2)
    clients.set_yscale("log")
    clients.set_xlabel("concurrent clients (new questions)")
    clients.set_ylabel("hybrid /api/search p95 (ms)")
    clients.legend(fontsize=8)
    fig.suptitle("Grey dashed: the targets, set for 100k passages (grey dotted)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
