/* Search results, one per document: the document's best passage, its other matching passages folded
 * under it, weaker matches labelled. Sources are named as people know them: title · municipality · date
 * (or the year the document is about), the file name second. Text from the API becomes text nodes only.
 */
import { el, hidden, metaItem } from "./dom.js";
import { snippetRange } from "./highlight.js";
import { locale, t } from "./i18n.js";

/** Text with the matched words in <strong>, as nodes. */
function emphasised(text, start, end, words) {
  const nodes = [];
  let at = start;
  for (const w of words) {
    if (w.start < at || w.end > end) continue;
    if (w.start > at) nodes.push(text.slice(at, w.start));
    nodes.push(el("strong", { text: text.slice(w.start, w.end) }));
    at = w.end;
  }
  if (at < end) nodes.push(text.slice(at, end));
  return nodes;
}

/** A passage's snippet as nodes: the best sentence in <mark>, with some context around it. */
export function snippet(text, terms) {
  const r = snippetRange(text, terms);
  const flat = (piece) => piece.replace(/\s+/g, " ");
  const nodes = [r.from > 0 ? "… " : "", flat(text.slice(r.from, r.start))];
  if (r.end > r.start) {
    const mark = el("mark", {});
    for (const node of emphasised(text, r.start, r.end, r.words)) {
      mark.append(typeof node === "string" ? flat(node) : node);
    }
    nodes.push(mark);
  }
  nodes.push(flat(text.slice(r.end, r.to)), r.to < text.length ? " …" : "");
  return nodes;
}

export function formatDate(iso) {
  if (!iso) return t("undated");
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeZone: "UTC" }).format(date);
}

/** When a source is from: its printed date, else the year it is about, else "no date". */
export function when(item) {
  if (item.date) return formatDate(item.date);
  if (item.year) return t("aboutYear")(item.year);
  return t("undated");
}

/** "Title · Municipality · date", the label of a result or a citation. */
export function sourceLabel(item) {
  return [item.title || item.source, item.municipality, when(item)].filter(Boolean).join(" · ");
}

/** The machine-corrected reading of an OCR-garbled passage, shown on request and labelled as such;
 * the verbatim text stays what is quoted. */
export function readingToggle(reading, lang) {
  if (!reading) return null;
  return el(
    "details",
    { class: "reading" },
    el("summary", {}, t("readingShow")),
    el("p", { class: "reading-label", text: t("readingNote") }),
    el("p", { class: "reading-text", lang }, reading.replace(/\s+/g, " ")),
  );
}

/**
 * One document's result. `ctx` gives what the page knows: `link(hit, label, cls)` makes a link that opens
 * the passage in the document view; `doc(docId)` is the document record (or undefined); `typeName`.
 */
export function renderGroup(group, n, terms, ctx) {
  const best = group.best;
  const doc = ctx.doc(group.doc_id);
  const lang = doc && doc.language ? doc.language : null;
  const title = ctx.link(
    best,
    [hidden(t("resultHidden")(n)), el("span", { lang }, group.title || group.source)],
    "hit-title",
  );
  const badges = [];
  if (group.weaker) badges.push(el("span", { class: "badge weaker", text: t("weakerBadge") }));
  if (doc && doc.ocr_garbled) badges.push(el("span", { class: "badge ocr", text: t("ocrBadge") }));
  if (doc && doc.access === "restricted")
    badges.push(el("span", { class: "badge restricted", text: t("restrictedBadge") }));

  const meta = el(
    "dl",
    { class: "meta" },
    group.municipality ? metaItem(t("municipality"), group.municipality, "m-municipality") : null,
    group.committee ? metaItem(t("committee"), group.committee, "m-committee") : null,
    metaItem(t("date"), when(group), "m-date"),
    metaItem(t("type"), ctx.typeName(group.doc_type), "m-type"),
    metaItem(t("file"), group.source, "m-source"),
  );
  const more = group.more.length
    ? el(
        "details",
        { class: "more" },
        el("summary", {}, t("morePassages")(group.more.length)),
        el(
          "ol",
          { class: "more-list" },
          group.more.map((hit) =>
            el(
              "li",
              { "data-chunk-id": hit.chunk_id },
              ctx.link(hit, hit.section || t("noSection"), "more-link"),
              hit.page !== null && hit.page !== undefined ? ` (${t("page")} ${hit.page})` : "",
              el("p", { class: "snippet", lang }, snippet(hit.text, terms)),
            ),
          ),
        ),
      )
    : null;
  const also =
    best.also_in && best.also_in.length
      ? el("p", { class: "also-in" }, el("span", { class: "label", text: t("alsoIn") }), ` ${best.also_in.join(", ")}`)
      : null;
  return el(
    "li",
    {
      class: group.weaker ? "hit doc-result weaker" : "hit doc-result",
      "data-chunk-id": best.chunk_id,
      "data-doc-id": group.doc_id,
    },
    el("h3", {}, title),
    badges,
    meta,
    el(
      "dl",
      { class: "meta where" },
      metaItem(t("section"), best.section || t("noSection"), "m-section"),
      best.page !== null && best.page !== undefined ? metaItem(t("page"), String(best.page), "m-page") : null,
    ),
    el("p", { class: "snippet", lang }, snippet(best.text, terms)),
    readingToggle(best.reading, lang),
    also,
    more,
  );
}
