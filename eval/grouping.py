"""Where to put the relevance floor of one-result-per-document search (`index/group.py`).

For each floor (a gap in cosine similarity under the search's best passage) and each question, the
documents above it are counted: how often every relevant document stays above the floor (kept), and how
many documents that are not relevant stay above it too (noise). Unanswerable questions have no relevant
document: all they keep is noise. Sets: the QA set and the unanswerable questions over the seed corpus,
and the `kommune_mini` BEIR set (twelve short documents, one relevant each).

    python -m eval.grouping [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from statistics import mean

from eval.answers import load_unanswerable
from eval.datasets import load_beir, load_questions
from eval.passages import e5_token_count, index_beir
from eval.run import CORPUS, QA_SET
from index.factory import Index, open_index
from index.group import FLOOR_GAP, POOL, group_by_document
from index.lock import writer_lock
from index.settings import load_settings
from ingest.pipeline import run_ingest

GAPS = (0.01, 0.02, 0.025, 0.03, 0.04, 0.05, 0.08, 1.0)
KOMMUNE_MINI = Path(__file__).parent / "data" / "kommune_mini"

Case = tuple[str, set[str]]  # a query and the ids of its relevant documents (none: unanswerable)


def measure(index: Index, cases: Sequence[Case], gaps: Sequence[float] = GAPS) -> dict[str, object]:
    """Per floor: the share of answerable questions whose relevant documents all stay above it, the
    mean number of other documents above it, answerable and unanswerable apart."""
    pools = [(index.searcher.search(query, POOL), relevant) for query, relevant in cases]
    rows = {}
    for gap in gaps:
        kept, noise, unanswerable_noise = [], [], []
        for result, relevant in pools:
            strong = {g.best.doc_id for g in group_by_document(result, gap) if not g.weaker}
            if relevant:
                kept.append(relevant <= strong)
                noise.append(len(strong - relevant))
            else:
                unanswerable_noise.append(len(strong))
        rows[f"{gap:.3f}"] = {
            "relevant_kept": round(mean(kept), 3) if kept else None,
            "other_docs_above": round(mean(noise), 2) if noise else None,
            "unanswerable_docs_above": round(mean(unanswerable_noise), 2) if unanswerable_noise else None,
        }
    return {"questions": len(cases), "floors": rows}


def seed_cases(index: Index) -> list[Case]:
    by_source = {d.source: d.doc_id for d in index.record.documents() if d.canonical}
    cases: list[Case] = [
        (q.text, {by_source[quote.source] for quote in q.quotes if quote.source in by_source})
        for q in load_questions(QA_SET)
    ]
    return cases + [(q.text, set()) for q in load_unanswerable()]


def _seed_index(folder: Path) -> Index:
    settings = load_settings(folder)
    with writer_lock(settings.lock_path):
        index = open_index(settings)
        run_ingest(index.record, [CORPUS], settings.ingest_options())
        index.sync()
    return index


def _beir_index(folder: Path) -> tuple[Index, list[Case]]:
    beir = load_beir(KOMMUNE_MINI, "test")
    settings = load_settings(folder)
    with writer_lock(settings.lock_path):
        index = open_index(settings)
        index_beir(index.record, beir, e5_token_count())
        index.sync()
    cases = [(text, set(beir.qrels.get(qid, {}))) for qid, text in beir.queries.items() if qid in beir.qrels]
    return index, cases


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.grouping", description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sporbar-grouping-") as tmp:
        seed = _seed_index(Path(tmp) / "seed")
        mini, mini_cases = _beir_index(Path(tmp) / "mini")
        report = {
            "chosen_gap": FLOOR_GAP,
            "sporbar_qa": measure(seed, seed_cases(seed)),
            "kommune_mini": measure(mini, mini_cases),
        }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for name in ("sporbar_qa", "kommune_mini"):
        part = report[name]
        assert isinstance(part, dict)
        print(f"{name} ({part['questions']} questions): gap, relevant kept, other docs above, unanswerable")
        for gap, row in part["floors"].items():
            kept, other = row["relevant_kept"], row["other_docs_above"]
            print(f"  {gap}  {kept}  {other}  {row['unanswerable_docs_above']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
