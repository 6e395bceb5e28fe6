"""Retrieval across languages: where the first passage holding a gold quote ranks, for the answer sets'
action questions over the seed corpus and every answer document (Danish and English), by the share of the
question language's mean taken out of the query vector (`index/bias.py`).

    python -m eval.cross_language [--data-dir DIR] [--weights 0,0.25,0.5,0.75,1] [--mode hybrid|dense]
    python -m eval.cross_language [--data-dir DIR] --latency

Questions whose gold document is in another language than theirs are reported apart from the others.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from unittest.mock import patch

import numpy as np

from eval.answer_sets import ACTION_SET, ANSWER_DOCS, HELDOUT_SET, HELDOUT_SETS
from eval.answers import CORPUS, Span, open_ingested, relevant_spans
from eval.datasets import load_questions
from index.group import CROSS_LANGUAGE_LIFT, POOL, group_by_document
from index.models import Mode
from index.search import Searcher, query_language
from ingest.metadata import scandinavian_as_danish

DEPTH = 100


def first_rank(
    searcher: Searcher, question: str, spans: Sequence[Span], mode: Mode, depth: int = DEPTH
) -> int:
    """Where the first passage overlapping a gold span ranks; `depth` when none is in the top `depth`."""
    hits = searcher.search(question, depth, mode=mode).results
    return next(
        (
            i
            for i, h in enumerate(hits)
            if any(h.doc_id == doc and h.start < end and start < h.end for doc, start, end in spans)
        ),
        depth,
    )


def strong_document(searcher: Searcher, question: str, docs: set[str]) -> tuple[bool, bool]:
    """Whether a gold document is above the relevance floor of one-result-per-document search, with the
    cross-language lift left out and with it (`index/group.py`)."""
    result = searcher.search(question, POOL)  # hybrid, as one-result-per-document search is
    return tuple(  # type: ignore[return-value]
        any(g.best.doc_id in docs and not g.weaker for g in group_by_document(result, lift=lift))
        for lift in (0.0, CROSS_LANGUAGE_LIFT)
    )


def measure(searcher: Searcher, weights: list[float], mode: Mode, cache: Path) -> list[dict[str, object]]:
    questions = [
        q
        for path in [ACTION_SET, HELDOUT_SET, *(actions for actions, _ in HELDOUT_SETS.values())]
        for q in load_questions(path)
    ]
    languages = {d.doc_id: scandinavian_as_danish(d.language) for d in searcher.record.documents()}
    gold = [(q, relevant_spans(searcher.record, q)) for q in questions]
    rows: list[dict[str, object]] = []
    for weight in weights:
        shifted = Searcher(searcher.record, searcher.store, searcher.embedder, cache, language_bias=weight)
        ranks: dict[str, list[int]] = {"cross": [], "same": []}
        kept: dict[str, list[tuple[bool, bool]]] = {"cross": [], "same": []}
        for q, spans in gold:
            if spans:
                group = "same" if languages[spans[0][0]] == scandinavian_as_danish(q.lang) else "cross"
                ranks[group].append(first_rank(shifted, q.text, spans, mode))
                kept[group].append(strong_document(shifted, q.text, {doc for doc, _, _ in spans}))
        for group, found in ranks.items():
            if not found:
                continue
            r = np.array(found)
            rows.append(
                {
                    "weight": weight,
                    "questions": group,
                    "n": len(r),
                    "R@5": round(float(np.mean(r < 5)), 3),
                    "R@25": round(float(np.mean(r < 25)), 3),
                    "MRR": round(float(np.mean(1.0 / (r + 1))), 3),
                    # One result per document: the gold document above the floor, without / with the lift.
                    "kept_unlifted": round(float(np.mean([k[0] for k in kept[group]])), 3),
                    "kept": round(float(np.mean([k[1] for k in kept[group]])), 3),
                }
            )
    return rows


def latency(searcher: Searcher, mixed: bool = True) -> dict[str, float]:
    """Search time for the action questions, query vectors already embedded (as for every search of an
    answer after its first): a question's first search, which tells its language when the documents are of
    two languages, and the same search again. `mixed=False` searches as over one language, for comparison."""
    questions = [
        q.text
        for path in [ACTION_SET, HELDOUT_SET, *(actions for actions, _ in HELDOUT_SETS.values())]
        for q in load_questions(path)
    ]
    searcher.embedder.embed(questions, "query")
    query_language.cache_clear()
    first: list[float] = []
    again: list[float] = []
    with patch("index.search.two_languages", return_value=False) if not mixed else nullcontext():
        for question in questions:
            for times in (first, again):
                started = time.perf_counter()
                searcher.search(question, DEPTH // 4)
                times.append((time.perf_counter() - started) * 1000)
    return {
        f"{name}_{stat}": round(value, 1)
        for name, times in (("first", first), ("again", again))
        for stat, value in (("mean_ms", float(np.mean(times))), ("p50_ms", float(np.median(times))))
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--weights", default="0,0.25,0.5,0.75,1")
    parser.add_argument("--mode", choices=["hybrid", "dense"], default="hybrid")
    parser.add_argument("--latency", action="store_true", help="time searches with and without the shift")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = open_ingested(args.data_dir or Path(tmp) / "data", (CORPUS, ANSWER_DOCS))
        if args.latency:
            for mixed in (False, True, False, True):  # in turn, so that a busy moment touches both
                print({"two_languages": mixed, **latency(index.searcher, mixed)})
            return
        weights = [float(w) for w in args.weights.split(",")]
        for row in measure(index.searcher, weights, args.mode, Path(tmp) / "cache"):
            print(row)


if __name__ == "__main__":
    main()
