"""A recommendation's history over the years: one verdict per answering document, and the same
recommendation repeated in a later report.

A report may be answered by several documents (the unit's response, a follow-up a year later, minutes of
the committee that discussed it). Linking finds each answering document's place for the recommendation
(`index.trace.link`, one-to-one within that document); each place is judged on its own, so the history
says what each year's answer did. The latest answer supersedes the earlier ones, as in the status.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher

from index.trace.models import Extracted, HistoryEntry, Repeat, Response
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


def history(
    responses: Sequence[Response],
    docs: Mapping[str, Document],
    dates: Mapping[str, str | None],
) -> list[HistoryEntry]:
    """One entry per document that answers the recommendation, oldest first in the order the status
    takes the latest by (`dates`: when each document was written, see `document_when`). `responses` are
    the linked ones; which documents may answer was decided in linking."""
    by_doc: dict[str, list[Response]] = {}
    for response in responses:
        by_doc.setdefault(response.doc_id, []).append(response)
    entries = []
    for doc_id, own in by_doc.items():
        doc = docs.get(doc_id)
        if doc is None:
            continue
        status, _, reason, evidence = judge(own, dates)
        if not evidence:
            continue  # this document does not answer it
        top = evidence[0]
        entry = HistoryEntry(
            answer_year(doc),
            doc.date,
            status,
            reason.text("en"),
            reason.code,
            reason.text("da"),
            doc_id,
            doc.source,
            doc.title,
            doc.doc_type,
            top.quote,
            top.start,
            top.end,
            round(top.score, 3),
        )
        entries.append((dates.get(doc_id) or "", entry))
    entries.sort(key=lambda pair: (pair[0], pair[1].year or 0, pair[1].start))
    return [entry for _, entry in entries]


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
