"""Machine-corrected readings of OCR-garbled Danish: dictionary repair of words and of compounds."""

from __future__ import annotations

import pytest

from ingest.ocr import reading, repair
from tests.support import seed


@pytest.mark.parametrize(
    ("garbled", "fixed"),
    [
        ("iveerksat", "iværksat"),
        ("Miljeforvaltningen", "Miljøforvaltningen"),  # a compound the dictionary does not list
        ("Miljgforvaltningen", "Miljøforvaltningen"),
        ("klagesagsomradet", "klagesagsområdet"),  # with a linking s
        ("@konomiforvaltningen", "Økonomiforvaltningen"),
        ("Tveergdende", "Tværgående"),
        ("opfelgning", "opfølgning"),
    ],
)
def test_garbled_words_are_repaired(garbled: str, fixed: str) -> None:
    assert repair(garbled) == fixed


@pytest.mark.parametrize(
    "word",
    ["klagesager", "klagerne", "forvaltningsretlige", "kvalitetssikring", "Socialforvaltningen"],
)
def test_right_words_and_compounds_of_right_words_stay(word: str) -> None:
    assert repair(word) == word


def test_reading_of_real_garbled_passages() -> None:
    text = seed("002").read_text(encoding="utf-8")
    start = text.index("Miljeforvaltningen")
    passage = text[start - 200 : start + 200]
    read = reading(passage)
    assert read is not None and read != passage
    assert "Miljøforvaltningen" in read and "Miljeforvaltningen" not in read
    assert reading("Forvaltningen følger løbende op på klagerne.") is None  # nothing to correct
    first = seed("000").read_text(encoding="utf-8")
    line = next(line for line in first.splitlines() if "iveerksat" in line)
    assert "iværksat" in (reading(line) or "")
