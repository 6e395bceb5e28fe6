"""The CLI through its console script, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
