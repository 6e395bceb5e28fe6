"""A live `sporbar serve` over the seed corpus, shared by the tests that drive it from outside."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.conftest import CORPUS
from tests.server import run_cli, serve

API_KEY = "page-test-key"


@dataclass(frozen=True)
class LiveServer:
    url: str
    api_key: str

    def warm(self) -> None:
        """One search, so the lexical cache is built before a page sends several requests at once."""
        response = httpx.get(f"{self.url}/api/search", params={"q": "borgerrådgiver"}, timeout=60)
        response.raise_for_status()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`sporbar serve` (installed command, fake embedder, a write key) on a free loopback port over a
    fresh data dir ingested from `corpus/`; stopped at the end of the session."""
    data = tmp_path_factory.mktemp("live") / "data"
    done = run_cli("ingest", str(CORPUS), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    with serve(data, env={"SPORBAR_API_KEY": API_KEY}) as base:
        server = LiveServer(base, API_KEY)
        server.warm()
        yield server
