"""A real `sporbar serve` with a `sporbar ingest` and `sporbar rm` beside it on the same data dir."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.server import run_cli, serve
from tests.support import CORPUS, seed

pytestmark = pytest.mark.integration

FRESH_WITHIN_S = 10


def _dense_sources(base: str, query: str) -> set[str]:
    body = httpx.get(f"{base}/api/search", params={"q": query, "mode": "dense", "k": 3}, timeout=30).json()
    return {h["source"] for h in body["results"]}


def _wait_for(check: object, limit: float = FRESH_WITHIN_S) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if check():  # type: ignore[operator]
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"not seen within {limit} s")


def test_server_serves_what_a_cli_ingest_beside_it_wrote(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    news = seed("003")
    (corpus / news.name).unlink()
    data = tmp_path / "data"
    assert run_cli("ingest", str(corpus), "--data-dir", str(data)).returncode == 0
    query = "158 henvendelser borgerrådgiveren første år"
    with serve(data) as base:
        assert news.name not in _dense_sources(base, query)
        shutil.copy(news, corpus / news.name)
        done = run_cli("ingest", str(corpus), "--data-dir", str(data), "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["added"] == 1
        _wait_for(lambda: news.name in _dense_sources(base, query))
        docs = httpx.get(f"{base}/api/documents", timeout=30).json()
        assert news.name in {d["source"] for d in docs}

        removed = run_cli("rm", news.name, "--data-dir", str(data), "--json")
        assert json.loads(removed.stdout) == {"removed": 1}
        _wait_for(lambda: news.name not in _dense_sources(base, query))
        assert httpx.get(f"{base}/healthz", timeout=30).json()["documents"] == 4


def test_a_second_writer_is_refused_while_one_writes(tmp_path: Path) -> None:
    from index.lock import writer_lock

    data = tmp_path / "data"
    with writer_lock(data / "write.lock"):
        busy = run_cli("ingest", str(CORPUS), "--data-dir", str(data))
    assert busy.returncode == 1
    assert "another process is writing" in busy.stderr
    assert len(busy.stderr.strip().splitlines()) == 1


def test_serve_never_ingests_by_itself(tmp_path: Path) -> None:
    data = tmp_path / "empty"
    with serve(data) as base:
        assert httpx.get(f"{base}/healthz", timeout=30).json()["documents"] == 0
        assert httpx.get(f"{base}/api/search", params={"q": "telefon"}, timeout=30).json()["results"] == []


def test_serve_rejects_a_bad_port() -> None:
    done = run_cli("serve", "--port", "70000")
    assert done.returncode == 2 and "port" in done.stderr


def test_cli_is_installed_as_a_console_script() -> None:
    assert shutil.which("sporbar", path=str(Path(sys.executable).parent))


def test_searches_keep_answering_while_an_ingest_runs(seed_data: Path, tmp_path: Path) -> None:
    import random
    import subprocess
    import threading

    from tests.server import SPORBAR, cli_env

    data = seed_data  # the seed corpus, ingested
    more = tmp_path / "more"
    more.mkdir()
    rng = random.Random(5)
    words = ("borger", "klage", "svartid", "møde", "forvaltning", "udvalg", "telefon", "brev", "frist")
    for n in range(300):
        (more / f"n{n}.txt").write_text(" ".join(rng.choice(words) for _ in range(80)), encoding="utf-8")
    statuses: list[int] = []
    slowest = [0.0]
    with serve(data) as base:
        stop = threading.Event()

        def hammer() -> None:
            with httpx.Client(base_url=base, timeout=60) as client:
                while not stop.is_set():
                    started = time.monotonic()
                    statuses.append(client.get("/api/search", params={"q": "svartid telefon"}).status_code)
                    slowest[0] = max(slowest[0], time.monotonic() - started)

        threads = [threading.Thread(target=hammer) for _ in range(3)]
        for thread in threads:
            thread.start()
        first = subprocess.Popen(
            [SPORBAR, "ingest", str(more), "--data-dir", str(data), "--json"],
            env=cli_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.5)
        second = run_cli("ingest", str(more), "--data-dir", str(data), "--json")
        out, first_err = first.communicate(timeout=300)
        _wait_for(lambda: httpx.get(f"{base}/healthz", timeout=30).json()["documents"] == 305, limit=30)
        stop.set()
        for thread in threads:
            thread.join()
    # Two ingests at once: the one that gets the lock runs; the other is refused in one clear line, or
    # (when the first was already done) finds nothing left to do. Never both half-way.
    outcomes = [(first.returncode, out, first_err), (second.returncode, second.stdout, second.stderr)]
    done = [json.loads(stdout) for code, stdout, _ in outcomes if code == 0]
    refused = [stderr for code, _, stderr in outcomes if code != 0]
    assert done and sum(report["added"] for report in done) == 300
    assert all("another process is writing" in reason for reason in refused)
    assert statuses and set(statuses) == {200}
    assert slowest[0] < 30  # generous: bounded, not fast
