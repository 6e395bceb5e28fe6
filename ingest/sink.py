"""Where ingest writes: a small Protocol that the index's record implements, so that ingest needs nothing
from the layers above it."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from ingest.models import Chunk, Document


class DocumentSink(Protocol):
    def file_hashes(self) -> dict[str, str]:
        """The file hash each known document was built from, by doc_id (unchanged files are skipped)."""
        ...

    def documents(self) -> list[Document]:
        """Every document, without texts."""
        ...

    def put(
        self, doc: Document, chunks: list[Chunk], signature: np.ndarray, chunk_signatures: list[np.ndarray]
    ) -> None:
        """Insert or replace a document with its chunks and their MinHash signatures, atomically."""
        ...

    def delete(self, doc_ids: list[str]) -> int:
        """Remove these documents; returns how many there were."""
        ...

    def duplicates_stale(self) -> bool:
        """Whether documents changed since duplicate groups were last computed."""
        ...

    def refresh_duplicates(self) -> None:
        """Recompute duplicate groups over every document and passage."""
        ...
