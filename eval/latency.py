"""Warm search latency: the QA set's questions through `Searcher.search` in one process, per mode.

    python -m eval.latency [--data-dir DIR] [--queries N] [--k 10] [--modes hybrid,dense,lexical]

Opens the index in the data dir (default as for `sporbar`); when it holds no documents, the seed corpus is
ingested into a temporary data dir first. The model is loaded and the lexical index built before timing,
and the modes take turns query by query. Prints p50/p95/p99/mean per mode and writes them, with the model
and the commit, to results/latency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import cycle, islice
from pathlib import Path
from typing import cast, get_args

import numpy as np

from eval.datasets import load_questions
from eval.report import provenance
from eval.run import CORPUS, QA_SET
from index.factory import Index, open_index
from index.models import Mode
from index.record import Record
from index.settings import Settings, load_settings
from ingest.pipeline import run_ingest

MODES: tuple[Mode, ...] = get_args(Mode)
DEFAULT_QUERIES = 200
WARMUP_PER_MODE = 5
OUT = Path("results") / "latency.json"


def summarise(latencies_ms: Sequence[float]) -> dict[str, float]:
    values = np.asarray(latencies_ms, dtype=np.float64)
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {
        "n": len(values),
        "p50_ms": round(float(p50), 2),
        "p95_ms": round(float(p95), 2),
        "p99_ms": round(float(p99), 2),
        "mean_ms": round(float(values.mean()), 2),
        "min_ms": round(float(values.min()), 2),
        "max_ms": round(float(values.max()), 2),
    }


def _has_documents(settings: Settings) -> bool:
    if not settings.record_path.is_file():
        return False
    record = Record(settings.record_path)
    try:
        return bool(record.documents())
    finally:
        record.close()


@contextmanager
def opened(settings: Settings) -> Iterator[tuple[Index, str]]:
    """The index of the data dir, or of the seed corpus ingested into a temporary one; and which it is."""
    if _has_documents(settings):
        index = open_index(settings)
        try:
            yield index, str(settings.data_dir)
        finally:
            index.record.close()
        return
    print(
        f"no documents in {settings.data_dir}; ingesting {CORPUS} into a temporary data dir", file=sys.stderr
    )
    with tempfile.TemporaryDirectory(prefix="sporbar-latency-", ignore_cleanup_errors=True) as tmp:
        index = open_index(settings.model_copy(update={"data_dir": Path(tmp), "chroma_url": None}))
        try:
            run_ingest(index.record, [CORPUS], settings.ingest_options())
            index.sync(progress=sys.stderr.isatty())
            yield index, f"temporary ({CORPUS.name}/ ingested)"
        finally:
            index.record.close()


def measure(
    index: Index, queries: Sequence[str], k: int, modes: Sequence[Mode]
) -> dict[str, dict[str, float]]:
    """Warm each mode up untimed, then time every query in every mode.

    The modes take turns query by query, so a change in the machine's load during the run falls on all
    of them alike.
    """
    searcher = index.searcher
    for mode in modes:
        for query in queries[:WARMUP_PER_MODE]:
            searcher.search(query, k, mode=mode)
    wall: dict[Mode, list[float]] = {mode: [] for mode in modes}
    cpu: dict[Mode, float] = dict.fromkeys(modes, 0.0)
    for query in queries:
        for mode in modes:
            cpu_started, started = time.process_time(), time.perf_counter()
            searcher.search(query, k, mode=mode)
            wall[mode].append((time.perf_counter() - started) * 1000)
            cpu[mode] += (time.process_time() - cpu_started) * 1000
    report: dict[str, dict[str, float]] = {}
    for mode in modes:
        # CPU time (all threads) per search: less sensitive than wall time to other work on the machine.
        report[mode] = {**summarise(wall[mode]), "cpu_ms_per_search": round(cpu[mode] / len(queries), 2)}
    return report


def _modes(value: str) -> list[Mode]:
    names = [m.strip() for m in value.split(",") if m.strip()]
    unknown = [m for m in names if m not in MODES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"modes are a comma-separated list of {', '.join(MODES)}")
    return [cast(Mode, m) for m in names]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eval.latency", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="data folder (default $SPORBAR_DATA_DIR or ./data)"
    )
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES, help="timed searches per mode")
    parser.add_argument("--k", type=int, default=10, help="results per search")
    parser.add_argument("--modes", type=_modes, default=list(MODES), help="e.g. hybrid,dense,lexical")
    parser.add_argument("--out", type=Path, default=OUT, help=f"JSON report (default {OUT})")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.queries < 1 or not 1 <= args.k <= 100:
        parser.error("--queries must be at least 1 and --k between 1 and 100")
    # Questions repeat here; every search must run the model, as a new question does.
    settings = load_settings(args.data_dir).model_copy(update={"query_cache": 0})
    questions = [q.text for q in load_questions(QA_SET)]
    queries = list(islice(cycle(questions), args.queries))
    with opened(settings) as (index, data_dir):
        load_before = os.getloadavg()[0]  # other work on the machine inflates every number
        modes = measure(index, queries, args.k, args.modes)
        report: dict[str, object] = {
            "model": index.embedder.name,
            **provenance(),
            "data_dir": data_dir,
            "store": "server" if settings.chroma_url else "embedded",
            "documents": len(index.record.documents()),
            "passages": index.store.count(),
            "query_set": f"{QA_SET.name}: {len(questions)} questions cycled to {len(queries)} searches",
            "k": args.k,
            "warmup_per_mode": WARMUP_PER_MODE,
            # The embedder's OpenMP threads; under CPU contention fewer threads can be much faster.
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "default"),
            "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "modes": modes,
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{report['model']}, {report['passages']} passages, {len(queries)} queries per mode, k={args.k}")
    print(f"{'mode':<8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'cpu ms':>8}")
    for mode, stats in modes.items():
        columns = " ".join(
            f"{stats[c]:>8.1f}" for c in ("p50_ms", "p95_ms", "p99_ms", "mean_ms", "cpu_ms_per_search")
        )
        print(f"{mode:<8} {columns}")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
