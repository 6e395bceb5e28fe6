"""The advisor's overview above the recommendations — counts by status and department per report year, a
sortable table, each row's history on demand — in a real headless Chromium against a live `sporbar serve`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.browser import Page, open_page
from tests.server import LiveServer, run_cli, serve
from tests.support import REPO

pytestmark = pytest.mark.integration

STATUSES = ("addressed", "partially", "not_addressed")
STATUS_DA = {"addressed": "Fulgt op", "partially": "Delvist fulgt op", "not_addressed": "Ikke fulgt op"}
YEARS = REPO / "tests" / "index" / "fixtures" / "trace_years"


@pytest.fixture(scope="module")
def years_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`sporbar serve` over four documents of one municipality: a 2022 report, its response, a 2023
    follow-up and a 2024 report that repeats one recommendation."""
    data = tmp_path_factory.mktemp("years") / "data"
    done = run_cli("ingest", str(YEARS), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    with serve(data) as url:
        yield LiveServer(url, "")


def _recs(live_server: LiveServer, **params: Any) -> list[dict[str, Any]]:
    response = httpx.get(f"{live_server.url}/api/recommendations", params=params, timeout=60)
    response.raise_for_status()
    recs: list[dict[str, Any]] = response.json()
    return recs


def _open(page: Page, query: str = "") -> None:
    page.goto(f"/?view=recs{query}")
    page.wait_for_selector("#recs[aria-busy='false']", state="attached")
    page.wait_for_selector("#recs-table tr.rec-row")


def _row_ids(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "#recs-table tr.rec-row", "rows => rows.map(r => r.dataset.recId)"
    )
    return ids


def _cells(page: Page, selector: str) -> list[str]:
    texts: list[str] = page.eval_on_selector_all(selector, "cells => cells.map(c => c.textContent)")
    return texts


def test_counts_by_status_and_department_for_each_report_year(tab: Page, live_server: LiveServer) -> None:
    recs = _recs(live_server)
    _open(tab)
    years = sorted({r["year"] or 0 for r in recs}, reverse=True)
    shown = tab.eval_on_selector_all("#recs-counts table.counts", "ts => ts.map(t => t.dataset.year)")
    assert shown == [str(y) if y else "" for y in years]
    for year in years:
        members = [r for r in recs if (r["year"] or 0) == year]
        table = f'#recs-counts table.counts[data-year="{year or ""}"]'
        caption = tab.text_content(f"{table} caption") or ""
        assert str(year) in caption and f"{len(members)} anbefaling" in caption
        by_status = Counter(r["effective_status"] for r in members)
        total = [tab.text_content(f'{table} tr.total td[data-status="{s}"]') for s in STATUSES]
        assert total == [str(by_status[s]) for s in STATUSES]
        assert tab.text_content(f"{table} tr.total td.all") == str(len(members))
        # One row per department (those without one together), each counting its own.
        departments = Counter(r["department"] or "(ikke angivet)" for r in members)
        rows = _cells(tab, f"{table} tbody tr:not(.total) th")
        assert sorted(rows) == sorted(departments)
        for name in departments:
            row = tab.locator(f"{table} tbody tr:not(.total)", has=tab.locator(f'th:text-is("{name}")'))
            mine = Counter(
                r["effective_status"] for r in members if (r["department"] or "(ikke angivet)") == name
            )
            assert [row.locator(f'td[data-status="{s}"]').text_content() for s in STATUSES] == [
                str(mine[s]) for s in STATUSES
            ]
    headers = _cells(tab, "#recs-counts table.counts thead th")[:5]
    assert headers == ["Forvaltning", *STATUS_DA.values(), "I alt"]


def test_the_table_sorts_by_status_department_and_response(tab: Page, live_server: LiveServer) -> None:
    recs = {r["rec_id"]: r for r in _recs(live_server)}
    _open(tab)
    assert len(_row_ids(tab)) == len(recs)
    columns = _cells(tab, "#recs-table thead th[data-column]")
    assert columns == ["Anbefaling", "Forvaltning", "Svar", "Status", "Belæg"]
    status = "#recs-table th[data-column=status]"
    tab.click(f"{status} button")
    assert tab.get_attribute(status, "aria-sort") == "ascending"
    order = [STATUSES.index(recs[i]["effective_status"]) for i in _row_ids(tab)]
    assert order == sorted(order) and len(set(order)) > 1
    badges = _cells(tab, "#recs-table tr.rec-row .c-status .status-badge")
    assert badges == [STATUS_DA[recs[i]["effective_status"]] for i in _row_ids(tab)]
    # Focus stays on the header that sorted, so a keyboard user can sort again at once.
    assert tab.evaluate("document.activeElement.closest('th').dataset.column") == "status"
    tab.keyboard.press("Enter")
    assert tab.get_attribute(status, "aria-sort") == "descending"
    order = [STATUSES.index(recs[i]["effective_status"]) for i in _row_ids(tab)]
    assert order == sorted(order, reverse=True)
    # By the latest response's year (an undated one after the dated): rows without a response last.
    tab.click("#recs-table th[data-column=response] button")
    assert tab.get_attribute(status, "aria-sort") is None
    years = [r["history"][-1]["year"] or 9999 if (r := recs[i])["history"] else None for i in _row_ids(tab)]
    answered = [y for y in years if y is not None]
    assert years[: len(answered)] == answered and answered == sorted(answered) and len(set(answered)) > 1
    tab.click("#recs-table th[data-column=department] button")
    shown = [recs[i]["department"] for i in _row_ids(tab)]
    named = [d for d in shown if d]
    assert shown[: len(named)] == named


def test_a_row_opens_its_history_year_by_year_with_the_quotes(tab: Page, live_server: LiveServer) -> None:
    recs = _recs(live_server)
    rec = max(recs, key=lambda r: len(r["history"]))
    assert rec["history"], "some recommendation of the seed corpus is answered"
    _open(tab)
    row = tab.locator(f'#recs-table tr.rec-row[data-rec-id="{rec["rec_id"]}"]')
    toggle = row.locator("button.toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    detail_id = toggle.get_attribute("aria-controls")
    assert tab.locator(f"#{detail_id}").is_hidden()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    body = tab.locator(f"#{detail_id}")
    body.wait_for()
    entries = body.locator("li.history-entry")
    assert entries.count() == len(rec["history"])
    for n, entry in enumerate(rec["history"]):
        item = entries.nth(n)
        assert item.locator(".history-year").text_content() == str(entry["year"])
        assert item.locator(".status-badge").text_content() == STATUS_DA[entry["status"]]
        assert item.locator(".quote").text_content() == entry["quote"]
        assert entry["source"] in (item.locator("a.history-link").text_content() or "")
    assert body.locator(".rec-full").text_content() == rec["text"]
    # The quote opens in its document, highlighted.
    entries.first.locator("a.history-link").click()
    tab.wait_for_selector("#doc-view[open] #doc-body mark")
    assert tab.text_content("#doc-body mark") == rec["history"][0]["quote"]
    tab.keyboard.press("Escape")
    tab.wait_for_selector("#doc-view", state="hidden")
    # The link to the card puts focus on the recommendation's card, where the status can be corrected.
    body.locator("a.to-card").click()
    assert tab.evaluate("document.activeElement.id") == f"theme-{rec['rec_id']}"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false" and tab.locator(f"#{detail_id}").is_hidden()


def test_the_overview_speaks_english_after_the_switch(tab: Page, live_server: LiveServer) -> None:
    _open(tab)
    tab.click("#lang-switch")
    assert tab.text_content("#recs-counts-heading") == "Overview by report year"
    assert _cells(tab, "#recs-table thead th[data-column]") == [
        "Recommendation",
        "Department",
        "Response",
        "Status",
        "Evidence",
    ]
    href = tab.get_attribute("#recs-csv", "href") or ""
    assert "lang=en" in href and "dialect=excel-da" in href


def test_a_history_over_the_years_and_a_repeat_on_the_page(chromium: Any, years_server: LiveServer) -> None:
    recs = _recs(years_server)
    [answered] = [r for r in recs if "partshøring" in r["text"] and r["year"] == 2022]
    [repeat] = [r for r in recs if "hjælpemidler" in r["text"] and r["year"] == 2024]
    with open_page(chromium, years_server, viewport={"width": 1200, "height": 900}) as page:
        _open(page)
        years = page.eval_on_selector_all("#recs-counts table.counts", "ts => ts.map(t => t.dataset.year)")
        assert years == ["2024", "2022"]
        row = page.locator(f'#recs-table tr.rec-row[data-rec-id="{answered["rec_id"]}"]')
        assert (row.locator(".c-response").text_content() or "").startswith("2023 opfoelgning_2023.md")
        row.locator("button.toggle").click()
        body = page.locator(f"#rec-detail-{answered['rec_id']}")
        body.wait_for()
        entries = body.locator("li.history-entry")
        assert entries.evaluate_all("es => es.map(e => e.dataset.year)") == ["2022", "2023"]
        assert entries.locator(".status-badge").all_text_contents() == ["Delvist fulgt op", "Fulgt op"]
        assert (
            entries.nth(1).locator(".latest").count() == 1 and entries.nth(0).locator(".latest").count() == 0
        )
        reason = body.locator(".reason").text_content() or ""
        assert "Det seneste af 2 svar (2023) afgør: svaret i opfoelgning_2023.md" in reason
        later = page.locator(f'#recs-table tr.rec-row[data-rec-id="{repeat["rec_id"]}"]')
        assert (
            later.locator(".repeat-note").text_content()
            == "Gentaget fra rapporten for 2022 (beretning_2022.md)."
        )
        assert later.locator(".c-response").text_content() == "Intet svar"
