"""OCR of scanned PDF pages: PDFium renders a page, Tesseract's Danish model reads it.

Not to be confused with `ingest/ocr.py`, which judges how garbled the OCR text already inside a file is.
Pages are read in worker processes, one per core (also for a single page: the worker runs Tesseract
single-threaded, and the parent's memory stays clear of page images); each worker is handed the PDF
once and renders the pages it is given, so only page numbers and text cross between processes. Tesseract's
word boxes give the lines and their positions, and its word confidences the quality score.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

import pypdfium2 as pdfium
from PIL import Image
from tqdm import tqdm

LANGUAGE = "dan"
DPI = 300
MAX_PIXELS = 40_000_000  # a large-format page is rendered at a lower resolution than DPI
PAGE_TIMEOUT_S = 300
_PREVIEW_SCALE = 0.5  # 36 dpi: enough to tell a blank page from one with print or handwriting
_BLANK_RANGE = 40  # a page whose grey values span less than this has nothing on it
INSTALL_HINT = "install tesseract-ocr and tesseract-ocr-dan"


@dataclass(frozen=True)
class OcrPage:
    """One page read by OCR: its lines with their vertical positions, and its words' confidences (0–1)."""

    number: int  # 1-based, as in the PDF
    lines: tuple[tuple[str, float], ...] = ()
    confidences: tuple[float, ...] = ()
    error: str | None = None


def ocr_missing() -> str | None:
    """None when Tesseract and its Danish model are installed; otherwise what is missing, in words."""
    import pytesseract

    if shutil.which("tesseract") is None:
        return "OCR is not available"
    try:
        languages = pytesseract.get_languages()
    except Exception:  # a broken installation answers with an error
        return "OCR is not available"
    if LANGUAGE not in languages:
        return "OCR is not available (the Danish model is missing)"
    return None


def worker_count(pages: int) -> int:
    """One worker per core the process may use, never more than there are pages."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, pages))


def open_pdf(data: bytes) -> pdfium.PdfDocument | None:
    """The PDF opened by PDFium for rendering, or None when PDFium cannot open it."""
    try:
        return pdfium.PdfDocument(data)
    except Exception:  # PdfiumError for a damaged file, or a password
        return None


def is_blank(document: pdfium.PdfDocument, index: int) -> bool:
    """Whether a page shows nothing at all (no print, no picture), judged from a coarse rendering."""
    try:
        image = document[index].render(scale=_PREVIEW_SCALE, grayscale=True).to_pil()
    except Exception:
        return True  # a page that cannot be drawn has nothing to read
    low, high = image.convert("L").getextrema()
    return int(high) - int(low) < _BLANK_RANGE


def ocr_pages(data: bytes, numbers: Sequence[int], progress: bool = False) -> list[OcrPage]:
    """Read the given pages (1-based) of a PDF by OCR, in page order, in worker processes."""
    if not numbers:
        return []
    bar = tqdm(total=len(numbers), desc="ocr", unit="page", disable=not progress, leave=False)
    try:
        workers = worker_count(len(numbers))
        try:
            with ProcessPoolExecutor(
                max_workers=workers,
                mp_context=get_context("spawn"),  # no fork of a parent that may run threads
                initializer=_start_worker,
                initargs=(data,),
            ) as pool:
                return [_counted(bar, page) for page in pool.map(_read_in_worker, numbers)]
        except BrokenProcessPool as error:  # a worker died (out of memory, killed)
            return [OcrPage(number, error=f"an OCR worker stopped ({error})") for number in numbers]
    finally:
        bar.close()


def _counted(bar: Any, page: OcrPage) -> OcrPage:
    bar.update(1)
    return page


# A worker process's own copy of the PDF's bytes, handed over once by the pool's initializer.
_worker_data: list[bytes] = []


def _start_worker(data: bytes) -> None:
    # One Tesseract thread per worker: the workers fill the cores. Tesseract's own OpenMP threads were
    # 3–4 times slower on a busy 2-core machine (spinning threads), even for a single page.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _worker_data.append(data)


def _read_in_worker(number: int) -> OcrPage:
    document = pdfium.PdfDocument(_worker_data[0])  # opening reads only the cross-references: cheap
    try:
        return read_page(document, number)
    finally:
        document.close()


def read_page(document: pdfium.PdfDocument, number: int) -> OcrPage:
    """Render one page and read it; a failure is kept on the page, not raised."""
    try:
        image = _render(document[number - 1])
        return _recognise(image, number)
    except Exception as error:  # rendering or Tesseract failed on this page
        return OcrPage(number, error=f"{type(error).__name__}: {error}".strip())


def _render(page: pdfium.PdfPage) -> Image.Image:
    width, height = page.get_size()  # in points
    scale = min(DPI / 72, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
    return page.render(scale=scale, grayscale=True).to_pil()


def _recognise(image: Image.Image, number: int) -> OcrPage:
    import pytesseract

    data = pytesseract.image_to_data(
        image, lang=LANGUAGE, output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT_S
    )
    lines, confidences = lines_from_words(data)
    return OcrPage(number, tuple(lines), tuple(confidences))


def lines_from_words(data: dict[str, list[Any]]) -> tuple[list[tuple[str, float]], list[float]]:
    """Tesseract's word table as text lines, each with the top of the line on the page (in pixels).

    Words carry their block, paragraph and line numbers; a confidence of -1 marks a row that is a box
    rather than a word. Paragraph breaks are left to the line positions, as for a page's text layer.
    """
    lines: list[tuple[str, float]] = []
    confidences: list[float] = []
    current: tuple[int, int, int] | None = None
    for i, word in enumerate(data["text"]):
        word = str(word).strip()
        confidence = float(data["conf"][i])
        if not word or confidence < 0:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        top = float(data["top"][i])
        if key != current:
            lines.append((word, top))
            current = key
        else:
            text, line_top = lines[-1]
            lines[-1] = (f"{text} {word}", min(line_top, top))
        confidences.append(confidence / 100)
    return lines, confidences
