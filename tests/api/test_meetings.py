"""Committee meetings over HTTP: metadata on documents and hits, the committee and year filters, and an
agenda item's decision found by a question about it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.service import Service
from index.settings import Settings
from ingest.pipeline import IngestOptions, run_ingest

FIXTURES = Path(__file__).parents[1] / "ingest" / "exports" / "fixtures"
SCHOOL = "Børne- og Skoleudvalget"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("meetings")
    shutil.copytree(FIXTURES, root / "corpus", ignore=shutil.ignore_patterns("*.py"))
    settings = Settings(data_dir=root / "data", embedder="fake")
    service = Service.open(settings)
    run_ingest(service.index.record, [root / "corpus"], IngestOptions())
    service.index.sync()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_documents_carry_the_meeting(client: TestClient) -> None:
    docs = client.get("/api/documents").json()
    items = [d for d in docs if d["committee"] == SCHOOL and d["item_number"] == "2" and "#" in d["path"]]
    (item,) = items
    assert (item["meeting_date"], item["meeting_time"], item["doc_type"]) == (
        "2024-03-12",
        "16:00",
        "minutes",
    )
    assert item["title"] == "Skolestruktur 2025 - høringssvar" and item["access"] == "public"


def test_a_question_about_a_decision_finds_the_decision(client: TestClient) -> None:
    body = client.get(
        "/api/search",
        params={"q": "Hvad besluttede udvalget om forældrene og skolevejen?", "mode": "lexical", "k": 3},
    ).json()
    top = body["results"][0]
    assert top["committee"] == SCHOOL and top["title"] == "Skolestruktur 2025 - høringssvar"
    assert "Anbefales med den ændring, at forældrene inddrages" in top["text"]


def test_committee_and_year_filters(client: TestClient) -> None:
    for committee, expected in (
        ("børne- og skoleudvalget", SCHOOL),
        ("TMU", "Teknik- og Miljøudvalget (TMU)"),
    ):
        hits = client.get("/api/search", params={"q": "udvalget", "committee": committee, "k": 20}).json()
        assert hits["results"] and {h["committee"] for h in hits["results"]} == {expected}
    dated = client.get("/api/search", params={"q": "udvalget", "year": 2024, "k": 50}).json()["results"]
    assert dated and all(h["date"] and h["date"].startswith("2024") for h in dated)
    assert client.get("/api/search", params={"q": "udvalget", "year": 2001}).json()["results"] == []
