import io
import random
import re
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

from ingest.errors import RejectedFile
from ingest.models import ParsedDocument
from ingest.parse import parse_bytes
from ingest.parsers.pdf import parse_pdf

RUNNING_HEADER = "Holbæk Kommune · Opfølgning på årsberetningen"
# One long sentence without full stops inside, so the page break falls mid-sentence.
LONG = (
    "Borgerrådgiveren anbefaler at forvaltningen styrker dialogen med borgerne og at svarene på "
    "henvendelser bliver mere præcise samt at medarbejderne i Økonomiforvaltningen får bedre redskaber "
    "til at følge op på sager der har ligget stille i flere måneder uden at borgeren har hørt noget "
    "og at ledelsen løbende følger med i hvordan det går med de enkelte indsatser på området "
    "ligesom udvalget orienteres to gange om året om fremdriften og om de erfaringer der er høstet"
)


class _Report(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", size=9)
        self.cell(0, 8, RUNNING_HEADER, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(0, 8, f"Side {self.page_no()} af {{nb}}", align="C")


def _write(pdf: FPDF, text: str, size: int = 11, style: str = "") -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")


def _report() -> bytes:
    pdf = _Report()
    pdf.add_page()
    _write(pdf, "Indledning", 14, "B")
    _write(pdf, "Dette er det første afsnit om klager over sagsbehandlingen.")
    pdf.add_page()
    _write(pdf, "Anden side begynder med et nyt afsnit om telefonbetjening.")
    pdf.ln(8)
    _write(pdf, "Opfølgning", 14, "B")
    pdf.set_y(pdf.h - pdf.b_margin - 14)  # room for two lines: the paragraph runs over to page 3
    _write(pdf, LONG + ".")
    pdf.add_page()
    _write(pdf, "Afslutning", 14, "B")
    _write(pdf, "Første afsnit på sidste side slutter her.")
    pdf.ln(8)
    _write(pdf, "Andet afsnit står efter en tom linje.")
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def report() -> ParsedDocument:
    return parse_pdf(_report())


def _block(parsed: ParsedDocument, start: str) -> tuple[str, int | None]:
    (block,) = [b for b in parsed.blocks if b.text.startswith(start)]
    return block.kind, block.page


def test_page_count_and_format(report: ParsedDocument) -> None:
    assert report.format == "pdf"
    assert report.pages == 4


def test_running_header_and_page_numbers_are_removed(report: ParsedDocument) -> None:
    text = "\n".join(b.text for b in report.blocks)
    assert "Holbæk Kommune" not in text
    assert "Side " not in text
    assert all(b.text.strip() not in {"1", "2", "3", "4"} for b in report.blocks)


def test_blocks_carry_the_page_they_start_on(report: ParsedDocument) -> None:
    assert _block(report, "Indledning") == ("heading", 1)
    assert _block(report, "Dette er det første afsnit") == ("paragraph", 1)
    assert _block(report, "Anden side begynder") == ("paragraph", 2)
    assert _block(report, "Afslutning") == ("heading", 4)


def test_paragraph_over_a_page_break_is_one_block(report: ParsedDocument) -> None:
    kind, page = _block(report, "Borgerrådgiveren anbefaler")
    assert (kind, page) == ("paragraph", 2)
    (block,) = [b for b in report.blocks if b.text.startswith("Borgerrådgiveren")]
    assert " ".join(block.text.split()).endswith("erfaringer der er høstet.")


def test_vertical_space_separates_paragraphs(report: ParsedDocument) -> None:
    assert _block(report, "Første afsnit på sidste side") == ("paragraph", 4)
    assert _block(report, "Andet afsnit står") == ("paragraph", 4)


def test_parse_bytes_reads_a_pdf_by_content() -> None:
    parsed = parse_bytes(_report(), "rapport.bin")
    assert parsed.pages == 4 and parsed.format == "pdf"


def _image_pdf() -> bytes:
    pdf = FPDF()
    for shade in (90, 160):
        pdf.add_page()
        pdf.image(Image.new("RGB", (200, 280), (shade, shade, shade)), x=10, y=10, w=180)
    return bytes(pdf.output())


def _blank_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_page()
    return bytes(pdf.output())


def test_pdf_of_blank_pages_has_no_text() -> None:
    with pytest.raises(RejectedFile, match="no text found: the PDF's 2 pages are blank"):
        parse_pdf(_blank_pdf())


def test_pdf_of_pictures_without_text_is_a_scan(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Grey pictures on white pages are not blank: they are a scan, for OCR (here not installed) to read."""
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RejectedFile, match=r"^scanned PDF: page 1 has no text layer and OCR is not"):
        parse_pdf(_image_pdf())


def _encrypted(user_password: str | None) -> bytes:
    pdf = FPDF()
    pdf.set_encryption(owner_password="ejer", user_password=user_password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Fortroligt notat om sagsbehandlingen")
    return bytes(pdf.output())


def test_encrypted_pdf_with_user_password_is_rejected() -> None:
    with pytest.raises(RejectedFile, match="encrypted PDF"):
        parse_pdf(_encrypted("hemmelig"))


def test_pdf_with_only_an_owner_password_opens() -> None:
    assert parse_pdf(_encrypted(None)).blocks[0].text == "Fortroligt notat om sagsbehandlingen"


def test_truncated_pdf_is_rejected() -> None:
    data = _report()
    with pytest.raises(RejectedFile, match="damaged PDF"):
        parse_pdf(data[: len(data) // 2])


def test_pdf_with_a_broken_body_is_rejected() -> None:
    junk = random.Random(3).randbytes(2000)
    with pytest.raises(RejectedFile, match="damaged PDF"):
        parse_pdf(b"%PDF-1.7\n" + junk + b"\n%%EOF\n")


def test_junk_named_pdf_is_rejected() -> None:
    junk = random.Random(5).randbytes(3000)
    with pytest.raises(RejectedFile):
        parse_bytes(junk, "beretning.pdf")
    with pytest.raises(RejectedFile, match="damaged PDF"):
        parse_pdf(io.BytesIO(junk).getvalue())


def test_two_page_running_header_is_removed() -> None:
    pdf = _Report()
    for text in ("Første side handler om klager.", "Anden side handler om svartider."):
        pdf.add_page()
        _write(pdf, text)
    parsed = parse_pdf(bytes(pdf.output()))
    assert [(b.text, b.page) for b in parsed.blocks] == [
        ("Første side handler om klager.", 1),
        ("Anden side handler om svartider.", 2),
    ]


def test_bare_page_number_is_removed_from_a_single_page() -> None:
    pdf = FPDF()
    pdf.add_page()
    _write(pdf, "Notat om ventetider i Borgerservice.")
    pdf.set_y(-20)
    _write(pdf, "- 1 -")
    parsed = parse_pdf(bytes(pdf.output()))
    assert [b.text for b in parsed.blocks] == ["Notat om ventetider i Borgerservice."]


# Lenient reading: what exports and repeated saving do to PDFs that readers still open.


def _texts(data: bytes) -> list[tuple[str, int | None]]:
    return [(" ".join(b.text.split()), b.page) for b in parse_pdf(data).blocks]


def test_pdf_padded_with_zero_bytes_after_eof_is_read() -> None:
    data = _report()
    assert _texts(data + b"\x00" * 20_000) == _texts(data)
    assert _texts(data + b"\x00" * 20_000 + b"\r\n") == _texts(data)


def test_pdf_with_a_wrong_startxref_offset_is_read() -> None:
    data = _report()
    start = re.search(rb"startxref\s+(\d+)", data)
    assert start is not None
    broken = data[: start.start(1)] + str(int(start.group(1)) + 37).encode() + data[start.end(1) :]
    with pytest.raises(Exception, match="xref"):
        PdfReader(io.BytesIO(broken), strict=True).pages[0].extract_text()
    assert _texts(broken) == _texts(data)


def test_pdf_whose_xref_entries_point_wrong_is_read() -> None:
    data = _report()
    table = data.rindex(b"\nxref\n")
    entries = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m.group(1)) + 11), data[table:])
    assert entries != data[table:]
    assert _texts(data[:table] + entries) == _texts(data)


def test_pdf_with_an_incremental_update_reads_the_updated_page() -> None:
    original = _report()
    writer = PdfWriter(io.BytesIO(original), incremental=True)
    addition = FPDF()
    addition.add_page()
    _write(addition, "Tilføjelse efter mødet: sagen blev sendt videre til Byrådet.")
    writer.pages[3].merge_page(PdfReader(io.BytesIO(bytes(addition.output()))).pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    updated = buffer.getvalue()
    assert updated.startswith(original) and updated.count(b"%%EOF") == 2
    texts = _texts(updated)
    assert ("Tilføjelse efter mødet: sagen blev sendt videre til Byrådet.", 4) in texts
    assert ("Indledning", 1) in texts
