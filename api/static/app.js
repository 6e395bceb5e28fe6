/* Sporbar's web page: plain DOM code, no framework and no build step. Two views: the search (here) and
 * the recommendations (recs.js); the document view opens over either.
 *
 * Everything from the API is put on the page with textContent and createElement, never as HTML, so a
 * document that contains markup shows that markup as text. The page's state (view, query, filters, page,
 * open document) lives in the URL, so a view can be linked and the browser's Back button works.
 */
import { api, apiStream, errorText, getKey, keyedLink, onKeyProblem, setKey } from "./api.js";
import { $, el, hidden, metaItem, plainClick } from "./dom.js";
import { bestSentence, codePointIndexer, queryTerms } from "./highlight.js";
import { getLang, locale, setLang, t } from "./i18n.js";
import {
  forgetRecs,
  initRecs,
  readRecState,
  render as renderRecs,
  showRecs,
  writeRecState,
} from "./recs.js";
import { renderGroup, sourceLabel, when } from "./results.js";

const PAGE_SIZE = 10;
const MAX_OFFSET = 90; // the search route pages up to 100 results
const MAX_PAGE = MAX_OFFSET / PAGE_SIZE + 1;

// --- formatting ---------------------------------------------------------------------------------
const typeName = (type) => t("types")[type] || type;

function milliseconds(ms) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(ms || 0);
}

// --- state in the URL ---------------------------------------------------------------------------
// Two views share the page: the search ("?q=…") and the recommendations ("?view=recs&…"); either can
// have a document open over it ("&doc=…&at=…").
const FILTERS = ["municipality", "year", "doc_type", "committee"];
const HIGHLIGHTS = ["rec", "response"]; // what a passage opened from the recommendations is

function readUrl() {
  const p = new URLSearchParams(location.search);
  const hl = p.get("hl") || "";
  const page = Number.parseInt(p.get("page") || "1", 10);
  const year = p.get("year") || "";
  const doc = p.get("doc") || "";
  const at = /^(\d+)-(\d+)$/.exec(p.get("at") || "");
  const n = Number.parseInt(p.get("cite") || "", 10);
  return {
    q: (p.get("q") || "").trim().slice(0, 1000),
    municipality: (p.get("municipality") || "").slice(0, 100),
    year: /^\d{4}$/.test(year) ? year : "",
    doc_type: (p.get("doc_type") || "").slice(0, 40),
    committee: (p.get("committee") || "").slice(0, 200),
    page: Number.isFinite(page) ? Math.min(Math.max(page, 1), MAX_PAGE) : 1,
    doc: /^[A-Za-z0-9_-]{1,64}$/.test(doc) ? doc : "",
    at: at && Number(at[1]) <= Number(at[2]) ? [Number(at[1]), Number(at[2])] : null,
    cite: Number.isFinite(n) && n > 0 ? n : null,
    hl: HIGHLIGHTS.includes(hl) ? hl : null,
    view: p.get("view") === "recs" ? "recs" : "search",
    ...readRecState(p),
    lang: p.get("lang"),
  };
}

function urlFor(s) {
  const p = new URLSearchParams();
  if (s.view === "recs") {
    p.set("view", "recs");
    writeRecState(s, p);
  } else {
    if (s.q) p.set("q", s.q);
    for (const name of FILTERS) if (s[name]) p.set(name, s[name]);
    if (s.q && s.page > 1) p.set("page", String(s.page));
  }
  if (s.doc) {
    p.set("doc", s.doc);
    if (s.at) p.set("at", `${s.at[0]}-${s.at[1]}`);
    if (s.cite) p.set("cite", String(s.cite));
    if (s.hl) p.set("hl", s.hl);
  }
  if (getLang() === "en") p.set("lang", "en");
  const query = p.toString();
  return query ? `${location.pathname}?${query}` : location.pathname;
}

let current = readUrl();

