"""A live `sporbar serve` over the seed corpus, shared by the tests that drive it from outside, and a
real headless Chromium for the tests of the web page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.browser import CHROMIUM, CHROMIUM_ARGS, Page, open_page
from tests.server import API_KEY, LiveServer, serve


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, seed_data_dir: Path) -> Iterator[LiveServer]:
    """`sporbar serve` (installed command, fake embedder, a write key) on a free loopback port over its
    own copy of the seed corpus's data dir; stopped at the end of the session."""
    data = Path(shutil.copytree(seed_data_dir, tmp_path_factory.mktemp("live") / "data"))
    with serve(data, env={"SPORBAR_API_KEY": API_KEY}) as base:
        server = LiveServer(base, API_KEY)
        server.warm()
        yield server


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (`make browser-deps` installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def tab(chromium: Any, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser tab on a desktop-sized window."""
    with open_page(chromium, live_server, viewport={"width": 1200, "height": 900}) as page:
        yield page
