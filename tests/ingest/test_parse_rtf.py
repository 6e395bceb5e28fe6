"""Rich Text Format: code pages, Unicode escapes, fields, tables, and damaged files."""

from __future__ import annotations

import random

import pytest

from ingest.errors import RejectedFile
from ingest.models import Block, Cell
from ingest.parse import parse_bytes

RTF = rb"""{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}{\f1\fnil Symbol;}}
{\stylesheet{\s1\b\fs32 heading 1;}}{\info{\title Referat}{\author Udvalgssekretariatet}}
{\pard\s1\outlinelevel0\b\fs32 Referat fra m\'f8det i \'d8konomiudvalget\par}
{\pard\plain Udvalget godkendte {\field{\*\fldinst HYPERLINK "http://example.invalid/plan"}{\fldrslt planen}}
 for \u230?ldreplejen p\'e5 \u198?r\u248?.\par}
{\pard{\*\shppict{\pict\pngblip 89504e470d0a1a0a0000000d49484452}}Tilskuddet stiger med 4 procent.\par}
{\pard\plain \par}
{\pard\plain{\pntext\f1\'b7\tab}Bedre vejledning af borgerne\par}
{\pard\plain{\pntext\f1\'b7\tab}Kortere svartider\par}
{\pard\plain \par}
\trowd\cellx3000\cellx6000 Skole\cell Elever\cell\row
\trowd\cellx3000\cellx6000 \'c5lholm Skole\cell 412\cell\row
\trowd\cellx3000\cellx6000 S\'f8ndre Skole\cell 388\cell\row
{\pard\plain Sagen sendes videre til Byr\'e5det.\par}
}"""


def test_rtf_text_with_danish_letters_fields_and_tables() -> None:
    parsed = parse_bytes(RTF, "referat.rtf")
    assert parsed.format == "rtf"
    kinds = [(b.kind, b.text) for b in parsed.blocks if b.kind != "row"]
    assert ("heading", "Referat fra mødet i Økonomiudvalget") in kinds
    text = "\n".join(b.text for b in parsed.blocks)
    assert "Udvalget godkendte planen for ældreplejen på Ærø." in text  # a line break in RTF is no space
    assert "HYPERLINK" not in text and "89504e47" not in text
    assert "Tilskuddet stiger med 4 procent." in text
    assert [b.cells for b in parsed.blocks if b.kind == "row"] == [
        (Cell("Skole", "Ålholm Skole"), Cell("Elever", "412")),
        (Cell("Skole", "Søndre Skole"), Cell("Elever", "388")),
    ]
    assert parsed.blocks[-1] == Block("paragraph", "Sagen sendes videre til Byrådet.")


def test_rtf_code_page_is_honoured() -> None:
    # Code page 865 (Nordic DOS): ø is 0x9b, æ 0x91, å 0x86.
    rtf = rb"{\rtf1\ansi\ansicpg865 K\'9bbenhavns \'91ldre borgere f\'86r besked.\par}"
    assert parse_bytes(rtf, "brev.rtf").blocks[0].text == "Københavns ældre borgere får besked."


def test_rtf_saved_as_doc_is_read_as_rtf() -> None:
    assert parse_bytes(RTF, "referat.doc").format == "rtf"


def test_truncated_rtf_is_rejected() -> None:
    with pytest.raises(RejectedFile, match=r"^damaged RTF: the file is cut off \(\d+ groups left open\)"):
        parse_bytes(RTF[: len(RTF) // 2], "referat.rtf")


def test_rtf_with_binary_junk_is_rejected() -> None:
    junk = random.Random(2).randbytes(3000).replace(b"{", b"").replace(b"}", b"").replace(b"\\", b"")
    with pytest.raises(RejectedFile, match=r"^damaged RTF: its text is binary content"):
        parse_bytes(b"{\\rtf1\\ansi " + junk + b"}", "referat.rtf")


def test_rtf_without_text_is_rejected() -> None:
    with pytest.raises(RejectedFile, match="no text found"):
        parse_bytes(rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\par\par}", "tom.rtf")


def test_each_rtf_paragraph_is_a_block_of_its_own() -> None:
    """A meeting record's header fields and a numbered action list, one paragraph each: none is joined to
    the next as a wrapped line would be, and the fields are no headings."""
    rtf = (
        rb"{\rtf1\ansi\ansicpg1252 Dato: Tirsdag den 8. april 2025\par Sted: R\'e5dhuset\par"
        rb" Referent: Line Mortensen\par Opf\'f8lgningspunkter\par"
        rb" 1. Udsende procedure for besked ved aflyste bes\'f8g. Ansvarlig: Maria Lund."
        rb" Frist: 25. april 2025.\par"
        rb" 2. Oprette fast kode for aflyste rang\'f8ringsbes\'f8g. Ansvarlig: Kasper Holm.\par}"
    )
    blocks = [(b.kind, b.text) for b in parse_bytes(rtf, "referat.rtf").blocks]
    assert blocks[:3] == [
        ("paragraph", "Dato: Tirsdag den 8. april 2025"),
        ("paragraph", "Sted: Rådhuset"),
        ("paragraph", "Referent: Line Mortensen"),
    ]
    items = [text for kind, text in blocks if text[:2] in ("1.", "2.")]
    assert len(items) == 2 and items[0].endswith("Frist: 25. april 2025.")
