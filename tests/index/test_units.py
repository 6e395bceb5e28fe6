"""The names a question gives, and answers only from documents that name them too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eval.answers import open_ingested
from index.answer import Candidate, Thresholds, compose_answer
from index.models import Hit
from index.units import named_units, naming

ANY = Thresholds(same_language=-1.0, cross_language=-1.0, english=-1.0, focus_drift=2.0)


def test_a_question_names_its_units_not_its_setting() -> None:
    assert named_units("Hvad har Handicap og Psykiatri i Thisted gjort efter beretningen?") == [
        "Handicap og Psykiatri"
    ]
    assert named_units("What did Holstebro's Børn og Unge change after the report?") == ["Børn og Unge"]
    assert named_units("Hvad vil Børne- og Kulturforvaltningen gøre?") == ["Børne- og Kulturforvaltningen"]
    assert named_units("Hvad har Center for Sundhed og Pleje besluttet?") == ["Center for Sundhed og Pleje"]
    # The first word, the municipality, the citizen advisor, weekdays and months name nothing to look for.
    assert named_units("Hvornår svarer Gladsaxe Kommune borgerrådgiveren?") == []
    assert named_units("What did Faaborg-Midtfyn's Citizens' Advisor say in March?") == []
    assert named_units("Since when has it been open on Thursdays?") == []
    # Municipalities ending in "s", in any form, are the setting too.
    assert named_units("Hvad har Randers Kommune besluttet om åbningstiden i Borgerservice?") == [
        "Borgerservice"
    ]
    assert named_units("What did Horsens' council and Aarhus decide?") == []
    # A later sentence's first word is no name; a name after a first-word verb is one.
    assert named_units("Jeg bor i Vejle. Hvorfor har Borgerservice ændret åbningstiden?") == ["Borgerservice"]
    assert named_units("Har Plan og Byg svaret borgerrådgiveren?") == ["Plan og Byg"]


def _cands(*texts: str) -> list[Candidate]:
    cands = []
    for n, text in enumerate(texts):
        hit = Hit(f"c{n}", f"d{n}", "s.txt", "t", None, None, "note", "", None, text, 0, len(text), 1.0)
        cands += [Candidate(hit, m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    return cands


def test_only_documents_that_name_the_unit_answer_for_it() -> None:
    cands = _cands(
        "Jobcentret har indført faste telefontider.",
        "Handicap og Psykiatri har ansat to nye sagsbehandlere.",
    )
    texts = {"d0": "Thisted Kommune. Jobcentret har indført faste telefontider.", "d1": cands[1].hit.text}

    def stored(doc_id: str) -> tuple[str, bool]:
        return texts[doc_id], False

    question = "Hvad har Handicap og Psykiatri gjort?"
    assert naming(question, cands, [0, 1], [True, True], stored) == [1]
    # A document in another language than the question is not checked: it names units in its own.
    assert naming(question, cands, [0, 1], [False, True], stored) == [0, 1]
    # Nothing named, nothing checked; a form of the name counts ("Jobcenter" in "Jobcentret").
    assert naming("Hvad har kommunen gjort?", cands, [0, 1], [True, True], stored) == [0, 1]
    assert naming("Hvad har Jobcenter Thisted gjort?", cands, [0], [True, True], stored) == [0]


def test_an_ocr_copy_names_a_unit_in_its_garbled_spelling() -> None:
    cands = _cands("Handlingsplanen startede i 2023.")
    text = "Teknik- og Miljeforvaltningen har lagt en handlingsplan. Handlingsplanen startede i 2023."
    question = "Hvornår startede Teknik- og Miljøforvaltningen handlingsplanen?"
    assert naming(question, cands, [0], [True], lambda _: (text, True)) == [0]
    # The folded key stands in for a word only in an OCR copy: a clean text names it or not.
    assert naming(question, cands, [0], [True], lambda _: (text, False)) == []


def test_an_answer_quotes_no_document_that_never_names_the_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPORBAR_EMBEDDER", "fake")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "jobcenter.txt").write_text(
        "Jobcentret i Thisted har indført faste telefontider for borgerne.\n", encoding="utf-8"
    )
    index = open_ingested(tmp_path / "data", (docs,))
    question = "Hvad har Handicap og Psykiatri gjort ved telefontider for borgerne?"
    assert not compose_answer(index.searcher, question, limits=ANY).found
    assert compose_answer(
        index.searcher, "Hvad har Jobcentret gjort ved telefontider for borgerne?", limits=ANY
    ).found