// What each view showed last, so that switching views and back keeps both.
const blank = {
  q: "",
  municipality: "",
  year: "",
  doc_type: "",
  committee: "",
  page: 1,
  status: "",
  theme: "",
  group: "section",
};
const closedDoc = { doc: "", at: null, cite: null, hl: null };
const lastOf = {
  search: { ...blank, ...closedDoc, view: "search" },
  recs: { ...blank, ...closedDoc, view: "recs" },
};

function withFilters(s) {
  const params = {};
  for (const name of FILTERS) if (s[name]) params[name] = s[name];
  return params;
}

const searchKey = (s) => JSON.stringify([s.q, withFilters(s), s.page]);
const answerKey = (s) => JSON.stringify([s.q, withFilters(s)]);

// --- documents (for the filters and the OCR flag) ----------------------------------------------
const documents = new Map();
let documentsLoaded = false;
let documentsReady = Promise.resolve();

async function loadDocuments() {
  try {
    const list = await api("/api/documents");
    documents.clear();
    documentsLoaded = true;
    for (const d of list) documents.set(d.doc_id, d);
    fillFilterChoices();
    renderCorpusInfo();
  } catch (err) {
    showError(errorText(t("docsFailed"), err));
  }
}

/** What there is to search: the number of documents (duplicate copies counted once) and where from. */
function renderCorpusInfo() {
  const docs = [...documents.values()].filter((d) => d.canonical);
  const places = [...new Set(docs.map((d) => d.municipality).filter(Boolean))].sort(
    new Intl.Collator("da").compare,
  );
  const list = new Intl.ListFormat(locale(), { type: "conjunction" }).format(places);
  $("corpus-info").textContent = documents.size ? t("corpusInfo")(docs.length, list) : t("corpusEmpty");
}

function fillSelect(select, values, label, allLabel) {
  const chosen = select.value || current[select.name] || "";
  const all = [...values];
  if (chosen && !all.includes(chosen)) all.push(chosen); // a linked value not in the list
  select.replaceChildren(el("option", { value: "", text: allLabel }));
  for (const value of all) select.append(el("option", { value, text: label(value) }));
  select.value = chosen;
}

function fillFilterChoices() {
  const docs = [...documents.values()];
  const collator = new Intl.Collator("da");
  const municipalities = [...new Set(docs.map((d) => d.municipality).filter(Boolean))].sort(collator.compare);
  const yearsOf = (d) => [d.year, d.date, d.meeting_date].map((v) => String(v || "").slice(0, 4));
  const years = [...new Set(docs.flatMap(yearsOf).filter((y) => /^\d{4}$/.test(y)))].sort().reverse();
  const types = [...new Set(docs.map((d) => d.doc_type).filter(Boolean))].sort((a, b) =>
    collator.compare(typeName(a), typeName(b)),
  );
  fillSelect($("f-municipality"), municipalities, (v) => v, t("allMunicipalities"));
  fillSelect($("f-year"), years, (v) => v, t("allYears"));
  fillSelect($("f-doc_type"), types, typeName, t("allTypes"));
  const committees = [...new Set(docs.map((d) => d.committee).filter(Boolean))].sort(collator.compare);
  fillSelect($("f-committee"), committees, (v) => v, t("allCommittees"));
  // Only archives of committee meetings have committees: elsewhere the menu would offer nothing.
  $("f-committee").closest(".filter").hidden = !committees.length && !current.committee;
}

// --- messages -----------------------------------------------------------------------------------
function showError(message) {
  $("error").textContent = message;
}

function setStatus(message) {
  $("status").textContent = message;
}

// --- search -------------------------------------------------------------------------------------
let lastSearch = null; // {key, state, body} or {key, state, error}
let searchController = null;

