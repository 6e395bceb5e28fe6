"""Tracing the whole corpus: extract every recommendation, link it, judge it, add the user's overrides."""

from __future__ import annotations

from index.embed import Embedder
from index.record import Record
from index.trace.extract import document_when, extract
from index.trace.link import candidates, link
from index.trace.models import Extracted, Override, Recommendation
from index.trace.status import judge
from ingest.models import Document


def extract_all(record: Record, docs: list[Document] | None = None) -> list[Extracted]:
    recs: list[Extracted] = []
    for doc in record.documents(with_text=True) if docs is None else docs:
        if doc.canonical:
            recs.extend(extract(doc))
    return recs


def trace(record: Record, embedder: Embedder, restricted: bool = True) -> list[Recommendation]:
    """Every recommendation in the canonical documents, with its linked responses and status. Without
    `restricted`, restricted documents take no part: neither as reports nor as evidence."""
    docs = [d for d in record.documents(with_text=True) if restricted or d.access == "public"]
    recs = extract_all(record, docs)
    excluded = {(r.span.doc_id, r.span.start, r.span.end) for r in recs}
    linked = link(recs, candidates(docs, record.chunks(), excluded), record, embedder, docs)
    dates = {d.doc_id: document_when(d) for d in docs}
    overrides = record.overrides.all()
    traced = []
    for rec in recs:
        status, confidence, reason, evidence, code = judge(linked.get(rec.rec_id, []), dates)
        override = overrides.get(rec.rec_id)
        traced.append(
            Recommendation(
                rec,
                status,
                confidence,
                reason,
                evidence,
                Override(**override) if override else None,  # type: ignore[arg-type]
                code,
            )
        )
    return traced
