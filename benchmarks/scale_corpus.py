"""The scale benchmark's synthetic corpus: seed sentences shuffled into passages under random documents,
with vectors made from real seed vectors plus noise; and the model's own speed on real passages."""

from __future__ import annotations

import json
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from index.factory import open_index
from index.record import Record
from index.settings import Settings
from ingest.models import DOC_TYPES as ALL_DOC_TYPES
from ingest.models import Chunk, DocType, Document, content_hash
from ingest.sentences import sentence_spans

REPO = Path(__file__).resolve().parent.parent
MUNICIPALITIES = ("København", "Gentofte", "Holbæk", "Aarhus", "Odense", "Aalborg", "Roskilde", "Vejle")
# Synthetic documents take every type but "other".
DOC_TYPES: tuple[DocType, ...] = tuple(t for t in ALL_DOC_TYPES if t != "other")
PASSAGES_PER_DOC = 10
NOISE = 0.35
ENGINE: str = Settings.model_fields["embedder"].default  # the default engine, whatever the environment says


def _sentences(record: Record) -> list[str]:
    out = []
    for doc in record.documents(with_text=True):
        out += [doc.text[s:e] for s, e in sentence_spans(doc.text) if len(doc.text[s:e].split()) >= 4]
    return out


def _passages(sentences: list[str], n: int, rng: random.Random) -> Iterator[str]:
    for _ in range(n):
        words, parts = 0, []
        target = rng.randint(60, 250)
        while words < target:
            sentence = rng.choice(sentences)
            parts.append(sentence)
            words += len(sentence.split())
        yield " ".join(parts)


def build(
    data_dir: Path, n: int, seed_index: Path, chroma_url: str | None, engine: str = ENGINE
) -> dict[str, float]:
    """Write n synthetic passages (with vectors) into a data dir, through the record and the store sync."""
    seeds = open_index(Settings(data_dir=seed_index, embedder=engine))
    base = np.stack(
        list(
            seeds.record.vectors.get(
                [c.text_hash for c in seeds.record.chunks()], seeds.embedder.name
            ).values()
        )
    )
    sentences = _sentences(seeds.record)
    rng = random.Random(n)
    noise = np.random.default_rng(n)
    settings = Settings(data_dir=data_dir, embedder=engine, chroma_url=chroma_url)
    index = open_index(settings, repair=True)
    started = time.perf_counter()
    texts = _passages(sentences, n, rng)
    signature = np.zeros(128, dtype=np.uint64)
    for d in range(0, n, PASSAGES_PER_DOC):
        doc_id = content_hash("scale", str(n), str(d))
        parts = [next(texts) for _ in range(min(PASSAGES_PER_DOC, n - d))]
        text = "\n\n".join(parts)
        chunks, offset = [], 0
        for i, part in enumerate(parts):
            chunk_id = content_hash(doc_id, str(i))
            chunks.append(Chunk(chunk_id, doc_id, i, offset, offset + len(part), part))
            offset += len(part) + 2
        year = rng.randint(2015, 2025)
        doc = Document(
            doc_id=doc_id,
            source=f"syntetisk-{d // PASSAGES_PER_DOC:06d}.txt",
            path=f"syntetisk-{d}.txt",
            title=parts[0][:80],
            municipality=rng.choice(MUNICIPALITIES),
            date=f"{year}-06-01",
            doc_type=rng.choice(DOC_TYPES),
            language="da",
            ocr_garbled=False,
            quality=1.0,
            format="text",
            text=text,
            file_hash=doc_id,
            abs_path=f"/nonexistent/{doc_id}",
            chunks=len(chunks),
            content_hash=doc_id,
            ingested_at=time.time(),
        )
        vectors = base[noise.integers(0, len(base), len(chunks))] + NOISE * noise.standard_normal(
            (len(chunks), base.shape[1])
        ).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index.record.vectors.put(
            {c.text_hash: v for c, v in zip(chunks, vectors, strict=True)}, index.embedder.name
        )
        index.record.put(doc, chunks, signature, [signature] * len(chunks))
    written = time.perf_counter() - started
    index.record.set_duplicates({}, {})
    started = time.perf_counter()
    index.sync()
    synced = time.perf_counter() - started
    started = time.perf_counter()
    index.searcher.search("svartider i borgerservice", 10)  # builds and caches the lexical index
    lexical = time.perf_counter() - started
    return {
        "write_s": round(written, 1),
        "vector_sync_s": round(synced, 1),
        "lexical_build_s": round(lexical, 1),
        # Linux reports the peak in KiB; it is this process's peak so far, sizes run smallest first.
        "builder_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def model_speed(seed_index: Path, engine: str = ENGINE) -> dict[str, float]:
    """The model's own embedding speed on real seed passages (batched, as ingest does it), in one process
    and in two worker processes; and the ingest pipeline's own cost (the fake embedder) for comparison."""
    from index.embed import ParallelEmbedder, make_embedder
    from ingest.pipeline import IngestOptions, run_ingest

    index = open_index(Settings(data_dir=seed_index, embedder=engine))
    texts = [c.text for c in index.record.chunks()][:64]
    out: dict[str, float] = {"mean_words": round(statistics.mean(len(t.split()) for t in texts))}
    for workers in (1, 2):
        # Not the index's embedder: its vector cache would answer the timed call without the model.
        embedder = make_embedder(engine, workers)
        embedder.embed(texts, "passage")  # warm: model loaded, worker processes started
        started = time.perf_counter()
        embedder.embed(texts, "passage")
        out[f"passages_per_s_{workers}_workers"] = round(len(texts) / (time.perf_counter() - started), 2)
        if isinstance(embedder, ParallelEmbedder):
            embedder.close()
    with tempfile.TemporaryDirectory() as tmp:
        fake = open_index(Settings(data_dir=Path(tmp), embedder="fake"))
        started = time.perf_counter()
        run_ingest(fake.record, [REPO / "corpus"], IngestOptions())
        fake.sync()
        chunks = len(fake.record.chunks())
        out["pipeline_passages_per_s_without_model"] = round(chunks / (time.perf_counter() - started), 1)
    return out


def seed_index_dir(root: Path, engine: str = ENGINE) -> Path:
    """The seed corpus ingested with the real model: the source of sentences and base vectors."""
    from ingest.pipeline import IngestOptions, run_ingest

    folder = root / "seed"
    index = open_index(Settings(data_dir=folder, embedder=engine))
    run_ingest(index.record, [REPO / "corpus"], IngestOptions())
    index.sync()
    return folder


def bench_queries() -> list[str]:
    path = REPO / "eval" / "data" / "sporbar_qa.jsonl"
    return [
        json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
