"""Ingest end to end with and without embedding while parsing (`index/ahead.py`), on the same folders.

    python -m benchmarks.ingest_overlap [--rounds 3] [--embedder onnx] [--meetings 8] [--items 6]

Two workloads: the seed corpus (text PDFs and text files: parsing is a small share), and a generated
meeting archive (zipped SBSYS exports with PDFs, one scanned page in four meetings read by OCR: parsing
is a larger share). Each round ingests each workload into a new data dir twice, sequential first or
overlapped first by turns: sequential = parse everything, then embed in the store sync (as before);
overlapped = the model embeds each document's passages while the next files are parsed, the sync then
finds them cached. The model is loaded and each workload ingested once beforehand (not counted); no
vector is cached across runs. Writes
`benchmarks/results/ingest_overlap.{json,md}`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.archive import build_archive
from benchmarks.scale_corpus import ENGINE, REPO
from benchmarks.scale_report import commit_id
from index.ahead import embedding_ahead
from index.embed import Embedder, make_embedder
from index.factory import open_index
from index.settings import Settings
from ingest.pipeline import run_ingest

MODES = ("sequential", "overlapped")


def ingest_once(folder: Path, engine: str, overlapped: bool, embedder: Embedder) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), embedder=engine, query_cache=0)
        index = open_index(settings)
        index.embedder = embedder  # the loaded model, shared by every run
        index.searcher.embedder = embedder
        started = time.perf_counter()
        if overlapped:
            with embedding_ahead(index.record, index.embedder) as sink:
                run_ingest(sink, [folder], settings.ingest_options())
        else:
            run_ingest(index.record, [folder], settings.ingest_options())
        index.sync()
        seconds = time.perf_counter() - started
        passages = index.record.count_indexable()
        index.record.close()
    return {
        "seconds": round(seconds, 2),
        "passages": passages,
        "passages_per_s": round(passages / seconds, 2),
    }


def markdown(result: dict[str, object]) -> str:
    lines = [
        f"Engine `{result['embedder']}`, {result['rounds']} rounds, {result['cpus']} cores, commit "
        f"{result['commit']}, load average {result['load_average']} at the end.",
        "",
        "| workload | passages | sequential passages/s | overlapped passages/s | overlapped vs sequential |",
        "|---|---|---|---|---|",
    ]
    for name, runs in result["workloads"].items():  # type: ignore[attr-defined]
        seq = statistics.median(r["passages_per_s"] for r in runs["sequential"])
        ovl = statistics.median(r["passages_per_s"] for r in runs["overlapped"])
        passages = runs["sequential"][0]["passages"]
        lines.append(f"| {name} | {passages} | {seq:.2f} | {ovl:.2f} | {ovl / seq:.2f}× |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.ingest_overlap", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--embedder", default=ENGINE)
    parser.add_argument("--meetings", type=int, default=8)
    parser.add_argument("--items", type=int, default=6)
    parser.add_argument("--results", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args(argv)
    embedder = make_embedder(args.embedder)
    embedder.warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive"
        archive.mkdir()
        build_archive(archive, args.meetings, args.items)
        workloads = {"seed corpus": REPO / "corpus", f"archive ({args.meetings}×{args.items} items)": archive}
        runs: dict[str, dict[str, list[dict[str, float]]]] = {w: {m: [] for m in MODES} for w in workloads}
        for folder in workloads.values():  # warm: imports, OCR workers, the model's first batches
            ingest_once(folder, args.embedder, True, embedder)
        for r in range(args.rounds):
            for name, folder in workloads.items():
                for mode in MODES if r % 2 == 0 else reversed(MODES):
                    run = ingest_once(folder, args.embedder, mode == "overlapped", embedder)
                    runs[name][mode].append(run)
                    print(name, mode, json.dumps(run), flush=True)
    result = {
        "embedder": args.embedder,
        "rounds": args.rounds,
        "cpus": os.cpu_count(),
        "commit": commit_id(),
        "load_average": round(os.getloadavg()[0], 1),
        "workloads": runs,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "ingest_overlap.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    table = markdown(result)
    (args.results / "ingest_overlap.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
