"""The answer benchmark: how often `compose_answer` answers the answerable questions, how often its
citations land on a quoted relevant span, how often it declines the unanswerable ones, and how long it
takes.

A quote of the QA set marks its relevant span in the stored text of its document (whitespace
normalised, as in `eval.datasets`); a citation hits when its [start, end) overlaps such a span.

    python -m eval.answers [--data-dir DIR] [--json] [--out results/answers.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from eval.datasets import Question, load_questions
from eval.metrics import percentiles
from index.answer import Answer, Thresholds, compose_answer
from index.factory import Index, open_index
from index.lock import writer_lock
from index.record import Record
from index.search import Searcher
from index.settings import load_settings
from ingest.pipeline import IngestOptions, run_ingest

DATA = Path(__file__).parent / "data"
QA_SET = DATA / "sporbar_qa.jsonl"
UNANSWERABLE = DATA / "unanswerable.jsonl"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
K = 5
SHIFTS = (-0.02, -0.01, -0.005, 0.0, 0.005, 0.01, 0.02)

Span = tuple[str, int, int]  # doc_id, start, end in the stored text


def load_unanswerable(path: Path = UNANSWERABLE) -> list[Question]:
    """Questions the corpus cannot answer: `{"id", "question", "lang", "tags"}` per line."""
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            tags = tuple(item.get("tags", ()))
            questions.append(Question(item["id"], item["question"], item.get("lang", ""), tags))
    return questions


def relevant_spans(record: Record, question: Question) -> list[Span]:
    """Where the question's quotes stand in the stored text of their documents. A source can hold several
    documents (an export's manifest names every agenda item): each quote is looked for in all of them."""
    by_source: dict[str, list[str]] = {}
    for d in record.documents():
        by_source.setdefault(d.source, []).append(d.doc_id)
    spans = []
    for quote in question.quotes:
        pattern = r"\s+".join(re.escape(word) for word in quote.quote.split())
        for doc_id in by_source.get(quote.source, []) if pattern else []:
            doc = record.document(doc_id)
            found = re.search(pattern, doc.text) if doc is not None else None
            if found:
                spans.append((doc_id, found.start(), found.end()))
    return spans


def cites(answer: Answer, spans: Sequence[Span]) -> bool:
    """Whether any citation overlaps any relevant span."""
    return any(
        c.doc_id == doc and c.start < end and start < c.end
        for c in answer.citations
        for doc, start, end in spans
    )


def cites_first(answer: Answer, spans: Sequence[Span]) -> bool:
    """Whether the first citation, the line a reader sees first, overlaps a relevant span."""
    return bool(answer.citations) and cites(replace(answer, citations=answer.citations[:1]), spans)


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def run_answer_eval(
    index_or_searcher: Index | Searcher,
    questions: Sequence[Question],
    unanswerable: Sequence[Question],
    k: int = K,
    limits: Thresholds | None = None,
) -> dict[str, object]:
    """Answer every question; report rates, latency, and one row per question."""
    searcher = index_or_searcher if isinstance(index_or_searcher, Searcher) else index_or_searcher.searcher
    searcher.search("warm up", 1)  # load the model and the lexical cache before timing
    rows: list[dict[str, object]] = []
    found, hits, rejected, latencies = [], [], [], []
    evidence: tuple[list[float | None], list[float | None]] = ([], [])
    for question in questions:
        answer = compose_answer(searcher, question.text, k, limits=limits)
        hit = cites(answer, relevant_spans(searcher.record, question))
        found.append(answer.found)
        hits.append(hit)
        latencies.append(answer.took_ms)
        evidence[0].append(answer.evidence)
        rows.append(_row(question, answer, answerable=True, hit=hit))
    for question in unanswerable:
        answer = compose_answer(searcher, question.text, k, limits=limits)
        rejected.append(not answer.found)
        latencies.append(answer.took_ms)
        evidence[1].append(answer.evidence)
        rows.append(_row(question, answer, answerable=False, hit=False))
    return {
        "answerable": len(questions),
        "unanswerable": len(unanswerable),
        "found_rate": _share(found),
        "citation_hit_rate": _share(hits),
        "citation_hit_rate_when_found": _share([h for h, f in zip(hits, found, strict=True) if f]),
        "rejection_rate": _share(rejected),
        "mean_ms": sum(latencies) / len(latencies) if latencies else 0.0,
        **percentiles(latencies),
        "separation": separation(*evidence),
        "questions": rows,
    }


def _row(question: Question, answer: Answer, answerable: bool, hit: bool) -> dict[str, object]:
    return {
        "id": question.qid,
        "answerable": answerable,
        "found": answer.found,
        "cites_relevant": hit,
        "evidence": None if answer.evidence is None else round(answer.evidence, 4),
        "ms": round(answer.took_ms, 1),
        "citations": [f"{c.source}:{c.start}-{c.end}" for c in answer.citations],
    }


def separation(answerable: Sequence[float | None], unanswerable: Sequence[float | None]) -> dict[str, object]:
    """How the best sentences' evidence (similarity minus bar) of the two kinds of question spread, and
    what raising or lowering every bar by `shift` would do to the found and rejection rates."""
    yes = [e for e in answerable if e is not None]
    no = [e for e in unanswerable if e is not None]
    sweep = [
        {
            "shift": shift,
            "found_rate": _share([e is not None and e >= shift for e in answerable]),
            "rejection_rate": _share([e is None or e < shift for e in unanswerable]),
        }
        for shift in SHIFTS
    ]
    return {
        "answerable_min": min(yes, default=None),
        "answerable_median": sorted(yes)[len(yes) // 2] if yes else None,
        "unanswerable_max": max(no, default=None),
        "unanswerable_median": sorted(no)[len(no) // 2] if no else None,
        "sweep": sweep,
    }


def open_ingested(data_dir: Path, folders: Sequence[Path] = (CORPUS,)) -> Index:
    """The index in `data_dir` with `folders` (the seed corpus, the answer documents) ingested: a new set's
    documents added to an index built before are ingested too; unchanged files are skipped."""
    settings = load_settings(data_dir)
    with writer_lock(settings.lock_path):
        index = open_index(settings)
        run_ingest(index.record, list(folders), IngestOptions())
        index.sync()
    return index


def summary(report: dict[str, object]) -> str:
    keys = ("found_rate", "citation_hit_rate", "citation_hit_rate_when_found", "rejection_rate")
    lines = [f"{key}: {report[key]:.3f}" for key in keys]
    lines.append(f"latency: mean {report['mean_ms']:.0f} ms, p50 {report['p50_ms']:.0f} ms")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.answers", description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="an index to use (new files ingested)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--out", type=Path, default=Path("results/answers.json"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sporbar-answers-") as tmp:
        index = open_ingested(args.data_dir or Path(tmp))
        report = run_answer_eval(index, load_questions(QA_SET), load_unanswerable())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else summary(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
