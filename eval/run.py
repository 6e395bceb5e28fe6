"""Run retrieval configurations over a data set in a temporary index; report quality and latency.

Sporbar's own set is evaluated on the corpus it was written for, ingested through the real pipeline
(chunking, deduplication), with relevance from its quoted spans. A BEIR corpus is indexed as given
(`eval.passages`). A configuration is a name from `CONFIGS`, optionally with "@da", "@sv" or "@no" to fix
the lexical analyzer's language (default: the data set's language).
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eval.datasets import Qrels, detect_language, fingerprint, load_beir, load_questions, qrels_from_quotes
from eval.metrics import Ranked, evaluate, percentiles, ranked_run
from eval.passages import MAX_TOKENS, TokenCount, best_passage, e5_token_count, index_beir
from eval.report import Report, write_report
from index.analyze import LANGUAGES, language
from index.factory import Index, open_index
from index.models import Mode
from index.record import Record
from index.search import CANDIDATES, COVERAGE_POWER, LEXICAL_WEIGHT, RRF_K, Searcher
from index.settings import Settings
from ingest.pipeline import run_ingest

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


def parse_config(name: str) -> tuple[Config, str | None]:
    """'hybrid' → (hybrid, None); 'lexical@sv' → (lexical, 'sv'); ValueError for anything else."""
    base, _, lang = name.partition("@")
    if base not in CONFIGS:
        raise ValueError(f"unknown config {base!r}; choose from {', '.join(CONFIGS)} (optionally @language)")
    if lang and lang not in LANGUAGES:
        raise ValueError(
            f"unknown analyzer language {lang!r} in {name!r}; choose from {', '.join(LANGUAGES)}"
        )
    return CONFIGS[base], lang or None


@dataclass
class EvalSet:
    """Queries and judgements over what is indexed; `owner` maps passage ids to judged document ids."""

    name: str
    queries: dict[str, str]
    qrels: Qrels
    language: str
    fingerprint: str
    documents: int
    passages: int
    owner: dict[str, str] | None = None
    depth: int = K  # passages asked for, so that K documents remain after taking each one's best passage
    settings: dict[str, object] = field(default_factory=dict)


def qa_qrels(record: Record, questions_path: Path = QA_SET) -> tuple[dict[str, str], Qrels]:
    """Queries and qrels of the quoted-span set against the passages of an ingested corpus."""
    questions = load_questions(questions_path)
    docs = {d.doc_id: d for d in record.documents()}
    canonical = {c.chunk_id: c.duplicate_of or c.chunk_id for c in record.chunks()}
    passages: dict[str, list[tuple[str, str]]] = {}
    for chunk in record.chunks():
        passages.setdefault(docs[chunk.doc_id].source, []).append((canonical[chunk.chunk_id], chunk.text))
    return {q.qid: q.text for q in questions}, qrels_from_quotes(questions, passages)


def own_set(index: Index, split: str, lang: str, progress: bool) -> EvalSet:
    if split != "test":
        raise ValueError(f"Sporbar's own set has only the split 'test', not {split!r}")
    s = index.settings
    run_ingest(index.record, [CORPUS], s.ingest_options())
    index.sync(progress=progress)
    queries, qrels = qa_qrels(index.record)
    files = [*sorted(p for p in CORPUS.iterdir() if p.is_file()), QA_SET]
    unmatched = sorted(qid for qid, rels in qrels.items() if not rels)  # every quote cut by a chunk border
    return EvalSet(
        name="sporbar_qa",
        queries=queries,
        qrels=qrels,
        language="da" if lang == "auto" else lang,
        fingerprint=fingerprint(files),
        documents=len(index.record.documents()),
        passages=len(index.record.indexable_chunks()),
        settings={
            "chunk_words": f"{s.chunk_min_words}/{s.chunk_target_words}/{s.chunk_max_words}",
            "questions_without_relevant_passage": ", ".join(unmatched) or "none",
        },
    )


def beir_set(index: Index, folder: Path, split: str, lang: str, count: TokenCount, progress: bool) -> EvalSet:
    beir = load_beir(folder, split)
    long_texts = (beir.corpus[d][1] for d in sorted(beir.corpus) if len(beir.corpus[d][1].split()) >= 20)
    detected = detect_language(long_texts)
    chosen = detected if lang == "auto" else lang
    analyzer = chosen if chosen in LANGUAGES else "da"  # no analyzer of its own: the product's Danish one
    owner = index_beir(index.record, beir, count)
    index.sync(progress=progress)
    pieces = Counter(owner.values())
    split_docs = sum(1 for n in pieces.values() if n > 1)
    return EvalSet(
        name=beir.name if split == "test" else f"{beir.name}-{split}",
        queries=beir.queries,
        qrels=beir.qrels,
        language=analyzer,
        fingerprint=beir.fingerprint,
        documents=len(beir.corpus),
        passages=len(owner),
        owner=owner if split_docs else None,
        depth=min(CANDIDATES, K * max(pieces.values(), default=1)),
        settings={
            "detected_language": detected,
            "max_passage_tokens": MAX_TOKENS,
            "split_documents": split_docs,
        },
    )


def run_config(searcher: Searcher, data: EvalSet, config: Config) -> tuple[Ranked, list[float]]:
    ranked: Ranked = {}
    latencies: list[float] = []
    for qid, text in data.queries.items():
        started = time.perf_counter()
        result = searcher.search(text, data.depth, mode=config.mode, sections=config.sections)
        latencies.append((time.perf_counter() - started) * 1000)
        hits = [(h.chunk_id, h.score) for h in result.results]
        ranked[qid] = (best_passage(hits, data.owner) if data.owner else hits)[:K]
    return ranked, latencies


def evaluate_configs(
    index: Index, data: EvalSet, names: Sequence[str], cache_dir: Path
) -> tuple[dict[str, dict[str, float]], dict[str, Ranked]]:
    """Metrics and runs per configuration; one searcher (and lexical index) per analyzer language."""
    searchers: dict[str, Searcher] = {}
    metrics: dict[str, dict[str, float]] = {}
    runs: dict[str, Ranked] = {}
    for name in names:
        config, forced = parse_config(name)
        lang = forced or data.language
        with language(lang):
            if lang not in searchers:
                searchers[lang] = Searcher(
                    index.record, index.store, index.embedder, cache_dir / lang, index.settings.language_bias
                )
                searchers[lang].search("warm up", 1)  # build the lexical index and load the model untimed
            runs[name], latencies = run_config(searchers[lang], data, config)
        scores = evaluate(data.qrels, ranked_run(runs[name]))
        metrics[name] = {m: round(v, 4) for m, v in scores.items()}
        metrics[name].update({m: round(v, 2) for m, v in percentiles(latencies).items()})
    return metrics, runs


def run_eval(
    settings: Settings,
    dataset: Path | None,
    split: str,
    names: Sequence[str],
    results_dir: Path,
    lang: str = "auto",
    progress: bool = False,
    count: TokenCount | None = None,
) -> Report:
    """Evaluate in a temporary data dir (the live index is never touched); write the report files."""
    for name in names:
        parse_config(name)
    if lang != "auto" and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose auto or one of {', '.join(LANGUAGES)}")
    with tempfile.TemporaryDirectory(prefix="sporbar-eval-") as tmp:
        index = open_index(settings.model_copy(update={"data_dir": Path(tmp), "chroma_url": None}))
        try:
            if dataset is None:
                data = own_set(index, split, lang, progress)
            else:
                data = beir_set(index, dataset, split, lang, count or e5_token_count(), progress)
            configs, runs = evaluate_configs(index, data, names, Path(tmp) / "cache")
        finally:
            index.record.close()
    report = Report(
        dataset=data.name,
        split=split,
        queries=sum(1 for rels in data.qrels.values() if rels),
        documents=data.documents,
        passages=data.passages,
        model=index.embedder.name,
        settings=_settings(settings, data),
        corpus_fingerprint=data.fingerprint,
        configs=configs,
    )
    write_report(report, runs, data.qrels, results_dir / data.name)
    return report


def _settings(settings: Settings, data: EvalSet) -> dict[str, object]:
    return {
        "embedder": settings.embedder,
        "k": K,
        "depth": data.depth,
        "candidates": CANDIDATES,
        "rrf_k": RRF_K,
        "lexical_weight": f"{LEXICAL_WEIGHT} x coverage^{COVERAGE_POWER}",
        "analyzer_language": data.language,
        **data.settings,
    }
