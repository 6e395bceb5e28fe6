"""Linking a recommendation to the response passages that address it.

Candidates are the paragraphs, bullets and follow-up cells of response-type documents of the same
municipality. Each is scored by meaning (the embedder: the recommendation as the query, the candidate as
a passage; the recommendation's theme goes with it), by BM25 over the passage around the candidate,
and by what the structure says: the same table row decides; a one-to-one matching between the points
of a report and the places of a response lifts each point's own place; a candidate under the
recommendation's own heading or theme gets a small lift.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from index.embed import Embedder, Kind, batched
from index.lexical import LexicalDoc, LexicalIndex
from index.record import Record
from index.trace.extract import REC_HEADERS, RESPONSE_HEADERS, _cell
from index.trace.models import Extracted, Response, Span
from ingest.models import Chunk, Document, content_hash
from ingest.skeleton import fold

RESPONDING_TYPES = ("response", "minutes", "note")
SAME_ROW = 1.0  # a table that pairs the two is the strongest evidence there is
SAME_SECTION = 0.03
THEME_IN_SECTION = 0.03
LEXICAL = 0.1
UNIT_WEIGHT = 0.2
ASSIGNED = 0.2
MIN_MATCHED = 3
MIN_WORDS = 4
TOP = 3


@dataclass(frozen=True)
class Candidate:
    span: Span
    source: str
    section: str
    municipality: str | None
    context: str  # the passage around it: a follow-up's other bullets say what it is about


def candidates(
    docs: Sequence[Document], chunks: Sequence[Chunk], excluded: set[tuple[str, int, int]]
) -> list[Candidate]:
    """Response passages: units of responding documents, minus recommendation spans themselves."""
    found = []
    for doc in docs:
        if not doc.canonical or doc.doc_type not in RESPONDING_TYPES:
            continue
        passages = [c for c in chunks if c.doc_id == doc.doc_id]
        for unit in doc.units:
            if unit.kind == "heading":
                continue
            if unit.cells:
                cell = _cell(unit, RESPONSE_HEADERS)
                spans = [(cell.start, cell.end)] if cell and _cell(unit, REC_HEADERS) != cell else []
            else:
                spans = [(unit.start, unit.end)]
            for start, end in spans:
                text = doc.text[start:end]
                lead = len(text) - len(text.lstrip())
                start, end = start + lead, start + len(text.rstrip())
                if end <= start or len(doc.text[start:end].split()) < MIN_WORDS:
                    continue
                if any(d == doc.doc_id and s < end and start < e for d, s, e in excluded):
                    continue
                span = Span(doc.doc_id, start, end, doc.text[start:end])
                around = next((c.text for c in passages if c.start <= start < c.end), span.text)
                found.append(Candidate(span, doc.source, unit.section, doc.municipality, around))
    return found


def embed_cached(record: Record, embedder: Embedder, texts: Sequence[str], kind: Kind) -> np.ndarray:
    """Vectors through the record's cache (passages share it with the index; queries get their own key)."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    model = embedder.name if kind == "passage" else f"{embedder.name}#{kind}"
    hashes = [content_hash(" ".join(t.split())) for t in texts]
    cached = record.vectors.get(sorted(set(hashes)), model)
    missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in cached}
    if missing:
        keys = list(missing)
        fresh = dict(zip(keys, batched(embedder, [missing[h] for h in keys], kind), strict=True))
        record.vectors.put(fresh, model)
        cached.update(fresh)
    return np.vstack([cached[h] for h in hashes])


def _dense(record: Record, embedder: Embedder, queries: list[str], pool: Sequence[Candidate]) -> np.ndarray:
    """Meaning: the passage around a candidate counts most; the candidate's own text picks the bullet."""
    if not pool:
        return np.zeros((len(queries), 0))
    rec = embed_cached(record, embedder, queries, "query")
    own = embed_cached(record, embedder, [c.span.text for c in pool], "passage")
    around = embed_cached(record, embedder, [c.context for c in pool], "passage")
    return (rec @ around.T + UNIT_WEIGHT * (rec @ own.T)) / (1 + UNIT_WEIGHT)


