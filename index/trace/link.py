"""Linking a recommendation to the response passages that address it.

Candidates are the paragraphs, bullets and follow-up cells of every document; a recommendation may be
answered by any document of its municipality other than its report (a response, follow-up, minutes, a note,
next year's report), not dated before the report when both dates are known; undated documents are
candidates. The document type only ranks (responding types get a small lift), it never gates. A report that
quotes recommendations and answers them (a response) may answer itself; a table that pairs a
recommendation with its follow-up cell answers it in that cell only, never in a neighbour's row.

Each candidate is scored by meaning (the embedder: the recommendation as the query, the candidate as a
passage; the recommendation's theme goes with it), by BM25 over the passage around the candidate, and by
structure: a one-to-one matching between the points of a report and the places of each answering document
lifts each point's own place; a candidate under the recommendation's own heading or theme gets a small lift.
Scores are then made relative: how far a candidate stands above the recommendation's mean over its own
candidates, in units of the spread of such differences over the whole report — not an absolute cosine
calibrated to one model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from index.embed import Embedder, Kind, batched, compatible
from index.lexical import LexicalDoc, LexicalIndex
from index.record import Record
from index.trace.extract import REC_HEADERS, RESPONDING_TYPES, RESPONSE_HEADERS, _cell
from index.trace.models import Extracted, Response, Span
from ingest.models import Chunk, Document, content_hash
from ingest.skeleton import fold

SAME_ROW = 10.0  # in spread units: a table that pairs the two is the strongest evidence there is
SAME_SECTION = 0.03
THEME_IN_SECTION = 0.03
RESPONDING = 0.02  # a responding document type ranks a little higher; any document can answer
LEXICAL = 0.1
UNIT_WEIGHT = 0.2
ASSIGNED = 3.0  # in spread units: as strong as the old 0.2 cosine lift
MIN_MATCHED = 3
MIN_WORDS = 4
TOP = 5  # answering documents kept per recommendation


@dataclass(frozen=True)
class Candidate:
    span: Span
    source: str
    section: str
    municipality: str | None
    context: str  # the passage around it: a follow-up's other bullets say what it is about
    doc_type: str = "other"
    date: str | None = None


def candidates(
    docs: Sequence[Document], chunks: Sequence[Chunk], excluded: set[tuple[str, int, int]]
) -> list[Candidate]:
    """Passages that may answer a recommendation: units of every canonical document, minus the
    recommendation spans themselves. Which recommendation each may answer is decided in `link`."""
    found = []
    for doc in docs:
        if not doc.canonical:
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
                # A bullet or cell is read with the passage around it (a follow-up's other points say what it
                # is about); a paragraph says enough itself, and a short one must not borrow its neighbours'.
                alone = unit.kind == "paragraph" and not unit.cells
                around = (
                    span.text
                    if alone
                    else next((c.text for c in passages if c.start <= start < c.end), span.text)
                )
                found.append(
                    Candidate(
                        span, doc.source, unit.section, doc.municipality, around, doc.doc_type, doc.date
                    )
                )
    return found


def embed_cached(record: Record, embedder: Embedder, texts: Sequence[str], kind: Kind) -> np.ndarray:
    """Vectors through the record's cache (passages share it with the index; queries get their own key)."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)

    def key(name: str) -> str:
        return name if kind == "passage" else f"{name}#{kind}"

    model = key(embedder.name)
    hashes = [content_hash(" ".join(t.split())) for t in texts]
    cached = record.vectors.get(sorted(set(hashes)), model)
    for other in sorted(compatible(embedder.name) - {embedder.name}):  # vectors of the same space serve
        wanted = sorted({h for h in hashes if h not in cached})
        if not wanted:
            break
        cached.update(record.vectors.get(wanted, key(other)))
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


def allowed(recs: Sequence[Extracted], pool: Sequence[Candidate], docs: Sequence[Document]) -> np.ndarray:
    """Which candidate may answer which recommendation (see the module's docstring), decided per document."""
    info: dict[str, tuple[str, str | None]] = {d.doc_id: (d.doc_type, d.date) for d in docs}
    info.update({c.span.doc_id: (c.doc_type, c.date) for c in pool if c.span.doc_id not in info})
    places = sorted({(c.span.doc_id, c.municipality) for c in pool})
    column = {place: n for n, place in enumerate(places)}
    of_place = np.array([column[(c.span.doc_id, c.municipality)] for c in pool], dtype=int)
    mask = np.zeros((len(recs), len(pool)), dtype=bool)
    for i, rec in enumerate(recs):
        own_type, own_date = info.get(rec.span.doc_id, ("other", None))
        may = np.zeros(len(places), dtype=bool)
        for n, (doc_id, municipality) in enumerate(places):
            if rec.municipality and municipality and rec.municipality != municipality:
                continue
            date = info.get(doc_id, ("other", None))[1]
            if doc_id == rec.span.doc_id:
                # Its own document answers only when it is a response quoting it (a table row: below).
                may[n] = own_type in RESPONDING_TYPES and rec.row_response is None
            else:
                may[n] = not (own_date and date and date < own_date)
        mask[i] = may[of_place]
        if rec.row_response is not None:
            mask[i] |= np.array([c.span == rec.row_response for c in pool], dtype=bool)
    return mask


