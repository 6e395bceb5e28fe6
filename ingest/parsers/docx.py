"""Word .docx: the body's paragraphs and tables in reading order, with styles giving the structure.

python-docx lists paragraphs and tables separately, so the body XML is walked directly (descending into
content controls) and each element is wrapped in python-docx's objects for its style. Headings come from
"Heading N"/"Overskrift N"/"Title" styles, bullets from list numbering or list styles.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from ingest.errors import RejectedFile
from ingest.models import Block, Cell, ParsedDocument

_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "titel"}
_LIST_STYLE = re.compile(
    r"^(?:list (?:paragraph|bullet|number)|listeafsnit|opstilling\S*)(?:\s*(\d))?$", re.IGNORECASE
)
_SKIPPED_STYLE = re.compile(r"^(?:toc|indholdsfortegnelse)", re.IGNORECASE)  # tables of contents
_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_TEXTBOX = qn("w:txbxContent")
_MAX_STYLE_DEPTH = 10


def parse_docx(data: bytes) -> ParsedDocument:
    try:
        document = docx.Document(io.BytesIO(data))
        walker = _Walker(document)
        walker.container(document.element.body)
    except Exception as error:  # a damaged package fails in zipfile, lxml or python-docx
        raise RejectedFile(f"damaged Word document: {type(error).__name__}: {error}") from error
    blocks = walker.blocks
    title = walker.title or next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    return ParsedDocument(format="docx", blocks=tuple(blocks), title_hint=title)


def _children(element: Any) -> Iterator[Any]:
    """Paragraphs and tables of a container, looking through content controls."""
    for child in element.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _children(content)


def _text(element: Any) -> str:
    """A paragraph's text, including tracked insertions that python-docx's `text` leaves out.

    Deleted text is stored as w:delText and field codes as w:instrText, so neither is collected;
    text boxes are skipped because Word stores them twice (drawing and fallback).
    """
    out: list[str] = []
    for child in element.iterchildren():
        if child.tag == _T:
            out.append(child.text or "")
        elif child.tag == _TAB:
            out.append("\t")
        elif child.tag in (_BR, _CR):
            out.append("\n")
        elif child.tag != _TEXTBOX:
            out.append(_text(child))
    return "".join(out)


def _style_chain(paragraph: Paragraph) -> list[ParagraphStyle]:
    chain: list[ParagraphStyle] = []
    style = paragraph.style
    while style is not None and len(chain) < _MAX_STYLE_DEPTH:
        chain.append(style)
        style = style.base_style
    return chain


def _heading_level(chain: list[ParagraphStyle]) -> int | None:
    for style in chain:
        name = (style.name or "").strip()
        if name.lower() in _TITLE_STYLES:
            return 0  # the document title: a level-1 heading that also names the document
        if match := _HEADING_STYLE.match(name):
            return int(match.group(1))
    return None


def _list_level(paragraph: Paragraph, chain: list[ParagraphStyle]) -> int | None:
    """The bullet depth (1 or 2) of a list paragraph, or None for an ordinary paragraph.

    A style such as "List Bullet 2" links its numbering without a level (the numbering definition
    points back at the style), so the digit in its name gives the depth.
    """
    own = paragraph._p.pPr
    candidates = [own.numPr if own is not None else None]
    candidates += [style.element.pPr.numPr for style in chain if style.element.pPr is not None]
    num_pr: Any = next((num_pr for num_pr in candidates if num_pr is not None), None)
    if num_pr is not None and num_pr.numId is not None and num_pr.numId.val == 0:
        return None  # numId 0 switches inherited numbering off
    named = next((m for style in chain if (m := _LIST_STYLE.match((style.name or "").strip()))), None)
    if num_pr is None and named is None:
        return None
    ilvl = num_pr.ilvl.val if num_pr is not None and num_pr.ilvl is not None else None
    if ilvl is None and named is not None and named.group(1):
        return min(int(named.group(1)), 2)
    return min((ilvl or 0) + 1, 2)


@dataclass
class _Walker:
    document: DocxDocument
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None

    def container(self, element: Any) -> None:
        for child in _children(element):
            if child.tag == _P:
                self.paragraph(child)
            else:
                self.table(child)

    def paragraph(self, element: Any) -> None:
        block = self.block(element)
        if block is not None:
            self.blocks.append(block)

    def block(self, element: Any) -> Block | None:
        paragraph = Paragraph(element, self.document)
        text = _text(element).strip()
        chain = _style_chain(paragraph)
        if not text or any(_SKIPPED_STYLE.match(style.name or "") for style in chain):
            return None
        level = _heading_level(chain)
        if level == 0:
            self.title = self.title or text
            return Block("heading", text, 1)
        if level is not None:
            return Block("heading", text, level)
        if (depth := _list_level(paragraph, chain)) is not None:
            return Block("bullet", text, depth)
        return Block("paragraph", text)

    def table(self, element: Any) -> None:
        rows = [self.row(tr) for tr in element.tr_lst]
        rows = [row for row in rows if any(text for _, text in row)]
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            for tr in element.tr_lst:  # a table used for layout: read its cells as running text
                for tc in tr.tc_lst:
                    self.container(tc)
            return
        headers: dict[int, str] = {column: text.replace("\n", " ") for column, text in rows[0]}
        for row in rows[1:]:
            cells = tuple(Cell(headers.get(column, ""), text) for column, text in row if text)
            if cells:
                self.blocks.append(Block("row", cells=cells))

    def row(self, tr: Any) -> list[tuple[int, str]]:
        """The row's cells as (grid column, text); merged-down cells are empty, not repeated."""
        cells: list[tuple[int, str]] = []
        column = tr.grid_before
        for tc in tr.tc_lst:
            cells.append((column, "" if tc.vMerge == "continue" else self.cell_text(tc)))
            column += tc.grid_span
        return cells

    def cell_text(self, tc: Any) -> str:
        """One line per paragraph, list items as "• " lines, nested tables flattened."""
        lines: list[str] = []
        for child in _children(tc):
            if child.tag == _TBL:
                lines.extend(self.cell_text(inner) for tr in child.tr_lst for inner in tr.tc_lst)
                continue
            block = self.block(child)
            if block is not None:
                lines.append(f"• {block.text}" if block.kind == "bullet" else block.text)
        return "\n".join(line for line in lines if line)
