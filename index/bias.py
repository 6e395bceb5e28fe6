"""The embedder's language bias in search, taken out of the query vector.

multilingual-e5 puts a question closer to any passage in its own language than to a passage in another
language that answers it: over a corpus of Danish and English documents, an English question's Danish answer
sank below English passages on other matters (dense rank 25 and 44 for two of the action questions). Much of
that pull is the mean of the language's questions: subtracting part of it from the query vector, before the
nearest-neighbour search, ranks passages by what the question asks more than by the language it is asked in.
The mean is taken over a fixed sample of everyday questions about a municipality, asked the same way in each
language (`data/language_bias_questions.tsv`), so it holds the language and the question form and no
corpus' topics; it is embedded once per model and kept in the cache folder.

The shift applies only where it can help: when the index holds documents in a language other than the
question's, and for the languages the sample has. A search within one language is unchanged. Similarities
reported to callers (the relevance floor, the evidence bars) stay those of the question's own vector.
"""

from __future__ import annotations

import csv
import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from index.embed import Embedder
from index.settings import LANGUAGE_BIAS
from ingest.metadata import scandinavian_as_danish

SAMPLE = Path(__file__).with_name("data") / "language_bias_questions.tsv"


def sample(path: Path = SAMPLE) -> dict[str, list[str]]:
    """The sample's questions by language (one column per language, named by its code)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {language: [row[language] for row in rows if row[language]] for language in rows[0]}


class LanguageBias:
    """Each sampled language's mean question vector, and queries shifted away from it."""

    def __init__(
        self, embedder: Embedder, weight: float = LANGUAGE_BIAS, cache_dir: Path | None = None
    ) -> None:
        self.embedder = embedder
        self.weight = weight
        self.cache_dir = cache_dir
        self._means: dict[str, np.ndarray] | None = None
        self._lock = threading.Lock()

    def languages(self) -> frozenset[str]:
        """The languages the sample has, without embedding it."""
        with SAMPLE.open(encoding="utf-8") as handle:
            return frozenset(handle.readline().strip().split("\t"))

    def means(self) -> dict[str, np.ndarray]:
        with self._lock:
            if self._means is None:
                self._means = self._load() or self._compute()
            return self._means

    def shifted(self, vector: np.ndarray, language: str, languages: frozenset[str]) -> np.ndarray | None:
        """The query vector to rank passages by, for a question in `language` over an index holding
        documents in `languages`; None when it ranks by the question's own vector."""
        sampled = self.languages()
        language = scandinavian_as_danish(language)
        others = {scandinavian_as_danish(other) for other in languages} & sampled
        if self.weight <= 0 or language not in sampled or not others - {language}:
            return None
        moved = vector - self.weight * self.means()[language]
        return np.asarray(moved / np.linalg.norm(moved), dtype=np.float32)

    def _fingerprint(self) -> str:
        digest = hashlib.sha256(SAMPLE.read_bytes())
        digest.update(self.embedder.name.encode())
        return digest.hexdigest()[:16]

    def _path(self) -> Path | None:
        return self.cache_dir / "language_bias.npz" if self.cache_dir else None

    def _load(self) -> dict[str, np.ndarray] | None:
        path = self._path()
        if path is None or not path.exists():
            return None
        with np.load(path) as saved:
            if str(saved["fingerprint"]) != self._fingerprint():
                return None
            return {key: saved[key] for key in saved.files if key != "fingerprint"}

    def _compute(self) -> dict[str, np.ndarray]:
        means = {
            language: np.asarray(self.embedder.embed(questions, "query").mean(axis=0), dtype=np.float32)
            for language, questions in sample().items()
        }
        path = self._path()
        if path is not None:
            # Written aside and moved in place: another process may be reading the cache.
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_name(f"{path.name}.{os.getpid()}.part")
            arrays: dict[str, Any] = {"fingerprint": np.array(self._fingerprint()), **means}
            with part.open("wb") as handle:
                np.savez(handle, **arrays)
            os.replace(part, path)
        return means