async function runSearch(s, focusResults) {
  const key = searchKey(s);
  if (searchController) searchController.abort();
  searchController = new AbortController();
  const offset = (s.page - 1) * PAGE_SIZE;
  const params = new URLSearchParams({
    q: s.q,
    k: String(PAGE_SIZE + 1),
    offset: String(offset),
    group: "document",
  });
  for (const [name, value] of Object.entries(withFilters(s))) params.set(name, value);
  $("results").setAttribute("aria-busy", "true");
  setStatus(t("searching"));
  try {
    const body = await api(`/api/search?${params}`, { signal: searchController.signal });
    await documentsReady;
    if (body.results.some((group) => !documents.has(group.doc_id))) await loadDocuments();
    if (searchKey(current) !== key) return; // a newer search has started
    lastSearch = { key, state: s, body };
  } catch (err) {
    if (err && err.name === "AbortError") return;
    lastSearch = { key, state: s, error: err };
  }
  $("results").removeAttribute("aria-busy");
  renderResults();
  if (focusResults) $("results-heading").focus();
}

function renderResults() {
  const panel = $("results-panel");
  const list = $("results");
  const pager = $("pager");
  if (!lastSearch) {
    panel.hidden = true;
    list.replaceChildren();
    pager.replaceChildren();
    return;
  }
  const { state: s, body, error } = lastSearch;
  panel.hidden = false;
  if (error) {
    list.replaceChildren();
    pager.replaceChildren();
    setStatus("");
    showError(errorText(t("searchFailed"), error));
    return;
  }
  showError("");
  const offset = body.offset || 0;
  const groups = body.results.slice(0, PAGE_SIZE);
  const more = body.results.length > PAGE_SIZE && offset + PAGE_SIZE <= MAX_OFFSET;
  const terms = queryTerms(s.q);
  const ctx = {
    doc: (docId) => documents.get(docId),
    typeName,
    link: (hit, label, cls) => {
      const target = { ...s, doc: hit.doc_id, at: [hit.start, hit.end], cite: null, hl: null };
      const a = el("a", { href: urlFor(target), class: cls, "data-doc": hit.doc_id }, label);
      a.addEventListener("click", (event) => followDocLink(event, target, a));
      return a;
    },
  };
  list.start = offset + 1;
  list.replaceChildren(...groups.map((group, i) => renderGroup(group, offset + i + 1, terms, ctx)));
  const ms = milliseconds(body.took_ms);
  if (groups.length) {
    const weaker = groups.filter((group) => group.weaker).length;
    setStatus(t("documentsStatus")(body.total, offset + 1, offset + groups.length, s.q, ms, weaker));
  } else if (offset > 0) {
    setStatus(t("noMore"));
  } else {
    const hint = Object.keys(withFilters(s)).length ? ` ${t("tryWithoutFilters")}` : "";
    setStatus(t("noResults")(s.q) + hint);
  }
  renderPager(s, more);
}

function renderPager(s, more) {
  const pager = $("pager");
  const items = [];
  const pageLink = (page, label, rel) => {
    const target = { ...s, page, ...closedDoc };
    const a = el("a", { href: urlFor(target), rel }, label);
    a.addEventListener("click", (event) => {
      if (!plainClick(event)) return;
      event.preventDefault();
      navigate(target, { push: true, focusResults: true });
    });
    return a;
  };
  if (s.page > 1) items.push(el("li", {}, pageLink(s.page - 1, t("prev"), "prev")));
  if (s.page > 1 || more)
    items.push(el("li", { class: "page-no", "aria-current": "page" }, t("pageOf")(s.page)));
  if (more) items.push(el("li", {}, pageLink(s.page + 1, t("next"), "next")));
  pager.replaceChildren(items.length ? el("ul", {}, items) : "");
  pager.hidden = !items.length;
}

// --- answer -------------------------------------------------------------------------------------
// {key, state, body} or {key, state, error} or {key, state, loading, sentences, notice}: while an answer
// streams in, its verified sentences are shown as they come.
let lastAnswer = null;
let answerController = null;

