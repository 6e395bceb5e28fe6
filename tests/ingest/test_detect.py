import io
import random
import zipfile

import docx
import pytest
from fpdf import FPDF

from ingest.detect import decode_text, sniff_format
from ingest.errors import RejectedFile
from ingest.parse import parse_bytes

DANISH = "Økonomiforvaltningen på møde"

# A text export like the ones municipalities publish: markdown headings, tab-separated table rows whose
# cells hold inline HTML lists, and a continuation row with an empty first cell.
EXPORT_WITH_INLINE_HTML = (
    "# Opfølgning på anbefalinger\n\n## Indledning\n\nKoncernledelsen har haft fokus på kompetencer.\n\n"
    "<b>Tema</b>\t<b>Anbefaling</b>\t<b>Opfølgning</b>\n"
    "<b>Dialog</b>\t<ul> <li>- Bedre dialog med borgerne.</li> </ul>\t<ul> <li>- Kurser i 2018.</li> </ul>\n"
    "\t\t<ul> <li>- Flere møder.</li> </ul>\n"
    "<b>Svartid</b>\t<ul> <li>- Kortere svartid.</li> </ul>\t<p>Vi følger op.</p>\n"
)


def _pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Referat fra mødet i udvalget")
    return bytes(pdf.output())


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Et afsnit i et Word-dokument.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_pdf_is_recognised_by_its_magic_whatever_the_name() -> None:
    assert sniff_format(_pdf_bytes(), "referat.txt") == "pdf"


def test_docx_is_recognised_as_a_zip_with_a_word_document() -> None:
    assert sniff_format(_docx_bytes(), "notat") == "docx"


def test_zip_that_is_not_a_docx_is_rejected() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(RejectedFile, match="not a Word"):
        sniff_format(buffer.getvalue(), "ark.docx")


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _ole2(stream: str) -> bytes:
    """The head of an Office 97–2003 file whose directory names one stream (as UTF-16LE)."""
    return OLE2 + stream.encode("utf-16-le") + bytes(64)


def test_word_97_doc_is_recognised_by_its_word_stream() -> None:
    assert sniff_format(_ole2("WordDocument"), "bilag") == "doc"
    assert sniff_format(OLE2, "referat.doc") == "doc"  # the reader says what is wrong with it


@pytest.mark.parametrize(
    ("stream", "kind"),
    [("Workbook", "Excel workbook"), ("PowerPoint Document", "PowerPoint"), ("Contents", "not a Word .doc")],
)
def test_other_office_97_files_are_rejected_by_kind(stream: str, kind: str) -> None:
    with pytest.raises(RejectedFile, match=kind):
        sniff_format(_ole2(stream), "bilag.xls")


def test_rtf_is_recognised_whatever_the_name() -> None:
    assert sniff_format(b"{\\rtf1\\ansi Tekst\\par}", "referat.doc") == "rtf"
    assert sniff_format(b"\r\n {\\rtf1 Tekst}", "x") == "rtf"


def test_odt_and_doc_names_without_their_format_are_rejected_or_read_by_content() -> None:
    with pytest.raises(RejectedFile, match="damaged OpenDocument text"):
        sniff_format(b"Ikke en pakke", "referat.odt")
    with pytest.raises(RejectedFile, match=r"damaged Word \.doc"):
        sniff_format(random.Random(9).randbytes(2000), "referat.doc")
    assert sniff_format(b"<html><body><p>Gammelt web-eksport</p></body></html>", "side.doc") == "html"


def test_html_document_saved_as_txt_is_html() -> None:
    page = b"<!DOCTYPE html><html><head><title>Nyt</title></head><body><p>Hej</p></body></html>"
    assert sniff_format(page, "side.txt") == "html"


def test_html_fragment_without_html_tag_is_html() -> None:
    fragment = "<h2>Klager</h2>\n<p>Vi modtog 158 henvendelser.</p>\n<div>Læs mere i beretningen.</div>\n"
    assert sniff_format(fragment.encode(), "uddrag") == "html"


def test_text_export_with_inline_html_lists_is_markdown() -> None:
    assert sniff_format(EXPORT_WITH_INLINE_HTML.encode(), "opfoelgning.txt") == "markdown"


def test_markdown_by_headings_pipe_tables_and_lists() -> None:
    assert sniff_format(b"# Titel\n\nTekst her.\n", "a.txt") == "markdown"
    table = "| Tema | Svar |\n|---|---|\n| Dialog | Kurser |\n"
    assert sniff_format(table.encode(), "a.txt") == "markdown"
    listing = "Punkter:\n\n- **Dialog** med borgerne\n- Kortere svartid\n"
    assert sniff_format(listing.encode(), "a.txt") == "markdown"


def test_plain_text_is_text_and_extension_breaks_the_tie() -> None:
    plain = "Borgerrådgiverens beretning\n\nKlagerne handler om procesfejl.\n• Et punkt\n".encode()
    assert sniff_format(plain, "beretning.txt") == "text"
    assert sniff_format(plain, "beretning.md") == "markdown"
    assert sniff_format(b"Kun tekst uden tags.", "side.html") == "text"


def test_binary_junk_is_rejected() -> None:
    junk = random.Random(7).randbytes(4096)
    with pytest.raises(RejectedFile, match="binary content"):
        sniff_format(junk, "data.txt")
    with pytest.raises(RejectedFile, match="binary content"):
        sniff_format(b"GIF89a\x00\x01\x02\x03text", "billede")


def test_control_characters_without_nul_are_binary() -> None:
    with pytest.raises(RejectedFile, match="binary content"):
        sniff_format(bytes(range(1, 9)) * 50 + b"tekst", "x.txt")


def test_junk_named_pdf_is_rejected() -> None:
    with pytest.raises(RejectedFile, match="PDF"):
        sniff_format(b"<html>404 Not Found</html>", "rapport.pdf")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_8bit_text_decodes_exactly(encoding: str) -> None:
    assert decode_text(DANISH.encode(encoding)) == DANISH


def test_cp1252_punctuation_decodes() -> None:
    text = "Svar – “hurtigst muligt” inden 5. maj"
    assert decode_text(text.encode("cp1252")) == text


def test_utf8_with_bom_crlf_and_utf16_decode() -> None:
    assert (
        decode_text(("\ufeff" + DANISH + "\r\nanden linje\r").encode("utf-8")) == DANISH + "\nanden linje\n"
    )
    assert decode_text(DANISH.encode("utf-16")) == DANISH


def test_parse_bytes_rejects_empty_and_letterless_files() -> None:
    with pytest.raises(RejectedFile, match="empty file"):
        parse_bytes(b" \n\t\n", "tom.txt")
    with pytest.raises(RejectedFile, match="no text found"):
        parse_bytes(b"12 34\n\n56 - 78\n", "tal.txt")


def test_parse_bytes_dispatches_on_content() -> None:
    parsed = parse_bytes("<html><body><h1>Årsberetning</h1><p>Tekst</p></body></html>".encode(), "x.txt")
    assert parsed.format == "html"
    assert parsed.blocks[0].text == "Årsberetning"
    assert parse_bytes(_docx_bytes(), "x.bin").format == "docx"
    assert parse_bytes(_pdf_bytes(), "x").format == "pdf"
    text = parse_bytes(DANISH.encode("cp1252"), "note.txt")
    assert text.format == "text"
    assert text.blocks[0].text == DANISH
