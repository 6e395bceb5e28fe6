"""Closed agenda items stay closed: without the restricted key no route returns, names or counts them by
name; with it, every read sees them. Public copies of a closed item's text stay findable."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.service import Service
from index.settings import Settings
from ingest.pipeline import IngestOptions, run_ingest

WRITE, READ, RESTRICTED = "write-key-1", "read-key-1", "restricted-key-1"
FIXTURES = Path(__file__).parents[1] / "ingest" / "exports" / "fixtures"
SECRET = "Kodeordet til serverrummet er blåbærgrød og skiftes hver anden tirsdag."
SHARED = (
    "Borgerrådgiveren anbefaler, at Teknik og Miljø svarer borgerne skriftligt inden for fire uger, "
    "når de klager over vintertjenesten, og at svaret forklarer, hvordan klagen er behandlet."
)
PUBLIC_ONLY = "Forvaltningen har indført skriftlige svar inden for fire uger på klager over vintertjenesten."


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("restricted")
    corpus = root / "corpus"
    shutil.copytree(FIXTURES / "acadre", corpus / "tmu-export")
    report = (
        "Borgerrådgiverens beretning 2024\n\nTeknik og Miljø\n\n"
        + SHARED
        + "\n\n"
        + " ".join(f"I {n} sager om vintertjeneste gik der over {n + 4} uger før svar." for n in range(30))
    )
    (corpus / "rapport.txt").write_text(report, encoding="utf-8")
    # A closed copy of the public report (a closed agenda item that quotes it) …
    (corpus / "kopi.txt").write_text(report + "\n\nBehandlet for lukkede døre.", encoding="utf-8")
    (corpus / "kopi.txt.meta.json").write_text(json.dumps({"access": "restricted"}), encoding="utf-8")
    # … and a closed note: a secret, and the only answer to the report's recommendation.
    (corpus / "lukket.txt").write_text(
        "Lukket notat om bygningsdrift\n\n"
        + SECRET
        + "\n\n"
        + PUBLIC_ONLY
        + "\n\n"
        + " ".join(
            f"Adgangskort nummer {n} udleveres til driftsteamet i bygning {n % 7}." for n in range(40)
        ),
        encoding="utf-8",
    )
    (corpus / "lukket.txt.meta.json").write_text(json.dumps({"access": "restricted"}), encoding="utf-8")
    settings = Settings(
        data_dir=root / "data", embedder="fake", api_key=WRITE, read_key=READ, restricted_key=RESTRICTED
    )
    service = Service.open(settings)
    run_ingest(service.index.record, [corpus], IngestOptions())
    service.index.sync()
    return settings


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def closed(client: TestClient) -> list[dict[str, object]]:
    docs: list[dict[str, object]] = client.get("/api/documents", headers={"X-API-Key": RESTRICTED}).json()
    found = [d for d in docs if d["access"] == "restricted"]
    assert len(found) >= 4  # the closed item, its enclosures, the minutes that print it, the note
    return found


def _reads(client: TestClient, closed: list[dict[str, object]], key: str) -> dict[str, str]:
    """Every read route's answer, as text."""
    headers = {"X-API-Key": key}
    first = str(closed[0]["doc_id"])
    calls = {
        "documents": client.get("/api/documents", headers=headers),
        "document": client.get(f"/api/documents/{first}", headers=headers),
        "file": client.get(f"/api/documents/{first}/file", headers=headers),
        "search secret": client.get(
            "/api/search", params={"q": "kodeordet serverrummet blåbærgrød"}, headers=headers
        ),
        "search shared": client.get(
            "/api/search", params={"q": "skriftligt inden for fire uger klager"}, headers=headers
        ),
        "search closed item": client.get(
            "/api/search", params={"q": "Køb af ejendom Industrivej 12", "k": 50}, headers=headers
        ),
        "search committee": client.get(
            "/api/search", params={"q": "ejendom", "committee": "TMU", "k": 50}, headers=headers
        ),
        "ask": client.post(
            "/api/ask", json={"question": "Hvad er kodeordet til serverrummet?"}, headers=headers
        ),
        "recommendations": client.get("/api/recommendations", headers=headers),
        "csv": client.get("/api/recommendations.csv", headers=headers),
        "healthz": client.get("/healthz"),
        "metrics": client.get("/metrics"),
    }
    for name, response in calls.items():
        assert response.status_code in (200, 404), (name, response.status_code, response.text[:200])
    return {name: r.text for name, r in calls.items()}


