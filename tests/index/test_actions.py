"""The action of a quoted passage that answers the question's own words, with the fake (bag-of-words)
embedder: quoted first when it is within reach of its bar and answers the words better than the quotes
chosen; not when it is too far under, answers too little, or stands in another passage. And the decision
of the agenda item an answer comes from, quoted first."""

from __future__ import annotations

import re

import numpy as np

from index.actions import answering_action, decision_first
from index.answer import Candidate, Thresholds
from index.embed import FakeEmbedder
from index.models import Hit
from index.quotes import candidates

QUESTION = "Hvad vil kommunen gøre ved afgørelser, som borgerne ikke forstår?"
TEXTS = [
    "Afdelingen sender en kvittering til borgerne, når der gøres noget ved en mail.",  # chosen: close
    "Alle afgørelser skrives om, så borgerne forstår afgørelser og hvad de kan gøre.",  # the action asked
    "Borgerne klager over lange svartider.",  # a complaint
]


def _hit(texts: list[str], chunk: str) -> tuple[Hit, list[Candidate]]:
    text = "\n".join(texts)
    hit = Hit(chunk, "d", "s.txt", "t", None, None, "note", "", None, text, 0, len(text), 1.0)
    return hit, [Candidate(hit, m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def test_the_action_that_answers_the_words_goes_first() -> None:
    _, cands = _hit(TEXTS, "c")
    limits = Thresholds(passage_reach=0.05, focus_fit=0.0)
    evidence = np.asarray([0.01, -0.04, -0.01], dtype=np.float32)
    assert answering_action(FakeEmbedder(256), QUESTION, cands, evidence, [0], limits) == [1, 0]
    too_far = np.asarray([0.01, -0.06, -0.01], dtype=np.float32)
    assert answering_action(FakeEmbedder(256), QUESTION, cands, too_far, [0], limits) == [0]
    strict = Thresholds(passage_reach=0.05, focus_fit=1.0)
    assert answering_action(FakeEmbedder(256), QUESTION, cands, evidence, [0], strict) == [0]
    # When the quote chosen answers the words best already, it stays as it is.
    assert answering_action(FakeEmbedder(256), QUESTION, cands, evidence, [1], limits) == [1]


def test_an_action_of_another_passage_is_not_brought_in() -> None:
    _, first = _hit(TEXTS[:1], "c1")
    _, second = _hit(TEXTS[1:], "c2")
    cands = [*first, *second]
    evidence = np.asarray([0.01, -0.04, -0.01], dtype=np.float32)
    limits = Thresholds(passage_reach=0.05, focus_fit=0.0)
    assert answering_action(FakeEmbedder(256), QUESTION, cands, evidence, [0], limits) == [0]


def _minutes_hit(chunk: str, section: str, text: str, start: int, doc: str = "d") -> Hit:
    return Hit(
        chunk,
        doc,
        "referat.html",
        "Referat",
        None,
        None,
        "minutes",
        section,
        None,
        text,
        start,
        start + len(text),
        1.0,
    )


def test_the_decision_of_the_item_an_answer_comes_from_goes_first() -> None:
    """What a committee did about a matter is its decision: the decision of the agenda item that the chosen
    sentence closest to the question comes from goes first, not another item's."""
    top = "Referat af udvalgets møde"
    case = _minutes_hit(
        "a",
        f"{top} > Punkt 5. Telefontider > Sagsfremstilling",
        "Punkt 5. Telefontider\nSagsfremstilling\n"
        "Borgerrådgiveren har anbefalet længere telefontider om eftermiddagen.",
        0,
    )
    decision = _minutes_hit(
        "b",
        f"{top} > Punkt 5. Telefontider > Indstilling",
        "Indstilling\nDirektionen indstiller, at udvalget drøfter sagen.\nBeslutning\n"
        "Udvalget genoptager sagen i juni sammen med budgettet.",
        200,
    )
    other = _minutes_hit(
        "c",
        f"{top} > Punkt 4. Kørsel > Beslutning",
        "Beslutning\nUdvalget godkendte et nyt udbud af kørslen med krav om ventetid.",
        400,
    )
    cands = candidates([case, decision, other])
    texts = [c.text for c in cands]
    asked, decided, elsewhere = (
        texts.index("Borgerrådgiveren har anbefalet længere telefontider om eftermiddagen."),
        texts.index("Udvalget genoptager sagen i juni sammen med budgettet."),
        texts.index("Udvalget godkendte et nyt udbud af kørslen med krav om ventetid."),
    )
    evidence = np.full(len(cands), -0.04, dtype=np.float32)
    evidence[asked], evidence[elsewhere] = 0.04, 0.01
    limits = Thresholds()
    assert decision_first(cands, evidence, [elsewhere, asked], limits) == [decided, elsewhere, asked]
    evidence[decided] = -0.06  # too far from the question to be its answer
    assert decision_first(cands, evidence, [elsewhere, asked], limits) == [elsewhere, asked]
    note = "Vi udvider telefontiden til alle hverdage."  # a note: no agenda item, nothing moves
    plain = Hit(
        "e", "d2", "note.txt", "Notat", None, None, "note", "Notat > Telefoner", None, note, 0, 42, 1.0
    )
    assert decision_first(candidates([plain]), np.zeros(1, dtype=np.float32), [0], limits) == [0]


def test_the_decision_comes_from_the_same_meeting_and_states_what_was_done() -> None:
    """Another meeting's minutes with the same item path do not lend their decision; within the decision,
    what was decided goes before a list of who was absent."""
    path = "Referat > Punkt 1. Telefontider > Beslutning"
    this = _minutes_hit(
        "a",
        path,
        "Beslutning\nFraværende: Anne Hansen og Per Holm fra udvalget.\n"
        "Udvalget godkendte længere telefontider om eftermiddagen.",
        0,
        doc="m1",
    )
    other = _minutes_hit(
        "b", path, "Beslutning\nUdvalget afviste forslaget om en ny telefonlinje.", 0, doc="m2"
    )
    cands = candidates([this, other])
    texts = [c.text for c in cands]
    approved = texts.index("Udvalget godkendte længere telefontider om eftermiddagen.")
    rejected = texts.index("Udvalget afviste forslaget om en ny telefonlinje.")
    evidence = np.zeros(len(cands), dtype=np.float32)
    assert decision_first(cands, evidence, [approved], Thresholds()) == [approved]
    evidence[approved] = 0.03
    assert decision_first(cands, evidence, [rejected, approved], Thresholds())[0] == approved


def test_a_passage_that_runs_into_the_next_item_lends_that_item_its_decision() -> None:
    """Plain-text minutes: a passage starts in one item's decision and runs on into the next item; its
    sentences after the next item's heading belong to that item, whose decision (a vote) goes first."""
    first = _minutes_hit(
        "a",
        "Punkt 6. Madservice > Beslutning i udvalget den 11. marts 2025:",
        "Beslutning i udvalget den 11. marts 2025:\n\nPunktet blev udsat til næste møde.\n\n"
        "Punkt 7. Forslag om aftenåbent\n\nSagsfremstilling\n\n"
        "Et medlem har foreslået at holde centret åbent om aftenen.",
        0,
    )
    second = _minutes_hit(
        "b",
        "Punkt 7. Forslag om aftenåbent > Indstilling",
        "Indstilling\n\nAdministrationen indstiller, at udvalget drøfter forslaget.\n\n"
        "Beslutning i udvalget den 11. marts 2025:\n\n"
        "Forslaget blev sat til afstemning og faldt med 2 stemmer for og 5 imod.",
        300,
    )
    cands = candidates([first, second])
    texts = [c.text for c in cands]
    asked = texts.index("Et medlem har foreslået at holde centret åbent om aftenen.")
    voted = texts.index("Forslaget blev sat til afstemning og faldt med 2 stemmer for og 5 imod.")
    postponed = texts.index("Punktet blev udsat til næste møde.")
    evidence = np.full(len(cands), -0.04, dtype=np.float32)
    evidence[asked] = 0.03
    assert decision_first(cands, evidence, [asked], Thresholds()) == [voted, asked]
    assert postponed not in decision_first(cands, evidence, [asked], Thresholds())


def test_a_sentence_after_the_next_items_title_is_not_the_last_items_decision() -> None:
    hit = _minutes_hit(
        "a",
        "Punkt 1. Godkendelse > Beslutning",
        "Beslutning\n\nGodkendt.\n\nPunkt 2. Meddelelser\n\nFormanden orienterede om konferencen i april.\n\n"
        "Udvalget drøftede budgettet for næste år.",
        0,
    )
    cands = candidates([hit])
    texts = [c.text for c in cands]
    told = texts.index("Formanden orienterede om konferencen i april.")
    discussed = texts.index("Udvalget drøftede budgettet for næste år.")
    evidence = np.zeros(len(cands), dtype=np.float32)
    evidence[discussed] = 0.03
    assert decision_first(cands, evidence, [discussed], Thresholds()) == [discussed]
    assert told not in decision_first(cands, evidence, [discussed], Thresholds())


def test_an_items_fields_under_the_names_a_system_gives_them() -> None:
    """An export's item is a document of its own, its fields headed as the system heads them ("Forvaltningen
    foreslår", "Præsentation"): the decision of that item goes first."""
    title = "4. Forslag om gratis kørsel til genoptræning"
    proposal = _minutes_hit(
        "a",
        f"{title} > Forvaltningen foreslår",
        "Forvaltningen foreslår\nAt udvalget tager stilling til forslaget.\nSagsbeskrivelse\n"
        "Forslaget går ud på, at alle borgere med en genoptræningsplan tilbydes gratis kørsel.",
        0,
    )
    decision = _minutes_hit(
        "b",
        f"{title} > Økonomi",
        "Økonomi\nForslaget vil koste omkring en million kroner om året.\nBeslutning\n"
        "Forslaget blev forkastet med 2 stemmer for og 5 stemmer imod.",
        300,
    )
    cands = candidates([proposal, decision])
    texts = [c.text for c in cands]
    asked = texts.index(
        "Forslaget går ud på, at alle borgere med en genoptræningsplan tilbydes gratis kørsel."
    )
    decided = texts.index("Forslaget blev forkastet med 2 stemmer for og 5 stemmer imod.")
    evidence = np.full(len(cands), -0.04, dtype=np.float32)
    evidence[asked] = 0.01
    assert decision_first(cands, evidence, [asked], Thresholds()) == [decided, asked]
