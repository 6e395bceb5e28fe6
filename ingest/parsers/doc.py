"""Legacy Word .doc (Word 97–2003): read by Debian's antiword, or by catdoc when antiword cannot.

antiword writes the document as DocBook XML, which keeps Word's structure: heading styles become chapter
and section titles, lists list items, tables table rows. catdoc, the fallback (it reads some files
antiword refuses), gives plain text: one line per paragraph and tab-separated table cells, laid out by
the plain-text rules. Both run as subprocesses on a temporary copy of the file, with a timeout and,
through util-linux's `prlimit`, a memory cap: on some damaged files catdoc loops and allocates without
end.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ingest.detect import looks_binary
from ingest.errors import RejectedFile
from ingest.models import Block, Cell, ParsedDocument
from ingest.parsers.text import Line, blocks_with_tables

TIMEOUT_S = 60
MEMORY_LIMIT = 512 * 1024 * 1024  # bytes of address space for one reader; ten times the largest upload
INSTALL_HINT = "install antiword or catdoc"
_SECTIONS = {"chapter": 1, "preface": 1, "appendix": 1} | {f"sect{n}": n + 1 for n in range(1, 6)}
_PARAGRAPHS = {"para", "simpara", "formalpara"}
_LISTS = {"itemizedlist", "orderedlist"}
_TABLES = {"informaltable", "table"}
_SKIPPED = {"footnote", "bookinfo", "title"}  # a title is read with the section it names


def parse_doc(data: bytes) -> ParsedDocument:
    readers = [
        (tool, read) for tool, read in (("antiword", _antiword), ("catdoc", _catdoc)) if shutil.which(tool)
    ]
    if not readers:
        raise RejectedFile(f"legacy Word .doc: no reader for it is installed ({INSTALL_HINT})")
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sporbar-doc-") as folder:
        path = Path(folder) / "document.doc"
        path.write_bytes(data)
        for tool, read in readers:
            try:
                blocks = read(path)
            except RejectedFile as failure:
                failures.append(failure.reason)
                continue
            if blocks:
                title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
                return ParsedDocument(format="doc", blocks=tuple(blocks), title_hint=title)
            failures.append(f"{tool} found no text")
    raise RejectedFile(f"damaged Word .doc: {'; '.join(failures)}")


def _antiword(path: Path) -> list[Block]:
    xml = _run(["antiword", "-x", "db", str(path)], path)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        raise RejectedFile(f"antiword wrote unreadable XML ({error})") from error
    if root is None:
        raise RejectedFile("antiword wrote no XML")
    walker = _DocBook()
    walker.container(root, level=0, depth=0)
    return walker.blocks


def _catdoc(path: Path) -> list[Block]:
    # -w: no line wrapping, so a paragraph is one line.
    text = _run(["catdoc", "-d", "utf-8", "-w", str(path)], path).decode("utf-8", errors="replace")
    if looks_binary(text):
        raise RejectedFile("catdoc read no text, only binary content")
    lines: list[Line] = [(line, None) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return blocks_with_tables(lines, _tab_cells)


def _run(command: list[str], path: Path) -> bytes:
    tool = command[0]
    if shutil.which("prlimit"):
        command = ["prlimit", f"--as={MEMORY_LIMIT}", "--", *command]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as error:
        raise RejectedFile(f"{tool} took longer than {TIMEOUT_S} s") from error
    except OSError as error:
        raise RejectedFile(f"{tool} could not run ({error})") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").replace(str(path), "the file")
        first = next((line.strip() for line in message.splitlines() if line.strip()), "")
        first = first.split(". ")[0].rstrip(".")  # the finding, without the tool's advice on its options
        raise RejectedFile(f"{tool}: {first or f'exit status {done.returncode}'}")
    return done.stdout


def _tab_cells(line: str) -> list[str] | None:
    cells = [cell.strip() for cell in line.split("\t")]
    return cells if len(cells) >= 2 else None


def _inline(element: Any) -> str:
    """An element's own text and its inline children's (emphasis, links), not nested blocks or notes."""
    out = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _LISTS | _TABLES | {"footnote"}:
            out.append(_inline(child))
        out.append(child.tail or "")
    return "".join(out)


def _clean(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().split("\n") if line.strip())


@dataclass
class _DocBook:
    """Blocks from antiword's DocBook: sections give heading levels, lists their depth."""

    blocks: list[Block] = field(default_factory=list)

    def container(self, element: Any, level: int, depth: int) -> None:
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _SECTIONS:
                self.section(child, _SECTIONS[tag], depth)
            elif tag in _PARAGRAPHS:
                self.paragraph(child, level, depth)
            elif tag in _LISTS:
                for item in child:
                    if item.tag == "listitem":
                        self.container(item, level, depth + 1)
            elif tag in _TABLES:
                self.table(child)
            elif tag and tag not in _SKIPPED:
                self.container(child, level, depth)

    def section(self, element: Any, level: int, depth: int) -> None:
        title = element.find("title")
        if title is not None and (text := " ".join(_inline(title).split())):
            self.blocks.append(Block("heading", text, level))
        self.container(element, level, depth)

    def paragraph(self, element: Any, level: int, depth: int) -> None:
        text = _clean(_inline(element))
        if text:
            self.blocks.append(Block("bullet", text, min(depth, 2)) if depth else Block("paragraph", text))
        self.container(element, level, depth)  # tables and lists inside the paragraph

    def table(self, element: Any) -> None:
        rows = [[_clean(_inline(entry)) for entry in row.iter("entry")] for row in element.iter("row")]
        rows = [row for row in rows if any(row)]
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            for row in rows:  # a table used for layout: its cells as paragraphs
                self.blocks.extend(Block("paragraph", text) for text in row if text)
            return
        headers = rows[0]
        for row in rows[1:]:
            cells = tuple(
                Cell(headers[column] if column < len(headers) else "", text)
                for column, text in enumerate(row)
                if text
            )
            if cells:
                self.blocks.append(Block("row", cells=cells))
