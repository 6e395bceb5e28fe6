/* The API says each reason in English (`reason`) and in Danish (`reason_da`), both from the same
 * language-neutral code and details; the page shows its own language's. */

/** The reason of a recommendation or history entry in the page's language: `{text, lang}`, `lang` null
 * when it is the page's, "en" when only English is there. */
export function localReason(item, lang) {
  if (lang === "da" && item.reason_da) return { text: item.reason_da, lang: null };
  return { text: String(item.reason || ""), lang: lang === "en" ? null : "en" };
}
