"""What a figure must be about: the counted thing of a "how many" question, the year a question names."""

from __future__ import annotations

import pytest

from index.answer import retrieve
from index.counted import about_asked, asked_years, counted, counts, other_years, years
from index.factory import Index
from index.quotes import candidates


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("Hvor mange henvendelser fik borgerrådgiveren?", "Borgerrådgiveren modtog 318 henvendelser.", True),
        ("Hvor mange henvendelser kom der?", "Hun gav seks anbefalinger til forvaltningen.", False),
        ("Hvor mange nye sager kom der?", "Der kom 40 nye sager i foråret.", True),
        ("Hvor mange klager kom der i alt?", "Klager: 64 i alt, heraf 12 om breve.", True),
        ("Hvor mange henvendelser kom der?", "Henvendelserne i 2023 handlede om breve.", False),  # a year
        ("Hvor mange børn venter på en udredning?", "Skolebørn venter gennemsnitligt 27 uger.", False),
        ("Hvor mange børn venter på en udredning?", "Lige nu venter 41 skolebørn på en udredning.", True),
        ("How many complaints did the advisor receive?", "The advisor received 64 complaints.", True),
        ("How many complaints did the advisor receive?", "She made three recommendations.", False),
        ("How many complaints were upheld?", "No complaints were upheld this year.", True),
        ("Hvor mange henvendelser kom der?", "Henvendelser i alt: 318, heraf 204 klager.", True),  # a label
        ("Hvor mange procent fik svar i tide?", "Andelen var 42 pct. i 2023.", True),
        ("Hvor mange procent fik svar i tide?", "Andelen var 42 % i 2023.", True),
    ],
)
def test_a_count_must_be_of_what_is_asked_for(question: str, sentence: str, expected: bool) -> None:
    assert counts(sentence, counted(question)) is expected


def test_only_how_many_questions_count_something() -> None:
    assert counted("Hvad har borgerrådgiveren anbefalet?") == set()
    assert counted("Hvor mange henvendelser kom der?")


def test_years_include_spans_not_dates() -> None:
    assert years("Planen for 2021-2023 og budget 2025") == {2021, 2022, 2023, 2025}
    assert years("Strategien 2016/17") == {2016, 2017}
    assert years("§ 114 og 38 uger") == set()
    assert years("Punktet blev udsat til mødet den 8. april 2025.") == set()  # a date says when


def test_a_question_is_about_the_year_it_asks_in_not_the_one_it_counts_from() -> None:
    assert asked_years("Hvor mange klager kom der i 2023?") == {2023}
    assert asked_years("What did the council decide for 2024?") == {2024}
    assert asked_years("Hvad har kommunen gjort siden 2020?") == set()
    assert asked_years("What has changed before 2025?") == set()


@pytest.mark.parametrize(
    ("sentence", "asked", "expected"),
    [
        ("Ventetiden var i 2023 38 uger.", {2022}, True),
        ("Ventetiden var i 2022 41 uger og i 2023 38 uger.", {2022}, False),
        ("Ventetiden er nu 29 uger.", {2022}, False),  # no year: it may be about the one asked
        ("Ventetiden var i 2023 38 uger.", set(), False),  # the question names none
        ("Planen for 2021-2023 gav kortere ventetid.", {2022}, False),
        ("Borgerrådgiveren modtog 318 henvendelser, mod 290 i 2022.", {2023}, False),  # compared
    ],
)
def test_a_sentence_about_other_years_only(sentence: str, asked: set[int], expected: bool) -> None:
    assert other_years(sentence, asked) is expected


def test_sentences_counting_something_else_are_not_quoted(fake_index: Index) -> None:
    question = "Hvor mange borgere har klaget over møderne med kommunen?"
    cands = candidates(retrieve(fake_index.searcher, question, 5, None))
    every = list(range(len(cands)))
    kept = about_asked(question, cands, every, [True] * len(cands))
    assert kept and len(kept) < len(cands)
    assert all(counts(cands[i].text, counted(question)) for i in kept)
    # Sentences in another language than the question's are not compared word for word.
    assert about_asked(question, cands, every, [False] * len(cands)) == every


def test_sentences_about_other_years_are_not_quoted(fake_index: Index) -> None:
    question = "Hvad gjorde Holbæk ved sagsbehandlingstiden i 2017?"
    cands = candidates(retrieve(fake_index.searcher, question, 5, None))
    every = list(range(len(cands)))
    kept = about_asked(question, cands, every, [True] * len(cands))
    assert len(kept) < len(cands)
    assert any(2017 in years(cands[i].text) for i in kept)
    assert not any(other_years(cands[i].text, {2017}) for i in kept)
    assert about_asked(question.replace(" i 2017", ""), cands, every, [True] * len(cands)) == every
