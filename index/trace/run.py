"""Tracing the whole corpus: extract every recommendation, link it, judge it per answering document and
over the years, and add the user's overrides."""

from __future__ import annotations

from dataclasses import replace

from index.embed import Embedder
from index.record import Record
from index.trace.extract import document_when, extract
from index.trace.history import history, repeat_of, repeats
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


def compute(record: Record, embedder: Embedder, restricted: bool = True) -> list[Recommendation]:
    """Every recommendation in the canonical documents with its linked responses, history and status,
    before the user's overrides. Without `restricted`, restricted documents take no part: neither as
    reports nor as evidence."""
    docs = [d for d in record.documents(with_text=True) if restricted or d.access == "public"]
    by_id = {d.doc_id: d for d in docs}
    recs = extract_all(record, docs)
    excluded = {(r.span.doc_id, r.span.start, r.span.end) for r in recs}
    pool = candidates(docs, record.chunks(), excluded)
    linked = link(recs, pool, record, embedder, docs)
    dates = {d.doc_id: document_when(d) for d in docs}
    repeated = repeats(recs)
    by_rec = {r.rec_id: r for r in recs}
    again: dict[str, list[Extracted]] = {}  # earlier rec_id -> the later ones repeating it
    for later_id, earlier in repeated.items():
        again.setdefault(earlier.rec_id, []).append(by_rec[later_id])
    traced = []
    for rec in recs:
        responses = linked.get(rec.rec_id, [])
        status, confidence, reason, evidence = judge(responses, dates)
        past = history(responses, by_id, dates)
        if len(past) > 1 and evidence and past[-1].doc_id == evidence[0].doc_id:
            reason = reason.deciding_of(len(past), str(past[-1].year or "?"))
        repeats_of = repeated.get(rec.rec_id)
        traced.append(
            Recommendation(
                rec,
                status,
                confidence,
                reason.text("en"),
                evidence,
                reason_code=reason.code,
                reason_da=reason.text("da"),
                history=past,
                repeated_from=repeat_of(repeats_of, by_id) if repeats_of else None,
                repeated_in=[repeat_of(r, by_id) for r in again.get(rec.rec_id, [])],
            )
        )
    return traced


def with_overrides(record: Record, recs: list[Recommendation]) -> list[Recommendation]:
    """The traced recommendations with the advisor's current overrides (by recommendation id)."""
    overrides = record.overrides.all()
    return [
        replace(r, status_override=Override(**o) if (o := overrides.get(r.rec.rec_id)) else None)  # type: ignore[arg-type]
        for r in recs
    ]


def trace(record: Record, embedder: Embedder, restricted: bool = True) -> list[Recommendation]:
    """Every recommendation with its responses, history, status and the user's overrides."""
    return with_overrides(record, compute(record, embedder, restricted))