async function runAnswer(s) {
  const key = answerKey(s);
  if (answerController) answerController.abort();
  answerController = new AbortController();
  const streaming = { key, state: s, loading: true, sentences: [], notice: null };
  lastAnswer = streaming;
  renderAnswer();
  const body = { question: s.q, k: 5 };
  if (s.municipality) body.municipality = s.municipality;
  if (s.doc_type) body.doc_type = s.doc_type;
  if (s.year) body.year = Number(s.year);
  if (s.committee) body.committee = s.committee;
  const signal = answerController.signal;
  try {
    let answer = null;
    await apiStream(
      "/api/ask/stream",
      { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal },
      (event) => {
        if (signal.aborted) return;
        if (event.event === "answer") answer = event;
        else if (event.event === "notice") streaming.notice = event.text;
        else if (event.event === "sentence") streaming.sentences.push(event);
        if (event.event !== "answer") renderAnswer();
      },
    );
    if (signal.aborted) return;
    lastAnswer = answer ? { key, state: s, body: answer } : { key, state: s, error: new Error("") };
  } catch (err) {
    if (err && err.name === "AbortError") return;
    lastAnswer = { key, state: s, error: err };
  }
  renderAnswer();
}

function renderAnswer() {
  const panel = $("answer-panel");
  const box = $("answer");
  const status = $("answer-status");
  if (!lastAnswer) {
    panel.hidden = true;
    box.replaceChildren();
    status.textContent = "";
    return;
  }
  panel.hidden = false;
  const { state: s, body, error, loading } = lastAnswer;
  panel.setAttribute("aria-busy", loading ? "true" : "false");
  if (loading) {
    status.textContent = t("answerLoading");
    const { sentences, notice } = lastAnswer;
    const generated = sentences.length && sentences[0].mode === "generated";
    box.replaceChildren(
      notice ? el("p", { class: "answer-notice", text: notice }) : "",
      generated ? el("p", { class: "badge generated", text: t("generatedLabel") }) : "",
      sentences.length
        ? el("p", { class: "answer-text streaming" }, sentences.map((x) => `${x.text} `))
        : "",
    );
    return;
  }
  if (error) {
    status.textContent = errorText(t("answerFailed"), error);
    box.replaceChildren();
    return;
  }
  if (!body.found || !body.citations.length) {
    status.textContent = t("answerNotFound");
    box.replaceChildren(el("p", { class: "no-answer" }, body.answer));
    return;
  }
  status.textContent =
    body.mode === "excerpts"
      ? t("excerptsDone")(body.citations.length)
      : t("answerDone")(body.citations.length);
  const byN = new Map(body.citations.map((c) => [c.n, c]));
  const docLang = (c) => (documents.get(c.doc_id) || {}).language || null;
  const citeLink = (c, label, inline) => {
    const target = { ...s, doc: c.doc_id, at: [c.start, c.end], cite: c.n, hl: null };
    const a = el(
      "a",
      { href: urlFor(target), class: inline ? "cite inline" : "cite", "data-cite": c.n },
      label,
    );
    a.addEventListener("click", (event) => followDocLink(event, target, a));
    return a;
  };
  const text = el("p", { class: "answer-text", lang: docLang(body.citations[0]) });
  let at = 0;
  for (const m of body.answer.matchAll(/\[(\d+)\]/g)) {
    const c = byN.get(Number(m[1]));
    if (!c) continue;
    if (m.index > at) text.append(body.answer.slice(at, m.index));
    text.append(citeLink(c, [`[${c.n}]`, hidden(t("citationHidden")(c.n, c.title || c.source))], true));
    at = m.index + m[0].length;
  }
  if (at < body.answer.length) text.append(body.answer.slice(at));

  const sources = el(
    "ol",
    { class: "citations" },
    body.citations.map((c) =>
      el(
        "li",
        { value: c.n },
        el(
          "p",
          { class: "cite-head" },
          citeLink(c, `[${c.n}] ${sourceLabel(c)}`),
          (documents.get(c.doc_id) || {}).ocr_garbled
            ? [" ", el("span", { class: "badge ocr", text: t("ocrBadge") })]
            : null,
        ),
        el(
          "dl",
          { class: "meta where" },
          metaItem(t("section"), c.section || t("noSection")),
          c.page !== null && c.page !== undefined ? metaItem(t("page"), String(c.page)) : null,
          metaItem(t("file"), c.source, "m-source"),
        ),
        el("blockquote", { class: "quote", lang: docLang(c) }, el("p", { text: c.quote })),
      ),
    ),
  );
  const label =
    body.mode === "generated"
      ? el("p", { class: "badge generated", text: t("generatedLabel") })
      : body.mode === "excerpts"
        ? el("p", { class: "badge excerpts", text: t("excerptsLabel") })
        : "";
  const notice = body.notice ? el("p", { class: "answer-notice", text: body.notice }) : "";
  box.replaceChildren(notice, label, text, el("h3", { text: t("citationsHeading") }), sources);
}

