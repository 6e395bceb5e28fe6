"""The scale benchmark's measurements of a running server: latency under concurrent clients, memory,
start-up, a fresh replica's first answer."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np

from benchmarks import launch

LEVELS = (1, 4, 16)
# Each run is queried twice: with the query-vector cache off, so every request runs the model (the
# worst case, and the one the targets are read against), and with it on, where the benchmark's
# questions repeat as users' searches do (paging, the answer after a search, common questions).
QUERY_RUNS = {"uncached": "0", "cached": "2048"}
START_LIMIT_S = 1800


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
