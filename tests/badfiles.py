"""Messy input files for the reliability tests: what arrives, and what Sporbar must say about it."""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image

GOOD_TEXT = (
    "Notat om svartider i Borgerservice.\n\n"
    + "Borgerservice har i år nedbragt svartiden på henvendelser fra borgerne markant. " * 8
)


@dataclass(frozen=True)
class Sample:
    name: str
    data: bytes
    rejected: str | None  # a part of the rejection reason, or None when the file must be ingested
    must_contain: str = ""  # for accepted files: text the stored document must hold
    must_not_contain: str = ""


def _pdf_text(text: str, *, user_password: str | None = None) -> bytes:
    pdf = FPDF()
    if user_password:
        pdf.set_encryption(owner_password="ejer", user_password=user_password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def _scanned_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (200, 280), (120, 120, 120)), x=10, y=10, w=180)
    return bytes(pdf.output())


WORD_97 = (Path(__file__).parent / "ingest" / "fixtures" / "referat.doc").read_bytes()
RTF = (
    rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}{\pard Referat om svartider i Borgerservice og p\'e5 "
    rb"\'c6r\'f8.\par}{\pard Borgerservice har nedbragt svartiden markant.\par}}"
)


def _odt(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr(
            "content.xml",
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
            f"<text:p>{text}</text:p></office:text></office:body></office:document-content>",
        )
    return buffer.getvalue()


def samples(max_bytes: int) -> list[Sample]:
    good_pdf = _pdf_text(GOOD_TEXT.replace("\n", " "))
    return [
        Sample("tom.txt", b"", "empty"),
        Sample("kun-mellemrum.txt", b"  \n\t \n", "empty"),
        Sample("skrald.pdf", random.Random(1).randbytes(4000), ""),
        Sample("afbrudt.pdf", good_pdf[: len(good_pdf) // 2], "damaged PDF"),
        Sample("krypteret.pdf", _pdf_text("Fortroligt notat", user_password="hemmelig"), "encrypted PDF"),
        Sample("scannet.pdf", _scanned_pdf(), "scanned PDF"),
        Sample("kaempe.txt", b"ord " * (max_bytes // 4 + 10), "too large"),
        Sample("afbrudt.doc", WORD_97[: len(WORD_97) // 2], "damaged Word .doc"),
        Sample("afbrudt.rtf", RTF[: len(RTF) // 2], "damaged RTF"),
        Sample("afbrudt.odt", _odt(GOOD_TEXT)[:200], "damaged"),
        Sample("referat.rtf", RTF, None, must_contain="Referat om svartider i Borgerservice og på Ærø."),
        Sample("referat.odt", _odt(GOOD_TEXT.strip()), None, must_contain="Borgerservice har i år nedbragt"),
        Sample(
            "latin1.txt",
            ("Notat om klager i Økonomiforvaltningen og på Ærø. " * 6).encode("cp1252"),
            None,
            must_contain="Økonomiforvaltningen og på Ærø",
        ),
        Sample(
            "side.html",
            (
                "<html><head><title>Nyhed om svartider</title><style>body{color:red}</style>"
                "<script>window.__pwned = 1; alert('x')</script></head><body><h1>Nyhed om svartider</h1>"
                + "<p>Borgerrådgiveren roser kortere svartider i Borgerservice i år.</p>" * 6
                + "<script>document.write('ondt')</script></body></html>"
            ).encode(),
            None,
            must_contain="Borgerrådgiveren roser kortere svartider",
            must_not_contain="__pwned",
        ),
    ]
