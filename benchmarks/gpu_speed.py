"""Passages per second of the torch engine on a CUDA GPU by batch size, and its cosine to the default engine.

    python -m benchmarks.gpu_speed [--passages 4096] [--budgets 8192,32768,131072]

Passages are the seed corpus's, repeated to `--passages`; each batch budget (tokens per model call: 16 to
256 windows of 512) embeds them all once to warm up and then timed. On a machine without CUDA it says so
and exits 2; nothing else changes there. Writes `benchmarks/results/gpu_speed.json`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.scale_corpus import REPO
from index.embed import make_embedder
from index.engines.torch_e5 import TorchE5Embedder
from index.factory import open_index
from index.settings import Settings
from ingest.pipeline import IngestOptions, run_ingest


def seed_passages(folder: Path) -> list[str]:
    index = open_index(Settings(data_dir=folder, embedder="fake"))
    run_ingest(index.record, [REPO / "corpus"], IngestOptions())
    return [c.text for c in index.record.indexable_chunks()]


def main(argv: list[str] | None = None) -> int:
    import tempfile

    import torch

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.gpu_speed", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--passages", type=int, default=4096)
    parser.add_argument("--budgets", default="8192,32768,131072")
    parser.add_argument("--results", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if not torch.cuda.is_available():
        print("no CUDA device: the torch engine's GPU path cannot be measured here", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        seeds = seed_passages(Path(tmp))
    texts = (seeds * (args.passages // len(seeds) + 1))[: args.passages]
    reference = make_embedder("onnx").embed(seeds[:64], "passage")
    out: dict[str, object] = {"device": torch.cuda.get_device_name(0), "passages": len(texts), "runs": []}
    for budget in (int(b) for b in args.budgets.split(",")):
        engine = TorchE5Embedder(Settings().model_dir, 1, device="cuda", batch_tokens=budget)
        engine.embed(texts, "passage")  # warm: weights on the device, kernels chosen
        torch.cuda.synchronize()
        started = time.perf_counter()
        engine.embed(texts, "passage")
        torch.cuda.synchronize()
        seconds = time.perf_counter() - started
        cosine = float((engine.embed(seeds[:64], "passage") * reference).sum(axis=1).min())
        run = {
            "batch_tokens": budget,
            "passages_per_s": round(len(texts) / seconds, 1),
            "min_cosine_to_onnx": round(cosine, 5),
            "peak_gpu_mb": round(torch.cuda.max_memory_allocated() / 1e6),
        }
        out["runs"].append(run)  # type: ignore[attr-defined]
        print(json.dumps(run), flush=True)
    out["mean_words"] = round(float(np.mean([len(t.split()) for t in seeds])))
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "gpu_speed.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
