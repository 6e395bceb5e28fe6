"""Benchmark reports: a terminal table, report.json, report.md with a plot, TREC runs and qrels.

Quality numbers repeat for the same data and settings; timings do not. Every report says what produced
it: the model, the settings, a fingerprint of the data files and the git commit.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from eval.datasets import Qrels
from eval.metrics import Ranked
from eval.plot import retrieval_plot

REPO = Path(__file__).resolve().parent.parent
COLUMNS = {
    "ndcg@10": "nDCG@10",
    "recall@1": "R@1",
    "recall@5": "R@5",
    "recall@10": "R@10",
    "mrr@10": "MRR@10",
    "p50_ms": "p50 ms",
    "p95_ms": "p95 ms",
}


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=REPO, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def provenance() -> dict[str, object]:
    """The code and machine a report came from; `dirty`: tracked files differed from the commit."""
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "commit": _git("rev-parse", "HEAD") or "unknown",
        "dirty": bool(status) if status is not None else None,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "load_average": round(os.getloadavg()[0], 2),  # timings taken on a busy machine are slower
    }


@dataclass
class Report:
    """One benchmark run over one data set; `public()` is what --json prints and report.json holds."""

    dataset: str
    split: str
    queries: int
    documents: int
    passages: int
    model: str
    settings: dict[str, object]
    corpus_fingerprint: str
    configs: dict[str, dict[str, float]] = field(default_factory=dict)
    provenance: dict[str, object] = field(default_factory=provenance)

    def public(self) -> dict[str, object]:
        return asdict(self)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"
    return str(value)


def rows(configs: Mapping[str, Mapping[str, float]]) -> tuple[list[str], list[list[str]]]:
    names = [m for m in COLUMNS if any(m in v for v in configs.values())]
    header = ["config", *(COLUMNS[m] for m in names)]
    return header, [[name, *(_cell(values.get(m, "")) for m in names)] for name, values in configs.items()]


def terminal_table(report: Report) -> str:
    header, body = rows(report.configs)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = [
        f"{report.dataset} ({report.split}): {report.queries} queries, {report.passages} passages, "
        f"model {report.model}, analyzer {report.settings.get('analyzer_language')}"
    ]
    for row in [header, *body]:
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells))
    return "\n".join(lines)


def markdown_table(header: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def markdown_report(report: Report, plot: str) -> str:
    facts = {
        "model": report.model,
        **report.settings,
        "data fingerprint": report.corpus_fingerprint,
        **report.provenance,
    }
    lines = [
        f"# Retrieval: {report.dataset} ({report.split})",
        "",
        f"{report.queries} queries over {report.documents} documents in {report.passages} passages. "
        "Quality is the mean over queries with at least one relevant passage; latency is one search "
        "call, embedding the query included.",
        "",
        markdown_table(*rows(report.configs)),
        "",
        f"![metrics]({plot})",
        "",
        markdown_table(["setting", "value"], [[key, str(value)] for key, value in facts.items()]),
        "",
    ]
    return "\n".join(lines)


def write_trec(ranked: Ranked, path: Path, tag: str) -> None:
    """TREC run lines `qid Q0 docid rank score tag`; the rank column is the order that was scored."""
    with path.open("w", encoding="utf-8") as handle:
        for qid, items in ranked.items():
            for rank, (pid, score) in enumerate(items, start=1):
                handle.write(f"{qid} Q0 {pid} {rank} {score:.6f} {tag}\n")


def write_qrels(qrels: Qrels, path: Path) -> None:
    """TREC qrels lines `qid 0 docid grade`."""
    with path.open("w", encoding="utf-8") as handle:
        for qid, judged in qrels.items():
            for pid, grade in sorted(judged.items()):
                handle.write(f"{qid} 0 {pid} {grade}\n")


def write_report(report: Report, runs: Mapping[str, Ranked], qrels: Qrels, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, ranked in runs.items():
        write_trec(ranked, out / f"{name}.trec", name)
    write_qrels(qrels, out / "qrels.txt")
    retrieval_plot(f"{report.dataset} ({report.split})", report.configs, out / "report.png")
    payload = json.dumps(report.public(), indent=2, ensure_ascii=False)
    (out / "report.json").write_text(payload + "\n", encoding="utf-8")
    (out / "report.md").write_text(markdown_report(report, "report.png"), encoding="utf-8")
