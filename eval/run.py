"""Run retrieval configurations over a data set in a temporary index and report metrics and latency.

Sporbar's own set is evaluated on the corpus it was written for, ingested through the real pipeline;
a BEIR corpus is indexed as given, one BEIR document = one passage, no merging and no dedup.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from api.factory import Index, open_index
from api.settings import Settings
from eval.datasets import BeirDataset, Qrels, load_beir, load_questions, qrels_from_quotes
from eval.metrics import Run, evaluate, percentiles
from index.record import Record
from index.search import Mode
from ingest.dedup import signature
from ingest.models import Chunk, Document, content_hash
from ingest.pipeline import IngestOptions, run_ingest

QA_SET = Path(__file__).parent / "data" / "sporbar_qa.jsonl"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
K = 10


@dataclass(frozen=True)
class Config:
    mode: Mode
    sections: bool = True


CONFIGS = {
    "lexical": Config("lexical"),
    "dense": Config("dense"),
    "hybrid": Config("hybrid"),
    "hybrid-nosections": Config("hybrid", sections=False),
}


def run_config(index: Index, queries: dict[str, str], config: Config) -> tuple[Run, list[float]]:
    run: Run = {}
    latencies: list[float] = []
    for qid, text in queries.items():
        started = time.perf_counter()
        result = index.searcher.search(text, K, mode=config.mode, sections=config.sections)
        latencies.append((time.perf_counter() - started) * 1000)
        run[qid] = {h.chunk_id: h.score for h in result.results}
    return run, latencies


def evaluate_configs(
    index: Index, queries: dict[str, str], qrels: Qrels, names: Sequence[str], out: Path | None = None
) -> dict[str, dict[str, float]]:
    index.searcher.search("warm up", 1)  # load the model and build the lexical cache before timing
    report: dict[str, dict[str, float]] = {}
    for name in names:
        run, latencies = run_config(index, queries, CONFIGS[name])
        report[name] = {**evaluate(qrels, run), **percentiles(latencies)}
        if out is not None:
            write_trec(run, out / f"{name}.trec", name)
    return report


def write_trec(run: Run, path: Path, tag: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for qid, scores in run.items():
            ranked = sorted(scores.items(), key=lambda item: -item[1])
            for rank, (pid, score) in enumerate(ranked, start=1):
                handle.write(f"{qid} Q0 {pid} {rank} {score:.6f} {tag}\n")


def qa_qrels(record: Record, questions_path: Path = QA_SET) -> tuple[dict[str, str], Qrels]:
    """Queries and qrels of the quoted-span set against the passages of an ingested corpus."""
    questions = load_questions(questions_path)
    docs = {d.doc_id: d for d in record.documents()}
    canonical = {c.chunk_id: c.duplicate_of or c.chunk_id for c in record.chunks()}
    passages: dict[str, list[tuple[str, str]]] = {}
    for chunk in record.chunks():
        passages.setdefault(docs[chunk.doc_id].source, []).append((canonical[chunk.chunk_id], chunk.text))
    return {q.qid: q.text for q in questions}, qrels_from_quotes(questions, passages)


def index_beir(index: Index, dataset: BeirDataset) -> None:
    """Each BEIR document becomes one document with one passage: title and text, as given."""
    for doc_id, (title, text) in dataset.corpus.items():
        body = f"{title}\n\n{text}" if title else text
        doc = Document(
            doc_id=doc_id,
            source=doc_id,
            path=doc_id,
            title=title or doc_id[:80],
            municipality=None,
            date=None,
            doc_type="other",
            language="",
            ocr_garbled=False,
            quality=1.0,
            format="beir",
            text=body,
            file_hash=content_hash(body),
            abs_path=f"beir:{dataset.name}/{doc_id}",
            chunks=1,
        )
        chunk = Chunk(doc_id, doc_id, 0, 0, len(body), body)
        index.record.put(doc, [chunk], signature(frozenset()), [signature(frozenset())])
    index.sync(progress=True)


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=CORPUS.parent,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_eval(
    settings: Settings, dataset: Path | None, split: str, names: Sequence[str], results_dir: Path
) -> dict[str, object]:
    """Evaluate in a temporary data dir; the live index is never touched."""
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        raise ValueError(f"unknown config {', '.join(unknown)}; choose from {', '.join(CONFIGS)}")
    with tempfile.TemporaryDirectory(prefix="sporbar-eval-") as tmp:
        index = open_index(settings.model_copy(update={"data_dir": Path(tmp), "chroma_url": None}))
        if dataset is None:
            run_ingest(index.record, [CORPUS], IngestOptions())
            index.sync(progress=True)
            queries, qrels = qa_qrels(index.record)
            name, fingerprint = (
                "sporbar_qa",
                content_hash(*(d.content_hash for d in index.record.documents())),
            )
        else:
            beir = load_beir(dataset, split)
            index_beir(index, beir)
            queries, qrels, name = beir.queries, beir.qrels, beir.name
            fingerprint = content_hash(*sorted(beir.corpus))
        out = results_dir / name
        configs = evaluate_configs(index, queries, qrels, names, out)
    report: dict[str, object] = {
        "dataset": name,
        "split": split,
        "queries": len(queries),
        "model": index.embedder.name,
        "corpus_fingerprint": fingerprint,
        "commit": _commit(),
        "configs": configs,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (out / "report.md").write_text(markdown_table(report))
    return report


def markdown_table(report: dict[str, object]) -> str:
    configs = report["configs"]
    assert isinstance(configs, dict)
    metrics = list(next(iter(configs.values())).keys()) if configs else []
    lines = [
        f"# {report['dataset']} ({report['queries']} queries, "
        f"model {report['model']}, commit {report['commit']})",
        "",
        "| config | " + " | ".join(metrics) + " |",
        "|---|" + "---|" * len(metrics),
    ]
    for name, values in configs.items():
        lines.append(f"| {name} | " + " | ".join(f"{values[m]:.3f}" for m in metrics) + " |")
    return "\n".join(lines) + "\n"
