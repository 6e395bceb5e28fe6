"""The HTTP API in-process (FastAPI's TestClient) over the seed corpus with the fake embedder."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from api.service import Service, safe_upload_name
from index.settings import Settings
from index.trace.reasons import Reason
from index.trace.status import REASON_CODES
from ingest.pipeline import IngestOptions, run_ingest
from tests.support import CORPUS

KEY = "test-key-1"
WRITE = {"X-API-Key": KEY}


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data = tmp_path_factory.mktemp("api")
    corpus = data / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(data_dir=data / "data", embedder="fake", api_key=KEY, max_file_mb=0.05)
    service = Service.open(settings)
    run_ingest(service.index.record, [corpus], IngestOptions())
    service.index.sync()
    return settings


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _docs(client: TestClient) -> list[dict[str, object]]:
    response = client.get("/api/documents")
    assert response.status_code == 200
    docs: list[dict[str, object]] = response.json()
    return docs


def test_search_returns_contract_hits(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "telefonpolitik", "k": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "telefonpolitik" and body["took_ms"] >= 0
    assert 1 <= len(body["results"]) <= 5
    fields = {"chunk_id", "doc_id", "source", "title", "municipality", "date", "doc_type", "section"}
    fields |= {"page", "text", "start", "end", "score", "also_in"}
    assert fields <= body["results"][0].keys()
    texts = {d["doc_id"]: client.get(f"/api/documents/{d['doc_id']}").json()["text"] for d in _docs(client)}
    for hit in body["results"]:
        assert texts[hit["doc_id"]][hit["start"] : hit["end"]] == hit["text"]


def test_search_filters_accept_names_in_any_language(client: TestClient) -> None:
    sources = set()
    for name in ("Copenhagen", "kobenhavn", "KØBENHAVN"):
        body = client.get("/api/search", params={"q": "klager", "municipality": name}).json()
        assert body["results"], name
        sources.add(frozenset(h["municipality"] for h in body["results"]))
    assert sources == {frozenset({"København"})}


def test_paging_continues_where_the_first_page_stopped(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "borgerrådgiver", "k": 10}).json()["results"]
    second = client.get("/api/search", params={"q": "borgerrådgiver", "k": 5, "offset": 5}).json()
    assert second["offset"] == 5
    assert [h["chunk_id"] for h in second["results"]] == [h["chunk_id"] for h in first[5:10]]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x", "k": 0},
        {"q": "x", "k": 101},
        {"q": "x", "k": "many"},
        {"q": "x", "year": "last"},
        {"q": "x", "doc_type": "poem"},
        {"q": "x" * 1001},
        {"q": "x", "offset": -1},
    ],
)
def test_bad_search_parameters_are_422_with_a_reason(client: TestClient, params: dict[str, object]) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert "Traceback" not in response.text


def test_documents_and_duplicates(client: TestClient) -> None:
    docs = _docs(client)
    assert len(docs) == 5
    alias = next(d for d in docs if d["duplicate_of"])
    detail = client.get(f"/api/documents/{alias['duplicate_of']}").json()
    assert [d["doc_id"] for d in detail["duplicates"]] == [alias["doc_id"]]
    assert 0.5 < detail["duplicates"][0]["similarity"] <= 1
    assert detail["passages"] and all(p["end"] > p["start"] for p in detail["passages"])
    back = client.get(f"/api/documents/{alias['doc_id']}").json()
    assert [d["doc_id"] for d in back["duplicates"]] == [alias["duplicate_of"]]


def test_unknown_documents_are_404(client: TestClient) -> None:
    assert client.get("/api/documents/0000000000000000").status_code == 404
    assert client.get("/api/documents/0000000000000000/file").status_code == 404
    assert client.get("/api/documents/..%2F..%2Fetc").status_code in (404, 422)


def test_original_file_is_served(client: TestClient) -> None:
    doc = _docs(client)[0]
    response = client.get(f"/api/documents/{doc['doc_id']}/file")
    assert response.status_code == 200
    assert response.content == (CORPUS / str(doc["source"])).read_bytes()


@pytest.mark.parametrize(
    ("headers", "status"), [({}, 401), ({"X-API-Key": "wrong"}, 403), ({"X-API-Key": ""}, 403)]
)
def test_writes_need_the_key(client: TestClient, headers: dict[str, str], status: int) -> None:
    doc_id = _docs(client)[0]["doc_id"]
    upload = client.post("/api/documents", files={"file": ("a.txt", b"tekst")}, headers=headers)
    delete = client.delete(f"/api/documents/{doc_id}", headers=headers)
    assert (upload.status_code, delete.status_code) == (status, status)
    assert len(_docs(client)) == 5


def test_writes_are_refused_when_no_key_is_configured(settings: Settings) -> None:
    open_settings = settings.model_copy(update={"api_key": None})
    service = Service.open(open_settings)
    with TestClient(create_app(open_settings, service)) as client:
        response = client.post("/api/documents", files={"file": ("a.txt", b"tekst")}, headers=WRITE)
        assert response.status_code == 403
        assert "no API key" in response.json()["detail"]


NOTE = (
    "Notat om parkeringsvagternes arbejdstider.\n\n"
    + "Parkeringsvagterne i kommunen arbejder nu også om aftenen og i weekenden. " * 12
)


def test_upload_search_and_delete(client: TestClient) -> None:
    response = client.post(
        "/api/documents", files={"file": ("../../etc/parkering.txt", NOTE.encode())}, headers=WRITE
    )
    assert response.status_code == 201, response.text
    doc = response.json()
    assert doc["source"] == "parkering.txt" and doc["chunks"] >= 1
    hits = client.get("/api/search", params={"q": "parkeringsvagter aftenen"}).json()["results"]
    assert hits[0]["doc_id"] == doc["doc_id"]
    again = client.post("/api/documents", files={"file": ("parkering.txt", NOTE.encode())}, headers=WRITE)
    assert again.status_code == 200 and again.json()["doc_id"] == doc["doc_id"]
    assert client.delete(f"/api/documents/{doc['doc_id']}", headers=WRITE).json() == {
        "removed": 1,
        "doc_id": doc["doc_id"],
    }
    assert client.delete(f"/api/documents/{doc['doc_id']}", headers=WRITE).status_code == 404
    hits = client.get("/api/search", params={"q": "parkeringsvagter aftenen"}).json()["results"]
    assert all(h["doc_id"] != doc["doc_id"] for h in hits)


@pytest.mark.parametrize(
    ("name", "data", "status", "reason"),
    [
        ("tom.txt", b"", 422, "empty"),
        ("junk.pdf", b"\x00\x01binary junk" * 50, 422, ""),
        ("program.exe", b"MZ\x90\x00", 422, "unsupported file type"),
        ("..", b"tekst", 422, "file name"),
        ("stor.txt", b"ord " * 20_000, 413, "too large"),
    ],
)
def test_rejected_uploads_change_nothing(
    client: TestClient, name: str, data: bytes, status: int, reason: str
) -> None:
    before = _docs(client)
    response = client.post("/api/documents", files={"file": (name, data)}, headers=WRITE)
    assert response.status_code == status, response.text
    assert reason in response.json()["detail"]
    assert _docs(client) == before


def test_upload_names_are_never_paths() -> None:
    assert safe_upload_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_upload_name("C:\\Users\\x\\notat.docx") == "notat.docx"
    for bad in ("", "..", ".hidden.txt", "noext", "a/b/"):
        with pytest.raises(ValueError):
            safe_upload_name(bad)


def test_health_metrics_and_request_ids(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["documents"] == 5 and health["passages"] > 0
    response = client.get("/api/search", params={"q": "svartid"}, headers={"X-Request-ID": "abc123"})
    assert response.headers["X-Request-ID"] == "abc123"
    assert client.get("/api/documents/0000000000000000").status_code == 404
    metrics = client.get("/metrics").text
    assert 'sporbar_requests_total{method="GET",route="/api/search",status="200"}' in metrics
    assert 'route="/api/documents/{doc_id}",status="404"' in metrics
    assert "sporbar_request_seconds_bucket" in metrics
    assert f"sporbar_index_passages {float(health['passages'])}" in metrics


def test_internal_errors_are_500_without_a_trace(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    service = Service.open(settings)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals at /srv/x.py line 3")

    monkeypatch.setattr(service, "search", broken)
    with TestClient(create_app(settings, service), raise_server_exceptions=False) as client:
        response = client.get("/api/search", params={"q": "x"})
    assert response.status_code == 500
    assert "secret" not in response.text and response.json()["request_id"]


def test_openapi_lists_the_contract_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("/api/search", "/api/ask", "/api/documents", "/api/documents/{doc_id}", "/healthz"):
        assert route in paths
    assert client.get("/docs").status_code == 200


def test_the_page_is_served(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]


def test_data_dir_is_not_exposed(client: TestClient, settings: Settings) -> None:
    assert Path(settings.record_path).exists()
    for path in ("/static/../data/record.sqlite3", "/static/%2e%2e/settings.py"):
        assert client.get(path).status_code == 404


def test_recommendations_route_filters_and_csv(client: TestClient) -> None:
    recs = client.get("/api/recommendations", params={"municipality": "Holbaek"}).json()
    assert len(recs) >= 17
    rec = next(r for r in recs if r["theme"] == "Svartid")
    assert rec["status"] in ("addressed", "partially", "not_addressed") and rec["reason"]
    assert rec["reason_code"] in REASON_CODES and REASON_CODES[rec["reason_code"]] == rec["status"]
    # Each reason in both languages, said from its code: no recommendation or history entry lacks the Danish.
    for item in [*recs, *(h for r in recs for h in r["history"])]:
        assert item["reason_da"] and item["reason_da"] != item["reason"]
        quoted = re.findall("“(.*?)”", item["reason"])  # the words that decided, quoted in both languages
        assert quoted == re.findall("»(.*?)«", item["reason_da"])
        if item["reason_code"] != "no_match":  # the sentence's own words, after the place it names
            tail = Reason(item["reason_code"]).text("da").split("samme tabelrække")[-1].split("»")[0]
            assert tail in item["reason_da"]
    assert "department" in rec
    assert rec["responses"] and rec["responses"][0]["same_row"]
    text = client.get(f"/api/documents/{rec['doc_id']}").json()["text"]
    assert text[rec["start"] : rec["end"]] == rec["text"]
    for response in rec["responses"]:
        other = client.get(f"/api/documents/{response['doc_id']}").json()["text"]
        assert other[response["start"] : response["end"]] == response["quote"]
    assert client.get("/api/recommendations", params={"status": "maybe"}).status_code == 422
    csv_response = client.get("/api/recommendations.csv", params={"theme": "svartid"})
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert "Svartid" in csv_response.text


def test_recommendations_carry_title_department_reason_code_and_history(client: TestClient) -> None:
    recs = client.get("/api/recommendations").json()
    titles = {d["doc_id"]: d["title"] for d in _docs(client)}
    for rec in recs:
        assert rec["title"] == titles[rec["doc_id"]]
        assert "department" in rec and rec["reason_code"] in REASON_CODES
        assert rec["repeated_in"] == [] or all(r["year"] for r in rec["repeated_in"])
        years = [h["year"] or 0 for h in rec["history"]]
        assert years == sorted(years)
        if rec["history"]:
            assert rec["status"] == rec["history"][-1]["status"]
        for entry in rec["history"]:
            text = client.get(f"/api/documents/{entry['doc_id']}").json()["text"]
            assert text[entry["start"] : entry["end"]] == entry["quote"]
            assert entry["title"] == titles[entry["doc_id"]]
    assert any(rec["history"] for rec in recs)
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"history", "repeated_from", "repeated_in", "title", "department", "reason_code"} <= set(
        schema["RecommendationOut"]["properties"]
    )


def test_the_csv_in_danish_for_excel_and_plain(client: TestClient) -> None:
    danish = client.get("/api/recommendations.csv", params={"lang": "da", "dialect": "excel-da"})
    assert danish.content.startswith(b"\xef\xbb\xbf")
    header = danish.content.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[:5] == ["rec_id", "kommune", "forvaltning", "år", "titel"] and "begrundelse" in header
    plain = client.get("/api/recommendations.csv", params={"lang": "en", "dialect": "comma"})
    assert plain.text.startswith("rec_id,municipality,department,year,title")
    assert client.get("/api/recommendations.csv", params={"dialect": "tab"}).status_code == 422
    assert client.get("/api/recommendations.csv", params={"lang": "de"}).status_code == 422


def test_status_override_needs_the_key_and_is_shown_beside_the_status(client: TestClient) -> None:
    rec = client.get("/api/recommendations", params={"theme": "Ankesager"}).json()[0]
    url = f"/api/recommendations/{rec['rec_id']}/override"
    body = {"status": "not_addressed", "note": "Ingen frist er fastsat."}
    assert client.put(url, json=body).status_code == 401
    assert client.put(url, json=body, headers={"X-API-Key": "nope"}).status_code == 403
    assert client.put(url, json={"status": "done"}, headers=WRITE).status_code == 422
    missing = "/api/recommendations/0000000000000000/override"
    assert client.put(missing, json=body, headers=WRITE).status_code == 404
    changed = client.put(url, json=body, headers=WRITE).json()
    assert changed["status"] == rec["status"] and changed["effective_status"] == "not_addressed"
    assert changed["status_override"]["note"] == "Ingen frist er fastsat."
    listed = client.get("/api/recommendations", params={"status": "not_addressed"}).json()
    assert rec["rec_id"] in {r["rec_id"] for r in listed}
    cleared = client.delete(url, headers=WRITE).json()
    assert cleared["status_override"] is None and cleared["effective_status"] == rec["status"]


def test_a_read_key_closes_the_read_routes(settings: Settings) -> None:
    closed = settings.model_copy(update={"read_key": SecretStr("reader-1")})
    with TestClient(create_app(closed, Service.open(closed))) as client:
        for path in ("/api/search?q=svartid", "/api/documents", "/api/recommendations"):
            assert client.get(path).status_code == 401
            assert client.get(path, headers={"X-API-Key": "nope"}).status_code == 403
            assert client.get(path, headers={"X-API-Key": "reader-1"}).status_code == 200
            assert client.get(path, headers=WRITE).status_code == 200
        assert client.post("/api/ask", json={"question": "svartid"}).status_code == 401
        assert client.get("/healthz").status_code == 200
        upload = client.post(
            "/api/documents", files={"file": ("a.txt", b"x")}, headers={"X-API-Key": "reader-1"}
        )
        assert upload.status_code == 403


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    response = client.post(
        "/api/documents", content=b"x", headers={**WRITE, "Content-Length": str(50 * 1024 * 1024)}
    )
    assert response.status_code == 413


def test_writes_are_in_the_audit_log(client: TestClient, settings: Settings) -> None:
    import json

    response = client.post("/api/documents", files={"file": ("revision.txt", NOTE.encode())}, headers=WRITE)
    doc_id = response.json()["doc_id"]
    client.delete(f"/api/documents/{doc_id}", headers=WRITE)
    entries = [json.loads(line) for line in (settings.data_dir / "audit.log").read_text().splitlines()]
    mine = [e for e in entries if e.get("doc_id") == doc_id]
    assert [e["msg"] for e in mine] == ["upload", "delete"]
    assert all(e["key"] and KEY not in json.dumps(e) and e["ts"] > 0 for e in mine)


def test_the_query_length_limit_is_the_setting(settings: Settings) -> None:
    short = settings.model_copy(update={"max_query_chars": 30})
    with TestClient(create_app(short), raise_server_exceptions=False) as client:
        assert client.get("/api/search", params={"q": "t" * 30}).status_code == 200
        refused = client.get("/api/search", params={"q": "t" * 31})
        assert refused.status_code == 422 and "longer than 30 characters" in refused.json()["detail"]
        asked = client.post("/api/ask", json={"question": "t" * 31})
        assert asked.status_code == 422 and "longer than 30 characters" in asked.json()["detail"]


def test_search_by_document_gives_one_result_per_document(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "borgerrådgiver", "k": 3, "group": "document"})
    assert response.status_code == 200, response.text
    body = response.json()
    groups = body["results"]
    assert 1 <= len(groups) <= 3 and body["total"] >= 1
    assert len({g["doc_id"] for g in groups}) == len(groups)
    weaker = [g["weaker"] for g in groups]
    assert weaker == sorted(weaker)  # weaker matches after all the others
    assert sum(not w for w in weaker) <= body["total"]
    docs = {d["doc_id"]: d for d in _docs(client)}
    for group in groups:
        assert group["title"] == docs[group["doc_id"]]["title"] and group["title"]
        for hit in [group["best"], *group["more"]]:
            assert hit["doc_id"] == group["doc_id"] and hit["title"] == group["title"]
    passages = client.get("/api/search", params={"q": "borgerrådgiver", "k": 3}).json()
    assert "total" not in passages  # the passage-level search is unchanged
    later = client.get(
        "/api/search", params={"q": "borgerrådgiver", "k": 1, "offset": 1, "group": "document"}
    )
    if len(groups) > 1:
        assert later.json()["results"][0]["doc_id"] == groups[1]["doc_id"]


def test_garbled_passages_carry_a_machine_corrected_reading(client: TestClient) -> None:
    docs = {d["doc_id"]: d for d in _docs(client)}
    body = client.get("/api/search", params={"q": "Teknik- og Miljøforvaltningen klager", "k": 20}).json()
    garbled = [h for h in body["results"] if docs[h["doc_id"]]["ocr_garbled"]]
    clean = [h for h in body["results"] if not docs[h["doc_id"]]["ocr_garbled"]]
    assert garbled and all(h["reading"] is None for h in clean)
    for hit in garbled:
        text = client.get(f"/api/documents/{hit['doc_id']}").json()["text"]
        assert text[hit["start"] : hit["end"]] == hit["text"]  # the text stays verbatim
        if hit["reading"] is not None:
            assert hit["reading"] != hit["text"] and len(hit["reading"].split()) == len(hit["text"].split())
    assert any(h["reading"] and "Miljøforvaltningen" in h["reading"] for h in garbled)


def test_documents_say_which_year_they_are_about(client: TestClient) -> None:
    docs = {d["source"][:3]: d for d in _docs(client)}
    assert (docs["004"]["year"], docs["004"]["year_source"], docs["004"]["date"]) == (2017, "title", None)
    assert (docs["001"]["year"], docs["001"]["year_source"]) == (2023, "text")
    body = client.get("/api/search", params={"q": "sagsbehandling", "year": 2017, "k": 20}).json()
    assert body["results"] and {h["doc_id"] for h in body["results"]} == {docs["004"]["doc_id"]}
    assert all(h["year"] == 2017 for h in body["results"])


def test_reading_of_a_span_is_machine_corrected_and_the_text_verbatim(client: TestClient) -> None:
    docs = {d["source"][:3]: d for d in _docs(client)}
    garbled, clean = docs["002"], docs["001"]
    text = client.get(f"/api/documents/{garbled['doc_id']}").json()["text"]
    start = text.index("Miljeforvaltningen")
    body = client.get(
        f"/api/documents/{garbled['doc_id']}/reading", params={"start": start - 30, "end": start + 60}
    ).json()
    assert body["text"] == text[start - 30 : start + 60]
    assert "Miljøforvaltningen" in body["reading"] and "Miljeforvaltningen" not in body["reading"]
    same = client.get(f"/api/documents/{clean['doc_id']}/reading", params={"start": 0, "end": 50}).json()
    assert same["reading"] is None and same["text"]
    for params in ({"start": 10, "end": 5}, {"start": 0, "end": len(text) + 1}, {"start": 0, "end": 30_000}):
        assert client.get(f"/api/documents/{garbled['doc_id']}/reading", params=params).status_code == 422
    assert client.get("/api/documents/nosuchdoc/reading", params={"start": 0, "end": 5}).status_code == 404


def test_recommendations_and_citations_name_their_documents_title(client: TestClient) -> None:
    titles = {d["doc_id"]: d["title"] for d in _docs(client)}
    recs = client.get("/api/recommendations", params={"municipality": "Holbaek"}).json()
    assert recs and all(r["title"] == titles[r["doc_id"]] and r["title"] for r in recs)
    answer = client.post("/api/ask", json={"question": "Hvad gør Holbæk ved manglende tilbagemeldinger?"})
    for citation in answer.json()["citations"]:
        assert citation["title"] == titles[citation["doc_id"]] and citation["title"]
