/* The page's language: Danish by default, English on request. Every string lives in strings.js. */
import { STRINGS } from "./strings.js";

let lang = "da";

export const getLang = () => lang;

export function setLang(next) {
  lang = next === "en" ? "en" : "da";
}

/** The string (or string function) `key` in the current language. */
export const t = (key) => STRINGS[lang][key];

export const locale = () => (lang === "da" ? "da-DK" : "en-GB");
