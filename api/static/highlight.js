/* Which sentence of a passage matches the query best: pure text functions, no DOM. */

const STOP = new Set(
  (
    "og i at er en et den det de der som på for med til af om har ikke vi du jeg han hun man kan skal vil " +
    "fra ved eller men så også sig hvad hvem hvor hvordan hvorfor hvilke hvilken hvilket når blev være " +
    "været bliver får få sin sit sine deres dens dets os jer dem mig dig hans hendes var have havde " +
    "the a an and or of to in on for with by from at as is are was were be been it its this that these " +
    "those what which who whom how why when where do does did about into than then there their they " +
    "we you he she his her our your not no"
  ).split(" "),
);
const WORD = /[\p{L}\p{N}]+/gu;
const CONTEXT = 160; // characters of a snippet on either side of its highlighted sentence
const LONG_SENTENCE = 420; // of a longer sentence only the part around its matching words is highlighted

/** Lower case without accents; æ and ø folded the way OCR output and English spellings write them. */
export function fold(word) {
  return word.toLowerCase().replace(/æ/g, "ae").replace(/ø/g, "o").normalize("NFD").replace(/\p{M}/gu, "");
}

/** The query's words worth matching: folded, without stop words, each once. */
export function queryTerms(query) {
  const terms = new Set();
  for (const m of query.matchAll(WORD)) {
    const word = fold(m[0]);
    if (word.length >= 2 && !STOP.has(m[0].toLowerCase())) terms.add(word);
  }
  return [...terms];
}

function commonPrefix(a, b) {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i += 1;
  return i;
}

/** Prefix matching, so that Danish compounds and inflections match: "telefonpolitikken" ~ "telefon". */
export function wordMatches(token, term) {
  if (token === term) return true;
  if (term.length >= 3 && token.startsWith(term)) return true;
  if (token.length >= 4 && term.startsWith(token)) return true;
  const shared = commonPrefix(token, term);
  return shared >= 6 && shared >= Math.min(token.length, term.length) - 2;
}

/** [start, end) of the sentences of a text: lines, list items and the sentences within them. */
export function sentenceSpans(text) {
  const spans = [];
  const add = (start, end) => {
    while (start < end && /[\s•◦▪‣∙*–-]/.test(text[start])) start += 1;
    while (end > start && /\s/.test(text[end - 1])) end -= 1;
    if (end > start) spans.push([start, end]);
  };
  // A full stop before a capital, a digit or a bullet; a bullet inside a line; a line break.
  const boundary = /[.!?]["”’)]*\s+(?=["„«(]?[\p{Lu}\d•◦▪–])|\s[•◦▪‣]\s|\n+/gu;
  let start = 0;
  for (const m of text.matchAll(boundary)) {
    add(start, /^[.!?]/.test(m[0]) ? m.index + m[0].trimEnd().length : m.index);
    start = m.index + m[0].length;
  }
  add(start, text.length);
  return spans;
}

/** The words of `text[start:end]` that match a query term, with their positions. */
function matchedWords(text, start, end, terms) {
  const found = [];
  for (const m of text.slice(start, end).matchAll(WORD)) {
    const token = fold(m[0]);
    const term = terms.find((q) => wordMatches(token, q));
    if (term) found.push({ start: start + m.index, end: start + m.index + m[0].length, term });
  }
  return found;
}

/** The sentence with the best overlap with the query's words ({start, end, words}), or null when no
 * sentence shares a word with it. More distinct query words win; then the denser sentence. */
export function bestSentence(text, terms) {
  if (!terms.length) return null;
  let best = null;
  for (const [start, end] of sentenceSpans(text)) {
    const words = matchedWords(text, start, end, terms);
    if (!words.length) continue;
    let weight = 0;
    for (const term of new Set(words.map((w) => w.term))) weight += Math.min(term.length, 8);
    const length = (text.slice(start, end).match(WORD) || []).length || 1;
    const score = weight * 100 + (words.length / length) * 10;
    if (!best || score > best.score) best = { start, end, words, score };
  }
  return best;
}

function boundaryBefore(text, index) {
  if (index <= 0) return 0;
  const space = text.lastIndexOf(" ", index);
  return space > 0 && index - space < 30 ? space + 1 : index;
}

function boundaryAfter(text, index) {
  if (index >= text.length) return text.length;
  const space = text.indexOf(" ", index);
  return space > 0 && space - index < 30 ? space : index;
}

/** What a result shows of a passage: `text[from:to]`, with `[start:end]` highlighted and `words`
 * emphasised; without a matching sentence, the passage's beginning and no highlight (start = end). */
export function snippetRange(text, terms) {
  const best = bestSentence(text, terms);
  if (!best) {
    const to = boundaryAfter(text, Math.min(text.length, CONTEXT * 2));
    return { from: 0, to, start: 0, end: 0, words: [] };
  }
  let { start, end } = best;
  if (end - start > LONG_SENTENCE) {
    // A table row or a list without full stops: highlight the part around its first matching word.
    const first = best.words[0].start;
    start = boundaryBefore(text, Math.max(start, first - CONTEXT));
    end = boundaryAfter(text, Math.min(end, Math.max(first + LONG_SENTENCE - CONTEXT, start + 1)));
  }
  const from = boundaryBefore(text, Math.max(0, start - CONTEXT));
  const to = boundaryAfter(text, Math.min(text.length, end + CONTEXT));
  const words = best.words.filter((w) => w.start >= start && w.end <= end);
  return { from, to, start, end, words };
}

/** The API's offsets count Unicode code points, JavaScript's strings UTF-16 units: `at(i)` converts. */
export function codePointIndexer(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return { length: text.length, at: (i) => i };
  const units = [];
  let unit = 0;
  for (const ch of text) {
    units.push(unit);
    unit += ch.length;
  }
  units.push(unit);
  return { length: units.length - 1, at: (i) => units[Math.max(0, Math.min(i, units.length - 1))] };
}