def _assignment(
    recs: Sequence[Extracted], pool: Sequence[Candidate], base: np.ndarray, mask: np.ndarray
) -> np.ndarray:
    """A lift for the passage each recommendation wins in a one-to-one matching against its peers.

    A response that follows up a report usually answers each point in its own place; when several
    recommendations of one document pull at the same passage, the matching hands it to the closest one
    and sends the others to their next best. Matched per (recommending document, answering document).
    """
    lift = np.zeros_like(base)
    rows_by_doc: dict[str, list[int]] = {}
    for i, rec in enumerate(recs):
        rows_by_doc.setdefault(rec.span.doc_id, []).append(i)
    cols_by_doc: dict[str, list[int]] = {}
    for j, cand in enumerate(pool):
        cols_by_doc.setdefault(cand.span.doc_id, []).append(j)
    for rows in rows_by_doc.values():
        for doc_cols in cols_by_doc.values():
            cols = [j for j in doc_cols if mask[rows, j].any()]
            contexts = sorted({pool[j].context for j in cols})
            if len(rows) < MIN_MATCHED or len(contexts) < MIN_MATCHED:
                continue
            # Places are passages when a document's bullets read as one passage (a follow-up's points).
            by_context = {c: [j for j in cols if pool[j].context == c] for c in contexts}
            low = float(base.min()) - 1.0  # a place a recommendation may not take is never matched to it
            matrix = np.array(
                [
                    [max(base[i, j] if mask[i, j] else low for j in by_context[c]) for c in contexts]
                    for i in rows
                ]
            )
            matched_rows, matched_cols = linear_sum_assignment(-matrix)
            for r, c in zip(matched_rows, matched_cols, strict=True):
                for j in by_context[contexts[c]]:
                    lift[rows[r], j] = ASSIGNED
    return lift


def relative(base: np.ndarray, recs: Sequence[Extracted], mask: np.ndarray) -> np.ndarray:
    """Each score as the distance above the recommendation's mean over its own candidates, in units of the
    spread of those distances over all recommendations of the same report."""
    out = np.zeros_like(base)
    rows_by_doc: dict[str, list[int]] = {}
    for i, rec in enumerate(recs):
        rows_by_doc.setdefault(rec.span.doc_id, []).append(i)
    for rows in rows_by_doc.values():
        centred = []
        for i in rows:
            if mask[i].any():
                out[i] = base[i] - base[i][mask[i]].mean()
                centred.append(out[i][mask[i]])
        spread = float(np.concatenate(centred).std()) if centred else 0.0
        if spread > 1e-9:
            out[rows] /= spread
    return out


def link(
    recs: Sequence[Extracted],
    pool: Sequence[Candidate],
    record: Record,
    embedder: Embedder,
    docs: Sequence[Document] = (),
) -> dict[str, list[Response]]:
    """The best response passages for each recommendation, best first; `score` is relative (see above)."""
    if not recs:
        return {}
    queries = [f"{r.theme}: {r.span.text}" if r.theme else r.span.text for r in recs]
    mask = allowed(recs, pool, docs)
    base = _dense(record, embedder, queries, pool) + LEXICAL * _lexical(queries, pool)
    base += RESPONDING * np.array([c.doc_type in RESPONDING_TYPES for c in pool], dtype=float)
    sections = [fold(c.section) for c in pool]
    by_doc: dict[str, list[int]] = {}
    for j, cand in enumerate(pool):
        by_doc.setdefault(cand.span.doc_id, []).append(j)
    for i, rec in enumerate(recs):
        for j in by_doc.get(rec.span.doc_id, []):
            if pool[j].section and pool[j].section == rec.section:
                base[i, j] += SAME_SECTION
        theme = fold(rec.theme)
        if theme:
            base[i] += THEME_IN_SECTION * np.array([theme in section for section in sections], dtype=float)
    scores = relative(base, recs, mask)
    # The matching decides which place is a recommendation's own; how far that place stands out decides
    # whether it answers at all, so the reported score leaves the matching's lift out.
    rank = scores + _assignment(recs, pool, base, mask)
    linked: dict[str, list[Response]] = {}
    for i, rec in enumerate(recs):
        scored: list[tuple[float, Response]] = []
        for j in np.flatnonzero(mask[i]).tolist():
            cand = pool[j]
            same_row = rec.row_response is not None and cand.span == rec.row_response
            score = SAME_ROW if same_row else float(scores[i, j])
            span = cand.span
            response = Response(span.doc_id, cand.source, span.text, span.start, span.end, score, same_row)
            scored.append((float(rank[i, j]) + (SAME_ROW if same_row else 0.0), response))
        scored.sort(key=lambda pair: -pair[0])
        # Each answering document's best place: a later document may supersede an earlier one.
        best: dict[str, Response] = {}
        for _, response in scored:
            best.setdefault(response.doc_id, response)
        linked[rec.rec_id] = list(best.values())[:TOP]
    return linked
