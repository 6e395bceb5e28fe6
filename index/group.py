"""One result per document: a search's passages grouped under the document they come from, the best
passage first and the document's other matching passages folded under it.

A document is a weaker match when its best passage scores below a floor relative to the search's best
passage. Fused scores (reciprocal rank fusion) have no absolute scale, but their ratio to the top one
does say something: a passage that only one side of the search found, and late, scores well under half
of one that both sides put first. The floor was chosen on the QA set (see docs/results.md and
`eval/grouping.py`): it keeps every relevant document of every question above it while leaving out
most documents that answer nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.models import Hit

FLOOR_RATIO = 0.6  # a document is a weaker match when its best passage scores below this share of the top
POOL = 100  # passages searched to build the groups: documents are ranked from these
MORE_LIMIT = 9  # other passages shown under a document's best one


@dataclass(frozen=True)
class DocumentGroup:
    best: Hit
    more: tuple[Hit, ...] = ()
    weaker: bool = False

    def public(self) -> dict[str, object]:
        hit = self.best
        return {
            "doc_id": hit.doc_id,
            "title": hit.title,
            "source": hit.source,
            "municipality": hit.municipality,
            "date": hit.date,
            "year": hit.year,
            "committee": hit.committee,
            "doc_type": hit.doc_type,
            "best": hit.public(),
            "more": [h.public() for h in self.more],
            "weaker": self.weaker,
        }


@dataclass
class GroupedResult:
    query: str
    took_ms: float
    total: int  # documents above the floor, of all the searched passages (not only this page)
    results: list[DocumentGroup] = field(default_factory=list)
    offset: int = 0

    def public(self) -> dict[str, object]:
        return {
            "query": self.query,
            "took_ms": round(self.took_ms, 1),
            "total": self.total,
            "offset": self.offset,
            "results": [g.public() for g in self.results],
        }


def group_by_document(hits: list[Hit], floor_ratio: float = FLOOR_RATIO) -> list[DocumentGroup]:
    """Ranked passages as ranked documents: each document at the rank of its best passage, the weaker
    matches (best passage under `floor_ratio` of the top score) after all the others."""
    if not hits:
        return []
    floor = floor_ratio * max(h.score for h in hits)
    passages: dict[str, list[Hit]] = {}
    for hit in sorted(hits, key=lambda h: -h.score):  # stable: equal scores keep the search's order
        passages.setdefault(hit.doc_id, []).append(hit)
    groups = []
    for found in passages.values():
        best, rest = found[0], found[1:]
        weaker = best.score < floor
        # Under a strong document only its passages above the floor; under a weaker one its next few.
        more = rest if weaker else [h for h in rest if h.score >= floor]
        groups.append(DocumentGroup(best, tuple(more[:MORE_LIMIT]), weaker))
    return [g for g in groups if not g.weaker] + [g for g in groups if g.weaker]


def strong_count(groups: list[DocumentGroup]) -> int:
    return sum(not g.weaker for g in groups)
