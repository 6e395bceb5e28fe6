"""Rich Text Format: text by striprtf, in the file's own code page; tables and headings from line layout.

striprtf writes a paragraph per line and a table row as its cells each followed by "|"; such runs of
lines become table rows here. Headings are not kept, so the line layout rules of plain text find them.
A file whose groups are left open is cut off, and is rejected rather than indexed in part.
"""

from __future__ import annotations

import codecs
import re

from striprtf.striprtf import rtf_to_text

from ingest.detect import looks_binary
from ingest.errors import RejectedFile
from ingest.models import ParsedDocument
from ingest.parsers.text import Line, blocks_with_tables

_CODE_PAGE = re.compile(rb"\\ansicpg(\d{3,5})")
_ESCAPED = re.compile(r"\\[\\{}]")
_DEFAULT_CODE_PAGE = "cp1252"


def parse_rtf(data: bytes) -> ParsedDocument:
    encoding = _code_page(data)
    source = data.decode(encoding, errors="replace")
    open_groups = _open_groups(source)
    if open_groups > 0:
        raise RejectedFile(f"damaged RTF: the file is cut off ({open_groups} groups left open)")
    try:
        text = rtf_to_text(source, encoding=encoding, errors="replace")
    except Exception as error:  # striprtf's own parsing of odd control words
        raise RejectedFile(f"damaged RTF: {type(error).__name__}: {error}") from error
    if looks_binary(text):
        raise RejectedFile("damaged RTF: its text is binary content")
    lines: list[Line] = [(line, None) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return ParsedDocument(format="rtf", blocks=tuple(blocks_with_tables(lines, _cells)))


def _code_page(data: bytes) -> str:
    """The Python codec for the file's `\\ansicpgN`, or Windows-1252 when it names none we know."""
    match = _CODE_PAGE.search(data[:4096])
    if match:
        name = f"cp{int(match.group(1))}"
        try:
            codecs.lookup(name)
            return name
        except LookupError:
            pass
    return _DEFAULT_CODE_PAGE


def _open_groups(source: str) -> int:
    """How many `{` groups the file leaves unclosed (escaped braces do not count)."""
    plain = _ESCAPED.sub("", source)
    return plain.count("{") - plain.count("}")


def _cells(line: str) -> list[str] | None:
    stripped = line.rstrip()
    if not stripped.endswith("|"):
        return None
    return [cell.strip() for cell in stripped[:-1].split("|")]
