"""Shared fixtures: the seed corpus and one ingested record for the whole session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


def seed(prefix: str) -> Path:
    """A seed document by its number prefix ("001")."""
    return next(CORPUS.glob(f"{prefix}_*"))


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
def real_index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The seed corpus with the bundled multilingual e5 model on the default engine: the integration tests'
    shared index."""
    from index.factory import open_index
    from index.settings import Settings
    from ingest.pipeline import IngestOptions, run_ingest

    index = open_index(Settings(data_dir=tmp_path_factory.mktemp("real"), embedder="onnx"))
    run_ingest(index.record, [CORPUS], IngestOptions())
    index.sync()
    return index
