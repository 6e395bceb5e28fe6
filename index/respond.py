"""An answer as a stream of events: verified sentences as they come, then the whole answer. With a model
configured, a question the extractive answer can answer is put to the model and each sentence is sent
only after its citation is verified; without one, on failure, or when no sentence survives, the extractive
answer is sent instead, with a notice saying why. Declined questions and keyword excerpts never reach the
model: whether there is an answer is decided by the passages' evidence, not by the model.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import replace

from index.answer import Answer, Citation, Thresholds, compose_answer, reply_language, retrieve
from index.generate import Verifier, messages, verified
from index.llm import ChatModel, ModelError
from index.models import Filters
from index.question import checked
from index.search import Searcher
from ingest.metadata import detect_language

log = logging.getLogger(__name__)

FALLBACK = {
    "da": "Det genererede svar blev ikke brugt ({reason}); svaret herunder er citeret fra dokumenterne.",
    "en": "The generated answer was not used ({reason}); the answer below is quoted from the documents.",
}
REASONS = {
    "unverified": {
        "da": "ingen sætning havde et citat, der findes i kilden",
        "en": "no sentence had a quote found in its source",
    },
    "failed": {"da": "sprogmodellen svarede ikke", "en": "the language model did not answer"},
}
CUT_SHORT = {
    "da": "Sprogmodellen holdt op undervejs; svaret rummer de sætninger, der nåede at blive kontrolleret.",
    "en": "The language model stopped early; the answer holds the sentences verified until then.",
}

Event = tuple[str, object]  # ("sentence", {"text", "citations", "mode"}) … ("answer", Answer)


def answer_events(
    searcher: Searcher,
    question: str,
    k: int = 5,
    filters: Filters | None = None,
    model: ChatModel | None = None,
    limits: Thresholds | None = None,
) -> Iterator[Event]:
    """Events of one answer; the last is ("answer", Answer). Raises MarkupOnly before the first event."""
    plain = checked(question)
    return _events(searcher, question, plain, k, filters, model, limits)


def _events(
    searcher: Searcher,
    question: str,
    plain: str,
    k: int,
    filters: Filters | None,
    model: ChatModel | None,
    limits: Thresholds | None,
) -> Iterator[Event]:
    extractive = compose_answer(searcher, question, k, filters, limits)
    if model is None or not extractive.found or extractive.mode != "extractive":
        yield from _sentences(extractive)
        yield "answer", extractive
        return
    started = time.perf_counter()
    lang = reply_language(detect_language(plain))
    hits = retrieve(searcher, plain, k, filters)
    verifier = Verifier(hits)
    sentences = []
    failure = None
    try:
        for sentence in verified(model.stream(messages(plain, hits)), verifier):
            sentences.append(sentence)
            yield (
                "sentence",
                {"mode": "generated", "text": sentence.text, "citations": _public(sentence.citations)},
            )
    except ModelError as exc:
        log.warning("generated answer failed: %s", exc)
        failure = str(exc)
    log.info("generated answer: %d sentences kept, %d dropped", verifier.kept, verifier.dropped)
    if sentences:
        took = extractive.took_ms + (time.perf_counter() - started) * 1000
        text = " ".join(s.text for s in sentences)
        notice = CUT_SHORT[lang] if failure else None
        cited = tuple(verifier.citations)
        yield "answer", Answer(question, text, True, cited, took, extractive.evidence, "generated", notice)
        return
    reason = REASONS["failed" if failure else "unverified"][lang]
    fallback = replace(extractive, notice=FALLBACK[lang].format(reason=reason))
    yield "notice", {"text": fallback.notice}
    yield from _sentences(fallback)
    yield "answer", fallback


def _public(citations: tuple[Citation, ...]) -> list[dict[str, object]]:
    return [c.public() for c in citations]


def _sentences(answer: Answer) -> Iterator[Event]:
    """An extractive answer's citations as sentence events (its text is one quoted sentence per citation)."""
    for citation in answer.citations:
        text = f"{' '.join(citation.quote.split())} [{citation.n}]"
        yield "sentence", {"mode": answer.mode, "text": text, "citations": [citation.public()]}


def final(events: Iterator[Event]) -> Answer:
    """The answer an event stream ends with."""
    answer = None
    for kind, payload in events:
        if kind == "answer":
            answer = payload
    assert isinstance(answer, Answer)
    return answer
