"""Shared fixtures: the seed corpus and one ingested record for the whole session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from index.settings import DEFAULT_EMBEDDER
from tests.server import run_cli
from tests.support import CORPUS

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# Fixtures that start another process or load the real model: a test using one must be an integration test.
INTEGRATION_FIXTURES = {
    "real_index",
    "seed_data_dir",
    "seed_data",
    "chroma_server",
    "live_server",
    "chromium",
    "tab",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    unmarked = [
        item.nodeid
        for item in items
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ()))
        and item.get_closest_marker("integration") is None
    ]
    if unmarked:
        raise pytest.UsageError(f"integration fixtures in tests not marked integration: {unmarked}")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def seed_record(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The seed corpus ingested once into a fresh record; tests must not modify it."""
    from index.record import Record
    from ingest.pipeline import IngestOptions, run_ingest

    record = Record(tmp_path_factory.mktemp("seed") / "record.sqlite3")
    report = run_ingest(record, [CORPUS], IngestOptions())
    record.first_report = report  # type: ignore[attr-defined]
    return record


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The seed corpus ingested and indexed with the fake embedder in an embedded Chroma; read-only."""
    from index.factory import open_index
    from index.settings import Settings
    from ingest.pipeline import IngestOptions, run_ingest

    index = open_index(Settings(data_dir=tmp_path_factory.mktemp("fake"), embedder="fake"))
    run_ingest(index.record, [CORPUS], IngestOptions())
    index.sync()
    return index


@pytest.fixture(scope="session")
def seed_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the seed corpus, written once by `sporbar ingest` (fake embedder); never written
    again: a test that writes takes a copy (`seed_data`)."""
    data = tmp_path_factory.mktemp("seed-data") / "data"
    done = run_cli("ingest", str(CORPUS), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    return data


@pytest.fixture
def seed_data(seed_data_dir: Path, tmp_path: Path) -> Path:
    """The test's own copy of `seed_data_dir`, at `tmp_path / "data"`: as after a `sporbar ingest` of the
    seed corpus there, without running one."""
    return Path(shutil.copytree(seed_data_dir, tmp_path / "data"))


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The seed corpus with the bundled multilingual e5 model on the default engine: the integration tests'
    shared index."""
    from index.factory import open_index
    from index.settings import Settings
    from ingest.pipeline import IngestOptions, run_ingest

    index = open_index(Settings(data_dir=tmp_path_factory.mktemp("real"), embedder=DEFAULT_EMBEDDER))
    run_ingest(index.record, [CORPUS], IngestOptions())
    index.sync()
    return index
