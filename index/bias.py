"""The embedder's language bias in search, taken out of the query vector.

multilingual-e5 puts a question closer to any passage in its own language than to a passage in another
language that answers it: over a corpus of Danish and English documents, an English question's Danish answer
sank below English passages on other matters (dense rank 25 and 44 for two of the action questions). Much of
that pull is the mean of the language's questions: subtracting part of it from the query vector, before the
nearest-neighbour search, ranks passages by what the question asks more than by the language it is asked in.
The mean is taken over a fixed sample of everyday questions about a municipality, asked the same way in each
language (`data/language_bias_questions.tsv`), so it holds the language and the question form and no
corpus' topics; it is embedded once per model and kept in the cache folder.

The shift applies only where it can help: when the documents a search may return hold the question's own
language and another one the sample has. A search within one language is unchanged. Similarities
reported to callers (the relevance floor, the evidence bars) stay those of the question's own vector.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import tempfile
import threading
import zipfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from index.embed import Embedder
from index.settings import LANGUAGE_BIAS
from ingest.metadata import scandinavian_as_danish

SAMPLE = Path(__file__).with_name("data") / "language_bias_questions.tsv"
log = logging.getLogger(__name__)


def sample(path: Path = SAMPLE) -> dict[str, list[str]]:
    """The sample's questions by language (one column per language, named by its code)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {language: [row[language] for row in rows if row[language]] for language in rows[0]}


@cache
def sampled_languages() -> frozenset[str]:
    """The languages the sample has, without embedding it."""
    with SAMPLE.open(encoding="utf-8") as handle:
        return frozenset(handle.readline().strip().split("\t"))


def biased_between(languages: Iterable[str]) -> frozenset[str]:
    """Of the documents' languages, those the shift can be between (Scandinavian ones taken as Danish)."""
    return frozenset(scandinavian_as_danish(language) for language in languages) & sampled_languages()


def two_languages(languages: Iterable[str]) -> bool:
    """Whether documents in these languages hold two the shift can be between: only then does a
    question's language matter to a search (and is worth the cost of telling it)."""
    return len(biased_between(languages)) > 1


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

    def means(self) -> dict[str, np.ndarray]:
        with self._lock:
            if self._means is None:
                self._means = self._load()
                if self._means is None:
                    self._means = self._compute()
                    self._save(self._means)
            return self._means

    def applies(self, languages: frozenset[str]) -> bool:
        """Whether a search over documents in these languages can be shifted at all (before the question's
        language is told, which costs a detection)."""
        return self.weight > 0 and two_languages(languages)

    def shifted(self, vector: np.ndarray, language: str, languages: frozenset[str]) -> np.ndarray | None:
        """The query vector to rank passages by, for a question in `language` over documents in
        `languages`; None when it ranks by the question's own vector. Only where the question's own language
        is among the documents' and another is too: that is the pull the shift takes out."""
        language = scandinavian_as_danish(language)
        present = biased_between(languages)
        if self.weight <= 0 or language not in present or not present - {language}:
            return None
        moved = vector - self.weight * self.means()[language]
        return np.asarray(moved / np.linalg.norm(moved), dtype=np.float32)

    def _fingerprint(self) -> str:
        digest = hashlib.sha256(SAMPLE.read_bytes())
        digest.update(f"{self.embedder.name}:{self.embedder.dim}".encode())
        return digest.hexdigest()[:16]

    def _path(self) -> Path | None:
        return self.cache_dir / "language_bias.npz" if self.cache_dir else None

    def _load(self) -> dict[str, np.ndarray] | None:
        path = self._path()
        if path is None or not path.exists():
            return None
        try:
            with np.load(path) as saved:
                if str(saved["fingerprint"]) != self._fingerprint():
                    return None
                means = {key: saved[key] for key in saved.files if key != "fingerprint"}
        except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile):
            log.warning("unreadable %s; the language means are embedded again", path)
            return None
        if set(means) != sampled_languages() or any(m.shape != (self.embedder.dim,) for m in means.values()):
            return None
        return means

    def _compute(self) -> dict[str, np.ndarray]:
        return {
            language: np.asarray(self.embedder.embed(questions, "query").mean(axis=0), dtype=np.float32)
            for language, questions in sample().items()
        }

    def _save(self, means: dict[str, np.ndarray]) -> None:
        """Keep the means for the next process; a cache that cannot be written costs only the embedding."""
        path = self._path()
        if path is None:
            return
        arrays: dict[str, Any] = {"fingerprint": np.array(self._fingerprint()), **means}
        part: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and moved in place: another process or thread may be reading the cache.
            with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as handle:
                part = Path(handle.name)
                np.savez(handle, **arrays)
                handle.flush()
                os.fsync(handle.fileno())
            part.chmod(0o644)  # readable by a server run as another user than the command that wrote it
            os.replace(part, path)
        except OSError as error:
            log.warning("could not keep the language means in %s: %s", path, error)
            if part is not None:
                part.unlink(missing_ok=True)
