/* The API explains each status in one English sentence, built from a few fixed templates. In Danish the
 * page says the same in Danish; a sentence it does not recognise is shown as it came, marked English. */

const DANISH = [
  [
    /^No passage (?:in|of) a later document stands out as an answer \(best (-?[\d.]+), needs ([\d.]+)\)\.$/,
    (m) =>
      `Ingen passage i et senere dokument skiller sig ud som svar (bedste ${comma(m[1])}, ` +
      `kræver ${comma(m[2])}).`,
  ],
  [
    /^No later document of the same municipality is in the corpus\.$/,
    () => "Der er intet senere dokument fra samme kommune blandt dokumenterne.",
  ],
  [
    /^The response in (.+) reports a change already made \(“(.*)”\)\.$/,
    (m) => `Svaret i ${where(m[1])} nævner en ændring, der allerede er gennemført (»${m[2]}«).`,
  ],
  [
    /^The response in (.+) states a decision \(“(.*)”\)\.$/,
    (m) => `Svaret i ${where(m[1])} nævner en beslutning (»${m[2]}«).`,
  ],
  [
    /^The response in (.+) plans or studies it \(“(.*)”\) without a decision\.$/,
    (m) => `Svaret i ${where(m[1])} planlægger eller undersøger det (»${m[2]}«) uden en beslutning.`,
  ],
  [
    /^The response in (.+) acknowledges it \(“(.*)”\) without a commitment\.$/,
    (m) => `Svaret i ${where(m[1])} anerkender det (»${m[2]}«) uden et tilsagn.`,
  ],
  [
    /^The response in (.+) is on the same subject but states no action or plan\.$/,
    (m) => `Svaret i ${where(m[1])} handler om det samme, men nævner ingen handling eller plan.`,
  ],
  [
    /^The response in (.+) declines it \(“(.*)”\)\.$/,
    (m) => `Svaret i ${where(m[1])} afviser det (»${m[2]}«).`,
  ],
  [
    /^The response in (.+) declines part of it and acts on or plans another part \(“(.*)”\)\.$/,
    (m) => `Svaret i ${where(m[1])} afviser en del af det og handler på eller planlægger en anden del (»${m[2]}«).`,
  ],
];

const LATEST = /^Latest of (\d+) answers \(([^)]*)\): (.+)$/;
const comma = (number) => number.replace(".", ",");
const where = (place) => (place === "the same table row" ? "samme tabelrække" : place);

/** The reason in the page's language where it can be: `{text, lang}`, `lang` null when it is that. */
export function localReason(reason, lang) {
  const text = String(reason || "");
  if (lang === "en") return { text, lang: null };
  const latest = LATEST.exec(text);
  if (latest) {
    // The latest of several answers decides; its own reason follows.
    const inner = localReason(latest[3], lang);
    const lead = `Det seneste af ${latest[1]} svar (${latest[2]}) afgør: `;
    return { text: lead + inner.text.charAt(0).toLowerCase() + inner.text.slice(1), lang: inner.lang };
  }
  for (const [pattern, danish] of DANISH) {
    const m = pattern.exec(text);
    if (m) return { text: danish(m), lang: null };
  }
  return { text, lang: "en" };
}
