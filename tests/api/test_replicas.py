"""Server mode without Docker: one `chroma run`, two `sporbar serve` replicas with their own data dirs,
and CLI ingests beside them — all behave as one service."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.server import chroma_run, run_cli, serve
from tests.support import CORPUS, seed

pytestmark = pytest.mark.integration

VISIBLE_WITHIN_S = 10  # a replica polls the shared marker every 2 s


def _sources(base: str) -> set[str]:
    return {d["source"] for d in httpx.get(f"{base}/api/documents", timeout=30).json()}


def _top(base: str, query: str) -> list[str]:
    body = httpx.get(f"{base}/api/search", params={"q": query, "k": 10}, timeout=30).json()
    return [h["chunk_id"] for h in body["results"]]


def _eventually(check: object, limit: float = VISIBLE_WITHIN_S) -> None:
    started = time.monotonic()
    while not check():  # type: ignore[operator]
        assert time.monotonic() - started < limit, "not visible in time"
        time.sleep(0.25)


def test_two_replicas_behave_as_one_service(tmp_path: Path) -> None:
    with chroma_run(tmp_path / "chroma") as url:
        env = {"SPORBAR_CHROMA_URL": url, "SPORBAR_API_KEY": "k"}
        done = run_cli("ingest", str(CORPUS), "--data-dir", str(tmp_path / "writer"), env=env)
        assert done.returncode == 0, done.stderr
        names = {p.name for p in CORPUS.iterdir()}
        with serve(tmp_path / "one", env) as one, serve(tmp_path / "two", env) as two:
            # Replicas started after the ingest see it at once, duplicates and all.
            assert _sources(one) == _sources(two) == names
            docs = httpx.get(f"{two}/api/documents", timeout=30).json()
            alias = next(d for d in docs if d["source"] == seed("000").name)
            assert alias["duplicate_of"] == next(d["doc_id"] for d in docs if d["source"] == seed("001").name)
            for query in ("telefonpolitikken", "klager over sagsbehandlingen", "svartid"):
                assert _top(one, query) == _top(two, query)

            # A write through one replica shows in the other.
            note = ("Notat om parkeringsvagternes nye arbejdstider om aftenen. " * 10).encode()
            upload = httpx.post(
                f"{one}/api/documents", files={"file": ("parkering.txt", note)}, headers={"X-API-Key": "k"}
            )
            assert upload.status_code == 201, upload.text
            _eventually(lambda: "parkering.txt" in _sources(two))
            hits = httpx.get(f"{two}/api/search", params={"q": "parkeringsvagter aftenen"}, timeout=30).json()
            assert hits["results"][0]["source"] == "parkering.txt"

            # A CLI removal beside them shows in both.
            removed = run_cli("rm", "parkering.txt", "--data-dir", str(tmp_path / "writer"), env=env)
            assert removed.returncode == 0, removed.stderr
            _eventually(lambda: "parkering.txt" not in _sources(one) | _sources(two))
        # The data dirs hold caches only: a replica with a fresh data dir needs nothing from them.
        with serve(tmp_path / "three", env) as three:
            assert _sources(three) == names
