/* The advisor's overview above the recommendations: counts by status and by department for each report
 * year, and a compact sortable table (recommendation | department | response | status | evidence) whose
 * rows open their history on demand — each answering document's verdict, year by year, with its quote.
 *
 * Everything from the API goes in as text. The sort order is kept while the page lives, not in the URL.
 */
import { $, el, hidden } from "./dom.js";
import { locale, t } from "./i18n.js";

const STATUSES = ["addressed", "partially", "not_addressed"];
const COLUMNS = ["text", "department", "response", "status", "evidence"];
const SHORT = 140;

let sort = { column: "", descending: false };
let open = new Set(); // rec_ids whose detail is shown

const statusName = (status) => t("statuses")[status] || status;
const collator = () => new Intl.Collator(locale(), { sensitivity: "base", numeric: true });
const latest = (r) => (r.history && r.history.length ? r.history[r.history.length - 1] : null);

function short(text, limit = SHORT) {
  const flat = String(text || "").replace(/\s+/g, " ").trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1).trimEnd()}…` : flat;
}

/** The value a column sorts by (status in the order addressed, partially, not addressed); null for none. */
function key(r, column) {
  const answer = latest(r);
  switch (column) {
    case "text":
      return r.text || "";
    case "department":
      return r.department || null;
    case "response":
      return answer ? `${answer.year || 9999} ${answer.source}` : null; // an undated answer after dated ones
    case "status":
      return STATUSES.indexOf(r.effective_status);
    case "evidence":
      return answer ? answer.quote : r.responses && r.responses.length ? r.responses[0].quote : null;
    default:
      return 0;
  }
}

/** The rows in the chosen order; rows without a value for the column come last either way. */
function sorted(recs) {
  if (!sort.column) return recs;
  const compare = collator().compare;
  const valued = recs.filter((r) => key(r, sort.column) !== null);
  const out = valued.sort((a, b) => {
    const x = key(a, sort.column);
    const y = key(b, sort.column);
    return typeof x === "number" ? x - y : compare(x, y);
  });
  if (sort.descending) out.reverse();
  return [...out, ...recs.filter((r) => key(r, sort.column) === null)];
}

// --- counts -------------------------------------------------------------------------------------
function countRow(label, members, header) {
  const count = (status) => String(members.filter((r) => r.effective_status === status).length);
  const cells = STATUSES.map((status) => el("td", { "data-status": status, text: count(status) }));
  return el(
    "tr",
    { class: header ? "total" : null },
    el("th", { scope: "row", text: label }),
    ...cells,
    el("td", { class: "all", text: String(members.length) }),
  );
}

function yearTable(year, members) {
  const departments = new Map();
  for (const r of members) {
    const name = r.department || "";
    if (!departments.has(name)) departments.set(name, []);
    departments.get(name).push(r);
  }
  const compare = collator().compare;
  const names = [...departments.keys()].sort((a, b) => (!a ? 1 : !b ? -1 : compare(a, b)));
  const title = year ? t("reportYear")(year) : t("reportYearUnknown");
  return el(
    "table",
    { class: "counts", "data-year": year || "" },
    el("caption", { text: `${title} – ${t("recsN")(members.length)}` }),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { scope: "col", text: t("department") }),
        ...STATUSES.map((s) => el("th", { scope: "col", text: statusName(s) })),
        el("th", { scope: "col", text: t("total") }),
      ),
    ),
    el(
      "tbody",
      {},
      names.map((name) => countRow(name || t("noDepartment"), departments.get(name), false)),
      countRow(t("allDepartments"), members, true),
    ),
  );
}

function counts(recs) {
  const years = new Map();
  for (const r of recs) {
    const year = r.year || 0;
    if (!years.has(year)) years.set(year, []);
    years.get(year).push(r);
  }
  const order = [...years.keys()].sort((a, b) => b - a);
  return el(
    "section",
    { id: "recs-counts", class: "recs-counts", "aria-labelledby": "recs-counts-heading" },
    el("h2", { id: "recs-counts-heading", text: t("countsHeading") }),
    el("div", { class: "counts-grid" }, order.map((year) => yearTable(year, years.get(year)))),
  );
}

// --- the table ----------------------------------------------------------------------------------
function sortButton(column, rerender) {
  const label = t("columns")[column];
  const button = el("button", { type: "button", class: "sort", "data-column": column }, label);
  button.addEventListener("click", () => {
    sort = { column, descending: sort.column === column ? !sort.descending : false };
    rerender(column);
  });
  const state = sort.column === column ? (sort.descending ? "descending" : "ascending") : null;
  return el("th", { scope: "col", "aria-sort": state, "data-column": column }, button);
}

function answerCell(r) {
  const answer = latest(r);
  if (!answer) return el("td", { class: "c-response muted", text: t("noAnswer") });
  const more = r.history.length > 1 ? ` ${t("answersN")(r.history.length)}` : "";
  return el(
    "td",
    { class: "c-response" },
    el("span", { class: "answer-year", text: answer.year ? String(answer.year) : t("noYear") }),
    " ",
    el("span", { class: "answer-source", text: answer.source }),
    more ? el("span", { class: "muted", text: more }) : null,
  );
}

function evidenceCell(r, h) {
  const answer = latest(r);
  const quote = answer ? answer : r.responses && r.responses[0];
  if (!quote) return el("td", { class: "c-evidence muted", text: "–" });
  const text = short(quote.quote, 120);
  return el("td", { class: "c-evidence" }, el("q", { lang: h.docLang(quote.doc_id), text }));
}

function detail(r, h, id) {
  const entries = (r.history || []).map((e, i) =>
    el(
      "li",
      { class: "history-entry", "data-year": e.year || "", "data-status": e.status },
      el(
        "p",
        { class: "history-head" },
        el("span", { class: "history-year", text: e.year ? String(e.year) : t("noYear") }),
        " ",
        h.statusBadge(e.status),
        " ",
        h.docLink(
          { doc: e.doc_id, at: [e.start, e.end], hl: "response" },
          [e.source, hidden(` ${t("responseOf")(i + 1, short(r.theme || r.text, 40))}`)],
          "history-link",
        ),
        i === r.history.length - 1 && r.history.length > 1
          ? el("span", { class: "latest", text: ` – ${t("latestDecides")}` })
          : null,
      ),
      el("blockquote", { class: "quote", lang: h.docLang(e.doc_id) }, el("p", { text: e.quote })),
      el("p", { class: "history-reason", text: h.reason(e).text }),
    ),
  );
  const notes = [];
  if (r.repeated_from) {
    notes.push(el("p", { class: "repeated-from", text: t("repeatedFrom")(r.repeated_from) }));
  }
  for (const later of r.repeated_in || []) {
    notes.push(el("p", { class: "repeated-in", text: t("repeatedIn")(later) }));
  }
  const reason = h.reason(r);
  return el(
    "div",
    { class: "rec-detail-body", id },
    el("blockquote", { class: "rec-full", lang: h.docLang(r.doc_id) }, el("p", { text: r.text })),
    el("p", { class: "meta-line", text: [r.title, r.source, r.year].filter(Boolean).join(" · ") }),
    el(
      "p",
      { class: "reason" },
      el("span", { class: "label", text: `${t("reasonLabel")}: ` }),
      el("span", { lang: reason.lang, text: reason.text }),
    ),
    notes,
    el("h4", { text: t("historyHeading") }),
    entries.length
      ? el("ol", { class: "history" }, entries)
      : el("p", { class: "muted no-history", text: t("noHistory") }),
    el("p", {}, toCard(r, h)),
  );
}

/** A link to the recommendation's card below (its full evidence and the form to correct the status). */
function toCard(r, h) {
  const a = el("a", { href: `#rec-card-${r.rec_id}`, class: "to-card", text: t("toCard") });
  a.addEventListener("click", (event) => {
    event.preventDefault(); // the page's URL holds its state; a fragment would add a history step
    h.toCard(r.rec_id);
  });
  return a;
}

