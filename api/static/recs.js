/* The citizen advisor's view: an overview (overview.js), then the recommendations grouped by section or
 * theme, each with its status, the reason for it and the responses that decided it, a form to override
 * the status, and a CSV download.
 *
 * Like the rest of the page, everything from the API goes in as text; the filters live in the URL. The
 * write key for overrides is typed once and kept in sessionStorage (api.js), never in the URL.
 */
import { api, errorText, getKey, keyedLink, setKey } from "./api.js";
import { $, el, hidden, metaItem } from "./dom.js";
import { getLang, locale, t } from "./i18n.js";
import { renderOverview } from "./overview.js";
import { localReason } from "./reasons.js";

const STATUSES = ["addressed", "partially", "not_addressed"];
const REC_FILTERS = ["municipality", "status", "year", "theme"];
const GROUPS = ["section", "theme"];

let hooks = null; // {urlFor, navigate, openDoc, docLang, ready} from app.js
let view = null; // {key, state, recs} or {key, state, error} or {key, state, loading}
let choices = null; // {municipalities, years} over all recommendations, for the filter menus
let controller = null;

/** The state's recommendation filters as query parameters (the same for the list and the CSV). */
export function recParams(s) {
  const p = new URLSearchParams();
  for (const name of REC_FILTERS) if (s[name]) p.set(name, s[name]);
  return p;
}

/** Reads the recommendation part of the URL's parameters into a state object. */
export function readRecState(p) {
  const status = p.get("status") || "";
  const group = p.get("group") || "";
  return {
    status: STATUSES.includes(status) ? status : "",
    theme: (p.get("theme") || "").trim().slice(0, 200),
    group: GROUPS.includes(group) ? group : "section",
  };
}

/** Writes the recommendation part of a state into URL parameters. */
export function writeRecState(s, p) {
  for (const name of REC_FILTERS) if (s[name]) p.set(name, s[name]);
  if (s.group && s.group !== "section") p.set("group", s.group);
}

const listKey = (s) => recParams(s).toString();

// --- formatting ---------------------------------------------------------------------------------
const statusName = (status) => t("statuses")[status] || status;

function percent(value) {
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(value || 0);
}

function decimal(value) {
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
    value || 0,
  );
}

