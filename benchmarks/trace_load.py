"""First load of the recommendations view: server time of the first `GET /api/recommendations` after a
`sporbar ingest` of the seed corpus, with tracing stored at ingest, against computing it on request.

    python -m benchmarks.trace_load [--embedder onnx] [--rounds 3] [--corpus corpus] [--json]

Each round ingests the corpus into a fresh data dir (what `sporbar ingest corpus/` does: ingest, sync,
trace), starts the app as `sporbar serve` does and times its first request for each access level (the
route's own time, in-process, no network). Then it times the same request with the stored trace taken
away (tracing runs inside the request), once with tracing's embeddings cached and once without them,
which is what the first request cost before tracing moved to ingest.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from index.factory import open_index
from index.settings import DEFAULT_EMBEDDER, Settings
from index.trace.stored import ACCESS
from ingest.pipeline import IngestOptions, run_ingest

REPO = Path(__file__).resolve().parent.parent
RESTRICTED_KEY = "bench-restricted-key"


def _first_get(settings: Settings, restricted: bool) -> tuple[float, int]:
    """Seconds the first request takes in a freshly started app, and how many recommendations it gave."""
    with TestClient(create_app(settings)) as client:
        headers = {"X-API-Key": RESTRICTED_KEY} if restricted else {}
        start = time.perf_counter()
        response = client.get("/api/recommendations", headers=headers)
        took = time.perf_counter() - start
        response.raise_for_status()
        return took, len(response.json())


def one_round(corpus: Path, embedder: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="trace-load-") as tmp:
        settings = Settings(data_dir=Path(tmp), embedder=embedder, restricted_key=SecretStr(RESTRICTED_KEY))
        start = time.perf_counter()
        index = open_index(settings, repair=True)
        run_ingest(index.record, [corpus], IngestOptions())
        index.sync()
        index.trace()
        ingest_s = time.perf_counter() - start
        index.record.close()
        out: dict[str, float] = {"ingest_s": ingest_s}
        for restricted in (False, True):
            took, count = _first_get(settings, restricted)
            out[f"stored_{ACCESS[restricted]}_s"] = took
            out["recommendations"] = count
        # The same first request when nothing is stored: tracing runs inside it, its embeddings cached.
        index = open_index(settings)
        index.record.traces.clear()
        index.record.close()
        out["computed_public_s"], _ = _first_get(settings, False)
        # And as before tracing moved to ingest: the vectors only tracing needs (recommendations as
        # queries, response paragraphs) not yet computed; the passages' vectors stay, as ingest made them.
        index = open_index(settings)
        index.record.traces.clear()
        with index.record.db.transaction(bump=False) as db:
            db.execute("DELETE FROM embeddings WHERE text_hash NOT IN (SELECT text_hash FROM chunks)")
        index.record.close()
        out["computed_cold_public_s"], _ = _first_get(settings, False)
        return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDER)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rounds = [one_round(args.corpus, args.embedder) for _ in range(args.rounds)]
    summary: dict[str, Any] = {
        "embedder": args.embedder,
        "rounds": args.rounds,
        **{k: round(statistics.median(r[k] for r in rounds), 4) for k in rounds[0]},
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(
        f"seed corpus, {args.embedder}, median of {args.rounds} rounds, {summary['recommendations']:.0f} recs"
    )
    print(f"  ingest + sync + trace:                 {summary['ingest_s']:.1f} s")
    print(f"  first GET, stored (public):            {summary['stored_public_s'] * 1000:.0f} ms")
    print(f"  first GET, stored (restricted key):    {summary['stored_restricted_s'] * 1000:.0f} ms")
    print(f"  first GET, computed on request:        {summary['computed_public_s'] * 1000:.0f} ms")
    print(f"  the same, tracing's vectors not cached: {summary['computed_cold_public_s'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
