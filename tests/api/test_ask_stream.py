"""`POST /api/ask/stream` and `POST /api/ask` with a generated-answer endpoint configured (the local fake chat
server): newline-delimited JSON events, each sentence with verified citations, the whole answer last; and
the refusals of input that is markup only or empty."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.service import Service
from eval.fake_chat import FakeChat
from index.settings import Settings
from ingest.pipeline import IngestOptions, run_ingest
from tests.support import CORPUS

# Words of one passage: with the fake embedder the question is that close to its sentences.
QUESTION = "Fokus på telefonpolitikken på tværs af Klima-, Miljø- og Teknikområdet"


@pytest.fixture(scope="module")
def chat() -> Iterator[FakeChat]:
    with FakeChat() as server:
        yield server


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory, chat: FakeChat) -> Settings:
    data = tmp_path_factory.mktemp("ask-stream")
    shutil.copytree(CORPUS, data / "corpus")
    settings = Settings(data_dir=data / "data", embedder="fake", llm_url=chat.url, llm_model="inventing")
    service = Service.open(settings)
    run_ingest(service.index.record, [data / "corpus"], IngestOptions())
    service.index.sync()
    return settings


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _events(client: TestClient, question: str) -> list[dict[str, object]]:
    with client.stream("POST", "/api/ask/stream", json={"question": question}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        return [json.loads(line) for line in response.iter_lines() if line.strip()]


def test_the_stream_sends_verified_sentences_then_the_answer(client: TestClient) -> None:
    events = _events(client, QUESTION)
    kinds = [e["event"] for e in events]
    assert kinds[-1] == "answer" and set(kinds[:-1]) == {"sentence"}
    answer = events[-1]
    assert answer["mode"] == "generated" and answer["found"] is True
    texts = {}
    for c in answer["citations"]:  # type: ignore[attr-defined]
        doc_id = c["doc_id"]
        texts.setdefault(doc_id, client.get(f"/api/documents/{doc_id}").json()["text"])
        assert texts[doc_id][c["start"] : c["end"]] == c["quote"] and c["title"]
    assert "gratis parkering" not in str(events)  # the invented sentence never left the server
    for sentence in events[:-1]:
        assert sentence["mode"] == "generated" and sentence["citations"]


def test_the_plain_ask_gives_the_same_generated_answer(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": QUESTION}).json()
    assert body["mode"] == "generated" and body["citations"] and body["notice"] is None


@pytest.mark.parametrize("route", ["/api/ask", "/api/ask/stream"])
@pytest.mark.parametrize("question", ["<script>alert(1)</script>", "<b></b>", "   "])
def test_markup_only_or_empty_input_is_refused(client: TestClient, route: str, question: str) -> None:
    response = client.post(route, json={"question": question})
    assert response.status_code == 422


@pytest.mark.parametrize("question", ["🙂🙂🙂", "12345", "xqzvbn plmokn", "' OR 1=1 --"])
def test_input_without_words_is_declined_without_the_model(
    client: TestClient, chat: FakeChat, question: str
) -> None:
    before = len(chat.requests)
    body = client.post("/api/ask", json={"question": question}).json()
    assert body["found"] is False and body["citations"] == [] and len(chat.requests) == before
