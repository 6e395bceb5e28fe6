"""Structure-aware chunking: passages that follow sections, bullets and table rows.

A chunk never crosses a heading, keeps a lead-in sentence ("… følgende initiativer:") with the list it
introduces, holds one table row on its own, and is cut only between sentences when a unit is too long.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ingest.models import Chunk, Unit, content_hash

# A sentence ends at . ! ? (or a closing quote after one) followed by a capital, digit, quote or bullet.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-ZÆØÅ0-9\"“”'‘•◦(])|\n+")


@dataclass(frozen=True)
class ChunkSizes:
    min_words: int = 80
    target_words: int = 220
    max_words: int = 300
    tiny_words: int = 25


def _words(text: str) -> int:
    return len(text.split())


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], each without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_BREAK.finditer(text, start, end):
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _split_long(text: str, unit: Unit, sizes: ChunkSizes) -> Iterator[tuple[int, int]]:
    """Cut an over-long unit between sentences into pieces near the target size."""
    piece_start: int | None = None
    piece_end = unit.start
    words = 0
    for s, e in sentence_spans(text, unit.start, unit.end):
        n = _words(text[s:e])
        if piece_start is not None and words + n > sizes.target_words:
            yield piece_start, piece_end
            piece_start, words = None, 0
        piece_start = s if piece_start is None else piece_start
        piece_end, words = e, words + n
    if piece_start is not None:
        yield piece_start, piece_end


def _groups(text: str, units: Sequence[Unit], sizes: ChunkSizes) -> Iterator[tuple[int, int, Unit]]:
    """(start, end, first content unit) of each chunk."""
    group: list[Unit] = []
    words = 0

    def flush() -> Iterator[tuple[int, int, Unit]]:
        nonlocal group, words
        if any(u.kind != "heading" for u in group):
            first = next(u for u in group if u.kind != "heading")
            yield group[0].start, group[-1].end, first
        group, words = [], 0

    for unit in units:
        n = _words(text[unit.start : unit.end])
        if unit.kind == "heading":
            if words >= sizes.tiny_words:
                yield from flush()  # a heading ends a chunk; a scrap (a letterhead line) joins the next
            group.append(unit)
            continue
        if unit.kind == "row" or n > sizes.max_words:
            headings = [u for u in group if u.kind == "heading"]
            yield from flush()
            pieces = list(_split_long(text, unit, sizes)) if n > sizes.max_words else [(unit.start, unit.end)]
            for i, (s, e) in enumerate(pieces):
                yield (headings[0].start if headings and i == 0 else s), e, unit
            continue
        limit = sizes.target_words if words >= sizes.min_words else sizes.max_words
        if words and words + n > limit:
            carried = [group.pop()] if group and _leads_in(text, group[-1]) and len(group) > 1 else []
            yield from flush()
            group = carried
            words = sum(_words(text[u.start : u.end]) for u in group)
        group.append(unit)
        words += n
    yield from flush()


def _leads_in(text: str, unit: Unit) -> bool:
    return unit.kind == "paragraph" and text[unit.start : unit.end].rstrip().endswith(":")


def chunk_document(
    doc_id: str, text: str, units: Sequence[Unit], sizes: ChunkSizes | None = None
) -> list[Chunk]:
    """Chunks of a document's stored text, in order, with section path, page and offsets."""
    sizes = sizes or ChunkSizes()
    chunks: list[Chunk] = []
    for ordinal, (start, end, first) in enumerate(_groups(text, units, sizes)):
        body = text[start:end]
        page = next((u.page for u in units if u.start >= start and u.end <= end and u.page), first.page)
        chunks.append(
            Chunk(
                chunk_id=content_hash(doc_id, str(start), body),
                doc_id=doc_id,
                ordinal=ordinal,
                start=start,
                end=end,
                text=body,
                section=first.section,
                page=page,
            )
        )
    return chunks
