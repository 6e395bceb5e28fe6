"""The municipality gazetteer: coverage, filter values and OCR-tolerant detection on real seed files."""

from __future__ import annotations

import json
import time
from importlib import resources
from pathlib import Path

import pytest

from ingest.gazetteer import Gazetteer, Municipality, load_gazetteer

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def seed(prefix: str) -> str:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_all_98_municipalities_with_unique_names(gazetteer: Gazetteer) -> None:
    names = gazetteer.names()
    assert len(names) == 98 == len(set(names))
    for name in ("København", "Gentofte", "Holbæk", "Aarhus", "Lyngby-Taarbæk", "Bornholm", "Ærø", "Aalborg"):
        assert name in names


def test_data_file_is_package_data() -> None:
    raw = resources.files("ingest").joinpath("data/gazetteer.json").read_text(encoding="utf-8")
    assert len(json.loads(raw)["municipalities"]) == 98


def test_load_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("københavn", "København"),
        ("Copenhagen", "København"),
        ("Kobenhavn", "København"),
        ("Koebenhavn", "København"),
        ("KØBENHAVN", "København"),
        ("Københavns Kommune", "København"),
        ("  gentofte kommune ", "Gentofte"),
        ("Elsinore", "Helsingør"),
        ("holbaek", "Holbæk"),
        ("Århus", "Aarhus"),
        ("lyngby taarbæk", "Lyngby-Taarbæk"),
        ("Bornholms Regionskommune", "Bornholm"),
        ("Atlantis", None),
        ("", None),
        ("Kommune", None),
    ],
)
def test_normalise(gazetteer: Gazetteer, value: str, expected: str | None) -> None:
    assert gazetteer.normalise(value) == expected


def test_every_name_and_alias_normalises_to_its_own_municipality(gazetteer: Gazetteer) -> None:
    for muni in gazetteer.municipalities:
        for value in (muni.name, *muni.aliases):
            assert gazetteer.normalise(value) == muni.name, value


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("000", "Gentofte"), ("001", "Gentofte"), ("002", "København"), ("003", "Gentofte"), ("004", "Holbæk")],
)
def test_seed_documents(gazetteer: Gazetteer, prefix: str, expected: str) -> None:
    assert gazetteer.find_municipality(seed(prefix)) == expected


def test_copenhagen_note_is_recognised_by_its_garbled_administrations(gazetteer: Gazetteer) -> None:
    text = seed("002")
    assert "Københavns Kommune" not in text and "Økonomiforvaltningen" not in text  # only garbled forms
    assert gazetteer.scores(text).keys() == {"København"}


@pytest.mark.parametrize(
    "garbled",
    [
        "@konomiforvaltningen",
        "Beskeeftigelses- og Integrationsforvaltningen",
        "Berne- og Ungdomsforvaltningen",
        "Teknik- og Miljeforvaltningen",
        "Sundheds- og\nOmsorgsforvaltningens",  # line break and genitive
    ],
)
def test_garbled_administration_names_still_count(gazetteer: Gazetteer, garbled: str) -> None:
    assert gazetteer.scores(f"Notat fra {garbled} om klager.") == {"København": 4}  # body + header bonus


def test_three_distinct_administrations_decide_two_do_not(gazetteer: Gazetteer) -> None:
    body = "Tekst. " * 200
    two = "@konomiforvaltningen og Berne- og Ungdomsforvaltningen har svaret. " * 3
    assert gazetteer.find_municipality(f"{body}\n{two}\n{body}") is None  # repeats do not add up
    three = two + "Socialforvaltningen har også svaret."
    assert gazetteer.find_municipality(f"{body}\n{three}\n{body}") == "København"


def test_passing_mention_of_another_municipality_does_not_win(gazetteer: Gazetteer) -> None:
    text = (
        "Holbæk Kommune\n\nOpfølgning på anbefalinger\n\n"
        + "Borgerne skal mødes venligt. " * 40
        + "Vi har lært af Københavns Kommune, som har en lignende ordning. "
        + "I Aktiv Hele Livet og i Læring og Trivsel arbejder vi med dialogen. "
        + "Holbæk Kommune vil følge op i 2018."
    )
    scores = gazetteer.scores(text)
    assert scores["København"] == 3
    assert gazetteer.find_municipality(text) == "Holbæk"


def test_every_municipality_is_found_by_its_letterhead(gazetteer: Gazetteer) -> None:
    body = "\n\nSagsbehandling og klager. " * 40
    for muni in gazetteer.municipalities:
        assert gazetteer.find_municipality(muni.aliases[0] + body) == muni.name, muni.aliases[0]


def test_one_passing_mention_alone_does_not_decide(gazetteer: Gazetteer) -> None:
    text = "Sagsbehandling og klager. " * 40 + "Tallene ligner dem fra Københavns Kommune. " + "Slut. " * 20
    assert gazetteer.find_municipality(text) is None


def test_a_letterhead_mention_decides(gazetteer: Gazetteer) -> None:
    text = "Gentofte Kommune\n\nNotat om klager\n\n" + "Sagsbehandling og klager. " * 40
    assert gazetteer.find_municipality(text) == "Gentofte"


def test_generic_committees_identify_nobody(gazetteer: Gazetteer) -> None:
    text = "Økonomiudvalget, Kommunalbestyrelsen, Byrådet og Socialudvalget behandlede sagen. " * 5
    assert gazetteer.scores(text) == {}
    assert gazetteer.find_municipality(text) is None
    assert not gazetteer.is_organisation("Socialudvalget")


def test_matching_respects_word_boundaries(gazetteer: Gazetteer) -> None:
    assert gazetteer.scores("Nyholbæk Kommune og Gentoftevej Kommune") == {}


def test_names_that_lose_words_on_the_key_match_only_as_proper_names(gazetteer: Gazetteer) -> None:
    # "Alle" vanishes from the skeleton key, so the everyday phrase must not count for Holbæk.
    assert gazetteer.scores("Det er vigtigt, at alle kan bidrage til fællesskabet.") == {}
    assert gazetteer.scores("I Alle Kan Bidrage vil vi beklage fejl.") == {"Holbæk": 4}


def test_tie_gives_no_answer() -> None:
    small = Gazetteer([Municipality("A-by", ("A-by Kommune",)), Municipality("B-by", ("B-by Kommune",))])
    assert small.find_municipality("A-by Kommune og B-by Kommune. " * 3) is None


def test_is_organisation(gazetteer: Gazetteer) -> None:
    assert gazetteer.is_organisation("@konomiforvaltningen")
    assert gazetteer.is_organisation("Holbæk Kommune")
    assert not gazetteer.is_organisation("Forvaltningernes arbejde med klagesagsområdet")


def test_matching_a_long_document_takes_milliseconds(gazetteer: Gazetteer) -> None:
    text = seed("001")
    assert len(text.encode("utf-8")) > 20_000
    gazetteer.find_municipality(text)
    start = time.perf_counter()
    for _ in range(5):
        gazetteer.find_municipality(text)
    assert (time.perf_counter() - start) / 5 < 0.2
