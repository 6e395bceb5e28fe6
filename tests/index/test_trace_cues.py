"""Recommendation tracing, sentence by sentence: cues and look-alikes, addressee units, reason codes."""

from __future__ import annotations

import pytest

from index.trace.cues import recommending_cue
from index.trace.department import in_section, in_sentence
from index.trace.models import Response
from index.trace.status import LINKED, classify, judge

# --- what counts as a recommendation ------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Borgerrådgiveren anbefaler, at Jobcentret svarer skriftligt inden for ti dage.",
        "Borgerrådgiveren anbefaler endvidere, at Visitationen sender en kvittering.",
        "Det anbefales, at forvaltningen offentliggør sine sagsbehandlingstider.",
        "Borgerrådgiveren opfordrer Ældre- og Handicapforvaltningen til at orientere de pårørende.",
        "Borgerrådgiveren henstiller til Teknik og Miljø, at byggesager får en status hver måned.",
        "Det er borgerrådgiverens opfattelse, at breve om tilbagebetaling bør forklare beregningen.",
        "Da familier venter længe, anbefaler borgerrådgiveren, at Familieafdelingen fastsætter frister.",
        "Pladsanvisningen bør oplyse forældre om ventetiden.",
    ],
)
def test_each_kind_of_cue_makes_a_recommendation(sentence: str) -> None:
    assert recommending_cue(sentence) is not None


@pytest.mark.parametrize(
    "sentence",
    [
        # a citizen's quote and an official quoted in the news, also when a sentence break cut the quote
        'En borger skrev: "Man bør da kunne få et svar, og det anbefaler jeg alle at kræve."',
        '"Vi bør selvfølgelig altid svare hurtigt," sagde rådmanden til avisen.',
        "Det bør vi kunne rette op på,” siger han.",
        # the law, and a principle of god forvaltningsskik explained as such
        "Efter forvaltningslovens § 7 skal en myndighed i fornødent omfang yde vejledning.",
        "Efter god forvaltningsskik bør myndigheden svare venligt og holde borgeren orienteret.",
        # the advisor's statutory role and own plans
        "Borgerrådgiveren skal efter vedtægten medvirke til at styrke borgernes retssikkerhed.",
        "Borgerrådgiveren vil i 2025 tilbyde kurser i klagevejledning til alle forvaltninger.",
        # statistics of criticism, and last year's recommendations reported as done
        "I 41 sager vurderede borgerrådgiveren, at forvaltningen burde have håndteret sagen anderledes.",
        "I 12 sager bør forvaltningen efter borgerrådgiverens vurdering have vejledt bedre.",
        "I beretningen for 2022 anbefalede borgerrådgiveren, at Borgerservice ringede borgerne op.",
        # citizens' proposals, the advisor's general remarks, table captions, questions
        "En gruppe borgere foreslår, at kommunen indfører gratis parkering ved plejecentrene.",
        "Jeg har stor tillid til, at forvaltningerne arbejder videre med beretningen.",
        "Tabellen viser årets anbefalinger, og den sidste kolonne viser begrundelsen.",
        "Bør kommunen tilbyde længere åbningstider i borgerservice?",
    ],
)
def test_look_alikes_are_not_recommendations(sentence: str) -> None:
    assert recommending_cue(sentence) is None


def test_the_addressee_comes_from_the_sentence_else_the_section() -> None:
    assert (
        in_sentence("Borgerrådgiveren opfordrer Visitationen til at sende en kvittering.") == "Visitationen"
    )
    assert (
        in_sentence("Borgerrådgiveren anbefaler, at Jobcenter Odense svarer hurtigere.") == "Jobcenter Odense"
    )
    assert (
        in_sentence("Borgerrådgiveren anbefaler, at Vej og Park svarer inden for ti dage.") == "Vej og Park"
    )
    assert (
        in_sentence("Det anbefales, at forvaltningen svarer hurtigere.") is None
    )  # generic: ask the section
    assert (
        in_section("Beretning 2023 > 4. Ældre- og Handicapforvaltningen") == "Ældre- og Handicapforvaltningen"
    )
    assert in_section("Beretning 2023 > Anbefalinger for 2023") is None


@pytest.mark.parametrize(
    ("quote", "code"),
    [
        ("Jobcentret har pr. 1. februar 2024 indført et kvitteringsbrev.", "action_taken"),
        ("Det er besluttet, at hjemmeplejen sender en sms til de pårørende.", "decision_made"),
        ("Forvaltningen vil undersøge mulighederne for en fast kontaktperson.", "plan_or_study"),
        ("Kravene tages med i overvejelserne, når skabelonerne revideres.", "acknowledged"),
        ("Forvaltningen finder ikke anledning til at ændre praksis for rykkergebyrer.", "declined"),
        ("Vej og Park ser ikke behov for en fast svarfrist.", "declined"),
        ("Handleplaner sendes fortsat ikke altid til tiden.", "mentioned"),
    ],
)
def test_reason_codes_follow_the_words_of_the_answer(quote: str, code: str) -> None:
    assert classify(quote)[0] == code


def test_a_decline_is_the_evidence_for_not_addressed() -> None:
    quote = "Forvaltningen finder ikke anledning til at ændre brevene, da beregningen står i et bilag."
    status, _, reason, evidence = judge([Response("d", "svar.txt", quote, 0, len(quote), LINKED + 1)])
    assert (status, reason.code) == ("not_addressed", "declined")
    assert evidence and evidence[0].quote == quote and "finder ikke anledning" in reason.text()


def test_the_latest_answering_document_decides() -> None:
    first = Response("a", "svar.txt", "Sagen vil blive drøftet i ledergruppen.", 0, 10, LINKED + 2)
    later = Response(
        "b", "status.txt", "Brevene er skrevet om og har været i brug siden februar.", 0, 10, LINKED
    )
    status, _, reason, evidence = judge([first, later], {"a": "2023-06-12", "b": "2024-04-04"})
    assert (status, reason.code, evidence[0].doc_id) == ("addressed", "action_taken", "b")


@pytest.mark.parametrize(
    ("quote", "code"),
    [
        ("Administrationen vurderer ikke, at der er behov for en ekstra påmindelse.", "declined"),
        ("Oplysningen kommer i kvitteringen; ændringen træder i kraft 1. juni 2023.", "decision_made"),
    ],
)
def test_other_ways_to_decline_and_decide(quote: str, code: str) -> None:
    assert classify(quote)[0] == code
