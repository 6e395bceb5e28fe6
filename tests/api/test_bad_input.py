"""Bad files through `sporbar ingest` and through the upload route: each gets a clear reason, the rest of
the run goes on, and the index stays exactly as it was for that file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.service import Service
from index.settings import Settings
from tests.badfiles import GOOD_TEXT, samples
from tests.server import run_cli

LIMIT_MB = 0.05
LIMIT = int(LIMIT_MB * 1024 * 1024)
ENV = {"SPORBAR_MAX_FILE_MB": str(LIMIT_MB)}


def _docs(data: Path) -> list[dict[str, object]]:
    done = run_cli("docs", "--json", "--data-dir", str(data), env=ENV)
    assert done.returncode == 0, done.stderr
    docs: list[dict[str, object]] = json.loads(done.stdout)
    return docs


def _texts(data: Path) -> dict[str, str]:
    from index.record import Record

    record = Record(data / "record.sqlite3")
    try:
        return {d.source: d.text for d in record.documents(with_text=True)}
    finally:
        record.close()


@pytest.mark.integration
def test_cli_ingest_reports_each_bad_file_and_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "god.txt").write_text(GOOD_TEXT, encoding="utf-8")
    cases = samples(LIMIT)
    for sample in cases:
        (folder / sample.name).write_bytes(sample.data)
    data = tmp_path / "data"
    done = run_cli("ingest", str(folder), "--json", "--data-dir", str(data), env=ENV)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    rejected = {r["source"]: r["reason"] for r in report["rejected"]}
    expected_rejected = {s.name for s in cases if s.rejected is not None}
    assert set(rejected) == expected_rejected
    for sample in cases:
        if sample.rejected:
            assert sample.rejected in rejected[sample.name], (sample.name, rejected[sample.name])
    accepted = 1 + sum(s.rejected is None for s in cases)
    assert report["added"] == accepted
    assert (
        report["added"] + report["updated"] + report["unchanged"] + len(report["rejected"]) == len(cases) + 1
    )
    texts = _texts(data)
    for sample in cases:
        if sample.rejected is None:
            assert sample.must_contain in texts[sample.name]
            if sample.must_not_contain:
                assert sample.must_not_contain not in texts[sample.name]

    again = json.loads(run_cli("ingest", str(folder), "--json", "--data-dir", str(data), env=ENV).stdout)
    assert (again["added"], again["unchanged"], len(again["rejected"])) == (
        0,
        accepted,
        len(expected_rejected),
    )
    assert {d["source"] for d in _docs(data)} == {"god.txt"} | {s.name for s in cases if s.rejected is None}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("bad-upload")
    settings = Settings(data_dir=root / "data", embedder="fake", api_key="k", max_file_mb=LIMIT_MB)
    with TestClient(create_app(settings, Service.open(settings))) as client:
        yield client


@pytest.mark.parametrize("sample", samples(LIMIT), ids=lambda s: s.name)
def test_upload_route_rejects_or_ingests_each_file(client: TestClient, sample) -> None:  # type: ignore[no-untyped-def]
    before = client.get("/api/documents").json()
    response = client.post(
        "/api/documents", files={"file": (sample.name, sample.data)}, headers={"X-API-Key": "k"}
    )
    if sample.rejected is not None:
        assert response.status_code in (413, 422), response.text
        assert sample.rejected in response.json()["detail"]
        assert client.get("/api/documents").json() == before
        assert "Traceback" not in response.text
    else:
        assert response.status_code == 201, response.text
        text = client.get(f"/api/documents/{response.json()['doc_id']}").json()["text"]
        assert sample.must_contain in text
        assert not sample.must_not_contain or sample.must_not_contain not in text
    assert client.get("/healthz").status_code == 200


@pytest.mark.integration
def test_thousands_of_tiny_files(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for n in range(2000):
        sub = folder / f"mappe{n // 200}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"note{n}.txt").write_text(
            f"Kort note nummer {n} om sag {n * 7919 % 10007}.", encoding="utf-8"
        )
    data = tmp_path / "data"
    done = run_cli("ingest", str(folder), "--json", "--data-dir", str(data), timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["added"] == 2000 and report["rejected"] == []
    assert len(_docs(data)) == 2000
    shutil.rmtree(folder / "mappe0")
    pruned = json.loads(run_cli("ingest", str(folder), "--prune", "--json", "--data-dir", str(data)).stdout)
    assert (pruned["removed"], pruned["unchanged"]) == (200, 1800)
