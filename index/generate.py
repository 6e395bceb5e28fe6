"""Generated answers whose every sentence is verified: the model gets the question and the top passages with
ids and writes one JSON line per sentence, each citing passages with a supporting quote. A citation counts
only when its quote is a verbatim span of the passage it names (whitespace aside); it is mapped to offsets
in the stored text. A sentence without a valid citation is dropped. Nothing here decides whether a
question is answered: that stays with the extractive answer's evidence (`index/answer.py`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from index.answer import Citation
from index.models import Hit

MIN_QUOTE_WORDS = 3  # a shorter quote ("og det") supports nothing
MAX_SENTENCES = 6
_MARKS = re.compile(r"\s*\[(?:P?\d+(?:\s*,\s*P?\d+)*)\]")  # the model's own marks: ours replace them
_QUOTE_EDGES = "\"'“”„«»‘’ .…"

SYSTEM = (
    "You answer questions about Danish municipal documents using only the numbered passages given. "
    "Write in the language of the question. Reply with JSON Lines and nothing else: one JSON object per "
    "line, one line per sentence of the answer, at most {max} sentences:\n"
    '{{"sentence": "…", "citations": [{{"passage": "P1", "quote": "words copied exactly from P1"}}]}}\n'
    "Every sentence cites at least one passage, with a quote of at least {words} words copied character for "
    "character from that passage that supports the sentence. Prefer what was done, decided or promised "
    "over the problem it answers. If the passages do not answer the question, reply with nothing."
)


@dataclass(frozen=True)
class Sentence:
    """A verified sentence: its text with citation marks, and the citations it carries."""

    text: str
    citations: tuple[Citation, ...]


def messages(question: str, hits: list[Hit]) -> list[dict[str, str]]:
    """The chat messages: instructions, then the question and the passages by id."""
    passages = "\n\n".join(
        f"[P{i}] {hit.title}{' — ' + hit.section if hit.section else ''}\n{hit.text}"
        for i, hit in enumerate(hits, start=1)
    )
    return [
        {"role": "system", "content": SYSTEM.format(max=MAX_SENTENCES, words=MIN_QUOTE_WORDS)},
        {"role": "user", "content": f"Question: {question}\n\nPassages:\n\n{passages}"},
    ]


def lines(pieces: Iterable[str]) -> Iterator[str]:
    """Whole lines of a reply that arrives in pieces."""
    buffer = ""
    for piece in pieces:
        buffer += piece
        while "\n" in buffer:
            line, buffer = buffer.split("\n", 1)
            yield line
    if buffer:
        yield buffer


def claims(line: str) -> list[dict[str, object]]:
    """The sentence objects a line holds: one, a list of them, or `{"sentences": [...]}`; none for a line
    that is not JSON (a code fence, chatter)."""
    try:
        data = json.loads(line.strip().removeprefix("```json").strip("`").strip() or "null")
    except ValueError:
        return []
    if isinstance(data, dict) and isinstance(data.get("sentences"), list):
        data = data["sentences"]
    items = data if isinstance(data, list) else [data]
    return [item for item in items if isinstance(item, dict)]


def locate(quote: str, hit: Hit) -> tuple[int, int] | None:
    """Where a quote stands in the stored text, verbatim apart from whitespace; None when it does not."""
    words = quote.strip(_QUOTE_EDGES).split()
    if len(words) < MIN_QUOTE_WORDS:
        return None
    found = re.search(r"\s+".join(re.escape(w) for w in words), hit.text)
    return (hit.start + found.start(), hit.start + found.end()) if found else None


class Verifier:
    """Checks a model's sentences against the passages it was given, numbering the citations in order."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = {f"P{i}": hit for i, hit in enumerate(hits, start=1)}
        self.numbers: dict[tuple[str, int, int], int] = {}
        self.citations: list[Citation] = []
        self.kept = 0
        self.dropped = 0

    def check(self, claim: dict[str, object]) -> Sentence | None:
        """The sentence with its valid citations, or None (counted as dropped) when it has none."""
        text = claim.get("sentence")
        cited = claim.get("citations")
        if not isinstance(text, str) or not text.strip() or not isinstance(cited, list):
            self.dropped += 1
            return None
        found = [c for c in (self._citation(item) for item in cited) if c is not None]
        if not found or self.kept == MAX_SENTENCES:
            self.dropped += 1
            return None
        self.kept += 1
        body = " ".join(_MARKS.sub("", text).split())
        marks = "".join(f" [{c.n}]" for c in dict.fromkeys(found))
        return Sentence(body + marks, tuple(dict.fromkeys(found)))

    def _citation(self, item: object) -> Citation | None:
        if not isinstance(item, dict):
            return None
        hit = self.hits.get(str(item.get("passage", "")).strip().strip("[]").upper())
        quote = item.get("quote")
        span = locate(quote, hit) if hit is not None and isinstance(quote, str) else None
        if hit is None or span is None:
            return None
        key = (hit.doc_id, *span)
        if key not in self.numbers:
            start, end = span
            n = len(self.citations) + 1
            self.numbers[key] = n
            text = hit.text[start - hit.start : end - hit.start]
            self.citations.append(Citation.of(n, hit, text, start, end))
        return self.citations[self.numbers[key] - 1]


def verified(pieces: Iterable[str], verifier: Verifier) -> Iterator[Sentence]:
    """Each sentence of a streamed reply as soon as its line is complete and its citation checks out; a
    reply that is one JSON document over several lines is read whole at its end."""
    seen: list[str] = []
    parsed = False
    for line in lines(pieces):
        seen.append(line)
        for claim in claims(line):
            parsed = True
            sentence = verifier.check(claim)
            if sentence is not None:
                yield sentence
    if not parsed:
        for claim in claims(" ".join(seen).strip().removesuffix("```")):
            sentence = verifier.check(claim)
            if sentence is not None:
                yield sentence
