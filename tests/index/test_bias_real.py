"""The language bias taken out of the query vector, with the bundled model: over Danish and English
documents, English questions find their Danish answers higher, and Danish questions keep theirs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eval.answer_sets import ACTION_SET, ANSWER_DOCS
from eval.answers import open_ingested, relevant_spans
from eval.cross_language import first_rank
from eval.datasets import Question, load_questions
from index.factory import Index
from index.search import Searcher

pytestmark = pytest.mark.integration

DANISH = ["tuning/esbjerg_opfoelgning_anbefalinger_2021.html", "tuning/randers_referat_sundhed_2023.html"]
ENGLISH = [
    "heldout2/kolding_followup_summary_2023_en.md",
    "heldout3/svendborg_news_complaints_2024_en.md",
    "heldout4/ikast_brande_letter_citizens_advisor_2024_en.txt",
    "heldout6/soenderborg_faq_international_residents_2025_en.html",
]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Index:
    folder = tmp_path_factory.mktemp("mixed-docs")
    for name in DANISH + ENGLISH:
        shutil.copy(ANSWER_DOCS / name, folder)
    return open_ingested(tmp_path_factory.mktemp("mixed") / "data", [folder])


def _rank(searcher: Searcher, question: Question) -> int:
    return first_rank(searcher, question.text, relevant_spans(searcher.record, question), "dense", 50)


def test_english_questions_find_danish_answers_higher(mixed: Index, tmp_path: Path) -> None:
    plain = Searcher(mixed.record, mixed.store, mixed.embedder, tmp_path, language_bias=0.0)
    sources = {Path(name).name for name in DANISH}
    questions = [
        q
        for q in load_questions(ACTION_SET)
        if q.lang in ("en", "da") and {quote.source for quote in q.quotes} <= sources
    ]
    english = [q for q in questions if q.lang == "en"]
    danish = [q for q in questions if q.lang == "da"]
    assert len(english) >= 4 and len(danish) >= 4
    before = [_rank(plain, q) for q in english]
    after = [_rank(mixed.searcher, q) for q in english]
    assert sum(after) < sum(before), (before, after)
    assert sum(r < 10 for r in after) > sum(r < 10 for r in before), (before, after)
    # Danish questions over Danish documents keep their answers at the top.
    assert all(_rank(mixed.searcher, q) < 5 for q in danish)


def test_an_english_question_s_danish_passages_are_marked_as_in_another_language(mixed: Index) -> None:
    result = mixed.searcher.search("What did the committee decide about the meals service?", 20)
    languages = {d.doc_id: d.language for d in mixed.record.documents()}
    catalog = mixed.searcher.catalog()
    marked = {catalog.chunks[cid].doc_id for cid in result.other_language}
    assert marked and {languages[doc] for doc in marked} == {"da"}
    assert all(
        languages[catalog.chunks[cid].doc_id] == "en"
        for cid in result.similarity.keys() - result.other_language
    )
