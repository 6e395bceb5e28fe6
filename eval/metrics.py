"""Retrieval metrics by name ("ndcg@10", "recall@5", "mrr@10"), computed by ranx; latency percentiles."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DEFAULT_METRICS = ("ndcg@10", "recall@1", "recall@5", "recall@10", "mrr@10")
Run = dict[str, dict[str, float]]
Ranked = dict[str, list[tuple[str, float]]]  # query id → (passage id, score), best first


def ranked_run(ranked: Ranked) -> Run:
    """A run that ranx orders exactly as ranked: scores from ranks, so equal scores keep their order."""
    return {
        qid: {pid: float(len(items) - i) for i, (pid, _) in enumerate(items)} for qid, items in ranked.items()
    }


def evaluate(
    qrels: dict[str, dict[str, int]], run: Run, metrics: Sequence[str] = DEFAULT_METRICS
) -> dict[str, float]:
    """Mean of each metric over the queries that have at least one relevant passage."""
    from ranx import Qrels
    from ranx import Run as RanxRun
    from ranx import evaluate as ranx_evaluate

    judged = {qid: rels for qid, rels in qrels.items() if rels}
    scored = {qid: run.get(qid) or {"\u2205": 0.0} for qid in judged}  # a query with no results scores 0
    result = ranx_evaluate(Qrels(judged), RanxRun(scored), list(metrics), make_comparable=True)
    if isinstance(result, float):
        return {metrics[0]: result}
    return {name: float(value) for name, value in result.items()}


def percentiles(latencies_ms: Sequence[float]) -> dict[str, float]:
    if not latencies_ms:
        return {"p50_ms": 0.0, "p95_ms": 0.0}
    values = np.asarray(latencies_ms)
    return {"p50_ms": float(np.percentile(values, 50)), "p95_ms": float(np.percentile(values, 95))}
