"""Dates, closed-access labels, decision fields and empty HTML as the manifests write them."""

from __future__ import annotations

import pytest

from ingest.exports.build import short_name
from ingest.exports.values import flag, is_closed_label, is_decision_name, is_empty_html, meeting_when


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15-05-2013 16:30:00", ("2013-05-15", "16:30")),  # SBSYS
        ("02-05-2017 10:00", ("2017-05-02", "10:00")),  # Fujitsu eDoc
        ("04-12-2012 13:00:00", ("2012-12-04", "13:00")),  # eDoc
        ("2013-06-20 10:30", ("2013-06-20", "10:30")),  # Acadre
        ("2013-06-20T09:05:00", ("2013-06-20", "09:05")),
        ("04.12.2012", ("2012-12-04", None)),
        ("20. juni 2013 - Kl. 10:30", ("2013-06-20", "10:30")),
        ("Torsdag den 9. April 2024 kl. 15.00", ("2024-04-09", "15:00")),
        ("01-01-2010 00:00:00", ("2010-01-01", None)),  # midnight: a date without a time
        ("", None),
        ("snart", None),
        ("45-13-2013", None),
    ],
)
def test_meeting_when(value: str, expected: tuple[str, str | None] | None) -> None:
    assert meeting_when(value) == expected


@pytest.mark.parametrize(
    ("label", "closed"),
    [
        ("Lukket", True),
        ("Lukket punkt", True),
        ("Lukket dagsorden", True),
        ("Fortrolig publicering", True),
        ("SKAL IKKE PUBLICERES", True),
        ("MÅ IKKE PUBLICERES", True),
        ("Ikke offentlig", True),
        ("Confidential", True),
        ("Person", True),
        ("Åben", False),
        ("Åben dagsorden", False),
        ("Offentlig publicering", False),
        ("Offentlig", False),
        ("SKAL PUBLICERES", False),
        ("Public", False),
        ("", False),
    ],
)
def test_is_closed_label(label: str, closed: bool) -> None:
    assert is_closed_label(label) is closed


@pytest.mark.parametrize(
    ("name", "decision"),
    [
        ("Beslutning", True),
        ("Beslutning i Udvalget for plan, udvikling og kultur (PUK) den 20-06-2013", True),
        ("Økonomiudvalgets beslutning", True),
        ("BESLUTNING", True),
        ("Beslutningen træffes af", False),
        ("Forslag til beslutning", False),
        ("Indstilling", False),
        ("Beslutningsgrundlag", False),
    ],
)
def test_is_decision_name(name: str, decision: bool) -> None:
    assert is_decision_name(name) is decision


def test_flag() -> None:
    assert [flag(v) for v in ("True", "false", " 1 ", "0", "", "måske")] == [
        True,
        False,
        True,
        False,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("content", "empty"),
    [("", True), ("  ", True), ("<p>&nbsp;</p>", True), ("<p> \t<br /></p>", True), ("<p>Ja</p>", False)],
)
def test_is_empty_html(content: str, empty: bool) -> None:
    assert is_empty_html(content) is empty


@pytest.mark.parametrize(
    ("committee", "short"),
    [
        ("Udvalget for plan, udvikling og kultur (PUK)", "PUK"),
        ("Børne- og Skoleudvalget", None),
        ("Økonomiudvalget (ØU)", "ØU"),
        ("Udvalget (ekstraordinært)", None),
    ],
)
def test_short_name(committee: str, short: str | None) -> None:
    assert short_name(committee) == short
