"""Metrics by name from ranx, checked on a toy run computed by hand."""

from __future__ import annotations

import math

import pytest

from eval.metrics import evaluate, percentiles, ranked_run

QRELS = {
    "q1": {"d1": 1},
    "q2": {"d2": 2, "d3": 1},
    "q3": {"d9": 1},
    "q4": {},  # nothing relevant: not part of any mean
}
RANKED = {
    "q1": [("d5", 3.0), ("d1", 2.0), ("d6", 1.0)],
    "q2": [("d3", 0.9), ("d4", 0.8), ("d2", 0.7)],
    # q3 found nothing at all: it scores 0 everywhere
}


def test_hand_computed_toy_run() -> None:
    got = evaluate(QRELS, ranked_run(RANKED))
    # nDCG@10 with linear gain rel / log2(rank + 1):
    # q1: d1 at rank 2 → (1/log2 3) / 1; q2: d3 (1) at 1 and d2 (2) at 3 → (1 + 2/2) / (2 + 1/log2 3); q3: 0
    q1 = 1 / math.log2(3)
    q2 = 2 / (2 + 1 / math.log2(3))
    assert got["ndcg@10"] == pytest.approx((q1 + q2 + 0) / 3, abs=1e-6)
    # recall@1: q1 0/1, q2 1/2 (d3 is relevant too), q3 0
    assert got["recall@1"] == pytest.approx(0.5 / 3, abs=1e-6)
    assert got["recall@5"] == pytest.approx(2 / 3, abs=1e-6)
    assert got["recall@10"] == pytest.approx(2 / 3, abs=1e-6)
    # MRR@10: 1/2, 1/1, 0
    assert got["mrr@10"] == pytest.approx(1.5 / 3, abs=1e-6)


def test_ranks_decide_not_tied_scores() -> None:
    ranked = {"q": [("z", 1.0), ("a", 1.0)]}
    assert evaluate({"q": {"a": 1}}, ranked_run(ranked), ["mrr@10"]) == {"mrr@10": pytest.approx(0.5)}


def test_latency_percentiles() -> None:
    assert percentiles([]) == {"p50_ms": 0.0, "p95_ms": 0.0}
    values = percentiles([float(v) for v in range(1, 101)])
    assert values["p50_ms"] == pytest.approx(50.5)
    assert values["p95_ms"] == pytest.approx(95.05)