// --- the document view --------------------------------------------------------------------------
const dialog = () => $("doc-view");
let opener = null; // the element that opened the document view; focus returns to it
let openDoc = null; // {key, detail, state} or {key, error, state}

function followDocLink(event, target, link) {
  if (!plainClick(event)) return;
  event.preventDefault();
  const replace = dialog().open; // a document opened from inside the view replaces it in history
  if (!replace) opener = link;
  navigate(target, { push: !replace, docPushed: true });
}

async function showDocument(s) {
  const key = JSON.stringify([s.doc, s.at, s.cite]);
  if (openDoc && openDoc.key === key && dialog().open) return;
  openDoc = { key, state: s, loading: true };
  renderDocument();
  if (!dialog().open) dialog().showModal();
  try {
    const detail = await api(`/api/documents/${encodeURIComponent(s.doc)}`);
    if (!openDoc || openDoc.key !== key) return;
    openDoc = { key, state: s, detail };
  } catch (err) {
    if (!openDoc || openDoc.key !== key) return;
    openDoc = { key, state: s, error: err };
  }
  renderDocument();
  const mark = $("doc-body").querySelector("mark");
  if (mark) mark.scrollIntoView({ block: "center" });
  $("doc-title").focus({ preventScroll: true });
}

function renderDocument() {
  const title = $("doc-title");
  const body = $("doc-body");
  if (!openDoc) return;
  const { state: s, detail, error, loading } = openDoc;
  title.removeAttribute("lang");
  if (loading) {
    title.textContent = t("docLoading");
    body.replaceChildren();
    return;
  }
  if (error) {
    title.textContent = t("docFailed").replace(/:\s*$/, "");
    body.replaceChildren(
      el("p", { class: "error-text", text: errorText(t("docFailed"), error, t("notFound")) }),
    );
    return;
  }
  const d = detail;
  title.textContent = d.title || d.source;
  if (d.language) title.lang = d.language;
  const parts = [];
  parts.push(
    el(
      "dl",
      { class: "meta" },
      d.municipality ? metaItem(t("municipality"), d.municipality) : null,
      metaItem(t("date"), when(d)),
      metaItem(t("type"), typeName(d.doc_type)),
      metaItem(t("file"), d.source),
    ),
  );
  if (d.ocr_garbled) {
    parts.push(
      el(
        "p",
        { class: "notice ocr" },
        el("span", { class: "badge ocr", text: t("ocrBadge") }),
        ` ${t("ocrNotice")}`,
      ),
    );
  }
  if (d.duplicate_of) parts.push(el("p", { class: "notice", text: t("copyNotice") }));

  const cp = codePointIndexer(d.text);
  let range = null;
  if (s.at) {
    const [start, end] = s.at;
    range = end <= cp.length ? { start, end } : null;
  }
  const passage = range ? passageAt(d, range.start) : null;
  const page = passage && passage.page !== null && passage.page !== undefined ? passage.page : null;

  const actions = [];
  if (range) {
    const go = el("button", { type: "button", class: "link-button" }, t("goToPassage"));
    go.addEventListener("click", () => {
      const mark = $("doc-body").querySelector("mark");
      if (mark) {
        mark.scrollIntoView({ block: "center" });
        mark.focus();
      }
    });
    actions.push(go);
  }
  if (d.has_file) {
    const fragment = d.format === "pdf" && page ? `#page=${page}` : "";
    const label = fragment ? t("originalFilePage")(page) : t("originalFile");
    const file = el("a", { href: `/api/documents/${encodeURIComponent(d.doc_id)}/file${fragment}` }, label);
    keyedLink(file, d.source);
    actions.push(file);
  } else {
    actions.push(el("span", { class: "muted", text: t("noFile") }));
  }

  if (s.at) {
    const heading = s.cite ? t("citationN")(s.cite) : t(HEADINGS[s.hl] || "passage");
    const where = range
      ? el(
          "dl",
          { class: "meta where" },
          metaItem(t("section"), (passage && passage.section) || t("noSection")),
          page ? metaItem(t("page"), String(page)) : null,
        )
      : el("p", { class: "notice", text: t("passageMissing") });
    parts.push(
      el(
        "div",
        { class: "passage-box" },
        el("h3", { text: heading }),
        where,
        el("p", { class: "actions" }, actions),
        range && d.ocr_garbled ? passageReading(d, range) : null,
      ),
    );
  } else {
    parts.push(el("p", { class: "actions" }, actions));
  }

  if (d.duplicates && d.duplicates.length) {
    const items = d.duplicates.map((dup) => {
      const target = { ...s, doc: dup.doc_id, at: null, cite: null, hl: null };
      const a = el("a", { href: urlFor(target) }, dup.source);
      a.addEventListener("click", (event) => followDocLink(event, target, a));
      const other = documents.get(dup.doc_id);
      return el(
        "li",
        {},
        a,
        ` (${t("similarity")(Math.round(dup.similarity * 100))})`,
        other && other.ocr_garbled ? [" ", el("span", { class: "badge ocr", text: t("ocrBadge") })] : null,
      );
    });
    parts.push(el("div", { class: "duplicates" }, el("h3", { text: t("duplicates") }), el("ul", {}, items)));
  }

  const text = el("div", {
    class: "doc-text",
    lang: d.language || null,
    role: "region",
    "aria-label": t("docText"),
  });
  if (range) {
    const a = cp.at(range.start);
    const b = cp.at(range.end);
    const mark = el("mark", { tabindex: "-1", class: "passage" });
    const terms = s.cite ? [] : queryTerms(s.q || "");
    const inner = d.text.slice(a, b);
    const best = bestSentence(inner, terms);
    if (best) {
      mark.append(
        inner.slice(0, best.start),
        el("strong", { text: inner.slice(best.start, best.end) }),
        inner.slice(best.end),
      );
    } else {
      mark.append(inner);
    }
    text.append(d.text.slice(0, a), mark, d.text.slice(b));
  } else {
    text.append(d.text);
  }
  parts.push(text);
  body.replaceChildren(...parts);
}

