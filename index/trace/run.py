"""Tracing the whole corpus: extract every recommendation, link it, judge it, add the user's overrides."""

from __future__ import annotations

from index.embed import Embedder
from index.record import Record
from index.trace.extract import extract
from index.trace.link import candidates, link
from index.trace.models import Extracted, Override, Recommendation
from index.trace.status import judge


def extract_all(record: Record) -> list[Extracted]:
    recs: list[Extracted] = []
    for doc in record.documents(with_text=True):
        if doc.canonical:
            recs.extend(extract(doc))
    return recs


def trace(record: Record, embedder: Embedder) -> list[Recommendation]:
    """Every recommendation in the canonical documents, with its linked responses and status."""
    recs = extract_all(record)
    docs = record.documents(with_text=True)
    excluded = {(r.span.doc_id, r.span.start, r.span.end) for r in recs}
    linked = link(recs, candidates(docs, record.chunks(), excluded), record, embedder)
    overrides = record.overrides.all()
    traced = []
    for rec in recs:
        status, confidence, reason, evidence = judge(linked.get(rec.rec_id, []))
        override = overrides.get(rec.rec_id)
        traced.append(
            Recommendation(
                rec,
                status,
                confidence,
                reason,
                evidence,
                Override(**override) if override else None,  # type: ignore[arg-type]
            )
        )
    return traced
