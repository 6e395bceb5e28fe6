import io
import zipfile

import docx
import pytest
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ingest.errors import RejectedFile
from ingest.models import Block, Cell, ParsedDocument
from ingest.parsers.docx import parse_docx


def _save(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _response() -> bytes:
    document = docx.Document()
    document.add_paragraph("Administrationens svar", style="Title")
    document.add_heading("3. Klima, Miljø og Teknik", level=1)
    document.add_paragraph("Forvaltningen har gennemgået anbefalingerne.")
    document.add_paragraph("")
    document.add_paragraph("Telefontiderne er udvidet", style="List Bullet")
    document.add_paragraph("Også om aftenen", style="List Bullet 2")
    document.add_paragraph("Svar inden for 48 timer", style="List Bullet")
    document.add_heading("Opfølgning", level=2)
    table = document.add_table(rows=3, cols=3)
    for cell, header in zip(table.rows[0].cells, ["Tema", "Anbefaling", "Opfølgning"], strict=True):
        cell.text = header
    dialog = table.rows[1].cells
    dialog[0].text, dialog[1].text, dialog[2].text = "Dialog", "Bedre dialog", "Kurser i 2018"
    dialog[2].add_paragraph("Ny telefonpolitik", style="List Bullet")
    table.cell(2, 0).text = "Svartid"
    table.cell(2, 1).merge(table.cell(2, 2)).text = "Kortere ventetid"
    document.add_paragraph("Efter tabellen.")
    return _save(document)


@pytest.fixture(scope="module")
def response() -> ParsedDocument:
    return parse_docx(_response())


def test_blocks_in_reading_order(response: ParsedDocument) -> None:
    assert response.format == "docx"
    assert [b.kind for b in response.blocks] == [
        "heading", "heading", "paragraph", "bullet", "bullet", "bullet", "heading", "row", "row", "paragraph",
    ]  # fmt: skip


def test_title_and_headings(response: ParsedDocument) -> None:
    assert response.title_hint == "Administrationens svar"
    headings = [(b.text, b.level) for b in response.blocks if b.kind == "heading"]
    assert headings == [("Administrationens svar", 1), ("3. Klima, Miljø og Teknik", 1), ("Opfølgning", 2)]


def test_list_paragraphs_are_bullets_with_levels(response: ParsedDocument) -> None:
    bullets = [(b.text, b.level) for b in response.blocks if b.kind == "bullet"]
    assert bullets == [
        ("Telefontiderne er udvidet", 1),
        ("Også om aftenen", 2),
        ("Svar inden for 48 timer", 1),
    ]


def test_table_rows_are_keyed_by_the_header_row(response: ParsedDocument) -> None:
    rows = [b.cells for b in response.blocks if b.kind == "row"]
    assert rows == [
        (
            Cell("Tema", "Dialog"),
            Cell("Anbefaling", "Bedre dialog"),
            Cell("Opfølgning", "Kurser i 2018\n• Ny telefonpolitik"),
        ),
        (Cell("Tema", "Svartid"), Cell("Anbefaling", "Kortere ventetid")),
    ]


def test_numbering_level_and_tracked_insertions() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Underpunkt med ", style="List Paragraph")
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 1
    num_pr.get_or_add_numId().val = 1
    inserted, run, text = OxmlElement("w:ins"), OxmlElement("w:r"), OxmlElement("w:t")
    inserted.set(qn("w:id"), "1")
    inserted.set(qn("w:author"), "Sagsbehandler")
    text.text = "indsat tekst"
    run.append(text)
    inserted.append(run)
    paragraph._p.append(inserted)
    assert parse_docx(_save(document)).blocks == (Block("bullet", "Underpunkt med indsat tekst", 2),)


def test_damaged_docx_is_rejected() -> None:
    data = _response()
    with pytest.raises(RejectedFile, match="damaged Word document"):
        parse_docx(data[: len(data) // 2])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document>ikke xml")
    with pytest.raises(RejectedFile, match="damaged Word document"):
        parse_docx(buffer.getvalue())