function row(r, h) {
  const id = `rec-detail-${r.rec_id}`;
  const shown = open.has(r.rec_id);
  const toggle = el(
    "button",
    { type: "button", class: "toggle", "aria-expanded": String(shown), "aria-controls": id },
    el("span", { "aria-hidden": "true", class: "chevron" }),
    hidden(t("showDetail")),
  );
  const detailRow = el(
    "tr",
    { class: "rec-detail", hidden: !shown },
    el("td", { colspan: String(COLUMNS.length + 1) }, shown ? detail(r, h, id) : el("div", { id })),
  );
  toggle.addEventListener("click", () => {
    const now = !open.has(r.rec_id);
    if (now) open.add(r.rec_id);
    else open.delete(r.rec_id);
    toggle.setAttribute("aria-expanded", String(now));
    detailRow.hidden = !now;
    detailRow.firstChild.replaceChildren(now ? detail(r, h, id) : el("div", { id }));
  });
  return [
    el(
      "tr",
      { class: "rec-row", "data-rec-id": r.rec_id, "data-status": r.effective_status },
      el("td", { class: "c-toggle" }, toggle),
      el(
        "td",
        { class: "c-text" },
        el("span", { lang: h.docLang(r.doc_id), text: short(r.text) }),
        r.repeated_from ? el("span", { class: "repeat-note", text: t("repeatedFrom")(r.repeated_from) }) : null,
        (r.repeated_in || []).map((x) => el("span", { class: "repeat-note", text: t("repeatedIn")(x) })),
      ),
      el("td", { class: "c-department", text: r.department || "–" }),
      answerCell(r),
      el("td", { class: "c-status" }, h.statusBadge(r.effective_status)),
      evidenceCell(r, h),
    ),
    detailRow,
  ];
}

function table(recs, h, rerender) {
  return el(
    "div",
    { class: "table-scroll", role: "region", "aria-labelledby": "recs-table-caption", tabindex: "0" },
    el(
      "table",
      { id: "recs-table", class: "recs-table" },
      el("caption", { id: "recs-table-caption", text: t("tableCaption") }),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", { scope: "col" }, hidden(t("detailColumn"))),
          COLUMNS.map((c) => sortButton(c, rerender)),
        ),
      ),
      el("tbody", {}, sorted(recs).flatMap((r) => row(r, h))),
    ),
  );
}

/** Draws the counts and the table for `recs` into #recs-overview; `h` gives the view's helpers
 * ({statusBadge, docLink, docLang, reason}). */
export function renderOverview(recs, h) {
  const box = $("recs-overview");
  if (!recs || !recs.length) {
    box.replaceChildren();
    return;
  }
  open = new Set([...open].filter((id) => recs.some((r) => r.rec_id === id)));
  const draw = (focusColumn) => {
    box.replaceChildren(counts(recs), table(recs, h, draw));
    if (focusColumn) box.querySelector(`th[data-column="${focusColumn}"] button`).focus();
  };
  draw(null);
}