@pytest.mark.parametrize("key", [READ, WRITE])
def test_nothing_restricted_leaks_through_any_route(
    client: TestClient, closed: list[dict[str, object]], key: str
) -> None:
    texts = _reads(client, closed, key)
    everything = client.get("/api/documents", headers={"X-API-Key": RESTRICTED}).json()
    shared_names = {d["source"] for d in everything if d["access"] == "public"}  # an export's manifest
    secrets = [
        SECRET.split()[0:4],
        *[[str(d["doc_id"])] for d in closed],
        *[[str(d["source"])] for d in closed if d["source"] not in shared_names],
    ]
    # A closed document is refused exactly like one that does not exist (the id asked for is echoed).
    for route in ("document", "file"):
        asked = str(closed[0]["doc_id"])
        detail = json.loads(texts.pop(route))["detail"].replace(asked, "ID")
        assert detail == json.loads(texts_of_missing(client, key)[route])["detail"]
    for name, text in texts.items():
        for words in secrets:
            assert " ".join(words) not in text, (name, words)


def texts_of_missing(client: TestClient, key: str) -> dict[str, str]:
    headers = {"X-API-Key": key}
    return {
        "document": client.get("/api/documents/ID", headers=headers).text,
        "file": client.get("/api/documents/ID/file", headers=headers).text,
    }


def test_the_public_copy_of_a_closed_passage_is_found_without_naming_the_closed_one(
    client: TestClient,
) -> None:
    body = client.get(
        "/api/search",
        params={"q": "skriftligt inden for fire uger klager vintertjenesten"},
        headers={"X-API-Key": READ},
    ).json()
    shared = [h for h in body["results"] if "svarer borgerne skriftligt" in h["text"]]
    assert shared and shared[0]["source"] == "rapport.txt" and shared[0]["also_in"] == []
    full = client.get(
        "/api/search",
        params={"q": "skriftligt inden for fire uger klager vintertjenesten"},
        headers={"X-API-Key": RESTRICTED},
    ).json()
    copy = next(h for h in full["results"] if "svarer borgerne skriftligt" in h["text"])
    assert copy["source"] == "rapport.txt" and copy["also_in"] == ["kopi.txt"]


def test_tracing_without_the_key_uses_public_documents_only(client: TestClient) -> None:
    public = client.get("/api/recommendations", headers={"X-API-Key": READ}).json()
    everything = client.get("/api/recommendations", headers={"X-API-Key": RESTRICTED}).json()
    public_sources = (
        {r["source"] for r in public}
        | {resp["source"] for r in public for resp in r["responses"]}
        | {h["source"] for r in public for h in r["history"]}
        | {x["source"] for r in public for x in [*r["repeated_in"], r["repeated_from"]] if x}
    )
    assert any(r["source"] == "rapport.txt" for r in public)
    assert not public_sources & {"lukket.txt", "kopi.txt"}
    assert len(everything) >= len(public)


def test_the_restricted_key_sees_everything(client: TestClient, closed: list[dict[str, object]]) -> None:
    headers = {"X-API-Key": RESTRICTED}
    secret = client.get(
        "/api/search", params={"q": "kodeordet serverrummet blåbærgrød"}, headers=headers
    ).json()
    assert secret["results"][0]["source"] == "lukket.txt"
    for doc in closed:
        assert client.get(f"/api/documents/{doc['doc_id']}", headers=headers).status_code == 200
    items = client.get(
        "/api/search", params={"q": "ejendom Industrivej", "committee": "TMU", "k": 50}, headers=headers
    )
    assert any(h["committee"] == "Teknik- og Miljøudvalget (TMU)" for h in items.json()["results"])
    counts = client.get("/healthz").json()
    assert counts["documents"] >= len(closed)  # counted as numbers, never named


def test_the_committee_filter_matches_name_short_name_and_words(client: TestClient) -> None:
    headers = {"X-API-Key": READ}
    for committee in ("TMU", "teknik- og miljøudvalget (tmu)", "miljoudvalget", "Teknik"):
        body = client.get(
            "/api/search", params={"q": "vintertjeneste", "committee": committee}, headers=headers
        ).json()
        assert body["results"], committee
        assert {h["committee"] for h in body["results"]} == {"Teknik- og Miljøudvalget (TMU)"}, committee
    none = client.get(
        "/api/search", params={"q": "vintertjeneste", "committee": "Økonomiudvalget"}, headers=headers
    )
    assert none.json()["results"] == []
