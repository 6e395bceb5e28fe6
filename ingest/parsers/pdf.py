"""PDF: page text from pypdf, OCR for scanned pages, running headers and footers removed, then line layout.

Files are read leniently (pypdf's non-strict mode): exports pad PDFs with zero bytes after `%%EOF`, and
broken cross-reference tables and incremental updates are common. A page whose text cannot be extracted
counts as a page without text; a file is rejected only when no page yields text, by its text layer or by
OCR of what the page shows.

pypdf's text has no blank lines between paragraphs, so the vertical position of each line (from the
extraction visitor) marks a paragraph break where the gap to the line above is clearly wider than the
page's usual line spacing. Lines of all pages are read as one stream so a paragraph that runs over a
page break stays one block, on the page where it starts.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from statistics import fmean, median
from typing import Any

from pypdf import PdfReader

from ingest.errors import RejectedFile
from ingest.models import ParsedDocument
from ingest.parsers import ocr
from ingest.parsers.text import Line, blocks_from_lines

_EDGE_LINES = 2  # running headers/footers live in a page's first and last two lines
_MIN_LETTERS = 10  # a page with fewer letters than this has no real text layer
_PARAGRAPH_GAP = 1.4  # times the usual line spacing
_PAGE_NUMBER = re.compile(
    r"^[-–—(\s]*(?:(?:side|page|s\.)\s*)?\d{1,4}(?:\s*(?:af|of|/)\s*\d{1,4})?[-–—)\s]*$", re.IGNORECASE
)

_PageLine = tuple[str, float | None]  # text, vertical position


def parse_pdf(data: bytes, progress: bool = False) -> ParsedDocument:
    """Parse a PDF; pages without a text layer are read by OCR (with a progress bar when `progress`)."""
    with _quiet_pypdf():
        reader = _open(data)
        extracted = [_page_lines(reader, index) for index in range(len(reader.pages))]
    pages = [lines for lines, _ in extracted]
    read = _read_scans(data, pages, progress)
    if not any(_letters(page) >= _MIN_LETTERS for page in pages):
        raise _no_text(pages, read, next((error for _, error in extracted if error), None))
    furniture = _running_lines(pages)
    lines: list[Line] = []
    for number, page in enumerate(pages, start=1):
        if lines:
            lines.append(("", None))  # a page break; the line layout rules decide if a sentence runs on
        lines.extend((text, number) for text in _with_paragraph_breaks(_strip_edges(page, furniture)))
    confidences = [c for page in read if page.lines for c in page.confidences]
    return ParsedDocument(
        format="pdf",
        blocks=tuple(blocks_from_lines(lines)),
        pages=len(pages),
        ocr=any(page.lines for page in read),
        ocr_confidence=round(fmean(confidences), 3) if confidences else None,
    )


def _letters(page: list[_PageLine]) -> int:
    return sum(ch.isalpha() for text, _ in page for ch in text)


def _read_scans(data: bytes, pages: list[list[_PageLine]], progress: bool) -> list[ocr.OcrPage]:
    """OCR the pages that show something but have no text layer, in place; the pages read are returned.

    Without Tesseract a PDF that has text on other pages is read from those pages; one with no text
    layer at all is rejected with a reason that names the missing tools.
    """
    textless = [number for number, page in enumerate(pages, start=1) if _letters(page) < _MIN_LETTERS]
    if not textless:
        return []
    document = ocr.open_pdf(data)
    if document is None:
        if len(textless) == len(pages):
            raise RejectedFile("damaged PDF: it has no text layer and its pages cannot be rendered for OCR")
        return []
    try:
        scanned = [n for n in textless if n <= len(document) and not ocr.is_blank(document, n - 1)]
    finally:
        document.close()
    if not scanned:
        return []
    missing = ocr.ocr_missing()
    if missing is not None:
        if len(textless) < len(pages):
            return []
        raise RejectedFile(
            f"scanned PDF: page {scanned[0]} has no text layer and {missing} ({ocr.INSTALL_HINT})"
        )
    read = ocr.ocr_pages(data, scanned, progress)
    for page in read:
        if page.lines:  # a page OCR could not read keeps what little its text layer had
            pages[page.number - 1] = [(text, y) for text, y in page.lines]
    return read


def _no_text(pages: list[list[_PageLine]], read: list[ocr.OcrPage], error: str | None) -> RejectedFile:
    if read:
        failed = next((page for page in read if page.error), None)
        if failed is not None and not any(page.lines for page in read):
            return RejectedFile(f"scanned PDF: OCR failed on page {failed.number}: {failed.error}")
        return RejectedFile(f"scanned PDF: OCR found no text on {_count(len(read), 'scanned page')}")
    if error is not None:
        return RejectedFile(f"damaged PDF: no page could be read ({error})")
    if len(pages) == 1:
        return RejectedFile("no text found: the PDF's page is blank (no text, nothing to OCR)")
    return RejectedFile(f"no text found: the PDF's {len(pages)} pages are blank (no text, nothing to OCR)")


def _count(count: int, noun: str) -> str:
    return f"its {noun}" if count == 1 else f"its {count} {noun}s"


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs a warning for every repair it makes in non-strict mode; a repaired file is no news."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as error:  # pypdf raises many kinds of error on damaged files
        raise _damaged(error) from error
    if encrypted:
        try:
            opened = reader.decrypt("")  # many PDFs are encrypted only to restrict printing or copying
        except Exception as error:
            raise RejectedFile(f"encrypted PDF: cannot decrypt it ({error})") from error
        if not opened:
            raise RejectedFile("encrypted PDF: it needs a password to open; upload an unprotected copy")
    try:
        count = len(reader.pages)
    except Exception as error:
        raise _damaged(error) from error
    if count == 0:
        raise RejectedFile("damaged PDF: it has no pages")
    return reader


def _damaged(error: Exception) -> RejectedFile:
    return RejectedFile(f"damaged PDF: {type(error).__name__}: {error}")


def _page_lines(reader: PdfReader, index: int) -> tuple[list[_PageLine], str | None]:
    """The page's text lines, each with the vertical position it was drawn at when known.

    A page whose text cannot be extracted has no lines; the error is returned beside them.
    """
    parts: list[tuple[str, float]] = []

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], *_: Any) -> None:
        parts.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    try:
        text = reader.pages[index].extract_text(visitor_text=visit)
    except Exception as error:  # a damaged page: other pages may still be read
        return [], f"{type(error).__name__}: {error}"
    if "".join(part for part, _ in parts) != text:
        return [(line, None) for line in text.split("\n")], None
    lines: list[list[Any]] = [["", None]]
    for part, y in parts:
        for i, piece in enumerate(part.split("\n")):
            if i:
                lines.append(["", None])
            if piece.strip() and lines[-1][1] is None:
                lines[-1][1] = y
            lines[-1][0] += piece
    return [(str(text), position) for text, position in lines], None


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def _edges(page: list[_PageLine]) -> list[int]:
    """Indexes of the first and last few non-blank lines of a page."""
    filled = [i for i, (text, _) in enumerate(page) if text.strip()]
    return sorted(set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]))


def _running_lines(pages: list[list[_PageLine]]) -> set[str]:
    """Keys of edge lines that repeat on at least half the pages (on both pages of a two-page PDF)."""
    if len(pages) < 2:
        return set()
    counts = Counter(key for page in pages for key in {_key(page[i][0]) for i in _edges(page)})
    needed = len(pages) if len(pages) == 2 else max(2, (len(pages) + 1) // 2)
    return {key for key, count in counts.items() if count >= needed}


def _strip_edges(page: list[_PageLine], furniture: set[str]) -> list[_PageLine]:
    drop = {i for i in _edges(page) if _key(page[i][0]) in furniture or _PAGE_NUMBER.match(page[i][0])}
    return [line for i, line in enumerate(page) if i not in drop]


def _with_paragraph_breaks(page: list[_PageLine]) -> list[str]:
    """The page's lines with a blank line wherever the gap above a line is wider than usual."""
    if all(y is None for _, y in page):
        return [text for text, _ in page]  # no positions: keep the extractor's own layout
    filled = [(text, y) for text, y in page if text.strip()]
    # abs(): some producers flip the y axis, so lines further down may have larger y.
    gaps = [abs(a - b) for (_, a), (_, b) in pairwise(filled) if a is not None and b is not None]
    usual = median([gap for gap in gaps if gap > 0] or [0.0])
    out: list[str] = []
    above: float | None = None
    for text, y in filled:
        if out and usual and y is not None and above is not None and abs(above - y) > _PARAGRAPH_GAP * usual:
            out.append("")
        out.append(text)
        above = y
    return out
