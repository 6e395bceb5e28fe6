"""The embedding cache: a passage's (or question's) vector is computed once per model, keyed by the hash
of its text, and kept across re-ingests and rebuilt stores."""

from __future__ import annotations

import numpy as np

from index.record.db import Database


class EmbeddingCache:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, text_hashes: list[str], model: str) -> dict[str, np.ndarray]:
        """The cached vectors among these text hashes."""
        sql = "SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({})"
        return {
            r[0]: np.frombuffer(r[1], dtype=np.float32) for r in self._db.rows_in(sql, text_hashes, model)
        }

    def put(self, vectors: dict[str, np.ndarray], model: str) -> None:
        with self._db.transaction(bump=False) as db:
            db.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [(h, model, v.astype(np.float32).tobytes()) for h, v in vectors.items()],
            )