const HEADINGS = { rec: "recPassage", response: "responsePassage" };

/** The machine-corrected reading of the passage of an OCR-garbled document, fetched when asked for. */
function passageReading(d, range) {
  const box = el("div", { class: "reading-body" });
  const details = el("details", { class: "reading" }, el("summary", {}, t("readingShow")), box);
  details.addEventListener("toggle", async () => {
    if (!details.open || box.dataset.loaded) return;
    box.dataset.loaded = "1";
    box.replaceChildren(el("p", { class: "reading-label", text: t("readingLoading") }));
    try {
      const found = await api(
        `/api/documents/${encodeURIComponent(d.doc_id)}/reading?start=${range.start}&end=${range.end}`,
      );
      box.replaceChildren(
        el("p", { class: "reading-label", text: found.reading ? t("readingNote") : t("readingSame") }),
        found.reading ? el("p", { class: "reading-text", lang: d.language || null }, found.reading) : null,
      );
    } catch (err) {
      delete box.dataset.loaded;
      box.replaceChildren(el("p", { class: "error-text", text: errorText(t("readingFailed"), err) }));
    }
  });
  return details;
}

function passageAt(detail, start) {
  const passages = detail.passages || [];
  return passages.find((p) => p.start <= start && start < p.end) || null;
}

function closeDocument() {
  if (dialog().open) dialog().close();
}

function onDialogClosed() {
  openDoc = null;
  // Closing the view takes its entry out of the URL: back to where it was opened, or a clean URL.
  if (current.doc) {
    const closed = { ...current, ...closedDoc };
    if (history.state && history.state.docPushed) {
      history.back();
    } else {
      history.replaceState({}, "", urlFor(closed));
    }
    current = closed;
  }
  const back = opener && opener.isConnected ? opener : viewHeading(current.view);
  opener = null;
  back.focus();
}

