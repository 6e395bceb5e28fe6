"""Parse stage: bytes of any supported file in, a `ParsedDocument` of blocks out."""

from __future__ import annotations

from ingest.detect import decode_text, sniff_format
from ingest.errors import RejectedFile
from ingest.models import Block, ParsedDocument
from ingest.parsers.doc import parse_doc
from ingest.parsers.docx import parse_docx
from ingest.parsers.html import parse_html
from ingest.parsers.odt import parse_odt
from ingest.parsers.pdf import parse_pdf
from ingest.parsers.rtf import parse_rtf
from ingest.parsers.text import parse_text


def parse_bytes(data: bytes, name: str, progress: bool = False) -> ParsedDocument:
    """Parse a file by what its content is; raise RejectedFile with a one-line reason if it cannot be.

    `progress` shows a progress bar for slow steps within one file (OCR of a scanned PDF's pages).
    """
    if not data.strip():
        raise RejectedFile("empty file")
    kind = sniff_format(data, name)
    if kind == "pdf":
        parsed = parse_pdf(data, progress)
    elif kind == "docx":
        parsed = parse_docx(data)
    elif kind == "doc":
        parsed = parse_doc(data)
    elif kind == "odt":
        parsed = parse_odt(data)
    elif kind == "rtf":
        parsed = parse_rtf(data)
    else:
        parsed = _parse_text_format(kind, decode_text(data))
    if not any(_has_letters(block) for block in parsed.blocks):
        raise RejectedFile("no text found")
    return parsed


def _parse_text_format(kind: str, text: str) -> ParsedDocument:
    if not text.strip():
        raise RejectedFile("empty file")
    if kind == "html":
        return parse_html(text)
    if kind == "markdown":
        from ingest.parsers.markdown import parse_markdown

        return parse_markdown(text)
    return parse_text(text)


def _has_letters(block: Block) -> bool:
    texts = [block.text, *(cell.text for cell in block.cells)]
    return any(ch.isalpha() for text in texts for ch in text)
