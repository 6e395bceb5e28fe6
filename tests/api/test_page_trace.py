"""The citizen advisor's view of the web page (recommendations, their evidence and status overrides) in a
real headless Chromium against a live `sporbar serve`."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.api.browser import (
    AXE,
    Page,
    axe_violations,
    describe_violations,
    open_page,
    wait_for_focus,
    wait_for_query,
)
from tests.server import LiveServer

pytestmark = pytest.mark.integration

STATUS_DA = {"addressed": "Fulgt op", "partially": "Delvist fulgt op", "not_addressed": "Ikke fulgt op"}
STATUS_EN = {"addressed": "Addressed", "partially": "Partially addressed", "not_addressed": "Not addressed"}


def _recs(live_server: LiveServer, **params: Any) -> list[dict[str, Any]]:
    response = httpx.get(f"{live_server.url}/api/recommendations", params=params, timeout=60)
    response.raise_for_status()
    recs: list[dict[str, Any]] = response.json()
    return recs


def _one(live_server: LiveServer, theme: str) -> dict[str, Any]:
    [rec] = [r for r in _recs(live_server, municipality="Holbæk") if r["theme"] == theme]
    return rec


def _clear_override(live_server: LiveServer, rec_id: str) -> None:
    httpx.delete(
        f"{live_server.url}/api/recommendations/{rec_id}/override",
        headers={"X-API-Key": live_server.api_key},
        timeout=60,
    ).raise_for_status()


@contextmanager
def _leaves_override_clear(live_server: LiveServer, rec_id: str) -> Iterator[None]:
    """The server as the test found it, whatever happens in between."""
    assert _status_override(live_server, rec_id) is None
    try:
        yield
    finally:
        _clear_override(live_server, rec_id)


def _status_override(live_server: LiveServer, rec_id: str) -> dict[str, Any] | None:
    [rec] = [r for r in _recs(live_server) if r["rec_id"] == rec_id]
    override: dict[str, Any] | None = rec["status_override"]
    return override


def _open_recs(page: Page, query: str = "") -> None:
    page.goto(f"/?view=recs{query}")
    _wait_for_recs(page)


def _wait_for_recs(page: Page) -> None:
    page.wait_for_selector("#recs[aria-busy='false']", state="attached")


def _shown_ids(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all("#recs li.rec", "els => els.map(e => e.dataset.recId)")
    return ids


def _params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _rec(page: Page, rec_id: str) -> Any:
    return page.locator(f'#recs li.rec[data-rec-id="{rec_id}"]')


def _tab_until(page: Page, condition: str, limit: int = 40) -> None:
    """Presses Tab until the JavaScript `condition` on `e`, the focused element, holds."""
    for _ in range(limit):
        if page.evaluate(f"(() => {{ const e = document.activeElement; return {condition}; }})()"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached an element where {condition}")


def test_the_holbaek_table_rows_with_status_and_evidence(tab: Page, live_server: LiveServer) -> None:
    holbaek = _recs(live_server, municipality="Holbæk")
    rows = [r for r in holbaek if any(x["same_row"] for x in r["responses"])]
    assert len(rows) == 17
    assert {"Svartid", "Dialog"} <= {r["theme"] for r in rows}
    tab.goto("/")
    tab.click("#nav-recs")
    tab.wait_for_url(re.compile(r"view=recs"))
    _wait_for_recs(tab)
    assert tab.get_attribute("#nav-recs", "aria-current") == "page"
    assert tab.evaluate("document.activeElement.id") == "recs-heading"
    tab.select_option("#r-municipality", "Holbæk")
    tab.wait_for_url(re.compile(r"municipality=Holb"))
    _wait_for_recs(tab)
    assert set(_shown_ids(tab)) == {r["rec_id"] for r in holbaek}
    for r in rows:
        item = _rec(tab, r["rec_id"])
        assert item.locator(".rec-theme").text_content() == r["theme"]
        assert item.locator(".rec-text").text_content() == r["text"]
        computed = item.locator(".computed .status-badge").text_content()
        assert computed == STATUS_DA[r["status"]]
        assert item.locator(".computed .st-icon").count() == 1  # a shape beside the words
        meta = item.locator(".meta").text_content() or ""
        assert r["source"] in meta and "2017" in meta and "Holbæk" in meta
        assert (item.locator(".reason-text").text_content() or "").startswith("Svaret i samme tabelrække")
        quotes = item.locator(".response .quote").all_text_contents()
        assert quotes == [x["quote"] for x in r["responses"]]
        assert (
            item.locator(".response[data-same-row='true'] .same-row").first.text_content()
            == "Samme tabelrække"
        )
    # Grouped by section: the table's rows sit under the headings of its departments.
    heading = tab.locator(f'.rec-group:has(li.rec[data-rec-id="{rows[0]["rec_id"]}"]) h2')
    assert rows[0]["section"] in (heading.text_content() or "")
    # Or by theme; Back returns to the grouping by section.
    tab.select_option("#r-group", "theme")
    tab.wait_for_url(re.compile(r"group=theme"))
    same_theme = sum(r["theme"] == rows[0]["theme"] for r in holbaek)
    assert heading.text_content() == f"{rows[0]['theme']} ({same_theme})"
    tab.go_back()
    wait_for_query(tab, lambda params: "group" not in params)
    tab.wait_for_function(
        "([selector, section]) => (document.querySelector(selector)?.textContent || '').includes(section)",
        arg=[f'.rec-group:has(li.rec[data-rec-id="{rows[0]["rec_id"]}"]) h2', rows[0]["section"]],
    )
    assert rows[0]["section"] in (heading.text_content() or "")


def test_filters_by_status_and_theme_and_the_csv_follows(tab: Page, live_server: LiveServer) -> None:
    _open_recs(tab)
    assert len(_shown_ids(tab)) == len(_recs(live_server))
    tab.select_option("#r-status", "partially")
    tab.wait_for_url(re.compile(r"status=partially"))
    _wait_for_recs(tab)
    partial = _recs(live_server, status="partially")
    assert partial and _shown_ids(tab) == [r["rec_id"] for r in partial]
    badges = tab.locator("#recs li.rec .computed .status-badge").all_text_contents()
    assert set(badges) == {"Delvist fulgt op"}
    tab.fill("#r-theme", "SVARTID")
    tab.press("#r-theme", "Enter")
    tab.wait_for_url(re.compile(r"theme=SVARTID"))
    _wait_for_recs(tab)
    both = _recs(live_server, status="partially", theme="svartid")
    assert [r["theme"] for r in both] == ["Svartid"]
    assert _shown_ids(tab) == [both[0]["rec_id"]]
    assert (tab.text_content("#recs-status") or "").startswith("1 anbefaling")
    href = tab.get_attribute("#recs-csv", "href") or ""
    assert parse_qs(urlsplit(href).query) == {
        "status": ["partially"],
        "theme": ["SVARTID"],
        "lang": ["da"],
        "dialect": ["excel-da"],
    }
    # The page's CSV is for Danish Excel: UTF-8 with BOM, semicolons, Danish column names and reasons.
    body = httpx.get(live_server.url + href, timeout=60).content
    assert body.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert table[0][:4] == ["rec_id", "kommune", "forvaltning", "år"]
    assert [row[0] for row in table[1:]] == [both[0]["rec_id"]]
    assert dict(zip(table[0], table[1], strict=True))["gældende status"] == "Delvist fulgt op"
    # The URL keeps the filters: a reload shows the same.
    tab.reload()
    _wait_for_recs(tab)
    assert tab.input_value("#r-theme") == "SVARTID" and tab.input_value("#r-status") == "partially"
    assert _shown_ids(tab) == [both[0]["rec_id"]]
    tab.click("#r-clear")
    tab.wait_for_function("() => !location.search.includes('status=')")
    _wait_for_recs(tab)
    assert len(_shown_ids(tab)) == len(_recs(live_server))


def test_a_response_and_a_recommendation_open_in_the_document_view(
    tab: Page, live_server: LiveServer
) -> None:
    rec = _one(live_server, "Svartid")
    response = rec["responses"][0]
    _open_recs(tab, "&theme=svartid")
    item = _rec(tab, rec["rec_id"])
    item.locator("a.resp-link").first.click()
    tab.wait_for_selector("#doc-view[open] #doc-body mark")
    assert tab.text_content("#doc-body mark") == response["quote"]
    assert tab.text_content("#doc-body .passage-box h3") == "Svar på anbefalingen"
    params = _params(tab)
    assert params["doc"] == [response["doc_id"]] and params["at"] == [
        f"{response['start']}-{response['end']}"
    ]
    assert params["view"] == ["recs"]
    tab.keyboard.press("Escape")
    tab.wait_for_selector("#doc-view", state="hidden")
    # Closing the view steps back in history; the URL is the earlier one once the browser has done so.
    assert "doc" not in wait_for_query(tab, lambda params: "doc" not in params)
    wait_for_focus(tab, "e.classList.contains('resp-link')")
    item.locator("a.rec-link").click()
    tab.wait_for_selector("#doc-view[open] #doc-body mark")
    assert tab.text_content("#doc-body mark") == rec["text"]
    assert tab.text_content("#doc-body .passage-box h3") == "Anbefaling"


def test_an_override_is_shown_beside_the_computed_status_and_cleared(
    tab: Page, live_server: LiveServer
) -> None:
    rec = _one(live_server, "Svartid")
    with _leaves_override_clear(live_server, rec["rec_id"]):
        _open_recs(tab, "&theme=svartid")
        item = _rec(tab, rec["rec_id"])
        item.locator("details.override summary").click()
        item.locator("select[name=status]").select_option("addressed")
        item.locator("textarea[name=note]").fill("Svartiden er nedbragt, jf. opfølgningen i 2018.")
        item.locator("input[name=by]").fill("Borgerrådgiveren")
        # No key, a wrong key, a note the server finds too long: each is said in words; no key is kept.
        error = item.locator(".form-error")
        item.locator("button.save").click()
        assert error.text_content() == "Skriv skrivenøglen for at rette status."
        item.locator("input[name=key]").fill("not-the-key")
        item.locator("button.save").click()
        tab.wait_for_function("e => e.textContent.includes('afvist')", arg=error.element_handle())
        assert tab.evaluate("sessionStorage.getItem('sporbar.writeKey')") is None
        item.locator("input[name=key]").fill(live_server.api_key)
        note = item.locator("textarea[name=note]")
        note.evaluate("e => e.removeAttribute('maxlength')")
        note.fill("x" * 2001)
        item.locator("button.save").click()
        tab.wait_for_function("e => e.textContent.includes('422')", arg=error.element_handle())
        assert "note" in (error.text_content() or "")
        assert tab.evaluate("sessionStorage.getItem('sporbar.writeKey')") is None
        assert _status_override(live_server, rec["rec_id"]) is None
        note.fill("Svartiden er nedbragt, jf. opfølgningen i 2018.")
        item.locator("button.save").click()
        shown = item.locator(".override-shown")
        shown.wait_for()
        assert shown.locator(".status-badge").text_content() == "Fulgt op"
        text = shown.text_content() or ""
        assert "Svartiden er nedbragt" in text and "Borgerrådgiveren" in text
        assert item.locator(".computed .status-badge").text_content() == STATUS_DA[rec["status"]]
        assert "erstattet af rettelsen" in (item.locator(".computed").text_content() or "")
        saved = _status_override(live_server, rec["rec_id"])
        assert saved and saved["status"] == "addressed" and saved["by"] == "Borgerrådgiveren"
        # The key is kept for this tab only, and never put in the URL.
        assert tab.evaluate("sessionStorage.getItem('sporbar.writeKey')") == live_server.api_key
        assert live_server.api_key not in tab.url
        assert item.locator(".key-field").is_hidden()
        item.locator("details.override summary").click()
        item.locator("button.clear").click()
        shown.wait_for(state="detached")
        assert _status_override(live_server, rec["rec_id"]) is None
        assert "fjernet" in (tab.text_content("#recs-status") or "")


def test_the_override_form_works_with_the_keyboard_alone(tab: Page, live_server: LiveServer) -> None:
    rec = _one(live_server, "Dialog")
    with _leaves_override_clear(live_server, rec["rec_id"]):
        _open_recs(tab, "&theme=dialog")
        _tab_until(tab, "e.id.startsWith('ov-toggle-')")
        outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        tab.keyboard.press("Enter")
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.name") == "status"
        before = tab.evaluate("document.activeElement.value")
        tab.keyboard.press("ArrowDown")
        chosen = tab.evaluate("document.activeElement.value")
        assert chosen != before
        tab.keyboard.press("Tab")
        tab.keyboard.type("Rettet med tastaturet")
        tab.keyboard.press("Tab")
        tab.keyboard.type("Rådgiver")
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.type") == "password"
        tab.keyboard.type(live_server.api_key)
        tab.keyboard.press("Tab")
        tab.keyboard.press("Enter")
        item = _rec(tab, rec["rec_id"])
        item.locator(".override-shown").wait_for()
        assert tab.evaluate("document.activeElement.id") == f"ov-toggle-{rec['rec_id']}"
        saved = _status_override(live_server, rec["rec_id"])
        assert saved and saved["status"] == chosen and saved["note"] == "Rettet med tastaturet"
        tab.keyboard.press("Enter")
        _tab_until(tab, "e.classList.contains('clear')", limit=8)
        tab.keyboard.press("Enter")
        item.locator(".override-shown").wait_for(state="detached")
        assert _status_override(live_server, rec["rec_id"]) is None


def test_the_english_switch_translates_the_view(tab: Page, live_server: LiveServer) -> None:
    rec = _one(live_server, "Svartid")
    _open_recs(tab, "&theme=svartid")
    assert tab.text_content("#nav-recs") == "Anbefalinger"
    tab.click("#lang-switch")
    assert tab.get_attribute("html", "lang") == "en"
    assert tab.text_content("#recs-heading") == "Recommendations and follow-up"
    assert tab.title() == "Sporbar – recommendations and follow-up"
    assert tab.text_content("#nav-recs") == "Recommendations"
    assert tab.text_content("label[for=r-theme]") == "Theme"
    assert tab.text_content("#r-status option[value=partially]") == "Partially addressed"
    item = _rec(tab, rec["rec_id"])
    assert item.locator(".computed .status-badge").text_content() == STATUS_EN[rec["status"]]
    assert item.locator(".computed dt").text_content() == "Computed status"
    assert item.locator(".reason-text").text_content() == rec["reason"]
    assert item.locator(".reason-text").get_attribute("lang") is None
    assert item.locator("summary").inner_text().startswith("Correct the status")
    assert (tab.text_content("#recs-status") or "").startswith("1 recommendation")
    assert _params(tab)["lang"] == ["en"]
    tab.click("#lang-switch")
    assert item.locator(".computed .status-badge").text_content() == STATUS_DA[rec["status"]]


def test_a_read_key_is_asked_for_once_and_sent_with_every_call(
    chromium: Any, live_server: LiveServer
) -> None:
    """The server's read-key check has its own tests; here the browser puts the same gate (401 without
    the key, 403 with a wrong one) in front of the live server, to drive the page through it."""
    read_key = "reader-key"
    seen: list[str | None] = []

    def gate(route: Any) -> None:
        given = route.request.headers.get("x-api-key")
        seen.append(given)
        if given == read_key:
            route.continue_()
            return
        status, detail = (401, "missing X-API-Key header") if given is None else (403, "wrong API key")
        route.fulfill(status=status, content_type="application/json", body=json.dumps({"detail": detail}))

    with open_page(chromium, live_server, viewport={"width": 1200, "height": 900}) as page:
        page.route("**/api/**", gate)
        page.goto("/?view=recs")
        page.wait_for_selector("#key-form:not([hidden])")
        # The form shows at the first refusal; the list says why once its own call is refused.
        page.wait_for_function("() => document.getElementById('recs-error').textContent")
        assert "adgangsnøgle" in (page.text_content("#recs-error") or "")
        page.fill("#key-input", "wrong")
        page.press("#key-input", "Enter")
        page.wait_for_selector("#key-error:not(:empty)")
        assert "afvist" in (page.text_content("#key-error") or "")
        page.fill("#key-input", read_key)
        page.press("#key-input", "Enter")
        _wait_for_recs(page)
        page.wait_for_selector("#recs li.rec")
        assert page.is_hidden("#key-form")
        assert len(_shown_ids(page)) == len(_recs(live_server))
        assert page.evaluate("sessionStorage.getItem('sporbar.readKey')") == read_key
        assert read_key not in page.url
        # The CSV link cannot send a header by itself; with a key the page fetches the file with it.
        with page.expect_download() as download:
            page.click("#recs-csv")
        with open(download.value.path(), encoding="utf-8-sig") as saved:
            assert saved.readline().startswith("rec_id;kommune;")
        # Every call since carries the key, the search view's too.
        seen.clear()
        page.click("#nav-search")
        page.fill("#q", "svartid")
        page.press("#q", "Enter")
        page.wait_for_selector("#results .hit")
        page.wait_for_function("() => document.getElementById('corpus-info').textContent")
        assert seen and set(seen) == {read_key}


def test_axe_finds_no_serious_violations_in_the_view(chromium: Any, live_server: LiveServer) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core is missing at {AXE} (`make browser-deps` runs `npm ci`)")
    rec = _one(live_server, "Svartid")
    with _leaves_override_clear(live_server, rec["rec_id"]):
        httpx.put(
            f"{live_server.url}/api/recommendations/{rec['rec_id']}/override",
            headers={"X-API-Key": live_server.api_key},
            json={"status": "not_addressed", "note": "Ingen ændring i svartiden.", "by": "Test"},
            timeout=60,
        ).raise_for_status()
        viewport = {"width": 1200, "height": 900}
        with open_page(chromium, live_server, viewport=viewport, bypass_csp=True) as page:
            found: dict[str, list[dict[str, Any]]] = {}
            # The corrected one, not addressed by the advisor's word (axe takes seconds on all of them); every
            # recommendation of the seed corpus has an answer, so none shows the no-evidence line.
            _open_recs(page, "&status=not_addressed")
            page.wait_for_selector("#r-municipality option:nth-child(2)", state="attached")
            assert page.locator("#recs li.rec").count() == 1
            _rec(page, rec["rec_id"]).locator("details.override summary").click()
            assert _rec(page, rec["rec_id"]).locator(".override-shown").count() == 1
            # The overview too: counts, the table sorted, one row's history open.
            page.click("#recs-table th[data-column=status] button")
            page.locator("#recs-table tr.rec-row button.toggle").first.click()
            page.wait_for_selector("#recs-table tr.rec-detail:not([hidden]) .rec-detail-body")
            assert page.locator("#recs-counts table.counts").count() >= 1
            found["recommendations"] = axe_violations(page)
            _rec(page, rec["rec_id"]).locator("a.resp-link").first.click()
            page.wait_for_selector("#doc-view[open] #doc-body mark")
            found["document view"] = axe_violations(page)
            assert not any(found.values()), describe_violations(found)


def test_a_phone_sized_screen_shows_the_view_without_sideways_scrolling(
    chromium: Any, live_server: LiveServer
) -> None:
    with open_page(chromium, live_server, viewport={"width": 320, "height": 640}, is_mobile=True) as page:
        _open_recs(page, "&municipality=Holb%C3%A6k")
        page.locator("#recs details.override summary").first.click()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
