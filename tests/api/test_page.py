"""The web search page in a real headless Chromium against a live `sporbar serve`."""

from __future__ import annotations

import re
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


def _api_search(live_server: LiveServer, **params: Any) -> list[dict[str, Any]]:
    response = httpx.get(f"{live_server.url}/api/search", params={"k": 11, **params}, timeout=60)
    response.raise_for_status()
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def _api_groups(live_server: LiveServer, **params: Any) -> list[dict[str, Any]]:
    """The page's own request: one result per document."""
    return _api_search(live_server, group="document", **params)


def _search(page: Page, query: str) -> None:
    page.goto("/")
    page.fill("#q", query)
    page.press("#q", "Enter")
    _wait_for_results(page)


def _wait_for_results(page: Page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('#results[aria-busy]') && document.querySelector('#results .hit')"
    )


def _params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _chunk_ids(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all("#results .hit", "els => els.map(e => e.dataset.chunkId)")
    return ids


def _doc_ids(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all("#results .hit", "els => els.map(e => e.dataset.docId)")
    return ids


def _wait_for_chunk_ids(page: Page, expected: list[str]) -> None:
    """Waits until the result list shows these passages, in this order (after Back, the page shows the
    earlier page's results once the search it starts again has answered)."""
    page.wait_for_function(
        """ids => !document.querySelector('#results[aria-busy]') &&
                  JSON.stringify([...document.querySelectorAll('#results .hit')].map(e => e.dataset.chunkId))
                  === JSON.stringify(ids)""",
        arg=expected,
    )


def _dialog_mark(page: Page) -> str:
    page.wait_for_selector("#doc-view[open] #doc-body mark")
    text: str = page.text_content("#doc-body mark") or ""
    return text


def _ask_available(live_server: LiveServer) -> bool:
    response = httpx.post(f"{live_server.url}/api/ask", json={"question": "telefon"}, timeout=60)
    return response.status_code == 200


def test_search_highlights_the_matching_sentence_and_its_section(tab: Page, live_server: LiveServer) -> None:
    _search(tab, "telefonpolitikken")
    assert _params(tab)["q"] == ["telefonpolitikken"]
    status = tab.text_content("#status") or ""
    assert re.match(r"\d+ dokument(er)? matcher »telefonpolitikken«; her vises 1–\d+", status), status
    first = tab.locator("#results .hit").first
    mark = first.locator("mark")
    assert mark.count() == 1
    assert "telefonpolitik" in (mark.text_content() or "").lower()
    # The words that match the query are emphasised inside the highlighted sentence (prefix matching).
    assert any(w.lower().startswith("telefon") for w in mark.locator("strong").all_text_contents())
    assert first.locator(".m-section dd").text_content()
    assert first.locator(".m-date dd").text_content()
    groups = _api_groups(live_server, q="telefonpolitikken")
    assert _chunk_ids(tab) == [g["best"]["chunk_id"] for g in groups[:10]]
    # One result per document, named by its title; the file name comes second.
    assert len(set(_doc_ids(tab))) == len(_doc_ids(tab))
    assert (first.locator("a.hit-title").text_content() or "").endswith(groups[0]["title"])
    assert first.locator(".m-source dd").text_content() == groups[0]["source"]
    # Duplicate copies of a passage are named on the hit, not listed as hits of their own.
    copies = [g["best"] for g in groups[:10] if g["best"]["also_in"]]
    if copies:
        hit = tab.locator(f'#results .hit[data-chunk-id="{copies[0]["chunk_id"]}"] .also-in')
        assert copies[0]["also_in"][0] in (hit.text_content() or "")
    # The document's other matching passages are folded under its best one, and open where they are.
    folded = next((g for g in groups if g["more"]), None)
    if folded is not None:
        result = tab.locator(f'#results .hit[data-doc-id="{folded["doc_id"]}"]')
        assert not result.locator(".more-list").is_visible()
        result.locator(".more summary").click()
        assert result.locator(".more-list > li").count() == len(folded["more"])
        result.locator(".more-list a").first.click()
        assert _dialog_mark(tab) == folded["more"][0]["text"]


def test_highlight_picks_the_sentence_sharing_most_query_words(tab: Page) -> None:
    tab.goto("/")
    picked = tab.evaluate(
        """async () => {
            const h = await import("/static/highlight.js");
            const pick = (text, query) => {
                const best = h.bestSentence(text, h.queryTerms(query));
                return best ? text.slice(best.start, best.end) : null;
            };
            const text = "Intet. • Fokus på telefonpolitikken i Klima, Miljø og Teknik. Mere om telefoner.";
            return [
                pick(text, "telefon Klima"),
                pick(text, "Hvad er telefonen?"),
                pick("Forvaltningernes arbejde med klagesagsomradet.", "klagesagsområdet"),
                pick(text, "vejbelysning"),
            ];
        }"""
    )
    assert picked == [
        "Fokus på telefonpolitikken i Klima, Miljø og Teknik.",
        "Mere om telefoner.",
        "Forvaltningernes arbejde med klagesagsomradet.",
        None,
    ]


def test_a_municipality_filter_restricts_results_and_the_answer(tab: Page, live_server: LiveServer) -> None:
    _search(tab, "klager og sagsbehandling")
    assert {m.strip() for m in tab.locator("#results .m-municipality dd").all_text_contents()} != {"Holbæk"}
    tab.select_option("#f-municipality", "Holbæk")
    tab.wait_for_url(re.compile(r"municipality=Holb"))
    _wait_for_results(tab)
    municipalities = tab.locator("#results .m-municipality dd").all_text_contents()
    assert municipalities and set(municipalities) == {"Holbæk"}
    expected = _api_groups(live_server, q="klager og sagsbehandling", municipality="Holbæk")
    assert _chunk_ids(tab) == [g["best"]["chunk_id"] for g in expected[:10]]
    if _ask_available(live_server):
        tab.wait_for_selector("#answer-panel[aria-busy='false']")
        cited = {c.strip() for c in tab.locator("#answer .citations .cite").all_text_contents()}
        answer = httpx.post(
            f"{live_server.url}/api/ask",
            json={"question": "klager og sagsbehandling", "municipality": "Holbæk"},
            timeout=60,
        ).json()
        # Citations are named by the title of their document, with its municipality and year.
        assert len(cited) == len(answer["citations"])
        for c in answer["citations"]:
            assert c["title"] and f"[{c['n']}] {c['title']} · Holbæk · om 2017" in cited


def test_a_page_past_the_last_document_says_so_and_leads_back(tab: Page, live_server: LiveServer) -> None:
    groups = _api_groups(live_server, q="borgerrådgiver")
    assert len(groups) < 10  # the seed corpus has fewer documents than a page holds
    tab.goto("/?q=borgerr%C3%A5dgiver&page=2")
    tab.wait_for_selector("#status:not(:empty)")
    tab.wait_for_function("() => !document.querySelector('#results[aria-busy]')")
    assert tab.text_content("#status") == "Der er ikke flere resultater."
    tab.click("#pager a[rel=prev]")
    wait_for_query(tab, lambda params: "page" not in params)
    _wait_for_chunk_ids(tab, [g["best"]["chunk_id"] for g in groups])
    status = tab.text_content("#status") or ""
    total = sum(not g["weaker"] for g in groups)
    assert status.startswith(f"{total} dokument"), status
    weaker = tab.locator("#results .hit.weaker")
    assert weaker.count() == sum(g["weaker"] for g in groups)
    for i in range(weaker.count()):
        assert weaker.nth(i).locator(".badge.weaker").text_content() == "Svagere match"


def test_a_result_opens_its_passage_in_the_document_view(tab: Page, live_server: LiveServer) -> None:
    _search(tab, "telefonpolitikken")
    hit = _api_groups(live_server, q="telefonpolitikken")[0]["best"]
    link = tab.locator("#results .hit a.hit-title").first
    link.click()
    assert _dialog_mark(tab) == hit["text"]
    assert _params(tab)["doc"] == [hit["doc_id"]]
    mark = tab.locator("#doc-body mark")
    tab.wait_for_function(
        """() => { const r = document.querySelector('#doc-body mark').getBoundingClientRect();
                   return r.top < innerHeight && r.bottom > 0; }"""
    )
    assert mark.is_visible()
    detail = httpx.get(f"{live_server.url}/api/documents/{hit['doc_id']}", timeout=30).json()
    body = tab.text_content("#doc-body") or ""
    for duplicate in detail["duplicates"]:
        assert duplicate["source"] in (tab.text_content("#doc-body .duplicates") or "")
    assert detail["text"] in body  # the whole stored text, as text
    original = tab.locator("#doc-body a[href*='/file']")
    assert original.count() == 1
    assert httpx.get(live_server.url + (original.get_attribute("href") or ""), timeout=30).status_code == 200
    tab.keyboard.press("Escape")
    tab.wait_for_selector("#doc-view", state="hidden")
    assert "doc" not in wait_for_query(tab, lambda params: "doc" not in params)
    wait_for_focus(tab, "e.classList.contains('hit-title')")


def test_answer_citations_open_the_cited_passage(tab: Page, live_server: LiveServer) -> None:
    if not _ask_available(live_server):
        pytest.skip("POST /api/ask is not available on this server")
    question = "Hvad vil Klima, Miljø og Teknik gøre ved telefonpolitikken?"
    answer = httpx.post(f"{live_server.url}/api/ask", json={"question": question}, timeout=60).json()
    _search(tab, question)
    tab.wait_for_selector("#answer-panel[aria-busy='false']")
    if not answer["found"]:
        assert answer["answer"] in (tab.text_content("#answer") or "")
        return
    inline = tab.locator("#answer .answer-text a.cite")
    assert inline.count() == len(answer["citations"])
    first = answer["citations"][0]
    tab.click(f"#answer .answer-text a.cite[data-cite='{first['n']}']")
    assert _dialog_mark(tab) == first["quote"]
    assert f"[{first['n']}]" in (tab.text_content("#doc-body .passage-box h3") or "")
    tab.click("#doc-close")
    tab.wait_for_selector("#doc-view", state="hidden")
    wait_for_focus(tab, f"e.dataset.cite === '{first['n']}'")


def test_english_switch_changes_the_labels_and_is_remembered(tab: Page) -> None:
    tab.goto("/")
    assert tab.get_attribute("html", "lang") == "da"
    assert tab.text_content("label[for=q]") == "Søgning eller spørgsmål"
    tab.click("#lang-switch")
    assert tab.get_attribute("html", "lang") == "en"
    assert tab.text_content("label[for=q]") == "Search terms or question"
    assert tab.text_content("#search-button") == "Search"
    assert tab.text_content("label[for=f-municipality]") == "Municipality"
    assert tab.text_content("#lang-switch") == "Dansk"
    assert _params(tab)["lang"] == ["en"]
    tab.fill("#q", "telefon")
    tab.press("#q", "Enter")
    _wait_for_results(tab)
    assert re.match(r"\d+ documents? match(es)? “telefon”; showing 1–", tab.text_content("#status") or "")
    assert tab.text_content("#results-heading") == "Results"
    tab.reload()
    _wait_for_results(tab)
    assert tab.get_attribute("html", "lang") == "en"
    tab.click("#lang-switch")
    assert tab.text_content("#search-button") == "Søg"


def test_keyboard_only_search_and_document_view(tab: Page) -> None:
    tab.goto("/")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.classList.contains('skip')")
    for _ in range(10):
        if tab.evaluate("document.activeElement.id") == "q":
            break
        tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.id") == "q"
    tab.keyboard.type("telefonpolitikken")
    tab.keyboard.press("Enter")
    _wait_for_results(tab)
    tab.wait_for_selector("#answer-panel[aria-busy='false']")
    for _ in range(40):
        if tab.evaluate("document.activeElement.classList.contains('hit-title')"):
            break
        tab.keyboard.press("Tab")
    focused = tab.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
                   return {cls: e.className, outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""
    )
    assert "hit-title" in focused["cls"]
    assert focused["outline"] != "none" and focused["width"] >= 2, focused
    tab.keyboard.press("Enter")
    _dialog_mark(tab)
    assert tab.evaluate("document.getElementById('doc-view').contains(document.activeElement)")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.getElementById('doc-view').contains(document.activeElement)")
    tab.keyboard.press("Escape")
    tab.wait_for_selector("#doc-view", state="hidden")
    wait_for_focus(tab, "e.classList.contains('hit-title')")


def test_api_errors_are_shown_as_a_message(tab: Page) -> None:
    tab.goto("/?q=telefon&doc_type=nonsense")
    tab.wait_for_selector("#error:not(:empty)")
    message = tab.text_content("#error") or ""
    assert "422" in message and "doc_type" in message
    tab.goto("/")
    tab.press("#q", "Enter")
    assert tab.text_content("#error") == "Skriv noget at søge efter."
    assert tab.get_attribute("#q", "aria-invalid") == "true"


def test_ocr_text_is_marked_in_results_and_document_view(tab: Page, live_server: LiveServer) -> None:
    docs = httpx.get(f"{live_server.url}/api/documents", timeout=30).json()
    garbled = next(d for d in docs if d["ocr_garbled"] and d["canonical"])
    tab.goto(f"/?q=klagesager+forvaltningerne&municipality={garbled['municipality']}")
    _wait_for_results(tab)
    hit = tab.locator(f'#results .hit[data-doc-id="{garbled["doc_id"]}"]').first
    assert hit.locator(".badge.ocr").count() == 1
    # The verbatim text is shown; the machine-corrected reading on request, labelled as such.
    reading = hit.locator("details.reading")
    assert reading.count() == 1 and not hit.locator(".reading-text").is_visible()
    assert reading.locator("summary").text_content() == "Maskinrettet læsning"
    snippet = hit.locator(".snippet").first.text_content() or ""
    reading.locator("summary").click()
    corrected = hit.locator(".reading-text").text_content() or ""
    assert corrected and corrected != snippet
    assert "æ" in corrected or "ø" in corrected or "å" in corrected
    assert not any(letter in snippet for letter in "æøå")  # the garbled text stays as it is
    hit.locator("a.hit-title span[lang]").click()  # the visible title (a hidden 1-px label leads the link)
    mark = _dialog_mark(tab)
    assert tab.locator("#doc-body .notice.ocr").count() == 1
    # The document view offers the passage's reading too, fetched when asked for.
    tab.click("#doc-body .passage-box details.reading summary")
    tab.wait_for_selector("#doc-body .passage-box .reading-text")
    in_view = tab.text_content("#doc-body .passage-box .reading-text") or ""
    assert in_view != mark and any(letter in in_view for letter in "æøå")
    assert _dialog_mark(tab) == mark  # the highlighted passage stays the verbatim text


def test_uploaded_markup_is_shown_as_text(tab: Page, live_server: LiveServer) -> None:
    script = "<script>window.__pwned=1</script>"
    image = '<img src=x onerror="window.__pwned=2">'
    text = (
        f"Notat om zyxvandløb {script}\n\n"
        f"Dette notat om zyxvandløb indeholder {script} og {image} som skal vises som tekst. "
        "Vandløbene blev renset efter borgernes henvendelser.\n"
    )
    upload = httpx.post(
        f"{live_server.url}/api/documents",
        headers={"X-API-Key": live_server.api_key},
        files={"file": ("notat<img src=x onerror=window.__pwned=3>.txt", text.encode(), "text/plain")},
        timeout=60,
    )
    assert upload.status_code == 201, upload.text
    doc_id = upload.json()["doc_id"]
    try:
        _search(tab, "zyxvandløb")
        hit = tab.locator(f'#results .hit[data-doc-id="{doc_id}"]')
        assert script in (hit.text_content() or "")
        hit.locator("a.hit-title").click()
        _dialog_mark(tab)
        shown = tab.locator("#doc-body .doc-text").inner_text()
        assert script in shown and image in shown
        assert tab.locator("#results img, #doc-view img").count() == 0
        assert tab.evaluate("typeof window.__pwned") == "undefined"
    finally:
        httpx.delete(
            f"{live_server.url}/api/documents/{doc_id}",
            headers={"X-API-Key": live_server.api_key},
            timeout=60,
        )


def test_a_phone_sized_screen_does_not_scroll_sideways(chromium: Any, live_server: LiveServer) -> None:
    with open_page(chromium, live_server, viewport={"width": 320, "height": 640}, is_mobile=True) as page:
        _search(page, "telefonpolitikken")
        page.wait_for_selector("#answer-panel[aria-busy='false']")  # the answer is on the page too
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.locator("#results .hit a.hit-title").first.click()
        _dialog_mark(page)
        assert page.evaluate("document.getElementById('doc-view').scrollWidth") <= 320


def test_axe_finds_no_serious_violations(chromium: Any, live_server: LiveServer) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core is missing at {AXE} (`make browser-deps` runs `npm ci`)")
    # The page's Content-Security-Policy forbids inline scripts, which is how axe is injected.
    with open_page(chromium, live_server, viewport={"width": 1200, "height": 900}, bypass_csp=True) as page:
        found: dict[str, list[dict[str, Any]]] = {}
        page.goto("/")
        page.wait_for_selector("#f-municipality option:nth-child(2)", state="attached")
        found["start page"] = axe_violations(page)
        _search(page, "telefonpolitikken")
        page.wait_for_selector("#answer-panel[aria-busy='false']")
        found["results page"] = axe_violations(page)
        page.locator("#results .hit a.hit-title").first.click()
        _dialog_mark(page)
        found["document view"] = axe_violations(page)
        assert not any(found.values()), describe_violations(found)


PHONE = {"width": 390, "height": 844}


def _top_and_bottom(page: Page, selector: str) -> tuple[float, float]:
    box: dict[str, float] = page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect(); "
        "return {t: r.top, b: r.bottom}; }",
        selector,
    )
    return box["t"], box["b"]


def test_on_a_phone_the_answer_and_the_first_result_show_without_scrolling(
    chromium: Any, live_server: LiveServer
) -> None:
    with open_page(chromium, live_server, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        page.goto("/")
        # The filters fold behind a button.
        page.wait_for_selector("#f-municipality option:nth-child(2)", state="attached")
        assert page.locator("#filters-toggle").is_visible() and not page.locator("#filters").is_visible()
        assert page.get_attribute("#filters-toggle", "aria-expanded") == "false"
        page.click("#filters-toggle")
        assert page.locator("#f-year").is_visible()
        assert page.get_attribute("#filters-toggle", "aria-expanded") == "true"
        page.click("#filters-toggle")
        assert not page.locator("#filters").is_visible()

        page.fill("#q", "Hvad vil Klima, Miljø og Teknik gøre ved telefonpolitikken?")
        page.press("#q", "Enter")
        _wait_for_results(page)
        page.wait_for_selector("#answer-panel[aria-busy='false']")
        assert page.evaluate("window.scrollY") == 0
        first_line = "#answer .answer-text, #answer .no-answer"
        top, bottom = _top_and_bottom(page, first_line)
        line = float(
            page.evaluate(
                "s => parseFloat(getComputedStyle(document.querySelector(s)).lineHeight)", first_line
            )
        )
        assert top >= 0 and top + line <= PHONE["height"], (top, line)
        top, bottom = _top_and_bottom(page, "#results .hit h3")
        assert top >= 0 and bottom <= PHONE["height"], (top, bottom)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_the_document_view_keeps_its_title_and_close_button_in_view(
    chromium: Any, live_server: LiveServer
) -> None:
    with open_page(chromium, live_server, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        _search(page, "Hvordan følger Holbæk op på klager over sagsbehandlingstid i Børneindsatsen?")
        page.locator("#results .hit a.hit-title").first.click()
        _dialog_mark(page)
        page.wait_for_function(
            "() => { const v = document.getElementById('doc-view'); return v.scrollTop > 0 || "
            "v.scrollHeight <= v.clientHeight; }"
        )
        for scroll in ("current", "end"):
            if scroll == "end":
                page.evaluate(
                    "() => { const v = document.getElementById('doc-view'); v.scrollTop = v.scrollHeight; }"
                )
            for selector in ("#doc-title", "#doc-close"):
                top, bottom = _top_and_bottom(page, selector)
                assert top >= 0 and bottom <= PHONE["height"], (scroll, selector, top, bottom)
        assert page.evaluate("document.getElementById('doc-view').scrollTop") > 1000
        page.click("#doc-close")
        page.wait_for_selector("#doc-view", state="hidden")


def test_axe_finds_no_serious_violations_on_a_phone(chromium: Any, live_server: LiveServer) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core is missing at {AXE} (`make browser-deps` runs `npm ci`)")
    options = {"viewport": PHONE, "is_mobile": True, "bypass_csp": True}
    with open_page(chromium, live_server, **options) as page:
        found: dict[str, list[dict[str, Any]]] = {}
        _search(page, "telefonpolitikken")
        page.wait_for_selector("#answer-panel[aria-busy='false']")
        found["phone results, filters folded"] = axe_violations(page)
        page.click("#filters-toggle")
        page.locator("#results .hit details").first.locator("summary").click()
        found["phone results, filters and passages open"] = axe_violations(page)
        page.locator("#results .hit a.hit-title").first.click()
        _dialog_mark(page)
        found["phone document view"] = axe_violations(page)
        assert not any(found.values()), describe_violations(found)


def test_the_year_filter_offers_the_years_documents_are_about(tab: Page, live_server: LiveServer) -> None:
    docs = httpx.get(f"{live_server.url}/api/documents", timeout=30).json()
    about = {str(d["year"]) for d in docs if d["year"]}
    assert "2017" in about  # Holbæk's follow-up of the report for 2017, which prints no date
    tab.goto("/")
    tab.wait_for_selector("#f-year option:nth-child(2)", state="attached")
    offered = set(tab.eval_on_selector_all("#f-year option", "els => els.map(e => e.value)")) - {""}
    assert about <= offered
    tab.fill("#q", "anbefalinger")
    tab.select_option("#f-year", "2017")
    tab.press("#q", "Enter")
    _wait_for_results(tab)
    dates = {d.strip() for d in tab.locator("#results .m-date dd").all_text_contents()}
    assert dates == {"om 2017"}
