"""Extractive answers with the bundled multilingual e5 model: a cross-language question answered from the
right section, unanswerable questions declined, and the QA set's citations verbatim and on target."""

from __future__ import annotations

import pytest

from eval.answers import QA_SET, cites, load_unanswerable, relevant_spans
from eval.datasets import Question, load_questions
from index.answer import NO_ANSWER, Answer, compose_answer
from index.factory import Index
from tests.support import seed

pytestmark = pytest.mark.integration

# Measured with `python -m eval.answers` on the seed corpus: a citation on a relevant span for 48 of 59
# questions (0.814), an answer for 55 of 59 (0.932), 31 of 32 unanswerable questions declined (0.969). The
# floors leave three questions' room (two for the unanswerable ones).
MIN_CITATION_HITS = 0.76
MIN_FOUND = 0.88
MIN_REJECTED = 0.9
# Unanswerable questions that stay well under the bar; the borderline ones are left to the benchmark.
DECLINED = [
    "Hvad koster en parkeringsbøde i København?",
    "How many complaints did Aalborg's citizen advisor receive in 2023?",
    "Hvor stort er Odense Kommunes budget for 2025?",
    "Hvilke regler gælder for fyrværkeri nytårsaften?",
    "What are the library opening hours in Holbæk?",
    "How many electric cars are there in the municipality's own vehicle fleet?",
]
Answered = list[tuple[Question, Answer]]


def stored(index: Index, doc_id: str) -> str:
    doc = index.record.document(doc_id)
    assert doc is not None
    return doc.text


def test_the_telephone_promise_is_quoted_from_its_section(real_index: Index) -> None:
    answer = compose_answer(real_index.searcher, "what did Klima, Miljø og Teknik promise about telephones")
    assert answer.found
    first = answer.citations[0]
    assert first.source == seed("001").name
    assert first.section == "3. Klima, Miljø og Teknik"
    assert "telefon" in first.quote.lower()
    assert first.quote == stored(real_index, first.doc_id)[first.start : first.end]
    assert "[1]" in answer.answer


@pytest.mark.parametrize("question", DECLINED)
def test_unanswerable_questions_are_declined(real_index: Index, question: str) -> None:
    answer = compose_answer(real_index.searcher, question)
    assert not answer.found, answer.citations
    assert answer.citations == ()
    assert answer.answer in NO_ANSWER.values()


@pytest.fixture(scope="module")
def qa_answers(real_index: Index) -> Answered:
    """Every QA-set question answered once, for the tests below."""
    return [(q, compose_answer(real_index.searcher, q.text)) for q in load_questions(QA_SET)]


def test_every_quote_is_the_stored_text(real_index: Index, qa_answers: Answered) -> None:
    for question, answer in qa_answers:
        assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
        for c in answer.citations:
            assert c.quote == stored(real_index, c.doc_id)[c.start : c.end], question.qid
            assert f"[{c.n}]" in answer.answer


def test_citations_land_on_the_relevant_spans(real_index: Index, qa_answers: Answered) -> None:
    hits = [cites(a, relevant_spans(real_index.record, q)) for q, a in qa_answers]
    found = [a.found for _, a in qa_answers]
    missed = [q.qid for (q, _), hit in zip(qa_answers, hits, strict=True) if not hit]
    assert sum(hits) / len(hits) >= MIN_CITATION_HITS, missed
    assert sum(found) / len(found) >= MIN_FOUND


def test_most_unanswerable_questions_are_declined(real_index: Index) -> None:
    answers = [compose_answer(real_index.searcher, q.text) for q in load_unanswerable()]
    declined = [not a.found for a in answers]
    assert sum(declined) / len(declined) >= MIN_REJECTED, [a.question for a in answers if a.found]


def _quoted(answer: Answer) -> str:
    return " ".join(" ".join(c.quote.split()) for c in answer.citations)


def test_the_telephone_promise_itself_is_quoted_not_only_its_heading(real_index: Index) -> None:
    answer = compose_answer(real_index.searcher, "what did Klima, Miljø og Teknik promise about telephones")
    assert "kaste et blik på den gældende telefonpraksis" in _quoted(answer)


def test_what_holbaek_does_is_quoted_not_only_the_problem(real_index: Index) -> None:
    answer = compose_answer(real_index.searcher, "Hvad gør Holbæk ved manglende tilbagemeldinger?")
    assert "der skal kvitteres for henvendelser inden for 48 timer" in _quoted(answer)


def test_a_question_that_also_asks_when_quotes_the_sentence_that_says_when(real_index: Index) -> None:
    """The sentence naming who was trained and in which years lies just under the cross-language bar; it
    answers both parts of the question, so it is quoted."""
    question = next(q for q in load_questions(QA_SET) if q.qid == "q06")  # asks "…, and when?"
    answer = compose_answer(real_index.searcher, question.text)
    assert "i løbet af 2022 og 2023" in _quoted(answer)


def test_a_keyword_gets_excerpts_that_mention_it(real_index: Index) -> None:
    answer = compose_answer(real_index.searcher, "telefon")
    assert answer.found and answer.mode == "excerpts" and answer.citations
    assert all("telefon" in c.quote.lower() for c in answer.citations)


def test_meaningless_input_is_declined(real_index: Index) -> None:
    from eval.answer_sets import load_meaningless
    from index.question import MarkupOnly

    answered = []
    for question in load_meaningless():
        try:
            answer = compose_answer(real_index.searcher, question.text)
        except MarkupOnly:
            continue
        if answer.found:
            answered.append(question.text)
    assert not answered
