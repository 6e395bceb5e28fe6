"""A recommendation's history over the years: one verdict per answering document, and the same
recommendation repeated in a later report.

A report may be answered by several documents (the unit's response, a follow-up a year later, minutes of
the committee that discussed it). Each answering document is linked on its own — the one-to-one matching
then holds within that document — and judged on its own evidence, so the history says what each year's
answer did. The latest answer supersedes the earlier ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from index.embed import Embedder
from index.record import Record
from index.trace.link import Candidate, link
from index.trace.models import Extracted, HistoryEntry, Repeat, Response
from index.trace.reasons import reason_code
from index.trace.status import judge
from ingest.models import Document
from ingest.skeleton import fold

# A later report's recommendation repeats an earlier one when most of its words are the same words in
# the same order (a repeat is usually copied or lightly edited; a paraphrase is not taken for one).
REPEAT_OVERLAP = 0.45  # word-set Jaccard, a cheap first filter
REPEAT_RATIO = 0.7  # difflib's ratio over the word sequences
_WORD = re.compile(r"\w+")


def answer_year(doc: Document) -> int | None:
    """The year of an answering document: its date, else the year it is about."""
    return int(doc.date[:4]) if doc.date else doc.year


def _answers_the(rec: Extracted, report: Document | None, answer: Document) -> bool:
    """An answer of the same municipality, not dated before the report when both dates are known."""
    if rec.municipality and answer.municipality and rec.municipality != answer.municipality:
        return False
    return not (report and report.date and answer.date and answer.date < report.date)


def answerable(rec: Extracted, responses: list[Response], docs: dict[str, Document]) -> list[Response]:
    """The responses from documents that may answer the recommendation (see `_answers_the`)."""
    report = docs.get(rec.span.doc_id)
    return [r for r in responses if (d := docs.get(r.doc_id)) is not None and _answers_the(rec, report, d)]


def per_document(
    recs: Sequence[Extracted], pool: Sequence[Candidate], record: Record, embedder: Embedder
) -> dict[str, dict[str, list[Response]]]:
    """For each recommendation, its linked responses in each answering document, linked document by
    document (recommendation id -> document id -> responses, best first)."""
    by_doc: dict[str, list[Candidate]] = {}
    for cand in pool:
        by_doc.setdefault(cand.span.doc_id, []).append(cand)
    out: dict[str, dict[str, list[Response]]] = {r.rec_id: {} for r in recs}
    for doc_id, part in by_doc.items():
        place = part[0].municipality
        mine = [r for r in recs if not (r.municipality and place and r.municipality != place)]
        for rec_id, responses in link(mine, part, record, embedder).items():
            if responses:
                out[rec_id][doc_id] = responses
    return out


def history(
    rec: Extracted, answers: dict[str, list[Response]], docs: dict[str, Document]
) -> list[HistoryEntry]:
    """One entry per document that answers the recommendation, oldest first."""
    report = docs.get(rec.span.doc_id)
    entries = []
    for doc_id, responses in answers.items():
        doc = docs.get(doc_id)
        if doc is None or not _answers_the(rec, report, doc):
            continue
        status, _, reason, evidence = judge(responses)
        if not evidence:
            continue  # this document does not answer it
        top = evidence[0]
        entries.append(
            HistoryEntry(
                answer_year(doc),
                doc.date,
                status,
                reason,
                reason_code(reason),
                doc_id,
                doc.source,
                doc.title,
                doc.doc_type,
                top.quote,
                top.start,
                top.end,
                round(top.score, 3),
            )
        )
    return sorted(entries, key=lambda e: (e.year or 0, e.date or "", e.start))


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text).lower())


def repeats(recs: Sequence[Extracted]) -> dict[str, Extracted]:
    """Later recommendations that repeat an earlier report's (later rec_id -> the most recent earlier
    one): same municipality, a later report year, other document, mostly the same words."""
    words = {r.rec_id: _words(r.span.text) for r in recs}
    sets = {k: set(v) for k, v in words.items()}
    by_place: dict[str, list[Extracted]] = {}
    for rec in recs:
        if rec.year is not None:
            by_place.setdefault(rec.municipality or "", []).append(rec)
    found: dict[str, Extracted] = {}
    for group in by_place.values():
        for later in group:
            best: tuple[float, int, Extracted] | None = None
            for earlier in group:
                assert later.year is not None and earlier.year is not None
                if earlier.year >= later.year or earlier.span.doc_id == later.span.doc_id:
                    continue
                a, b = sets[later.rec_id], sets[earlier.rec_id]
                if not a or len(a & b) / len(a | b) < REPEAT_OVERLAP:
                    continue
                ratio = SequenceMatcher(
                    None, words[later.rec_id], words[earlier.rec_id], autojunk=False
                ).ratio()
                if ratio >= REPEAT_RATIO and (best is None or (ratio, earlier.year) > best[:2]):
                    best = (ratio, earlier.year, earlier)
            if best is not None:
                found[later.rec_id] = best[2]
    return found


def repeat_of(rec: Extracted, docs: dict[str, Document]) -> Repeat:
    doc = docs.get(rec.span.doc_id)
    return Repeat(rec.rec_id, rec.span.doc_id, rec.source, doc.title if doc else "", rec.year)