// --- the access key for reads ------------------------------------------------------------------
/** A read was refused: ask for the key (again, when the one given was wrong). Several calls may be
 * refused at once; the first to find a wrong key forgets it and says so. */
function askForKey(error) {
  const wrong = error.status === 403 && Boolean(getKey("read") || getKey("write"));
  if (wrong) {
    setKey("read", "");
    $("key-error").textContent = t("keyWrong");
    $("key-input").setAttribute("aria-invalid", "true");
  }
  const form = $("key-form");
  const appears = form.hidden;
  form.hidden = false;
  if (wrong || (appears && document.activeElement === document.body)) $("key-input").focus();
}

function useKey(event) {
  event.preventDefault();
  const key = $("key-input").value.trim();
  if (!key) {
    $("key-error").textContent = t("keyEmpty");
    $("key-input").setAttribute("aria-invalid", "true");
    $("key-input").focus();
    return;
  }
  setKey("read", key);
  $("key-input").value = "";
  $("key-input").removeAttribute("aria-invalid");
  $("key-error").textContent = "";
  $("key-form").hidden = true;
  // Everything the key was missing for, again.
  showError("");
  lastSearch = null;
  lastAnswer = null;
  forgetRecs();
  documentsReady = loadDocuments();
  viewHeading(current.view).focus();
  apply(current);
}

// --- putting it together ------------------------------------------------------------------------
const viewHeading = (view) => $(view === "recs" ? "recs-heading" : "heading");

function fillForm(s) {
  $("q").value = s.q;
  for (const name of FILTERS) {
    const select = $(`f-${name}`);
    if (s[name] && ![...select.options].some((o) => o.value === s[name])) {
      select.append(
        el("option", { value: s[name], text: name === "doc_type" ? typeName(s[name]) : s[name] }),
      );
    }
    select.value = s[name] || "";
  }
  labelFiltersToggle(s);
}

/** The phone's filter button says how many filters are on. */
function labelFiltersToggle(s) {
  const on = FILTERS.filter((name) => s[name]).length;
  $("filters-toggle").textContent = on ? `${t("showFilters")} (${on})` : t("showFilters");
}

function toggleFilters() {
  const open = !$("filters").classList.contains("open");
  $("filters").classList.toggle("open", open);
  $("filters-toggle").setAttribute("aria-expanded", String(open));
}

function formState() {
  const s = { ...lastOf.search, q: $("q").value.trim(), page: 1, ...closedDoc };
  for (const name of FILTERS) s[name] = $(`f-${name}`).value;
  return s;
}

