"""Generated answers against a local fake OpenAI-compatible server: every sentence kept has a citation whose
quote is the stored text at its offsets; invented quotes, wrong passages, prose, errors and timeouts end in
the extractive answer (or the sentences verified until then), never in unverified text."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from eval.fake_chat import INVENTED, SLOW_SECONDS, FakeChat
from index.answer import Thresholds
from index.factory import Index
from index.generate import MIN_QUOTE_WORDS, Verifier, claims, lines, locate
from index.llm import ChatModel
from index.models import Hit
from index.respond import CUT_SHORT, Event, answer_events, final

# The extractive answer always finds something.
ANY = Thresholds(same_language=-1.0, cross_language=-1.0, english=-1.0, focus_drift=2.0)
NONE = Thresholds(same_language=2.0, cross_language=2.0, english=2.0)
QUESTION = "Hvad vil Klima, Miljø og Teknik gøre ved telefonpolitikken og telefonpraksis?"


@pytest.fixture(scope="module")
def chat() -> Iterator[FakeChat]:
    with FakeChat() as server:
        yield server


def ask(index: Index, model: ChatModel | None, limits: Thresholds = ANY) -> list[Event]:
    return list(answer_events(index.searcher, QUESTION, 5, None, model, limits))


def stored(index: Index, doc_id: str) -> str:
    doc = index.record.document(doc_id)
    assert doc is not None
    return doc.text


def _hit(text: str, start: int = 100) -> Hit:
    return Hit("c", "d", "s.txt", "Titel", None, None, "note", "", None, text, start, start + len(text), 1.0)


# --- verifying ------------------------------------------------------------------------------------------
def test_a_quote_is_found_verbatim_apart_from_whitespace() -> None:
    hit = _hit("Vi vil kaste et blik på\n den gældende   telefonpraksis. Andet.")
    start, end = 100 + hit.text.index("kaste"), 100 + hit.text.index(". Andet")
    assert locate("kaste et blik på den gældende telefonpraksis", hit) == (start, end)
    assert locate("“kaste et blik på den gældende telefonpraksis.”", hit) == (start, end)  # marks left out
    assert locate("kaste et blik på den nuværende telefonpraksis", hit) is None  # one word changed
    assert locate("Kaste et blik på den gældende telefonpraksis", hit) is None  # case counts
    assert locate(" ".join(["blik"] * (MIN_QUOTE_WORDS - 1)), _hit("blik blik blik")) is None  # too short


def test_the_verifier_keeps_sentences_with_a_valid_citation_and_numbers_them() -> None:
    hits = [
        _hit("Udvalget besluttede at opsige aftalen med leverandøren."),
        _hit("Ventetiden var syv uger.", 900),
    ]
    verifier = Verifier(hits)
    good = verifier.check(
        {
            "sentence": "Aftalen blev opsagt [P1].",
            "citations": [{"passage": "P1", "quote": "opsige aftalen med"}],
        }
    )
    wrong = verifier.check(
        {"sentence": "Syv uger.", "citations": [{"passage": "P1", "quote": "Ventetiden var syv"}]}
    )
    again = verifier.check(
        {
            "sentence": "Igen.",
            "citations": [{"passage": "p1", "quote": "opsige aftalen med"}, {"passage": "P2"}],
        }
    )
    assert good is not None and good.text == "Aftalen blev opsagt. [1]"
    assert wrong is None  # the quote is in P2, not in the passage it names
    assert again is not None and again.text == "Igen. [1]" and len(verifier.citations) == 1
    assert (verifier.kept, verifier.dropped) == (2, 1)
    assert verifier.citations[0].quote == "opsige aftalen med" and verifier.citations[0].title == "Titel"


def test_replies_are_read_line_by_line_or_whole() -> None:
    assert list(lines(['{"a"', ': 1}\n{"b": 2', "}"])) == ['{"a": 1}', '{"b": 2}']
    assert claims('{"sentence": "x", "citations": []}') == [{"sentence": "x", "citations": []}]
    assert claims('{"sentences": [{"sentence": "x"}, 3]}') == [{"sentence": "x"}]
    assert claims("Sure, here is the answer:") == [] and claims("```json") == []


# --- against the fake server ------------------------------------------------------------------------------
def test_a_quoting_model_gives_a_generated_answer_with_verified_citations(
    fake_index: Index, chat: FakeChat
) -> None:
    events = ask(fake_index, ChatModel(chat.url, "quoting", "secret-key"))
    answer = final(iter(events))
    assert answer.mode == "generated" and answer.found and answer.citations and answer.notice is None
    for c in answer.citations:
        assert c.quote == stored(fake_index, c.doc_id)[c.start : c.end]
        assert f"[{c.n}]" in answer.answer
    sentences = [p for kind, p in events if kind == "sentence"]
    assert sentences and all(s["mode"] == "generated" for s in sentences)  # type: ignore[index]
    assert [kind for kind, _ in events][-1] == "answer"
    request = chat.requests[-1]
    assert request["model"] == "quoting" and request["stream"] is True
    prompt = request["messages"][-1]["content"]  # type: ignore[index]
    assert QUESTION in prompt and "[P1]" in prompt
    assert chat.keys[-1] == "Bearer secret-key"


def test_an_invented_quote_is_dropped(fake_index: Index, chat: FakeChat) -> None:
    answer = final(iter(ask(fake_index, ChatModel(chat.url, "inventing"))))
    assert answer.mode == "generated" and answer.citations
    assert "gratis parkering" not in answer.answer
    assert all(INVENTED not in c.quote for c in answer.citations)


@pytest.mark.parametrize("model", ["misciting", "garbage", "error"])
def test_nothing_verified_falls_back_to_the_extractive_answer(
    fake_index: Index, chat: FakeChat, model: str
) -> None:
    events = ask(fake_index, ChatModel(chat.url, model))
    answer = final(iter(events))
    extractive = final(iter(ask(fake_index, None)))
    assert answer.mode == "extractive" and answer.found
    assert answer.citations == extractive.citations and answer.answer == extractive.answer
    assert answer.notice and ("kontrolleres" in answer.notice or "ikke brugt" in answer.notice)
    assert ("notice", {"text": answer.notice}) in events
    reason = "svarede ikke" if model == "error" else "citat"
    assert reason in answer.notice


def test_a_whole_json_document_is_read_at_the_end(fake_index: Index, chat: FakeChat) -> None:
    answer = final(iter(ask(fake_index, ChatModel(chat.url, "whole"))))
    assert answer.mode == "generated" and answer.citations


def test_a_model_that_stops_answering_is_cut_off_at_the_timeout(fake_index: Index, chat: FakeChat) -> None:
    started = time.monotonic()
    answer = final(iter(ask(fake_index, ChatModel(chat.url, "slow", timeout=1.0))))
    assert time.monotonic() - started < SLOW_SECONDS
    assert answer.mode == "generated" and len(re.findall(r"\[\d+\]", answer.answer)) >= 1
    assert answer.notice == CUT_SHORT["da"]


def test_an_unreachable_endpoint_falls_back(fake_index: Index) -> None:
    answer = final(iter(ask(fake_index, ChatModel("http://127.0.0.1:9/v1", "quoting", timeout=2.0))))
    assert answer.mode == "extractive" and answer.notice and "svarede ikke" in answer.notice


def test_a_declined_question_never_reaches_the_model(fake_index: Index, chat: FakeChat) -> None:
    before = len(chat.requests)
    answer = final(iter(ask(fake_index, ChatModel(chat.url, "quoting"), limits=NONE)))
    assert not answer.found and answer.mode == "extractive" and len(chat.requests) == before
