"""OpenDocument text (.odt): the body of content.xml in reading order, read with lxml.

Headings are `text:h` with their outline level, paragraphs `text:p` (a paragraph in the "Title" style
names the document), list items `text:list-item` at their nesting depth, and tables `table:table` whose
first row names the columns. Notes, annotations, tracked deletions, tables of contents and drawings are
left out. The title comes from meta.xml when the document has one.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ingest.errors import RejectedFile
from ingest.models import Block, Cell, ParsedDocument

MAX_XML_BYTES = 64 * 1024 * 1024  # content.xml unpacked: far above real documents, far below a zip bomb
_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_TITLE_STYLES = {"title", "titel"}
_DAMAGED = (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error)
_MAX_REPEAT = 64  # a cell repeated across columns (number-columns-repeated) counts at most this often


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_H, _P, _LIST = _q("text:h"), _q("text:p"), _q("text:list")
_LIST_ITEM, _LIST_HEADER = _q("text:list-item"), _q("text:list-header")
_SECTION, _TABLE = _q("text:section"), _q("table:table")
_ROW, _CELL, _COVERED = _q("table:table-row"), _q("table:table-cell"), _q("table:covered-table-cell")
_ROW_GROUPS = {_q("table:table-header-rows"), _q("table:table-rows"), _q("table:table-row-group")}
_SPACE, _TAB, _BREAK = _q("text:s"), _q("text:tab"), _q("text:line-break")
_SKIPPED_INLINE = {_q("text:note"), _q("office:annotation"), _q("office:annotation-end"), _q("draw:frame")}


def parse_odt(data: bytes) -> ParsedDocument:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            content = _parse_xml(_member(archive, "content.xml"))
            meta = _member(archive, "meta.xml") if "meta.xml" in archive.namelist() else None
        body = content.find("office:body/office:text", _NS)
    except RejectedFile:
        raise
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        EOFError,
        zlib.error,
        etree.XMLSyntaxError,
    ) as error:
        raise RejectedFile(f"damaged OpenDocument text: {type(error).__name__}: {error}") from error
    if body is None:
        raise RejectedFile("damaged OpenDocument text: content.xml has no text body")
    walker = _Walker(_paragraph_styles(content))
    walker.container(body)
    title = _meta_title(meta) or walker.title
    title = title or next((b.text for b in walker.blocks if b.kind == "heading" and b.level == 1), None)
    return ParsedDocument(format="odt", blocks=tuple(walker.blocks), title_hint=title)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, refusing one that unpacks to more than MAX_XML_BYTES whatever its header says."""
    if archive.getinfo(name).file_size > MAX_XML_BYTES:
        raise RejectedFile(
            f"OpenDocument text too large: {name} unpacks to more than {MAX_XML_BYTES >> 20} MB"
        )
    with archive.open(name) as member:
        data = member.read(MAX_XML_BYTES + 1)
    if len(data) > MAX_XML_BYTES:
        raise RejectedFile(
            f"OpenDocument text too large: {name} unpacks to more than {MAX_XML_BYTES >> 20} MB"
        )
    return data


def _parse_xml(data: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(data, parser)


def _meta_title(meta: bytes | None) -> str | None:
    if meta is None:
        return None
    try:
        title = _parse_xml(meta).findtext(".//dc:title", namespaces=_NS)
    except etree.XMLSyntaxError:
        return None
    if not title or not title.strip():
        return None
    return " ".join(title.split())


def _paragraph_styles(content: Any) -> dict[str, str]:
    """Automatic paragraph styles ("P1") mapped to the named style they derive from ("Title")."""
    styles: dict[str, str] = {}
    for style in content.iterfind("office:automatic-styles/style:style", _NS):
        name, parent = style.get(_q("style:name")), style.get(_q("style:parent-style-name"))
        if name and parent:
            styles[name] = parent
    return styles


def _text(element: Any) -> str:
    """A paragraph's text: spans and links read through, spaces, tabs and line breaks kept, notes left out."""
    out = [element.text or ""]
    for child in element:
        if child.tag == _SPACE:
            out.append(" " * min(int(child.get(_q("text:c"), "1") or 1), 100))
        elif child.tag == _TAB:
            out.append("\t")
        elif child.tag == _BREAK:
            out.append("\n")
        elif child.tag not in _SKIPPED_INLINE and isinstance(child.tag, str):
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


@dataclass
class _Walker:
    styles: dict[str, str]
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None

    def container(self, element: Any, depth: int = 0) -> None:
        """Headings, paragraphs, lists, tables and sections of a container; anything else is skipped."""
        for child in element:
            if child.tag in (_H, _P):
                self.paragraph(child, depth)
            elif child.tag == _LIST:
                self.items(child, depth + 1)
            elif child.tag == _TABLE:
                self.table(child)
            elif child.tag == _SECTION:
                self.container(child, depth)

    def paragraph(self, element: Any, depth: int) -> None:
        text = _text(element).strip()
        if not text:
            return
        if element.tag == _H:
            level = element.get(_q("text:outline-level"), "1")
            self.blocks.append(Block("heading", text, max(1, int(level) if level.isdigit() else 1)))
        elif depth:
            self.blocks.append(Block("bullet", text, min(depth, 2)))
        elif self.style(element).lower() in _TITLE_STYLES:
            self.title = self.title or text
            self.blocks.append(Block("heading", text, 1))
        else:
            self.blocks.append(Block("paragraph", text))

    def style(self, element: Any) -> str:
        name = element.get(_q("text:style-name"), "")
        return self.styles.get(name, name)

    def items(self, element: Any, depth: int) -> None:
        for item in element:
            if item.tag in (_LIST_ITEM, _LIST_HEADER):
                self.container(item, depth)

    def table(self, element: Any) -> None:
        rows = [self.row(tr) for tr in self.rows(element)]
        rows = [row for row in rows if any(row)]
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            for tr in self.rows(element):  # a table used for layout: read its cells as running text
                for cell in tr:
                    if cell.tag == _CELL:
                        self.container(cell)
            return
        headers = [" ".join(text.split()) for text in rows[0]]
        for row in rows[1:]:
            cells = tuple(
                Cell(headers[column] if column < len(headers) else "", text)
                for column, text in enumerate(row)
                if text
            )
            if cells:
                self.blocks.append(Block("row", cells=cells))

    def rows(self, element: Any) -> list[Any]:
        rows: list[Any] = []
        for child in element:
            if child.tag == _ROW:
                rows.append(child)
            elif child.tag in _ROW_GROUPS:
                rows.extend(self.rows(child))
        return rows

    def row(self, tr: Any) -> list[str]:
        """The row's cell texts by column; merged-over cells are empty, repeated cells repeated."""
        texts: list[str] = []
        for cell in tr:
            if cell.tag not in (_CELL, _COVERED):
                continue
            text = self.cell_text(cell) if cell.tag == _CELL else ""
            repeat = cell.get(_q("table:number-columns-repeated"), "1")
            texts.extend([text] * min(int(repeat) if repeat.isdigit() else 1, _MAX_REPEAT))
        while texts and not texts[-1]:
            texts.pop()
        return texts

    def cell_text(self, cell: Any) -> str:
        """One line per paragraph, list items as "• " lines, nested tables flattened."""
        inner = _Walker(self.styles)
        inner.container(cell)
        lines = [
            f"• {b.text}"
            if b.kind == "bullet"
            else " · ".join(c.text for c in b.cells)
            if b.kind == "row"
            else b.text
            for b in inner.blocks
        ]
        return "\n".join(line for line in lines if line)
