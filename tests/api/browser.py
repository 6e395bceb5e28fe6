"""A real headless Chromium for the tests of the web page: pages that fail on script errors, and axe-core's
accessibility check."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.server import LiveServer
from tests.support import REPO

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


def wait_for_focus(page: Page, condition: str) -> None:
    """Waits until the focused element `e` meets the JavaScript `condition`. Focus often moves after an
    action has returned: a dialog's `close` event, whose handler gives focus back, is queued, not fired
    at once."""
    try:
        page.wait_for_function(
            f"() => {{ const e = document.activeElement; return Boolean(e && ({condition})); }}"
        )
    except Exception as error:
        if type(error).__name__ != "TimeoutError":
            raise
        focused = page.evaluate(
            "() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)"
        )
        raise AssertionError(
            f"focus never reached an element where {condition}; it is on {focused}"
        ) from None


def wait_for_query(page: Page, check: Callable[[dict[str, list[str]]], bool]) -> dict[str, list[str]]:
    """Waits until the page's URL has query parameters that pass `check`, and returns them. The page
    changes its URL after some actions have returned: closing the document view steps back in history,
    and `history.back()` is done when the browser gets to it."""
    page.wait_for_url(lambda url: check(parse_qs(urlsplit(url).query)))
    return parse_qs(urlsplit(page.url).query)


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
