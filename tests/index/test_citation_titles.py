"""Citations name their source as people know it: the document's title, municipality and date or year."""

from __future__ import annotations

from index.answer import Thresholds, compose_answer
from index.factory import Index

ANY = Thresholds(
    same_language=-1.0, cross_language=-1.0, english=-1.0, focus_drift=2.0
)  # every question gets citations


def test_citations_carry_their_documents_title_municipality_and_date(fake_index: Index) -> None:
    docs = {d.doc_id: d for d in fake_index.record.documents()}
    answer = compose_answer(
        fake_index.searcher, "Hvad gør Holbæk ved manglende tilbagemeldinger?", limits=ANY
    )
    assert answer.citations
    for citation in answer.citations:
        doc = docs[citation.doc_id]
        assert citation.title == doc.title and citation.title
        assert (citation.municipality, citation.date, citation.year) == (doc.municipality, doc.date, doc.year)
    public = answer.public()["citations"]
    assert isinstance(public, list) and {"title", "municipality", "date", "year"} <= public[0].keys()
