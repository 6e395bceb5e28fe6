"""The year a document says it is about, and where it says so; never a year mentioned in passing."""

from __future__ import annotations

import pytest

from ingest.metadata import find_date, find_year
from tests.support import seed


def _text(prefix: str) -> str:
    return seed(prefix).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("000", (2023, "text")),  # "beretning for perioden ... 1. maj til 31. december 2023", OCR'd
        ("001", (2023, "text")),
        ("002", None),  # a note: years in its body only
        ("003", None),  # a news story: the period is named at its end, not where it says what it covers
        ("004", (2017, "text")),  # "… årsrapport for 2017"
    ],
)
def test_seed_years(prefix: str, expected: tuple[int, str] | None) -> None:
    assert find_year(_text(prefix), "") == expected


@pytest.mark.parametrize("prefix", ["002", "003", "004"])
def test_seeds_without_a_printed_date_stay_undated(prefix: str) -> None:
    assert find_date(_text(prefix)) is None


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("Administrationens opfølgning på anbefalinger fra Borgerrådgiverens årsrapport for 2017", 2017),
        ("Årsberetning 2023", 2023),
        ("Borgerrådgiverberetning for året 2021", 2021),
        ("Statusrapport for 2019 – Ældreområdet i Vejle", 2019),
        ("Annual report 2022 of the Citizens' Advisor", 2022),
        ("Beretning for perioden 1. januar til 31. december 2020", 2020),
        ("Report for the period from 1 May to 31 December 2024", 2024),
    ],
)
def test_year_from_a_title(title: str, year: int) -> None:
    assert find_year("Tekst uden årstal.", title) == (year, "title")


@pytest.mark.parametrize(
    "title",
    ["Budget 2024-2027", "Klimaplan 2030", "Notat om skoleveje", "Referat af mødet i 2019 om trafik"],
)
def test_no_year_from_plans_ranges_or_passing_mentions(title: str) -> None:
    assert find_year("", title) is None


def test_the_opening_counts_and_the_body_does_not() -> None:
    opening = "Notat\n\nDenne redegørelse dækker perioden fra 1. marts til 30. november 2022.\n\n"
    assert find_year(opening + "Mere tekst. " * 50, "Notat") == (2022, "text")
    body = "Notat\n\n" + "Forvaltningen arbejder med sagerne. " * 60
    assert find_year(body + "Årsrapport for 2015 blev drøftet.", "Notat") is None
