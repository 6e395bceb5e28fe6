"""Near-duplicate detection across documents and passages.

Candidates come from MinHash-LSH over word shingles of the OCR-tolerant skeleton key and are verified
by the exact Jaccard of the shingle sets, so an OCR copy meets its clean twin while documents on the same
topic do not (0.92 against 0.00 on the seeds). Within one document repeated paragraphs are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import datasketch
import numpy as np
from datasketch import MinHash, MinHashLSH

from ingest.skeleton import shingles, skeleton_tokens

NUM_PERM = 128
SEED = 1
SHINGLE = 5
SCHEME = "affine64"  # 64-bit hash values, stored as uint64
# Stored with the record: signatures of another scheme, seed or library are not comparable.
SIGNATURE_SCHEME = f"datasketch-{datasketch.__version__}-{SCHEME}-perm{NUM_PERM}-seed{SEED}-shingle{SHINGLE}"
DOC_THRESHOLD = 0.3  # verified Jaccard: OCR copies score 0.4–0.95 (more with fewer lost words), others < 0.01
PASSAGE_THRESHOLD = 0.7
_LSH_THRESHOLD = 0.2  # recall-oriented; verification decides


@dataclass(frozen=True)
class Item:
    """Something to deduplicate: its id, its owner (never compared with itself), key shingles, signature."""

    item_id: str
    owner: str
    shingles: frozenset[str]
    signature: np.ndarray


def key_shingles(text: str) -> frozenset[str]:
    return frozenset(shingles(skeleton_tokens(text), SHINGLE))


def signature(key: frozenset[str]) -> np.ndarray:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in key])
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def make_item(item_id: str, owner: str, text: str) -> Item:
    key = key_shingles(text)
    return Item(item_id, owner, key, signature(key))


def _minhash(item: Item) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=item.signature, scheme=SCHEME)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, x: Hashable) -> Hashable:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Hashable, b: Hashable) -> None:
        self.parent[self.find(a)] = self.find(b)


def similar_pairs(items: Sequence[Item], threshold: float) -> list[tuple[str, str, float]]:
    """Verified pairs (a, b, jaccard) of items with different owners."""
    lsh = MinHashLSH(threshold=_LSH_THRESHOLD, num_perm=NUM_PERM)
    by_id = {item.item_id: item for item in items}
    for item in items:
        if item.shingles:
            lsh.insert(item.item_id, _minhash(item))
    pairs: list[tuple[str, str, float]] = []
    for item in items:
        if not item.shingles:
            continue
        for other_id in lsh.query(_minhash(item)):
            other = by_id[other_id]
            if other_id <= item.item_id or other.owner == item.owner:
                continue
            score = jaccard(item.shingles, other.shingles)
            if score >= threshold:
                pairs.append((item.item_id, other_id, score))
    return pairs


def clusters(items: Sequence[Item], threshold: float) -> list[list[str]]:
    """Groups of two or more items that are near-duplicates of each other (transitively)."""
    found = UnionPairs(similar_pairs(items, threshold))
    return found.groups()


class UnionPairs:
    def __init__(self, pairs: Sequence[tuple[str, str, float]]) -> None:
        self.uf = _UnionFind()
        self.best: dict[str, float] = {}
        for a, b, score in pairs:
            self.uf.union(a, b)
            self.best[a] = max(self.best.get(a, 0.0), score)
            self.best[b] = max(self.best.get(b, 0.0), score)

    def groups(self) -> list[list[str]]:
        members: dict[Any, list[str]] = {}
        for x in list(self.uf.parent):
            members.setdefault(self.uf.find(x), []).append(str(x))
        return [sorted(group) for group in members.values() if len(group) > 1]


def canonical_map(groups: Sequence[Sequence[str]], rank: Callable[[str], Any]) -> dict[str, str]:
    """For every non-canonical member, the canonical member of its group (highest `rank`)."""
    mapping: dict[str, str] = {}
    for group in groups:
        best = max(group, key=rank)
        mapping.update({member: best for member in group if member != best})
    return mapping
