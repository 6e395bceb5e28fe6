"""BM25 over the indexed passages (bm25s), cached in the data dir and keyed by the index's fingerprint.

The lexical index is derived state: it is rebuilt from the passages whenever the set of indexed
passages changes, so it can never drift out of step with the vector store.
"""

from __future__ import annotations

import json
import logging
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from index.analyze import SKELETON_PREFIX, analyze

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LexicalDoc:
    chunk_id: str
    text: str
    extra: str | None = None  # machine-corrected OCR reading


class LexicalIndex:
    """BM25 scores for every indexed passage; filtering happens on the caller's side with a mask."""

    def __init__(self, ids: list[str], model: bm25s.BM25 | None) -> None:
        self.ids = ids
        self.position = {chunk_id: i for i, chunk_id in enumerate(ids)}
        self.model = model

    @classmethod
    def build(cls, docs: Iterable[LexicalDoc]) -> LexicalIndex:
        """Index passages read one at a time.

        Each passage is kept as ids into one vocabulary, whose int objects every passage shares: a
        list of token strings per passage would hold each token anew, ~10x the memory at 1M passages.
        """
        ids: list[str] = []
        vocab: dict[str, int] = {}
        corpus: list[list[int]] = []
        for doc in docs:
            ids.append(doc.chunk_id)
            terms = analyze(doc.text, doc.extra) or ["\u2205"]
            corpus.append([vocab.setdefault(t, len(vocab)) for t in terms])
        if not ids:
            return cls([], None)
        model = bm25s.BM25()
        model.index((corpus, vocab), show_progress=False)
        return cls(ids, model)

    def scores(self, query: str) -> np.ndarray:
        """A BM25 score per indexed passage, in `ids` order."""
        if self.model is None:
            return np.zeros(0, dtype=np.float32)
        terms = [t for t in analyze(query) if t in self.model.vocab_dict]
        if not terms:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.model.get_scores(terms), dtype=np.float32)

    def coverage(self, query: str) -> float:
        """Share of the query's word terms that occur in the indexed passages (skeleton terms aside).

        An English question over Danish passages covers little, and its BM25 ranking then deserves
        little weight; no language detection needed, which is unreliable on short queries.
        """
        words = [t for t in analyze(query) if not t.startswith(SKELETON_PREFIX)]
        if self.model is None or not words:
            return 0.0
        return sum(t in self.model.vocab_dict for t in words) / len(words)

    def knows(self, word: str) -> bool:
        """Whether a word (by its stem or compound parts) occurs in the indexed passages."""
        terms = [t for t in analyze(word) if not t.startswith(SKELETON_PREFIX)]
        return self.model is not None and any(t in self.model.vocab_dict for t in terms)

    def top(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        scores = self.scores(query)
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=bool)
            mask[[self.position[c] for c in allowed if c in self.position]] = True
            scores = np.where(mask, scores, 0.0)
        found = np.flatnonzero(scores > 0)
        if len(found) > k:
            # Partition first (a full sort of 1M scores costs more than the scoring), keeping every
            # tie with the k-th score, then order those few by score and position, as a stable sort would.
            kth = np.partition(scores[found], len(found) - k)[len(found) - k]
            found = found[scores[found] >= kth]
        order = found[np.lexsort((found, -scores[found]))][:k]
        return [(self.ids[i], float(scores[i])) for i in order]

    def save(self, folder: Path, fingerprint: str) -> None:
        """Write the cache beside its place, then move it in: a reader never loads half of one.

        Several processes may save at once; the cache is optional, so losing that race is fine.
        """
        tmp = folder.with_name(f"{folder.name}.tmp-{uuid.uuid4().hex[:8]}")
        try:
            tmp.mkdir(parents=True)
            if self.model is not None:
                self.model.save(str(tmp / "bm25"))
            (tmp / "ids.json").write_text(json.dumps({"fingerprint": fingerprint, "ids": self.ids}))
            shutil.rmtree(folder, ignore_errors=True)
            tmp.rename(folder)
        except OSError as exc:
            log.info("lexical cache not saved (%s); it is rebuilt when needed", exc)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, fingerprint: str) -> LexicalIndex | None:
        """The cached index when it was built for this fingerprint, else None."""
        try:
            meta = json.loads((folder / "ids.json").read_text())
            if meta["fingerprint"] != fingerprint:
                return None
            model = bm25s.BM25.load(str(folder / "bm25")) if meta["ids"] else None
        except (OSError, ValueError, KeyError):
            return None
        return cls(meta["ids"], model)
