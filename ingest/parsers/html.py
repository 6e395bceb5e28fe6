"""HTML (web pages, Word's "save as web page"): headings, paragraphs, bullets and table rows.

Page furniture (navigation, scripts, forms) is dropped. Word marks list items not with <li> but with
"MsoListParagraph" paragraphs that start with a glyph from a Symbol/Wingdings font ("·", "§", "o"); those
become bullets with the depth Word wrote into their "mso-list" style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from ingest.models import Block, BlockKind, Cell, ParsedDocument

_DROP = [
    "script", "style", "noscript", "template", "title", "meta", "link", "base",
    "nav", "header", "footer", "aside", "form", "button", "select", "svg", "iframe", "object",
]  # fmt: skip
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CONTAINERS = {
    "address", "article", "blockquote", "body", "caption", "center", "dd", "div", "dl",
    "figcaption", "figure", "html", "main", "p", "pre", "section",
}  # fmt: skip
_LISTS = {"ul", "ol", "menu"}
_MSO_LEVEL = re.compile(r"mso-list:\s*l\d+\s+level(\d+)", re.IGNORECASE)
# Glyphs Word writes in front of list items (Symbol "·", Wingdings "§"/"Ø"/"ü", Courier "o") and the
# ones authors type into <li> themselves.
_WORD_GLYPH = re.compile(r"^(?:[·§oØü•▪■◦○●\-–*\uf0b7\uf0a7\uf0d8\uf0fc])\s+(?=\S)")
_LI_GLYPH = re.compile(r"^(?:[·•▪■◦○●\-–*\uf0b7\uf0a7])\s+(?=\S)")
_SPACE = re.compile(r"[^\S\n]+")
_WHITESPACE = re.compile(r"\s+")


def _tidy(raw: str) -> str:
    """Collapse whitespace; keep only the line breaks that <br> and cell structure put there."""
    lines = (_SPACE.sub(" ", line).strip() for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def _word_list_level(tag: Tag) -> int | None:
    """The depth of a Word list paragraph, or None when the paragraph is not a list item."""
    classes = " ".join(tag.get_attribute_list("class") or []).lower()
    match = _MSO_LEVEL.search(str(tag.get("style") or ""))
    if match:
        return min(int(match.group(1)), 2)
    return 1 if "msolistparagraph" in classes else None


@dataclass
class _Flow:
    """Walks the tree in reading order, collecting inline text until a block boundary flushes it."""

    blocks: list[Block] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)
    kind: BlockKind = "paragraph"
    level: int = 0
    glyph: re.Pattern[str] | None = None
    list_depth: int = 0
    outline: int = 1  # the level of the last <h1>–<h6>: a <summary> or <dt> heads a part below it
    details: int = 0  # how many <details> the walk is inside

    def flush(self) -> None:
        text = _tidy("".join(self.buffer))
        self.buffer.clear()
        if self.glyph is not None:
            text = self.glyph.sub("", text, count=1)
        if text:
            self.blocks.append(Block(self.kind, text, self.level))

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, PreformattedString):
                continue  # comments, Word's <![if ...]> markers, doctype
            if isinstance(child, NavigableString):
                self.buffer.append(_WHITESPACE.sub(" ", child))  # source line breaks mean nothing
            elif isinstance(child, Tag):
                self.visit(child)

    def visit(self, tag: Tag) -> None:
        name = tag.name.lower()
        if name == "br":
            self.buffer.append("\n")
        elif name in _HEADINGS:
            self.outline = _HEADINGS[name]
            self.container(tag, "heading", _HEADINGS[name])
        elif name == "summary" or name == "dt":
            # A folded part's summary ("Item 5: …") and a definition list's term ("Decision", a unit's
            # name) head the text that follows them, as headings do; a part folded in another goes below.
            below = self.outline + max(self.details, 1) + (name == "dt" and self.details > 0)
            self.container(tag, "heading", min(below, 6))
        elif name == "details":
            self.details += 1
            self.container(tag, self.kind, self.level, self.glyph)
            self.details -= 1
        elif name == "p" and "msotitle" in " ".join(tag.get_attribute_list("class") or []).lower():
            self.container(tag, "heading", 1)
        elif name == "p" and (level := _word_list_level(tag)) is not None:
            self.container(tag, "bullet", level, _WORD_GLYPH)
        elif name in _LISTS:
            self.flush()
            self.list_depth += 1
            self.walk(tag)
            self.list_depth -= 1
        elif name == "li":
            self.container(tag, "bullet", min(max(self.list_depth, 1), 2), _LI_GLYPH)
        elif name == "table":
            self.flush()
            self.table(tag)
        elif name in _CONTAINERS or name in {"tr", "td", "th", "tbody", "thead", "tfoot", "hr"}:
            self.container(tag, self.kind, self.level, self.glyph)
        else:
            self.walk(tag)  # inline markup: <span>, <b>, <a> …

    def container(self, tag: Tag, kind: BlockKind, level: int, glyph: re.Pattern[str] | None = None) -> None:
        self.flush()
        saved = (self.kind, self.level, self.glyph)
        self.kind, self.level, self.glyph = kind, level, glyph
        self.walk(tag)
        self.flush()
        self.kind, self.level, self.glyph = saved

    def table(self, table: Tag) -> None:
        rows = _rows(table)
        if _is_layout_table(table, rows):
            for row in rows:
                for cell in row:
                    self.container(cell, "paragraph", 0)
            return
        self.blocks.extend(_row_blocks(table, rows))


def _rows(table: Tag) -> list[list[Tag]]:
    """The table's own rows (not those of nested tables), each as its list of th/td cells."""
    rows: list[list[Tag]] = []
    for tr in table.find_all("tr"):
        if isinstance(tr, Tag) and tr.find_parent("table") is table:
            rows.append(
                [cell for cell in tr.find_all(["td", "th"], recursive=False) if isinstance(cell, Tag)]
            )
    return [row for row in rows if row]


