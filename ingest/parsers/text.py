"""Plain text (and PDF page text): recover headings, paragraphs and bullets from line layout.

Plain exports and OCR output carry structure only in their lines: a short line standing alone is a
heading, a glyph at the start of a line is a bullet ("•", and OCR's "e"/"o"), wrapped lines belong to the
paragraph above them. Lines keep their breaks here; cleaning joins them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.fields import HEADER_FIELDS, is_decision_field, is_item_field
from ingest.models import Block, Cell, ParsedDocument

Line = tuple[str, int | None]  # (text, page)

_BULLET = re.compile(r"^\s*(?P<glyph>[•●▪■◦○·\uf0b7\uf0a7*©®«°oe\-–])\s+(?P<rest>\S.*)$")
_SUB_GLYPHS = {"o", "◦", "○", "\uf0a7"}
_DASH_GLYPHS = {"-", "–"}
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<rest>[A-ZÆØÅ@|][^\n]*)$")
_MONTHS = (
    "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|"
    "january|february|march|may|june|july|october"
)
_DATE_LINE = re.compile(
    rf"^\s*(\d{{1,2}}\.?\s*({_MONTHS})\s+\d{{4}}|\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}})\s*$", re.IGNORECASE
)
_SENTENCE_END = (".", "!", "?", ":", ";", '"', "”", ")")
# A rule of dashes, equals signs, underscores, asterisks or tildes: plain exports separate items with them,
# and mail programs messages ("-----Oprindelig meddelelse-----", "-------- Forwarded message --------").
_RULE = re.compile(
    r"^\s*([-=_*~])\1{2,}(?:\s*(?:oprindelig|videresendt|original|forwarded)\s+(?:meddelelse|message)"
    r"\s*\1{3,})?\s*$",
    re.IGNORECASE,
)
# A letter's or mail's salutation and closing stand alone on their lines without being headings.
_GREETING = re.compile(
    r"^(?:kære|hej|dear|hi|hello|goddag)\b|^(?:med\s+)?(?:venlig(?:st)?\s+|mange\s+)?hilsen|^mvh\b"
    r"|^(?:best|kind)\s+regards|^yours\s+(?:sincerely|faithfully)",
    re.IGNORECASE,
)
# A numbered list item: "1. Udsende procedure …", "2) Oprette …".
_NUMBERED_ITEM = re.compile(r"^\s*\d{1,2}[.)]\s+\S")
# A field of a mail's, memo's or meeting record's header: each such line is a paragraph of its own, never a
# heading.
_HEADER_FIELD = re.compile(rf"^\s*(?:{'|'.join(HEADER_FIELDS)})\s*:", re.IGNORECASE)
# The line above a quoted message: "Hanne Nielsen skrev:", "On 3 March, Anne wrote:".
_MAIL_ABOVE = re.compile(r"\b(?:skrev|wrote)\s*:\s*$|(?:meddelelse|message)\s*-+\s*$", re.IGNORECASE)
# A mail's quote marks at the start of a line: ">", "> > ", ">>".
_QUOTE_MARKS = re.compile(r"^[ \t]*>(?:[ \t]?>)*[ \t]?")
_QUOTES = "\"'”“’‘«»("
_FUNCTION_WORDS = frozenset(
    [
        "af",
        "at",
        "de",
        "den",
        "der",
        "det",
        "en",
        "et",
        "for",
        "fra",
        "i",
        "med",
        "og",
        "om",
        "på",
        "pa",
        "som",
        "til",
        "the",
        "of",
        "and",
        "to",
        "in",
        "for",
        "with",
    ]
)
_MAX_HEADING_WORDS = 10
_MAX_HEADING_CHARS = 90


@dataclass
class _Open:
    kind: str
    lines: list[str]
    level: int
    page: int | None
    field: bool = False  # a header field ("Deltagere: …"): only an unfinished list of names goes on in it


def _is_blank(line: str) -> bool:
    """Empty, or a rule (see `_RULE`), which also ends the block before it."""
    return not line.strip() or bool(_RULE.match(line))


def _is_noise(line: str) -> bool:
    """OCR debris such as a row of lost bullet glyphs ("O O O O")."""
    tokens = line.split()
    return len(tokens) >= 2 and all(len(tok) == 1 and not tok.isdigit() for tok in tokens)


def _bullet(line: str, prev: str | None) -> tuple[int, str] | None:
    match = _BULLET.match(line)
    if not match:
        return None
    glyph, rest = match["glyph"], match["rest"]
    if glyph in {"o", "e"} and not (rest[:1].isalnum() or rest[:1] in "'’\"”(@|"):
        return None  # a lone 'o'/'e' is OCR's bullet only when an item starts after it
    if (
        glyph in _DASH_GLYPHS
        and prev is not None
        and not _is_blank(prev)
        and not prev.rstrip().endswith(_SENTENCE_END)
    ):
        return None  # a dash continuing a wrapped sentence, not a list item
    return (2 if glyph in _SUB_GLYPHS else 1), rest


def _heading_level(line: str, prev: str | None, nxt: str | None, numbered_seen: bool) -> int | None:
    text = line.strip()
    if not text or len(text) > _MAX_HEADING_CHARS or len(text.split()) > _MAX_HEADING_WORDS:
        return None
    if _DATE_LINE.match(text) or _GREETING.match(text) or _HEADER_FIELD.match(text):
        return None
    if (
        prev is not None
        and not _is_blank(prev)
        and not prev.rstrip().endswith(_SENTENCE_END)
        and not (_HEADER_FIELD.match(prev) and not prev.rstrip().endswith((",", ";")))
    ):
        return None  # the tail of a wrapped paragraph (a finished header field needs no full stop)
    if text.endswith((".", ",", ";", "-")) or (text.endswith(":") and not is_item_field(text)):
        return None  # a field of minutes may end in a colon ("Beslutning i Økonomiudvalget den 4. maj 2025:")
    if nxt is not None and not _is_blank(nxt):
        if nxt.strip()[:1].islower() or nxt.strip()[:1] in _QUOTES:
            return None  # the first line of a wrapped sentence
        if text.split()[-1].lower() in _FUNCTION_WORDS:
            return None  # headings do not end on "med", "at", "og" …
    numbered = _NUMBERED.match(text)
    if numbered:
        return numbered["num"].count(".") + 1
    if not (text[:1].isupper() or text[:1] in "@|"):
        return None
    if text.endswith("?") and nxt is not None and not _is_blank(nxt):
        return None
    return 2 if numbered_seen else 1


def blocks_from_lines(lines: Sequence[Line]) -> list[Block]:
    """Group lines into blocks; each block keeps its source line breaks and the page it starts on."""
    blocks: list[Block] = []
    current: _Open | None = None
    numbered_seen = False
    pending_blank = False
    item_level: int | None = None  # the level of the last heading that is not a field of an agenda item

    def close() -> None:
        nonlocal current
        if current is not None and any(part.strip() for part in current.lines):
            blocks.append(Block(current.kind, "\n".join(current.lines), current.level, current.page))  # type: ignore[arg-type]
        current = None

    lines = [(text, page) for text, page in lines if not _is_noise(text)]
    texts = [text for text, _ in lines]
    # Fields nest under their item only in minutes (a decision field is there): elsewhere "Baggrund" or
    # "Økonomi" is a section of its own.
    minutes = any(is_decision_field(text.strip()) for text in texts)
    for i, (line, page) in enumerate(lines):
        if _is_blank(line):
            if _RULE.match(line):
                close()  # nothing runs on across a rule
            pending_blank = True
            continue
        prev = "" if pending_blank else (texts[i - 1] if i > 0 else None)
        nxt = texts[i + 1] if i + 1 < len(texts) else None
        bullet = _bullet(line, prev)
        if _header_run(texts, i):
            close()  # a field of its own; a wrapped line that starts no field may go on in it
            current = _Open("paragraph", [line.strip()], 0, page, field=True)
        elif bullet is None and current is not None and pending_blank and _runs_on(current, line):
            current.lines.append(line)
        elif bullet is not None:
            close()
            current = _Open("bullet", [bullet[1]], bullet[0], page)
        elif (level := _heading_level(line, prev, nxt, numbered_seen)) is not None:
            close()
            numbered_seen = numbered_seen or bool(_NUMBERED.match(line.strip()))
            if not (minutes and is_item_field(line)):
                item_level = level
            elif item_level is not None:
                level = item_level + 1  # a field of an agenda item belongs under the item's heading
            blocks.append(Block("heading", line.strip(), level, page))
        elif (
            current is not None
            and _NUMBERED_ITEM.match(line)
            and current.lines[-1].rstrip().endswith(_SENTENCE_END)
        ):
            close()  # a numbered item after a finished sentence starts one of its own
            current = _Open("paragraph", [line], 0, page)
        elif current is not None and _continues(current, line, pending_blank) and _goes_on(current, line):
            current.lines.append(line)
        else:
            close()
            current = _Open("paragraph", [line], 0, page)
        pending_blank = False
    close()
    return blocks


def _header_run(texts: Sequence[str], i: int, reach: int = 3) -> bool:
    """Whether line i is a header field ("Fra:", "Sendt:", "Emne:", "Dato:") with another one among the
    `reach` lines of text before or after it (a field may wrap onto a line of its own)."""
    if not _HEADER_FIELD.match(texts[i]):
        return False
    for step in (-1, 1):
        j, seen = i + step, 0
        while 0 <= j < len(texts) and seen < reach:
            if not _is_blank(texts[j]):
                if _HEADER_FIELD.match(texts[j]):
                    return True
                seen += 1
            j += step
    return False


def _goes_on(current: _Open, line: str) -> bool:
    """Whether a line may go on in the open block: in a header field, only after a comma or "og" / "and",
    or in lower case."""
    if not current.field:
        return True
    last = current.lines[-1].rstrip()
    return (
        last.endswith((",", ";")) or last.split()[-1].lower() in ("og", "and") or line.strip()[:1].islower()
    )


def _continues(current: _Open, line: str, after_blank: bool) -> bool:
    """Whether a line belongs to the open block; a blank line ends it unless the sentence clearly goes on."""
    return not after_blank or _runs_on(current, line)


def _runs_on(current: _Open, line: str) -> bool:
    """Whether a line after a blank line finishes the open block's unfinished sentence.

    Exports insert blank lines inside wrapped bullets; a bullet that has not ended its sentence goes on,
    and so does a paragraph cut after a full-width line or followed by a lowercase word.
    """
    last = current.lines[-1].rstrip()
    if not last or last.endswith(_SENTENCE_END):
        return False
    first = line.strip()[:1]
    if first.islower() or first.isdigit() or first == "(":
        return True
    return current.kind == "bullet" or len(last) >= 70


def blocks_with_tables(lines: Sequence[Line], cells: Callable[[str], list[str] | None]) -> list[Block]:
    """Blocks from lines in which a converter drew tables as text, one line per row.

    `cells` returns a row line's cells, or None for a line that is not a row. A run of at least two rows
    with at least two columns becomes table rows, its first row naming the columns; anything else is
    laid out as text by `blocks_from_lines`.
    """
    blocks: list[Block] = []
    text: list[Line] = []
    i = 0
    while i < len(lines):
        run: list[tuple[list[str], int | None]] = []
        while i + len(run) < len(lines) and (row := cells(lines[i + len(run)][0])) is not None:
            run.append((row, lines[i + len(run)][1]))
        if len(run) >= 2 and max(len(row) for row, _ in run) >= 2:
            blocks.extend(blocks_from_lines(text))
            text = []
            blocks.extend(_table_rows(run))
            i += len(run)
        else:
            text.append(lines[i])
            i += 1
    blocks.extend(blocks_from_lines(text))
    return blocks


def _table_rows(run: list[tuple[list[str], int | None]]) -> list[Block]:
    headers = [" ".join(cell.split()) for cell in run[0][0]]
    rows: list[Block] = []
    for row, page in run[1:]:
        cells = tuple(
            Cell(headers[column] if column < len(headers) else "", text)
            for column, text in enumerate(cell.strip() for cell in row)
            if text
        )
        if cells:
            rows.append(Block("row", cells=cells, page=page))
    return rows


def unquoted(lines: list[str]) -> list[str]:
    """Lines with a mail's quote marks taken off. A run of lines starting ">" is a quoted message when it
    shows a mail's marks (a line of marks alone, marks nested: "> > ", ">>"), follows a line that introduces
    one ("… skrev:", a header field) or holds a sentence over two lines or more. There the marks are no
    text, a line of marks alone is a paragraph break, and so is a change of depth. Other lines starting ">"
    ("> 65 år: 120") are left as they are."""
    depths = [_depth(line) for line in lines]
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and depths[j]:
            j += 1
        run = range(i, j)
        above = lines[i - 1] if i > 0 else ""
        mail = (
            any(depths[k] > 1 or not _QUOTE_MARKS.sub("", lines[k]).strip() for k in run)
            or bool(_MAIL_ABOVE.search(above) or _HEADER_FIELD.match(above))
            or (len(run) > 1 and any(lines[k].rstrip().endswith((".", "!", "?")) for k in run))
        )
        if j == i or not mail:
            out.extend(lines[i : max(j, i + 1)])
            i = max(j, i + 1)
            continue
        for k in run:
            if k > i and depths[k] != depths[k - 1]:
                out.append("")  # the quoted message one level up or down
            out.append(_QUOTE_MARKS.sub("", lines[k], count=1))
        i = j
    return out


def _depth(line: str) -> int:
    marks = _QUOTE_MARKS.match(line)
    return marks.group(0).count(">") if marks else 0


def parse_text(text: str) -> ParsedDocument:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [(line, None) for line in unquoted(raw)]
    return ParsedDocument(format="text", blocks=tuple(blocks_from_lines(lines)))
