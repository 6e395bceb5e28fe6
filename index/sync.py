"""Bring the vector store in step with the record: add missing passages, drop stale ones.

The record is the truth; the store is derived. Vectors are cached by passage text and model, so a
re-chunked or re-ingested document only embeds passages whose text is new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np
from tqdm import tqdm

from index.embed import Embedder, batched, compatible
from index.record import Record
from index.store import Metadata, VectorStore
from ingest.models import Chunk, Document

log = logging.getLogger(__name__)
EMBED_BATCH = 64  # passages per call: cached after each, split across workers when there are several
# Passages written to the store per step: texts and vectors are read for one step at a time, so a sync
# of a million passages holds a few thousand texts, not all of them.
SYNC_BATCH = 5000


@dataclass(frozen=True)
class SyncReport:
    added: int
    removed: int
    embedded: int


def chunk_metadata(doc: Document, chunk: Chunk) -> Metadata:
    """Filterable fields of a passage; Chroma has no nulls, so absent values are "" or -1."""
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "municipality": doc.municipality or "",
        "doc_type": doc.doc_type,
        "year": int(doc.date[:4]) if doc.date else -1,
        "section": chunk.section,
        "page": chunk.page if chunk.page is not None else -1,
        "start": chunk.start,
        "end": chunk.end,
    }


def _vectors(record: Record, embedder: Embedder, chunks: list[Chunk], bar: tqdm) -> tuple[np.ndarray, int]:
    hashes = [c.text_hash for c in chunks]
    cached = record.vectors.get(hashes, embedder.name)
    for other in sorted(compatible(embedder.name) - {embedder.name}):  # vectors of the same space
        missing = [h for h in hashes if h not in cached]
        if not missing:
            break
        cached.update(record.vectors.get(missing, other))
    todo = {c.text_hash: c.text for c in chunks if c.text_hash not in cached}
    items = list(todo.items())
    bar.update(len(chunks) - len(items))
    for i in range(0, len(items), EMBED_BATCH):
        part = items[i : i + EMBED_BATCH]
        vectors = batched(embedder, [text for _, text in part], "passage")
        new = {h: v for (h, _), v in zip(part, vectors, strict=True)}
        record.vectors.put(new, embedder.name)  # kept even if a later batch fails
        cached.update(new)
        bar.update(len(part))
    return np.vstack([cached[h] for h in hashes]), len(items)


def sync_index(record: Record, store: VectorStore, embedder: Embedder, progress: bool = False) -> SyncReport:
    # A start-up with nothing written since the last sync skips comparing every passage id (seconds at a
    # million passages).
    generation = record.generation()
    if record.meta.store_synced_generation == generation and store.count() == record.count_indexable():
        return SyncReport(0, 0, 0)
    wanted = {c.chunk_id: c for c in record.indexable_chunks(with_text=False)}
    present = store.ids()
    stale = sorted(present - wanted.keys())
    missing = [wanted[cid] for cid in sorted(wanted.keys() - present)]
    if stale:
        store.delete(stale)
    embedded = 0
    if missing:
        docs = {d.doc_id: d for d in record.documents()}
        bar = tqdm(total=len(missing), desc="embed", unit="passage", disable=not progress)
        for i in range(0, len(missing), SYNC_BATCH):
            light = missing[i : i + SYNC_BATCH]
            texts = record.chunk_texts([c.chunk_id for c in light])
            part = [replace(c, text=texts[c.chunk_id]) for c in light]
            vectors, count = _vectors(record, embedder, part, bar)
            embedded += count
            # Missing ids are absent by definition, and the texts stay in the record alone: Chroma
            # indexes every stored text for full-text search, which halved the insert rate.
            store.add([c.chunk_id for c in part], vectors, [chunk_metadata(docs[c.doc_id], c) for c in part])
        bar.close()
    if stale or missing:
        record.meta.new_store_sync_mark()  # readers in other processes reopen their view
    record.meta.store_synced_generation = generation
    log.info("index sync: %d added, %d removed, %d embedded", len(missing), len(stale), embedded)
    return SyncReport(len(missing), len(stale), embedded)
