"""Assemble cleaned blocks into a document's stored text, with units that point into it.

The stored text is what users read and what every offset refers to: headings on their own lines,
bullets as "• item" / "◦ sub-item", table rows as "Header: cell" lines, blocks separated by blank lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.models import Block, CellSpan, Unit

BULLETS = {1: "• ", 2: "◦ "}
SECTION_SEPARATOR = " > "


class _Sections:
    """The heading path at the current position; the document title is not a section."""

    def __init__(self, title: str | None) -> None:
        self.title = title
        self.stack: list[tuple[int, str]] = []

    def enter(self, level: int, text: str) -> None:
        if text == self.title and not self.stack:
            return
        self.stack = [(lvl, t) for lvl, t in self.stack if lvl < level]
        self.stack.append((level, text))

    @property
    def path(self) -> str:
        return SECTION_SEPARATOR.join(text for _, text in self.stack)


def _separator(previous: Block | None, block: Block) -> str:
    if previous is None:
        return ""
    if block.kind == "bullet" and (previous.kind == "bullet" or previous.text.endswith(":")):
        return "\n"
    return "\n\n"


def _render_row(block: Block, offset: int) -> tuple[str, tuple[CellSpan, ...]]:
    parts: list[str] = []
    spans: list[CellSpan] = []
    position = offset
    for i, cell in enumerate(block.cells):
        lead = ("\n" if i else "") + cell.header + (":\n" if "\n" in cell.text else ": ")
        position += len(lead)
        spans.append(CellSpan(cell.header, position, position + len(cell.text)))
        parts.append(lead + cell.text)
        position += len(cell.text)
    return "".join(parts), tuple(spans)


def assemble(blocks: Sequence[Block], title: str | None = None) -> tuple[str, list[Unit]]:
    """Stored text and units for cleaned blocks, in order."""
    pieces: list[str] = []
    units: list[Unit] = []
    sections = _Sections(title)
    offset = 0
    previous: Block | None = None
    for block in blocks:
        sep = _separator(previous, block)
        pieces.append(sep)
        offset += len(sep)
        cells: tuple[CellSpan, ...] = ()
        if block.kind == "heading":
            sections.enter(block.level, block.text)
            body = block.text
        elif block.kind == "bullet":
            body = BULLETS.get(block.level, BULLETS[2]) + block.text
        elif block.kind == "row":
            body, cells = _render_row(block, offset)
        else:
            body = block.text
        pieces.append(body)
        units.append(
            Unit(block.kind, offset, offset + len(body), block.level, block.page, sections.path, cells)
        )
        offset += len(body)
        previous = block
    return "".join(pieces), units
