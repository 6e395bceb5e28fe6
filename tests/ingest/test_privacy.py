"""CPR numbers are masked at ingest, in stored text and in every passage."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.record import Record
from ingest.pipeline import IngestOptions, run_ingest
from ingest.privacy import mask_cpr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Borger med CPR 010190-1234 klagede.", "Borger med CPR XXXXXX-XXXX klagede."),
        ("cpr.nr. 3112851234.", "cpr.nr. XXXXXXXXXX."),
        ("CPR: 150572 4321", "CPR: XXXXXX XXXX"),
    ],
)
def test_cpr_numbers_are_masked_keeping_length(text: str, expected: str) -> None:
    masked, count = mask_cpr(text)
    assert (masked, count) == (expected, 1)
    assert len(masked) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "Telefon 33 66 33 66 og 4512 3456",  # phone numbers
        "Sag 2023-123456 og journalnr. 00.01.00-A00-1234-23",
        "Beløbet var 1.234.567 kr. i 2017",
        "Dato 320190-1234 findes ikke",  # day 32
        "Dato 011390-1234 findes ikke",  # month 13
        "ID 12345678901",  # eleven digits
    ],
)
def test_numbers_that_are_not_cpr_numbers_stay(text: str) -> None:
    assert mask_cpr(text) == (text, 0)


def test_ingest_masks_stored_text_and_passages(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    body = "Notat om en klage.\n\n" + "Borgeren (CPR 010190-1234) klagede over svartiden i sagen. " * 10
    (folder / "klage.txt").write_text(body, encoding="utf-8")
    record = Record(tmp_path / "record.sqlite3")
    run_ingest(record, [folder], IngestOptions())
    doc = record.documents(with_text=True)[0]
    assert "010190" not in doc.text and "XXXXXX-XXXX" in doc.text
    for chunk in record.chunks(doc.doc_id):
        assert "010190" not in chunk.text
        assert doc.text[chunk.start : chunk.end] == chunk.text


def test_masking_can_be_turned_off(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Borgeren med CPR 010190-1234 klagede over svartiden.", encoding="utf-8")
    record = Record(tmp_path / "record.sqlite3")
    run_ingest(record, [folder], IngestOptions(mask_cpr=False))
    assert "010190-1234" in record.documents(with_text=True)[0].text
