"""Text cleaning as small named steps, applied to each block before the stored text is assembled."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from ingest.models import Block, Cell

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000\x0b\x0c]+")
_PRIVATE_GLYPHS = re.compile(r"^[\uf000-\uf8ff•●▪■◦○·]\s*")
# Words that follow a suspended compound ("borger- og brugerundersøgelser"): the hyphen stays.
_SUSPENSION_FOLLOWERS = frozenset({"og", "eller", "samt", "til", "som", "end", "&", "and", "or", "to"})
_WEB_CHROME = re.compile(
    r"^(gå til hoved ?indhold|spring til (hoved)?indhold|skip to (main )?content|til toppen|"
    r"del (på|pa) (facebook|linkedin|twitter|x)|print( siden)?|accepter( alle)? cookies|"
    r"denne side (bruger|anvender) cookies.*)$",
    re.IGNORECASE,
)


def normalise_unicode(text: str) -> str:
    """NFC, no soft hyphens or zero-width characters, non-breaking spaces as spaces."""
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE)


def _join_pair(left: str, right: str) -> str:
    left, right = left.rstrip(), right.strip()
    if not left:
        return right
    if not right:
        return left
    if left.endswith("-") and len(left) > 1 and left[-2].isalnum():
        stem = left.rsplit(None, 1)[-1][:-1]
        follower = right.split(None, 1)[0].lower()
        if follower in _SUSPENSION_FOLLOWERS or right[:1].isupper() or right[:1] in ",&":
            return f"{left} {right}"  # "Klima- Miljø- og Teknik", "borger- og brugerrettet"
        if stem[-1:].isdigit() or stem.isupper() or len(stem) <= 2:
            return left + right  # "it-understøttelsen", "2023-2024"
        return left[:-1] + right  # a word hyphenated at the line end
    return f"{left} {right}"


def join_wrapped_lines(text: str) -> str:
    """Join a block's source lines into one line, undoing hyphenation at line ends."""
    lines = [line for line in text.split("\n") if line.strip()]
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        joined = _join_pair(joined, line)
    return joined


def collapse_whitespace(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def strip_glyphs(text: str) -> str:
    """Bullet glyphs left at the start of a block by the source (the parser already knows it is a list)."""
    return _PRIVATE_GLYPHS.sub("", text)


def is_web_chrome(text: str) -> bool:
    """Navigation and cookie text kept by a scraped web page."""
    return bool(_WEB_CHROME.match(text.strip()))


BLOCK_STEPS: tuple[Callable[[str], str], ...] = (
    normalise_unicode,
    join_wrapped_lines,
    collapse_whitespace,
    strip_glyphs,
)
LINE_STEPS: tuple[Callable[[str], str], ...] = (normalise_unicode, collapse_whitespace)


def _apply(text: str, steps: Iterable[Callable[[str], str]]) -> str:
    for step in steps:
        text = step(text)
    return text


def clean_cell(cell: Cell) -> Cell:
    """Cells keep one line per list item; each line is cleaned on its own."""
    lines = [_apply(line, LINE_STEPS) for line in cell.text.split("\n")]
    return Cell(_apply(cell.header, LINE_STEPS), "\n".join(line for line in lines if line))


def clean_blocks(blocks: Iterable[Block]) -> list[Block]:
    """Clean every block; drop blocks left empty and web page chrome."""
    cleaned: list[Block] = []
    for block in blocks:
        if block.kind == "row":
            cells = tuple(c for c in map(clean_cell, block.cells) if c.text)
            if cells:
                cleaned.append(Block("row", "", block.level, block.page, cells))
            continue
        text = _apply(block.text, BLOCK_STEPS)
        if text and not is_web_chrome(text):
            cleaned.append(Block(block.kind, text, block.level, block.page))
    return cleaned
