"""The page with generated answers on (the local fake chat server): the answer streams in, is marked as
generated, and shows only sentences whose quotes were verified; keywords get excerpts marked as such."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eval.fake_chat import FakeChat
from tests.api.browser import Page, open_page
from tests.server import LiveServer, serve

pytestmark = pytest.mark.integration

# Words of one passage: with the fake embedder the question is that close to its sentences.
QUESTION = "Fokus på telefonpolitikken på tværs af Klima-, Miljø- og Teknikområdet"


@pytest.fixture(scope="module")
def generating_server(tmp_path_factory: pytest.TempPathFactory, seed_data_dir: Path) -> Iterator[LiveServer]:
    data = Path(shutil.copytree(seed_data_dir, tmp_path_factory.mktemp("generating") / "data"))
    with (
        FakeChat() as chat,
        serve(data, env={"SPORBAR_LLM_URL": chat.url, "SPORBAR_LLM_MODEL": "inventing"}) as base,
    ):
        server = LiveServer(base, "")
        server.warm()
        yield server


@pytest.fixture
def page(chromium: Any, generating_server: LiveServer) -> Iterator[Page]:
    with open_page(chromium, generating_server, viewport={"width": 1200, "height": 900}) as tab:
        yield tab


def _ask(page: Page, query: str) -> None:
    page.goto("/")
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_selector("#answer-panel[aria-busy='false']")


def test_a_generated_answer_is_marked_and_cites_verified_quotes(page: Page) -> None:
    _ask(page, QUESTION)
    label = page.locator("#answer .badge.generated")
    assert label.is_visible() and "Genereret svar" in (label.text_content() or "")
    text = page.text_content("#answer .answer-text") or ""
    assert "gratis parkering" not in text  # the invented sentence never reaches the page
    assert page.locator("#answer .answer-text a.cite").count() >= 1
    assert page.locator("#answer .citations li").count() >= 1


def test_keywords_get_excerpts_marked_as_such(page: Page) -> None:
    _ask(page, "telefon")
    assert page.locator("#answer .badge.excerpts").is_visible()
    assert page.locator("#answer .badge.generated").count() == 0
    quotes = page.locator("#answer .citations .quote").all_text_contents()
    assert quotes and all("telefon" in q.lower() for q in quotes)