def _is_layout_table(table: Tag, rows: list[list[Tag]]) -> bool:
    """Tables used to position content (nested tables, one column or one row) are read as flow."""
    return len(rows) < 2 or max(len(row) for row in rows) < 2 or table.find("table") is not None


def _span(cell: Tag) -> int:
    try:
        return max(1, int(str(cell.get("colspan") or 1)))
    except ValueError:
        return 1


def _row_blocks(table: Tag, rows: list[list[Tag]]) -> list[Block]:
    header_row = _header_row(table, rows)
    headers: list[str] = []
    for cell in header_row:
        headers.extend([_cell_text(cell).replace("\n", " ")] * _span(cell))
    merged: list[dict[int, Cell]] = []
    for row in rows:
        if row is header_row:
            continue
        cells = _keyed_cells(row, headers)
        if not any(cell.text for cell in cells.values()):
            continue
        first = cells.get(0)
        if merged and (first is None or not first.text):
            _merge(merged[-1], cells)  # a continuation row of the row above
        else:
            merged.append(cells)
    return [Block("row", cells=tuple(c for _, c in sorted(cells.items()) if c.text)) for cells in merged]


def _header_row(table: Tag, rows: list[list[Tag]]) -> list[Tag]:
    """The last row of <thead> when there is one, else the first row."""
    head = table.find("thead")
    if isinstance(head, Tag):
        in_head = [row for row in rows if row[0].find_parent("thead") is head]
        if in_head:
            return in_head[-1]
    return rows[0]


def _keyed_cells(row: list[Tag], headers: list[str]) -> dict[int, Cell]:
    """The row's cells by the column they start in, each named by that column's header."""
    cells: dict[int, Cell] = {}
    column = 0
    for tag in row:
        cells[column] = Cell(headers[column] if column < len(headers) else "", _cell_text(tag))
        column += _span(tag)
    return cells


def _merge(previous: dict[int, Cell], continuation: dict[int, Cell]) -> None:
    for column, cell in continuation.items():
        if not cell.text:
            continue
        above = previous.get(column)
        text = f"{above.text}\n{cell.text}" if above is not None and above.text else cell.text
        previous[column] = Cell(cell.header, text)


def _cell_text(cell: Tag) -> str:
    """A cell's text with one line per paragraph and list items as "• " lines."""
    flow = _Flow()
    flow.container(cell, "paragraph", 0)
    return "\n".join(f"• {b.text}" if b.kind == "bullet" else b.text for b in flow.blocks)


def parse_html(text: str) -> ParsedDocument:
    soup = BeautifulSoup(text, "html.parser")
    title_tag = soup.find("title")
    title = _tidy(title_tag.get_text(" ")) if isinstance(title_tag, Tag) else ""
    for tag in soup.find_all(True):
        if isinstance(tag, Tag) and not tag.decomposed and _dropped(tag):
            tag.decompose()
    flow = _Flow()
    flow.walk(soup)
    flow.flush()
    if not title:
        title = next((b.text for b in flow.blocks if b.kind == "heading" and b.level == 1), "")
    return ParsedDocument(format="html", blocks=tuple(flow.blocks), title_hint=title or None)


def _dropped(tag: Tag) -> bool:
    """Page furniture and hidden elements; an article's own <header> holds its title and stays, and so does
    a page's <header> that holds the page's one <h1> (not a logo linking home); a breadcrumb trail goes."""
    if tag.name == "header" and (tag.find_parent(["article", "main"]) is not None or _holds_page_title(tag)):
        return False
    if tag.name not in _NEVER_FURNITURE and _is_breadcrumb(tag):
        return True
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return tag.name in _DROP or tag.has_attr("hidden") or "display:none" in style


_NEVER_FURNITURE = {"html", "body", "main", "article", "section"}
_BREADCRUMB_LABELS = ("breadcrumb", "brødkrumme", "du er her", "you are here")


def _is_breadcrumb(tag: Tag) -> bool:
    classes = [c.lower() for c in tag.get_attribute_list("class") if c]
    label = str(tag.get("aria-label") or "").lower()
    return any(c.startswith("breadcrumb") for c in classes) or any(w in label for w in _BREADCRUMB_LABELS)


def _holds_page_title(header: Tag) -> bool:
    """Whether a <header> holds the page's title: the page's only <h1>, not inside a link."""
    h1 = header.find("h1")
    return (
        isinstance(h1, Tag)
        and h1.find_parent("a") is None
        and h1.find("a") is None
        and not h1.find_all_next("h1")
    )