def _lexical(queries: list[str], pool: Sequence[Candidate]) -> np.ndarray:
    """BM25 of each recommendation against the candidates' passages, scaled to 0–1 per recommendation."""
    scores = np.zeros((len(queries), len(pool)))
    if not pool:
        return scores
    contexts = sorted({c.context for c in pool})
    index = LexicalIndex.build([LexicalDoc(str(n), text, None) for n, text in enumerate(contexts)])
    where = {text: n for n, text in enumerate(contexts)}
    columns = np.array([where[c.context] for c in pool])
    for i, query in enumerate(queries):
        per_context = index.scores(query)
        top = per_context.max() if len(per_context) else 0.0
        if top > 0:
            scores[i] = per_context[columns] / top
    return scores


def _assignment(recs: Sequence[Extracted], pool: Sequence[Candidate], base: np.ndarray) -> np.ndarray:
    """A lift for the passage each recommendation wins in a one-to-one matching against its peers.

    A response that follows up a report usually answers each point in its own place; when several
    recommendations of one document pull at the same passage, the matching hands it to the closest one
    and sends the others to their next best. Matched per (recommending document, responding document).
    """
    lift = np.zeros_like(base)
    rows_by_doc: dict[str, list[int]] = {}
    for i, rec in enumerate(recs):
        rows_by_doc.setdefault(rec.span.doc_id, []).append(i)
    cols_by_doc: dict[str, list[int]] = {}
    for j, cand in enumerate(pool):
        cols_by_doc.setdefault(cand.span.doc_id, []).append(j)
    groups = [(rows, cols) for rows in rows_by_doc.values() for cols in cols_by_doc.values()]
    for rows, cols in groups:
        contexts = sorted({pool[j].context for j in cols})
        if len(rows) < MIN_MATCHED or len(contexts) < MIN_MATCHED:
            continue
        by_context = {c: [j for j in cols if pool[j].context == c] for c in contexts}
        matrix = np.array([[max(base[i, j] for j in by_context[c]) for c in contexts] for i in rows])
        matched_rows, matched_cols = linear_sum_assignment(-matrix)
        for r, c in zip(matched_rows, matched_cols, strict=True):
            for j in by_context[contexts[c]]:
                lift[rows[r], j] = ASSIGNED
    return lift


def link(
    recs: Sequence[Extracted], pool: Sequence[Candidate], record: Record, embedder: Embedder
) -> dict[str, list[Response]]:
    """The best response passages for each recommendation, best first."""
    if not recs:
        return {}
    queries = [f"{r.theme}: {r.span.text}" if r.theme else r.span.text for r in recs]
    similarity = _dense(record, embedder, queries, pool)
    lexical = _lexical(queries, pool)
    matched = _assignment(recs, pool, similarity + LEXICAL * lexical)
    linked: dict[str, list[Response]] = {}
    for i, rec in enumerate(recs):
        theme = fold(rec.theme)
        scored: list[Response] = []
        for j, cand in enumerate(pool):
            if rec.municipality and cand.municipality and rec.municipality != cand.municipality:
                continue
            same_row = rec.row_response is not None and cand.span == rec.row_response
            score = float(similarity[i, j]) + LEXICAL * float(lexical[i, j]) + float(matched[i, j])
            if cand.section and cand.section == rec.section and cand.span.doc_id == rec.span.doc_id:
                score += SAME_SECTION
            if theme and theme in fold(cand.section):
                score += THEME_IN_SECTION
            if same_row:
                score += SAME_ROW
            scored.append(
                Response(
                    cand.span.doc_id,
                    cand.source,
                    cand.span.text,
                    cand.span.start,
                    cand.span.end,
                    score,
                    same_row,
                )
            )
        scored.sort(key=lambda r: -r.score)
        linked[rec.rec_id] = scored[:TOP]
    return linked