/** Shows one view and hides the other; the navigation says which is current. */
function showView(view) {
  viewHeading(view).after($("key-form")); // the key form goes under the heading of the view shown
  $("search-view").hidden = view !== "search";
  $("recs-view").hidden = view !== "recs";
  document.title = t(view === "recs" ? "recsTitle" : "title");
  for (const [name, link] of [
    ["search", $("nav-search")],
    ["recs", $("nav-recs")],
  ]) {
    link.href = urlFor(lastOf[name]);
    if (name === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function apply(s, options = {}) {
  current = s;
  lastOf[s.view] = { ...s, ...closedDoc };
  showView(s.view);
  if (s.view === "recs") {
    showRecs(s);
  } else {
    fillForm(s);
    if (!s.q) {
      lastSearch = null;
      lastAnswer = null;
      if (searchController) searchController.abort();
      if (answerController) answerController.abort();
      setStatus("");
      renderResults();
      renderAnswer();
    } else {
      if (!lastSearch || lastSearch.key !== searchKey(s)) runSearch(s, options.focusResults);
      if (!lastAnswer || lastAnswer.key !== answerKey(s)) runAnswer(s);
    }
  }
  if (options.focusView) viewHeading(s.view).focus();
  if (s.doc) showDocument(s);
  else if (dialog().open) {
    openDoc = null;
    dialog().close();
  }
}

function navigate(s, options = {}) {
  // `docPushed` marks an entry that opened the document view, so that closing the view goes back.
  const url = urlFor(s);
  if (options.push) {
    history.pushState({ docPushed: Boolean(options.docPushed && s.doc) }, "", url);
  } else {
    const pushed = Boolean(s.doc && history.state && history.state.docPushed);
    history.replaceState({ docPushed: pushed }, "", url);
  }
  apply(s, options);
}

function setLanguage(next, remember) {
  setLang(next);
  document.documentElement.lang = getLang();
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  }
  const button = $("lang-switch");
  button.textContent = t("switchTo");
  button.lang = t("switchLang");
  if (remember) {
    try {
      localStorage.setItem("sporbar.lang", getLang());
    } catch {
      /* private mode: the URL still carries the language */
    }
  }
  showView(current.view);
  fillFilterChoices();
  if (documentsLoaded) renderCorpusInfo();
  fillForm(current);
  renderResults();
  renderAnswer();
  renderRecs();
  if (openDoc) renderDocument();
}

function initialLanguage(s) {
  if (s.lang === "en" || s.lang === "da") return s.lang;
  try {
    const saved = localStorage.getItem("sporbar.lang");
    if (saved === "en" || saved === "da") return saved;
  } catch {
    /* no storage */
  }
  return "da";
}

function start() {
  onKeyProblem(askForKey);
  initRecs({
    urlFor,
    navigate,
    openDoc: followDocLink,
    docLang: (docId) => (documents.get(docId) || {}).language || null,
    ready: () => documentsReady,
  });
  setLanguage(initialLanguage(current), false);
  history.replaceState({ ...(history.state || {}) }, "", urlFor(current));

  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const s = formState();
    if (!s.q) {
      showError(t("emptyQuery"));
      $("q").setAttribute("aria-invalid", "true");
      $("q").focus();
      return;
    }
    $("q").removeAttribute("aria-invalid");
    showError("");
    const same = searchKey(s) === searchKey(current);
    if (same) {
      lastSearch = null; // searching again refreshes the results (new documents may have arrived)
      lastAnswer = null;
    }
    navigate(s, { push: !same });
  });
  for (const name of FILTERS) {
    $(`f-${name}`).addEventListener("change", () => {
      const s = formState();
      if (s.q) navigate(s, { push: true });
    });
  }
  $("filters-toggle").addEventListener("click", toggleFilters);
  $("clear-filters").addEventListener("click", () => {
    for (const name of FILTERS) $(`f-${name}`).value = "";
    const s = formState();
    if (s.q) navigate(s, { push: true });
  });
  $("q").addEventListener("input", () => $("q").removeAttribute("aria-invalid"));
  for (const [name, link] of [
    ["search", $("nav-search")],
    ["recs", $("nav-recs")],
  ]) {
    link.addEventListener("click", (event) => {
      if (!plainClick(event)) return;
      event.preventDefault();
      if (current.view !== name) navigate(lastOf[name], { push: true, focusView: true });
    });
  }
  $("key-form").addEventListener("submit", useKey);
  // A key can also be given before any read is refused: the key for closed agenda items, for one.
  $("open-key").addEventListener("click", () => {
    $("key-form").hidden = false;
    $("key-input").focus();
  });
  $("lang-switch").addEventListener("click", () => {
    setLanguage(getLang() === "da" ? "en" : "da", true);
    history.replaceState(history.state, "", urlFor(current));
  });
  $("doc-close").addEventListener("click", closeDocument);
  dialog().addEventListener("close", onDialogClosed);
  window.addEventListener("popstate", () => {
    // The language is a preference, not part of the history: keep it and say so in the URL.
    const s = readUrl();
    if ((s.lang || "da") !== getLang()) history.replaceState(history.state, "", urlFor(s));
    apply(s);
  });

  documentsReady = loadDocuments().then(() => {
    if (lastAnswer && !lastAnswer.loading) renderAnswer();
  });
  apply(current);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