function moment(iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return iso || "";
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** Status as text and a shape (filled, half-filled or empty circle): never by colour alone. */
function statusBadge(status) {
  return el(
    "span",
    { class: `status-badge st-${status}`, "data-status": status },
    el("span", { class: "st-icon", "aria-hidden": "true" }),
    statusName(status),
  );
}

// --- loading ------------------------------------------------------------------------------------
/** Shows the recommendations for state `s`, fetching them unless the same list is already there. */
export function showRecs(s) {
  fillForm(s);
  const key = listKey(s);
  if (view && view.key === key && !view.error) {
    if (view.state.group !== s.group) {
      view = { ...view, state: s };
      render();
    }
    return;
  }
  load(s, key);
}

async function load(s, key) {
  if (controller) controller.abort();
  controller = new AbortController();
  const signal = controller.signal;
  view = { key, state: s, loading: true };
  render();
  const query = recParams(s).toString();
  try {
    const recs = await api(`/api/recommendations${query ? `?${query}` : ""}`, { signal });
    if (!choices) {
      const all = query ? await api("/api/recommendations", { signal }) : recs;
      choices = choicesOf(all);
    }
    await hooks.ready(); // the documents' languages mark the quotes
    if (signal.aborted) return; // a newer list is on its way
    view = { key, state: s, recs };
  } catch (err) {
    if (err && err.name === "AbortError") return;
    view = { key, state: s, error: err };
  }
  render();
}

function choicesOf(recs) {
  const collator = new Intl.Collator("da");
  return {
    municipalities: [...new Set(recs.map((r) => r.municipality).filter(Boolean))].sort(collator.compare),
    years: [...new Set(recs.map((r) => r.year).filter(Boolean))].sort().reverse().map(String),
  };
}

// --- the filter form ----------------------------------------------------------------------------
function fillSelect(select, values, label, allLabel, chosen) {
  const all = [...values];
  if (chosen && !all.includes(chosen)) all.push(chosen); // a linked value not in the list
  select.replaceChildren(el("option", { value: "", text: allLabel }));
  for (const value of all) select.append(el("option", { value, text: label(value) }));
  select.value = chosen || "";
}

function fillForm(s) {
  const c = choices || { municipalities: [], years: [] };
  fillSelect($("r-municipality"), c.municipalities, (v) => v, t("allMunicipalities"), s.municipality);
  fillSelect($("r-year"), c.years, (v) => v, t("allYears"), s.year);
  fillSelect($("r-status"), STATUSES, statusName, t("allStatuses"), s.status);
  const group = $("r-group");
  group.replaceChildren(
    el("option", { value: "section", text: t("groupSection") }),
    el("option", { value: "theme", text: t("groupTheme") }),
  );
  group.value = s.group || "section";
  if (document.activeElement !== $("r-theme")) $("r-theme").value = s.theme || "";
  const csv = $("recs-csv");
  const query = recParams(s);
  // Danish Excel opens the file by a double click: semicolons, decimal commas, UTF-8 with BOM.
  query.set("lang", getLang());
  query.set("dialect", "excel-da");
  csv.href = `/api/recommendations.csv?${query}`;
}

function formState() {
  const s = { view: "recs", q: "", doc_type: "", page: 1, doc: "", at: null, cite: null, hl: null };
  s.municipality = $("r-municipality").value;
  s.year = $("r-year").value;
  s.status = $("r-status").value;
  s.theme = $("r-theme").value.trim().slice(0, 200);
  s.group = $("r-group").value;
  return s;
}

/** Wires the view's controls; `h` gives the page's navigation and document view. */
export function initRecs(h) {
  hooks = h;
  const go = () => {
    const s = formState();
    if (!view || listKey(s) !== view.key || view.state.group !== s.group) {
      hooks.navigate(s, { push: true });
    }
  };
  for (const id of ["r-municipality", "r-year", "r-status", "r-group"]) $(id).addEventListener("change", go);
  $("r-theme").addEventListener("change", go);
  $("recs-form").addEventListener("submit", (event) => {
    event.preventDefault();
    go();
  });
  $("r-clear").addEventListener("click", () => {
    for (const id of ["r-municipality", "r-year", "r-status"]) $(id).value = "";
    $("r-theme").value = "";
    go();
  });
  $("forget-write-key").addEventListener("click", () => {
    setKey("write", "");
    syncKeyFields();
    announce(t("keyForgotten"));
  });
  keyedLink($("recs-csv"), "recommendations.csv", (err) => {
    $("recs-error").textContent = errorText(t("csvFailed"), err);
  });
}

// --- rendering ----------------------------------------------------------------------------------
function announce(message) {
  $("recs-status").textContent = message;
}

/** Draws the view from what was last loaded (also after a change of language). */
export function render() {
  const box = $("recs");
  if (!view) return;
  fillForm(view.state);
  syncKeyFields();
  box.setAttribute("aria-busy", view.loading ? "true" : "false");
  if (view.loading) {
    announce(t("recsLoading"));
    return;
  }
  renderOverview(view.recs || [], overviewHelpers(view.state));
  if (view.error) {
    box.replaceChildren();
    announce("");
    $("recs-error").textContent = errorText(t("recsFailed"), view.error);
    return;
  }
  $("recs-error").textContent = "";
  const { recs, state: s } = view;
  if (!recs.length) {
    box.replaceChildren();
    announce(REC_FILTERS.some((name) => s[name]) ? t("recsNone") : t("recsEmpty"));
    return;
  }
  const counts = STATUSES.map((status) => [
    status,
    recs.filter((r) => r.effective_status === status).length,
  ]).filter(([, n]) => n);
  const parts = counts.map(([status, n]) => `${n} ${statusName(status).toLowerCase()}`);
  announce(t("recsCount")(recs.length, parts));
  const groups = new Map();
  for (const r of recs) {
    const name = (s.group === "theme" ? r.theme : r.section) || "";
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(r);
  }
  let n = 0;
  box.replaceChildren(
    ...[...groups].map(([name, members]) => {
      n += 1;
      const id = `rec-group-${n}`;
      const title = name || (s.group === "theme" ? t("noTheme") : t("noSection"));
      return el(
        "section",
        { class: "rec-group", "aria-labelledby": id },
        el("h2", { id }, title, " ", el("span", { class: "count", text: `(${members.length})` })),
        el("ol", { class: "recs" }, members.map((r) => renderRec(r, s))),
      );
    }),
  );
}

/** What the overview needs from this view: badges, links into the document view, languages, reasons. */
function overviewHelpers(s) {
  return {
    statusBadge,
    docLang: (docId) => hooks.docLang(docId),
    reason: (item) => localReason(item, getLang()),
    docLink: (target, label, className) => docLink({ ...s, cite: null, ...target }, label, className),
    toCard: (recId) => {
      const card = document.getElementById(`theme-${recId}`);
      if (!card) return;
      card.setAttribute("tabindex", "-1");
      card.scrollIntoView({ block: "start" });
      card.focus();
    },
  };
}

function docLink(target, label, className) {
  const a = el("a", { href: hooks.urlFor(target), class: className }, label);
  a.addEventListener("click", (event) => hooks.openDoc(event, target, a));
  return a;
}

function renderRec(r, s) {
  const theme = r.theme || t("noTheme");
  const recTarget = { ...s, doc: r.doc_id, at: [r.start, r.end], cite: null, hl: "rec" };
  const reason = localReason(r, getLang());
  const meta = el(
    "dl",
    { class: "meta" },
    metaItem(t("file"), r.source, "m-source"),
    r.municipality ? metaItem(t("municipality"), r.municipality, "m-municipality") : null,
    metaItem(t("year"), r.year ? String(r.year) : t("noYear"), "m-year"),
    s.group === "theme" ? metaItem(t("section"), r.section || t("noSection"), "m-section") : null,
  );
  const article = el(
    "article",
    { "aria-labelledby": `theme-${r.rec_id}` },
    el("h3", { class: "rec-theme", id: `theme-${r.rec_id}` }, theme),
    statusList(r),
    el("blockquote", { class: "rec-text", lang: hooks.docLang(r.doc_id) }, el("p", { text: r.text })),
    meta,
    el("p", { class: "actions" }, docLink(recTarget, [t("showRec"), hidden(`: ${theme}`)], "rec-link")),
    el(
      "p",
      { class: "reason" },
      el("span", { class: "label", text: `${t("reasonLabel")}: ` }),
      el("span", { class: "reason-text", lang: reason.lang, text: reason.text }),
    ),
    evidence(r, s, theme),
    overrideForm(r, theme),
  );
  return el(
    "li",
    { class: "rec", id: `rec-card-${r.rec_id}`, "data-rec-id": r.rec_id, "data-status": r.effective_status },
    article,
  );
}

/** The computed status with its confidence and, beside it, the advisor's correction when there is one. */
function statusList(r) {
  const override = r.status_override;
  const computed = el(
    "div",
    { class: override ? "computed superseded" : "computed" },
    el("dt", { text: t("computedStatus") }),
    el(
      "dd",
      {},
      statusBadge(r.status),
      " ",
      el("span", { class: "confidence", text: t("confidenceOf")(percent(r.confidence)) }),
      override ? el("span", { class: "superseded-note", text: ` – ${t("superseded")}` }) : null,
    ),
  );
  if (!override) return el("dl", { class: "rec-statuses" }, computed);
  const note = override.note
    ? el("span", { class: "override-note" }, " – ", el("q", { text: override.note }))
    : null;
  const corrected = el(
    "div",
    { class: "override-shown" },
    el("dt", { text: t("overriddenStatus") }),
    el(
      "dd",
      {},
      statusBadge(override.status),
      " ",
      el("span", { class: "override-by", text: t("overrideBy")(override.by, moment(override.at)) }),
      note,
    ),
  );
  return el("dl", { class: "rec-statuses" }, computed, corrected);
}

/** The responses linked to a recommendation, each with a link to it in its document. */
function evidence(r, s, theme) {
  const responses = r.responses || [];
  const item = (resp, i) => {
    const target = { ...s, doc: resp.doc_id, at: [resp.start, resp.end], cite: null, hl: "response" };
    const label = [t("showResponse"), hidden(` ${t("responseOf")(i + 1, theme)}`)];
    const link = docLink(target, label, "resp-link");
    return el(
      "li",
      { class: "response", "data-doc-id": resp.doc_id, "data-same-row": String(Boolean(resp.same_row)) },
      el("blockquote", { class: "quote", lang: hooks.docLang(resp.doc_id) }, el("p", { text: resp.quote })),
      el(
        "p",
        { class: "resp-meta" },
        link,
        el("span", { class: "resp-source", text: resp.source }),
        resp.same_row ? el("span", { class: "same-row", text: t("sameRow") }) : null,
        el("span", { class: "score", text: t("matchScore")(decimal(resp.score)) }),
      ),
    );
  };
  return el(
    "div",
    { class: "evidence" },
    el("h4", { text: t("evidence")(responses.length) }),
    responses.length
      ? el("ol", { class: "responses" }, responses.map(item))
      : el("p", { class: "muted no-evidence", text: t("noEvidence") }),
  );
}

// --- overriding the status ----------------------------------------------------------------------
function field(id, label, control, hint) {
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  return el(
    "div",
    { class: "field" },
    el("label", { for: id, text: label }),
    control,
    hint ? el("p", { class: "hint", id: hintId, text: hint }) : null,
  );
}

function overrideForm(r, theme) {
  const id = r.rec_id;
  const override = r.status_override;
  const select = el(
    "select",
    { id: `ov-status-${id}`, name: "status" },
    STATUSES.map((status) => el("option", { value: status, text: statusName(status) })),
  );
  select.value = override ? override.status : r.status;
  const note = el("textarea", { id: `ov-note-${id}`, name: "note", rows: "2", maxlength: "2000" });
  note.value = override ? override.note : "";
  const by = el("input", {
    id: `ov-by-${id}`,
    name: "by",
    type: "text",
    maxlength: "100",
    autocomplete: "name",
  });
  by.value = rememberedName();
  const key = el("input", {
    id: `ov-key-${id}`,
    name: "key",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
  });
  key.addEventListener("input", () => key.removeAttribute("aria-invalid"));
  const keyField = field(key.id, t("writeKey"), key, t("writeKeyHint"));
  keyField.classList.add("key-field");
  keyField.hidden = Boolean(getKey("write"));
  const error = el("p", { class: "form-error", role: "alert", id: `ov-error-${id}` });
  const save = el("button", { type: "submit", class: "primary save" }, t("saveOverride"));
  const clear = override ? el("button", { type: "button", class: "clear" }, t("clearOverride")) : null;

  const form = el(
    "form",
    { class: "override-form", novalidate: true, "aria-describedby": error.id },
    field(select.id, t("newStatus"), select),
    field(note.id, t("note"), note, t("noteHint")),
    field(by.id, t("by"), by),
    keyField,
    error,
    el("p", { class: "form-actions" }, save, clear),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(r, theme, form, false);
  });
  if (clear) clear.addEventListener("click", () => send(r, theme, form, true));

  const summary = el("summary", { id: `ov-toggle-${id}` }, t("overrideToggle"), hidden(`: ${theme}`));
  return el("details", { class: "override" }, summary, form);
}

