"""Scanned PDFs: pages that are only an image of text are read by Tesseract's Danish model."""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from ingest.errors import RejectedFile
from ingest.parse import parse_bytes
from ingest.parsers.ocr import lines_from_words

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
MINUTES = [
    "Referat fra mødet i Økonomiudvalget",
    "",
    "Udvalget besluttede at forhøje tilskuddet til ældreplejen på Ærø og",
    "bad forvaltningen om en årlig opfølgning på måltal for søgsmål.",
    "",
    "Beslutning",
    "",
    "Indstillingen blev tiltrådt. Borgmesteren bad forvaltningen udarbejde",
    "en plan for bølgebryderen ved Søndervig Strand inden udgangen af året.",
]
SECOND = [
    "Bilag om vejbelysning i Hjørring",
    "",
    "Kommunalbestyrelsen godkendte udskiftningen af gadelys på Nørregade.",
]
OCR_MISSING = "scanned PDF: page 1 has no text layer and OCR is not available"


def _font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu where the system has it (fonts-dejavu-core), else the TrueType font Pillow ships."""
    if DEJAVU.exists():
        return ImageFont.truetype(str(DEJAVU), size)
    return ImageFont.load_default(size=size)


def _scan(lines: list[str]) -> Image.Image:
    """A page as a scanner gives it: rendered text at 300 dpi, a little grey, no text layer."""
    font = _font(36)
    image = Image.new("L", (2100, 150 + 56 * len(lines)), 250)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((120, 80 + 56 * row), line, font=font, fill=25)
    return image


def _image_pdf(*pages: Image.Image) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=300, save_all=True, append_images=list(pages[1:]))
    return buffer.getvalue()


def _words(text: str) -> list[str]:
    return re.findall(r"[\wæøåÆØÅ]+", text.lower())


def _recall(expected: list[str], text: str) -> float:
    want, got = Counter(_words(" ".join(expected))), Counter(_words(text))
    return sum(min(count, got[word]) for word, count in want.items()) / sum(want.values())


def _text(parsed: object) -> str:
    return "\n".join(block.text for block in getattr(parsed, "blocks", ()))


needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Tesseract is installed by `make test` (make ocr-deps)"
)


@pytest.mark.integration
@needs_tesseract
def test_scanned_page_is_read_by_ocr_with_its_danish_letters() -> None:
    parsed = parse_bytes(_image_pdf(_scan(MINUTES)), "scannet-referat.pdf")
    text = _text(parsed)
    assert parsed.format == "pdf" and parsed.pages == 1
    assert parsed.ocr is True
    assert parsed.ocr_confidence is not None and 0.8 <= parsed.ocr_confidence <= 1
    assert _recall(MINUTES, text) >= 0.9
    danish = [w for w in _words(" ".join(MINUTES)) if re.search("[æøå]", w)]
    assert len(danish) >= 10
    assert _recall(danish, text) >= 0.9
    assert {block.page for block in parsed.blocks} == {1}
    assert any(b.kind == "heading" and b.text == "Beslutning" for b in parsed.blocks)


@pytest.mark.integration
@needs_tesseract
def test_pages_keep_their_numbers_when_text_and_scans_mix() -> None:
    """Page 1 has a text layer, page 2 is blank, pages 3 and 4 are scans read in worker processes."""
    text_page = FPDF(unit="pt", format=(504, 200))
    text_page.add_page()
    text_page.set_font("Helvetica", size=11)
    text_page.multi_cell(0, 14, "Dagsorden for mødet i Teknik- og Miljøudvalget den 3. marts.")
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(bytes(text_page.output()))))
    writer.add_blank_page(504, 200)
    writer.append(PdfReader(io.BytesIO(_image_pdf(_scan(MINUTES), _scan(SECOND)))))
    buffer = io.BytesIO()
    writer.write(buffer)

    parsed = parse_bytes(buffer.getvalue(), "blandet.pdf")
    assert parsed.pages == 4 and parsed.ocr is True
    pages = {block.page for block in parsed.blocks}
    assert pages == {1, 3, 4}
    assert _recall(SECOND, "\n".join(b.text for b in parsed.blocks if b.page == 4)) >= 0.9
    assert "Teknik- og Miljøudvalget" in "\n".join(b.text for b in parsed.blocks if b.page == 1)


def test_text_layer_pdf_is_not_marked_ocr() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Referat fra mødet i udvalget om skoler")
    parsed = parse_bytes(bytes(pdf.output()), "referat.pdf")
    assert (parsed.ocr, parsed.ocr_confidence) == (False, None)


def test_without_tesseract_the_reason_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract binary to be found
    with pytest.raises(RejectedFile) as rejected:
        parse_bytes(_image_pdf(_scan(MINUTES)), "scannet.pdf")
    assert rejected.value.reason == (f"{OCR_MISSING} (install tesseract-ocr and tesseract-ocr-dan)")


@needs_tesseract
def test_without_the_danish_model_the_reason_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # a model folder without dan.traineddata
    with pytest.raises(RejectedFile, match="the Danish model is missing"):
        parse_bytes(_image_pdf(_scan(MINUTES)), "scannet.pdf")


def test_without_tesseract_text_pages_of_a_mixed_pdf_are_still_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Referat fra mødet i udvalget om skoler")
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(bytes(pdf.output()))))
    writer.append(PdfReader(io.BytesIO(_image_pdf(_scan(SECOND)))))
    buffer = io.BytesIO()
    writer.write(buffer)
    monkeypatch.setenv("PATH", str(tmp_path))
    parsed = parse_bytes(buffer.getvalue(), "blandet.pdf")
    assert [b.text for b in parsed.blocks] == ["Referat fra mødet i udvalget om skoler"]
    assert parsed.ocr is False


@pytest.mark.parametrize("shade", [255, 128])
def test_blank_pages_are_no_text_not_a_scan(shade: int) -> None:
    blank = Image.new("L", (600, 800), shade)
    with pytest.raises(RejectedFile, match="no text found: the PDF's 2 pages are blank"):
        parse_bytes(_image_pdf(blank, blank), "tom.pdf")


def test_tesseract_words_become_lines_with_their_positions() -> None:
    table = {
        "text": ["", "Beslutning", "", "Udvalget", "godkendte", "planen.", "Næste", "linje"],
        "conf": [-1, 96, -1, 90, 80, 70, 60, 50],
        "block_num": [1, 1, 2, 2, 2, 2, 2, 2],
        "par_num": [1, 1, 1, 1, 1, 1, 1, 1],
        "line_num": [1, 1, 1, 1, 1, 1, 2, 2],
        "top": [0, 100, 0, 205, 200, 202, 260, 261],
    }
    lines, confidences = lines_from_words(table)
    assert lines == [("Beslutning", 100.0), ("Udvalget godkendte planen.", 200.0), ("Næste linje", 260.0)]
    assert confidences == [0.96, 0.9, 0.8, 0.7, 0.6, 0.5]


@pytest.mark.integration
def test_a_scanned_pdf_is_ingested_marked_and_searchable(tmp_path: Path) -> None:
    from index.factory import open_index
    from index.models import Filters
    from index.settings import Settings
    from ingest.pipeline import IngestOptions, run_ingest

    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "referat-scannet.pdf").write_bytes(_image_pdf(_scan(MINUTES)))
    index = open_index(Settings(data_dir=tmp_path / "data", embedder="fake"))
    report = run_ingest(index.record, [folder], IngestOptions())
    assert (report.added, report.rejected) == (1, [])
    index.sync()
    (doc,) = index.record.documents()
    assert doc.ocr and doc.pages == 1
    words = [w for w in _words(" ".join(MINUTES)) if len(w) > 6][:3]
    hits = index.searcher.search(" ".join(words), 3, Filters(), mode="lexical").results
    assert hits and hits[0].doc_id == doc.doc_id and hits[0].page == 1
