"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank, filtered on both
sides, with a preference for passages under a section the query names."""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from pathlib import Path

from index.bias import LanguageBias, sampled_languages, two_languages
from index.catalog import Catalog
from index.embed import Embedder
from index.lexical import LexicalDoc, LexicalIndex
from index.models import Filters, Mode, SearchResult
from index.record import Record
from index.settings import LANGUAGE_BIAS
from index.store import VectorStore
from ingest.metadata import detect_language

# Telling a question's language costs a few milliseconds, more than the rest of a warm search; an answer
# searches the same question more than once.
query_language = lru_cache(maxsize=4096)(detect_language)

LEXICAL_VERSION = "2"  # bump when index/analyze.py changes, so cached BM25 indexes are rebuilt
RRF_K = 60
CANDIDATES = 50
LEXICAL_WEIGHT = 1.0
COVERAGE_POWER = 2.0
MAX_WHERE_IDS = 1000  # documents named in a vector-store filter; more are filtered after the query


def fuse(rankings: list[list[str]], weights: list[float] | None = None, k: int = RRF_K) -> dict[str, float]:
    """Weighted reciprocal rank fusion of ranked id lists."""
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


def lexical_weight(coverage: float) -> float:
    """BM25's say in the fusion grows with how much of the query the corpus vocabulary covers."""
    return LEXICAL_WEIGHT * coverage**COVERAGE_POWER


class Searcher:
    """Answers searches over one record and vector store; derived caches follow the record's generation."""

    def __init__(
        self,
        record: Record,
        store: VectorStore,
        embedder: Embedder,
        cache_dir: Path,
        language_bias: float = LANGUAGE_BIAS,
    ) -> None:
        self.record = record
        self.store = store
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.bias = LanguageBias(embedder, language_bias, cache_dir)
        self._catalog: Catalog | None = None
        self._lexical: LexicalIndex | None = None
        # Server threads search at once; the derived views are rebuilt by one of them, and each search
        # uses a catalog and a lexical index of the same generation.
        self._lock = threading.RLock()

    def catalog(self) -> Catalog:
        with self._lock:
            generation = self.record.generation()
            if self._catalog is None or self._catalog.generation != generation:
                self._catalog = Catalog.load(self.record, generation)
                self._lexical = None
            return self._catalog

    def views(self) -> tuple[Catalog, LexicalIndex]:
        """The catalog and the lexical index, both of the record's current generation."""
        with self._lock:
            catalog = self.catalog()
            return catalog, self._lexical_of(catalog)

    def lexical(self) -> LexicalIndex:
        with self._lock:
            return self._lexical_of(self.catalog())

    def _lexical_of(self, catalog: Catalog) -> LexicalIndex:
        if self._lexical is None:
            fingerprint = f"{LEXICAL_VERSION}:{catalog.generation}:{len(catalog.chunks)}"
            folder = self.cache_dir / "lexical"
            index = LexicalIndex.load(folder, fingerprint)
            if index is None:
                index = LexicalIndex.build(
                    LexicalDoc(chunk_id, text, corrected)
                    for chunk_id, text, corrected in self.record.indexable_texts()
                    if chunk_id in catalog.chunks
                )
                index.save(folder, fingerprint)
            self._lexical = index
        return self._lexical

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: Mode = "hybrid",
        sections: bool = True,
    ) -> SearchResult:
        started = time.perf_counter()
        filters = (filters or Filters()).normalised()
        catalog, lexical = self.views()
        rankings: list[list[str]] = []
        weights: list[float] = []
        allowed = catalog.matching(filters)
        similarity: dict[str, float] = {}
        lexical_best = None
        rank_by = asked = None
        if mode in ("hybrid", "dense"):
            vector = self.embedder.embed([query], "query")[0]
            languages = catalog.languages_of(filters)
            # The question's language matters only among documents of two languages: told only then.
            asked = query_language(query) if two_languages(languages) else None
            rank_by = self.bias.shifted(vector, asked, languages) if asked else None
            dense = self.store.query(vector, CANDIDATES, self._where(catalog, filters, allowed), rank_by)
            similarity = {
                cid: sim
                for cid, sim in dense
                if cid in catalog.chunks and (allowed is None or cid in allowed)
            }
            rankings.append(list(similarity))
            weights.append(1.0)
        if mode in ("hybrid", "lexical"):
            rankings.append([cid for cid, _ in lexical.top(query, CANDIDATES, allowed)])
            weights.append(lexical_weight(lexical.coverage(query)) if mode == "hybrid" else 1.0)
            lexical_best = rankings[-1][0] if rankings[-1] else None
        scores = fuse(rankings, weights)
        if sections and mode == "hybrid":
            for cid in catalog.section_matches(query) & scores.keys():
                scores[cid] += 1.0 / (RRF_K + 1)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
        hits = catalog.hits(ranked, self.record, filters.restricted)
        took = (time.perf_counter() - started) * 1000
        other = catalog.other_language(similarity, asked, sampled_languages()) if asked else frozenset()
        return SearchResult(query, took, hits, similarity, lexical_best, other)

    @staticmethod
    def _where(catalog: Catalog, filters: Filters, allowed: set[str] | None) -> dict[str, object] | None:
        """The vector store's own filter: exact fields, and for filters only the catalog can match (year,
        committee) the matching documents by id while they are few; beyond that, candidates are
        filtered after the query."""
        where = filters.where()
        if allowed is not None and (filters.year is not None or filters.committee is not None):
            doc_ids = sorted({catalog.chunks[cid].doc_id for cid in allowed})
            if len(doc_ids) <= MAX_WHERE_IDS:
                where["doc_id"] = doc_ids
        return where or None
