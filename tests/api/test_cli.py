"""The CLI through its console script, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.embed import FakeEmbedder
from index.record import Record
from index.trace.stored import decode, trace_key
from tests.support import CORPUS, REPO

pytestmark = pytest.mark.integration  # the installed command in its own process

SPORBAR = Path(sys.executable).parent / "sporbar"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    base = {**os.environ, "SPORBAR_EMBEDDER": "fake"}  # the real model is exercised by the integration tests
    merged = {k: v for k, v in {**base, **(env or {})}.items() if v}  # "" unsets a variable
    return subprocess.run([str(SPORBAR), *args], capture_output=True, text=True, env=merged, cwd=cwd)


def test_ingest_and_docs_json(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = run("ingest", str(CORPUS), "--json", "--data-dir", str(data))
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["added"] == 5
    docs = json.loads(run("docs", "--json", "--data-dir", str(data)).stdout)
    assert len(docs) == 5
    assert {
        "doc_id",
        "source",
        "path",
        "title",
        "municipality",
        "date",
        "doc_type",
        "language",
        "ocr_garbled",
        "quality",
        "canonical",
        "duplicate_of",
        "chunks",
    } <= set(docs[0])
    again = json.loads(run("ingest", str(CORPUS), "--json", "--data-dir", str(data)).stdout)
    assert again["unchanged"] == 5 and again["added"] == 0


def test_data_dir_precedence(tmp_path: Path) -> None:
    env_dir, flag_dir = tmp_path / "env", tmp_path / "flag"
    one = next(CORPUS.glob("003_*"))
    assert run("ingest", str(one), env={"SPORBAR_DATA_DIR": str(env_dir)}).returncode == 0
    assert (env_dir / "record.sqlite3").exists()
    run("ingest", str(one), "--data-dir", str(flag_dir), env={"SPORBAR_DATA_DIR": str(env_dir)})
    assert (flag_dir / "record.sqlite3").exists()
    default = run("ingest", str(one), cwd=tmp_path, env={"SPORBAR_DATA_DIR": ""})
    assert default.returncode == 0, default.stderr
    assert (tmp_path / "data" / "record.sqlite3").exists()


def test_rm_and_exit_codes(seed_data: Path, tmp_path: Path) -> None:
    data = str(seed_data)  # the seed corpus, ingested
    removed = run("rm", next(CORPUS.glob("003_*")).name, "--json", "--data-dir", data)
    assert json.loads(removed.stdout) == {"removed": 1}
    missing = run("ingest", str(tmp_path / "nope"), "--data-dir", data)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert run("frobnicate").returncode == 2


def test_ingest_stores_the_trace_for_both_access_levels(seed_data_dir: Path) -> None:
    record = Record(seed_data_dir / "record.sqlite3")
    try:
        key = trace_key(record, FakeEmbedder())
        for access in ("public", "restricted"):
            held = record.traces.get(access)
            assert held is not None and held.key == key
            assert any(r.rec.source.startswith("004") for r in decode(held.payload))
    finally:
        record.close()


def test_query_length_limit_and_status_overrides_through_the_cli(seed_data: Path) -> None:
    data = ["--data-dir", str(seed_data)]  # the seed corpus, ingested
    long = run("search", "telefon " * 5, *data, env={"SPORBAR_MAX_QUERY_CHARS": "30"})
    assert long.returncode == 2 and "longer than 30 characters" in long.stderr
    assert run("ask", "telefon", *data, env={"SPORBAR_MAX_QUERY_CHARS": "30"}).returncode == 0
    recs = json.loads(run("trace", "--json", *data).stdout)
    rec_id = recs[0]["rec_id"]
    changed = run("trace", "--json", "--set", rec_id, "not_addressed", "--note", "intet svar", *data)
    assert changed.returncode == 0, changed.stderr
    rec = next(r for r in json.loads(changed.stdout) if r["rec_id"] == rec_id)
    assert rec["status_override"]["status"] == "not_addressed"
    assert rec["status_override"]["note"] == "intet svar" and rec["status_override"]["by"] == "cli"
    cleared = json.loads(run("trace", "--json", "--set", rec_id, "clear", *data).stdout)
    assert next(r for r in cleared if r["rec_id"] == rec_id)["status_override"] is None
    assert run("trace", "--set", "0000000000000000", "addressed", *data).returncode == 2
    assert run("trace", "--set", rec_id, "done", *data).returncode == 2
    answered = next(r for r in recs if r["history"])
    assert answered["status"] == answered["history"][-1]["status"] and "reason_code" in answered
    excel = run("trace", "--csv", "-", "--lang", "da", "--dialect", "excel-da", *data)
    assert excel.returncode == 0 and excel.stdout.startswith("\ufeffrec_id;kommune;forvaltning;år;titel")


def test_committee_filter_and_restricted_marks_through_the_cli(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    acadre = REPO / "tests" / "ingest" / "exports" / "fixtures" / "acadre"
    edoc = REPO / "tests" / "ingest" / "exports" / "fixtures" / "edoc"
    added = json.loads(run("ingest", str(acadre), str(edoc), "--json", *data).stdout)
    assert added["added"] >= 10 and added["rejected"] == []
    hits = json.loads(run("search", "udvalget", "--committee", "tmu", "-k", "20", "--json", *data).stdout)
    assert hits["results"] and {h["committee"] for h in hits["results"]} == {"Teknik- og Miljøudvalget (TMU)"}
    # The CLI reads the data dir directly: it sees closed items, and marks them.
    listing = run("docs", *data).stdout
    assert "[restricted]" in listing
    closed = [d for d in json.loads(run("docs", "--json", *data).stdout) if d["access"] == "restricted"]
    assert closed
    # Each line names the document by its title, with the file name beside it.
    for doc in json.loads(run("docs", "--json", *data).stdout):
        line = next(li for li in listing.splitlines() if li.startswith(doc["doc_id"]))
        assert doc["title"] and f"{doc['title']}  ({doc['source']})" in line


def test_search_by_document_through_the_cli(seed_data: Path) -> None:
    data = ["--data-dir", str(seed_data)]  # the seed corpus, ingested
    grouped = run("search", "borgerrådgiver", "--group", "document", "-k", "3", "--json", *data)
    assert grouped.returncode == 0, grouped.stderr
    body = json.loads(grouped.stdout)
    assert 1 <= len(body["results"]) <= 3 and body["total"] >= 1
    assert len({g["doc_id"] for g in body["results"]}) == len(body["results"])
    assert all(g["best"]["title"] == g["title"] for g in body["results"])
    text = run("search", "borgerrådgiver", "--group", "document", *data).stdout
    assert text.startswith(f"{body['total']} matching documents")
    assert body["results"][0]["title"] in text  # named by title, the file name on the next line
    assert run("search", "borgerrådgiver", "--group", "pages", *data).returncode == 2
