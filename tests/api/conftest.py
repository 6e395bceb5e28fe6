"""A live `sporbar serve` over the seed corpus, shared by the tests that drive it from outside, and a
real headless Chromium for the tests of the web page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import CORPUS, REPO
from tests.server import run_cli, serve

API_KEY = "page-test-key"

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 15_000

Page = Any  # playwright's sync Page; imported lazily so that collection works without playwright


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


# --- the browser ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (`make browser-deps` installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def open_page(chromium: Any, live_server: LiveServer, **options: Any) -> Iterator[Page]:
    """A page in a fresh browser context; fails the test on any script error on the page."""
    context = chromium.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"script errors on the page: {errors}"


@pytest.fixture
def tab(chromium: Any, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser tab on a desktop-sized window."""
    with open_page(chromium, live_server, viewport={"width": 1200, "height": 900}) as page:
        yield page


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now (the page needs
    a context with `bypass_csp=True`: its policy forbids the inline script axe is injected as)."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe_violations(found: dict[str, list[dict[str, Any]]]) -> str:
    """The violations found per place, as readable text for an assertion message."""
    parts = []
    for where, violations in found.items():
        if not violations:
            continue
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]],
            }
            for v in violations
        ]
        parts.append(f"{where}:\n{json.dumps(summary, indent=1, ensure_ascii=False)}")
    return "\n".join(parts)
