"""Legacy Word .doc through antiword (DocBook) and catdoc, with the fixture made once by LibreOffice."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from ingest.errors import RejectedFile
from ingest.models import Block, Cell
from ingest.parse import parse_bytes
from ingest.parsers.doc import parse_doc

FIXTURE = Path(__file__).parent / "fixtures" / "referat.doc"
DOC = FIXTURE.read_bytes()
BULLETS = [("bullet", "Skolerne får tilskud til lærerløft"), ("bullet", "Økonomien følges kvartalsvis")]

needs_readers = pytest.mark.skipif(
    not (shutil.which("antiword") and shutil.which("catdoc")),
    reason="antiword and catdoc are installed by `make test` (make ingest-deps)",
)


def _only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *tools: str) -> None:
    """A PATH that holds just the named tools."""
    for tool in tools:
        found = shutil.which(tool)
        assert found is not None
        os.symlink(found, tmp_path / tool)
    monkeypatch.setenv("PATH", str(tmp_path))


@needs_readers
def test_antiword_keeps_headings_lists_and_tables() -> None:
    parsed = parse_bytes(DOC, "referat.doc")
    assert parsed.format == "doc"
    assert parsed.title_hint == "Referat fra Børne- og Skoleudvalget"
    assert parsed.blocks == (
        Block("heading", "Referat fra Børne- og Skoleudvalget", 1),
        Block(
            "paragraph",
            "Mødet blev holdt den 4. marts 2024 på rådhuset i Næstved. Udvalget behandlede fire punkter.",
        ),
        Block("heading", "Beslutning", 2),
        Block("paragraph", "Udvalget godkendte forslaget om nye åbningstider i fritidsordningerne."),
        *(Block(kind, text, 1) for kind, text in BULLETS),
        Block("row", cells=(Cell("Skole", "Ålholm Skole"), Cell("Elever", "412"))),
        Block("row", cells=(Cell("Skole", "Søndre Skole"), Cell("Elever", "388"))),
        Block("paragraph", "Sagen sendes videre til Økonomiudvalget."),
    )


@needs_readers
def test_doc_is_recognised_by_content_whatever_the_name() -> None:
    assert parse_bytes(DOC, "bilag 7").format == "doc"


@needs_readers
def test_catdoc_reads_it_when_antiword_is_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _only(monkeypatch, tmp_path, "catdoc")
    parsed = parse_doc(DOC)
    texts = [b.text for b in parsed.blocks if b.kind != "row"]
    assert "Udvalget godkendte forslaget om nye åbningstider i fritidsordningerne." in texts
    assert Block("row", cells=(Cell("Skole", "Ålholm Skole"), Cell("Elever", "412"))) in parsed.blocks


def test_without_a_reader_the_reason_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RejectedFile, match=r"no reader for it is installed \(install antiword or catdoc\)"):
        parse_bytes(DOC, "referat.doc")


@needs_readers
@pytest.mark.parametrize(
    "data",
    [
        DOC[: len(DOC) // 2],
        DOC[:8] + random.Random(11).randbytes(6000),
        DOC[:512] + bytes(4096),
    ],
    ids=["truncated", "garbage-after-header", "zeroed"],
)
def test_damaged_doc_is_rejected_with_a_reason(data: bytes) -> None:
    with pytest.raises(RejectedFile) as rejected:
        parse_bytes(data, "referat.doc")
    reason = rejected.value.reason
    assert reason.startswith("damaged Word .doc: antiword: ")
    assert "; catdoc: " in reason and "\n" not in reason
