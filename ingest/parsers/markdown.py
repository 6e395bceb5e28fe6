"""Markdown-ish text exports: "#" headings, lists, and tables with pipe or tab separated rows.

Exports from case systems mix markdown headings with tab-separated table rows whose cells hold inline
HTML lists. A row whose first cell is empty continues the row above (exports wrap long cells into a second
row); a row with only its first cell filled is a sub-heading; a row repeating the header starts a new table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup

from ingest.models import Block, Cell, ParsedDocument
from ingest.parsers.text import blocks_from_lines

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SEPARATOR_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
_INLINE = [
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), lambda m: m.group(1) or m.group(2)),
    (re.compile(r"(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)"), lambda m: m.group(1)),
    (re.compile(r"`([^`]*)`"), lambda m: m.group(1)),
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), lambda m: m.group(1)),
]


def strip_inline(text: str) -> str:
    """Remove markdown emphasis, code and link syntax, keeping the words."""
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return text


def _cell_lines(html: str) -> list[str]:
    """A cell's HTML as text lines: list items become "• item", paragraphs their own lines."""
    if "<" not in html:
        text = strip_inline(html).strip()
        return [text] if text else []
    soup = BeautifulSoup(html, "html.parser")
    lines: list[str] = []
    for node in soup.find_all(["li", "p"]):
        if node.find_parent(["li"]) is not None and node.name == "p":
            continue
        text = " ".join(node.get_text(" ").split())
        if node.name == "li":
            text = text.lstrip("-–•* ").strip()
            if text:
                lines.append(f"• {text}")
        elif text:
            lines.append(text)
        node.decompose()
    rest = " ".join(soup.get_text(" ").split())
    if rest:
        lines.insert(0, strip_inline(rest))
    return lines


def _split_row(line: str) -> list[str]:
    if "\t" in line:
        return line.split("\t")
    return [cell for cell in line.strip().strip("|").split("|")]


def _is_table_line(line: str) -> bool:
    return "\t" in line or (line.lstrip().startswith("|") and line.count("|") >= 2)


class _Table:
    """Accumulates rows of one table and emits row blocks."""

    def __init__(self) -> None:
        self.header: list[str] = []
        self.rows: list[list[list[str]]] = []
        self.out: list[Block] = []

    def add(self, cells: list[str]) -> None:
        if all(_SEPARATOR_CELL.match(cell) or not cell.strip() for cell in cells):
            return
        texts = [_cell_lines(cell) for cell in cells]
        plain = [" ".join(lines) for lines in texts]
        if not self.header or (self.header and plain[: len(self.header)] == self.header):
            self._flush()
            self.header = plain
            return
        filled = [i for i, text in enumerate(plain) if text]
        if filled == [0] and len(cells) > 1:
            self._flush()
            self.out.append(Block("heading", plain[0], level=1))
            return
        if not plain[0] and self.rows:
            previous = self.rows[-1]
            for i, lines in enumerate(texts):
                if i < len(previous):
                    previous[i].extend(lines)
            return
        self.rows.append(texts)

    def _flush(self) -> None:
        for row in self.rows:
            cells = tuple(Cell(self._header(i), "\n".join(lines)) for i, lines in enumerate(row) if lines)
            if cells:
                self.out.append(Block("row", cells=cells))
        self.rows = []

    def _header(self, i: int) -> str:
        return self.header[i] if i < len(self.header) and self.header[i] else f"Kolonne {i + 1}"

    def finish(self) -> list[Block]:
        self._flush()
        return self.out


def _segments(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    """Split lines into ("table", rows) and ("text", lines) runs; blank lines inside a table are kept."""
    i = 0
    while i < len(lines):
        if _is_table_line(lines[i]):
            rows: list[str] = []
            while i < len(lines) and (_is_table_line(lines[i]) or not lines[i].strip()):
                if lines[i].strip():
                    rows.append(lines[i])
                i += 1
            yield "table", rows
        else:
            text: list[str] = []
            while i < len(lines) and not _is_table_line(lines[i]):
                text.append(lines[i])
                i += 1
            yield "text", text


def parse_markdown(text: str) -> ParsedDocument:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    title: str | None = None
    depth = 0  # level of the last "#" heading; headings found in text or tables nest under it

    def nested(found: list[Block]) -> list[Block]:
        return [Block("heading", b.text, depth + 1) if b.kind == "heading" else b for b in found]

    for kind, segment in _segments(lines):
        if kind == "table":
            table = _Table()
            for row in segment:
                table.add(_split_row(row))
            blocks.extend(nested(table.finish()))
            continue
        pending: list[tuple[str, int | None]] = []
        for line in segment:
            heading = _HEADING.match(line)
            if heading:
                blocks.extend(nested(blocks_from_lines(pending)))
                pending = []
                words = strip_inline(heading.group(2)).strip()
                depth = len(heading.group(1))
                title = title or (words if depth == 1 else None)
                blocks.append(Block("heading", words, level=depth))
            else:
                pending.append((strip_inline(line), None))
        blocks.extend(nested(blocks_from_lines(pending)))
    return ParsedDocument(format="markdown", blocks=tuple(blocks), title_hint=title)
