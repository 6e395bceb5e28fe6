"""SIGKILL an ingest at several points; afterwards the record is whole, and a re-run finishes the job with
the vector store in step with the record."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from index.factory import open_index
from index.settings import Settings
from tests.server import SPORBAR, cli_env, run_cli
from tests.support import CORPUS, seed

pytestmark = pytest.mark.integration

EXTRA_FILES = 150
WAIT_LIMIT_S = 120


def _count(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    try:
        with sqlite3.connect(db_path, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def _assert_whole(db_path: Path) -> None:
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        mismatched = db.execute(
            "SELECT d.doc_id FROM documents d LEFT JOIN chunks c USING (doc_id) "
            "GROUP BY d.doc_id HAVING COUNT(c.chunk_id) != MAX(d.chunks)"
        ).fetchall()
        assert mismatched == []  # no half-written document
        orphans = db.execute(
            "SELECT COUNT(*) FROM chunks WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
        ).fetchone()[0]
        assert orphans == 0


def _kill_after(folder: Path, data: Path, documents: int) -> int:
    """Start an ingest, SIGKILL it once the record holds `documents` documents; returns the count then."""
    process = subprocess.Popen(
        [SPORBAR, "ingest", str(folder), "--data-dir", str(data)],
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    try:
        while _count(data / "record.sqlite3") < documents and process.poll() is None:
            assert time.monotonic() - started < WAIT_LIMIT_S, "ingest made no progress"
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    return _count(data / "record.sqlite3")


def test_kills_lose_nothing_and_a_rerun_finishes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(CORPUS, folder)
    rng = random.Random(11)
    words = ("borger", "sag", "klage", "svar", "frist", "møde", "forvaltning", "udvalg", "notat", "telefon")
    for n in range(EXTRA_FILES):
        text = " ".join(rng.choice(words) for _ in range(60 + n % 40))
        (folder / f"notat-{n:03d}.txt").write_text(f"Notat {n}\n\n{text}.", encoding="utf-8")
    total = EXTRA_FILES + 5
    data = tmp_path / "data"
    seen = []
    # Kill early, in the middle, late, and after the last document (during duplicates or the index sync).
    for target in (3, rng.randint(20, 70), rng.randint(80, 140), total):
        seen.append(_kill_after(folder, data, target))
        _assert_whole(data / "record.sqlite3")
    assert seen == sorted(seen) and seen[-1] >= total - 1, seen

    done = run_cli("ingest", str(folder), "--json", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    _assert_whole(data / "record.sqlite3")
    index = open_index(Settings(data_dir=data, embedder="fake"))
    docs = {d.source: d for d in index.record.documents()}
    assert len(docs) == total
    assert docs[seed("000").name].duplicate_of == docs[seed("001").name].doc_id
    assert not index.record.duplicates_stale()
    assert index.store.ids() == {c.chunk_id for c in index.record.indexable_chunks()}
    hits = index.searcher.search("telefonpolitikken Klima, Miljø og Teknik", 3).results
    assert hits and hits[0].source == seed("001").name


def test_a_broken_vector_store_is_rebuilt_from_the_record(seed_data: Path) -> None:
    data = seed_data  # the seed corpus, ingested
    for path in (data / "chroma").iterdir():  # wreck every file Chroma keeps
        if path.is_file():
            path.write_bytes(b"\x00garbage" * 64)
        else:
            shutil.rmtree(path)
    done = run_cli("search", "telefonpolitikken", "--json", "--data-dir", str(data))
    # A reader never repairs; it says what will.
    assert done.returncode == 1 and "rebuilds it from the record" in done.stderr
    assert not list(data.glob("chroma.broken-*"))
    repaired = run_cli("ingest", str(CORPUS), "--json", "--data-dir", str(data))
    assert repaired.returncode == 0, repaired.stderr
    index = open_index(Settings(data_dir=data, embedder="fake"))
    assert index.store.ids() == {c.chunk_id for c in index.record.indexable_chunks()}
    assert list(data.glob("chroma.broken-*"))