function rememberedName() {
  try {
    return sessionStorage.getItem("sporbar.by") || "";
  } catch {
    return "";
  }
}

function rememberName(name) {
  try {
    if (name) sessionStorage.setItem("sporbar.by", name);
  } catch {
    /* no storage: the name is typed again */
  }
}

/** Hides the key fields once a write key is kept, shows them again when it is forgotten or refused. */
function syncKeyFields() {
  const kept = Boolean(getKey("write"));
  for (const node of document.querySelectorAll("#recs .key-field")) node.hidden = kept;
  $("write-key-state").hidden = !kept;
}

async function send(r, theme, form, clear) {
  const error = form.querySelector(".form-error");
  const typed = form.elements.key.value.trim();
  const key = getKey("write") || typed;
  if (!key) {
    error.textContent = t("keyMissing");
    form.elements.key.setAttribute("aria-invalid", "true");
    form.elements.key.focus();
    return;
  }
  const buttons = [...form.querySelectorAll("button")];
  for (const b of buttons) b.disabled = true;
  error.textContent = "";
  announce(t("saving"));
  const path = `/api/recommendations/${encodeURIComponent(r.rec_id)}/override`;
  const by = form.elements.by.value.trim();
  try {
    const updated = clear
      ? await api(path, { method: "DELETE", key })
      : await api(path, {
          method: "PUT",
          key,
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ status: form.elements.status.value, note: form.elements.note.value, by }),
        });
    setKey("write", key);
    rememberName(by);
    replaceRec(updated);
    const shown = updated.status_override;
    announce(clear ? t("overrideCleared")(theme) : t("overrideSaved")(theme, statusName(shown.status)));
    const toggle = $(`ov-toggle-${updated.rec_id}`);
    if (toggle) toggle.focus();
  } catch (err) {
    for (const b of buttons) b.disabled = false;
    announce("");
    const refused = err.status === 401 || err.status === 403;
    if (refused) {
      setKey("write", "");
      syncKeyFields();
      form.elements.key.value = "";
    }
    error.textContent = errorText(t("overrideFailed"), err, t("recGone"));
    if (refused) {
      form.elements.key.setAttribute("aria-invalid", "true");
      form.elements.key.focus();
    }
  }
}

/** Puts an updated recommendation in place of the old one, in the data and on the page. */
function replaceRec(updated) {
  if (!view || !view.recs) return;
  view = { ...view, recs: view.recs.map((r) => (r.rec_id === updated.rec_id ? updated : r)) };
  const old = document.querySelector(`#recs li.rec[data-rec-id="${CSS.escape(updated.rec_id)}"]`);
  if (old) old.replaceWith(renderRec(updated, view.state));
  renderOverview(view.recs, overviewHelpers(view.state));
  syncKeyFields();
}

/** Forget what was loaded, so that the next showRecs fetches again (after a key was given). */
export function forgetRecs() {
  view = null;
  choices = null;
}
