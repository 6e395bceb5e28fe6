"""Scale benchmark: indexes of 10k, 100k (and 1M) passages, queried over HTTP by concurrent clients.

    python -m benchmarks.scale [--sizes 10000,100000] [--modes embedded,server] [--work DIR [--reuse]]
                               [--embedder onnx] [--redraw]

Passage text is synthetic: sentences of the seed corpus shuffled into 60–250 word passages, under
documents with random municipalities, types and years. Vectors are synthetic too (embedding 100k
passages for real takes hours on two cores): each is a real e5 passage vector of a seed passage plus
noise, normalised — so the vector index sees realistic clusters. The model's own embedding speed is
measured on real passages and reported beside. Queries are the project's QA-set questions, embedded for
real by the server on every request, through the full hybrid path (dense + BM25 + fusion).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from benchmarks import launch
from benchmarks.scale_corpus import (
    ENGINE,
    NOISE,
    REPO,
    bench_queries,
    build,
    disk_mb,
    model_speed,
    seed_index_dir,
)
from benchmarks.scale_load import LEVELS, QUERY_RUNS, fresh_replica, measure
from benchmarks.scale_report import commit_id, markdown, merged, save, write_report

__all__ = ["LEVELS", "QUERY_RUNS", "main", "markdown", "merged"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--modes", default="embedded,server")
    parser.add_argument("--embedder", default=ENGINE, help=f"the query engine (default {ENGINE})")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="query the indexes an earlier run with the same --work built instead of building them again",
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per concurrency level")
    parser.add_argument("--results", type=Path, default=REPO / "benchmarks" / "results")
    parser.add_argument(
        "--work", type=Path, default=None, help="where to build the indexes (default: a temp dir)"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="drop the runs already in the results instead of keeping them"
    )
    parser.add_argument(
        "--redraw",
        action="store_true",
        help="rewrite scale.md and scale.png from scale.json, running nothing",
    )
    args = parser.parse_args(argv)
    if args.redraw:
        saved = json.loads((args.results / "scale.json").read_text())
        write_report(saved, args.results)
        print(markdown(saved))
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    modes = [m for m in args.modes.split(",") if m]
    work = Path(args.work or tempfile.mkdtemp(prefix="sporbar-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    seed_index = seed_index_dir(work, args.embedder)
    report: dict[str, object] = {
        "model": f"{args.embedder} (multilingual-e5-small)",
        "model_speed": model_speed(seed_index, args.embedder),
        "cpus": os.cpu_count(),
        "commit": commit_id(),
        "vectors": f"synthetic: seed passage vectors + N(0, {NOISE}) noise, normalised",
        "runs": [],
    }
    runs: list[dict[str, object]] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPORBAR_")}
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "SPORBAR_EMBEDDER": args.embedder})
    for mode in modes:
        for n in sizes:
            data = work / f"{mode}-{n}"
            built_file = work / f"{mode}-{n}.json"  # what building it measured, for --reuse
            reuse = args.reuse and built_file.exists()
            if not reuse:
                shutil.rmtree(data, ignore_errors=True)
            with ExitStack() as stack:
                url = None
                if mode == "server":
                    chroma = launch.chroma_run(work / f"chroma-{n}", work / "logs" / f"chroma-{n}.log", 300)
                    url = stack.enter_context(chroma).url
                if reuse:
                    built = json.loads(built_file.read_text())
                else:
                    print(f"building {mode} {n} …", file=sys.stderr, flush=True)
                    built = build(data, n, seed_index, url, args.embedder)
                    built_file.write_text(json.dumps(built))
                disk = disk_mb(work / f"chroma-{n}" if url else data) + (disk_mb(data) if url else 0)
                run_env = {**env, **({"SPORBAR_CHROMA_URL": url} if url else {})}
                run: dict[str, object] = {
                    "mode": mode,
                    "passages": n,
                    "commit": report["commit"],
                    **built,
                    "disk_mb": round(disk),
                    "disk_kb_per_passage": round(disk * 1000 / n, 2),
                }
                for queries, cache in QUERY_RUNS.items():
                    print(f"querying {mode} {n}, {queries} …", file=sys.stderr, flush=True)
                    cache_env = {**run_env, "SPORBAR_QUERY_CACHE": cache}
                    log = work / "logs" / f"serve-{mode}-{n}-{queries}.log"
                    run[queries] = measure(data, cache_env, bench_queries(), args.requests, log)
                runs.append(run)
                # Saved after each stage: a large run that stops later keeps what it measured.
                save(report, runs, args.results, args.fresh)
                if url:
                    print(f"starting a fresh replica {n} …", file=sys.stderr, flush=True)
                    run.update(fresh_replica(work, run_env, bench_queries()[0]))
                    save(report, runs, args.results, args.fresh)
                print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
