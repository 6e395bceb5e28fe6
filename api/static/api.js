/* Talking to the API: JSON in and out, the access keys, and errors put in words.
 *
 * Keys live in sessionStorage only (this tab, until it closes), never in the URL. Reads send the read key
 * (or, lacking one, the write key, which the server accepts for reads too); writes send the write key.
 */
import { t } from "./i18n.js";

const STORE = { read: "sporbar.readKey", write: "sporbar.writeKey" };
const fallback = {}; // where sessionStorage is unavailable, the keys live as long as the page

export function getKey(kind) {
  try {
    return sessionStorage.getItem(STORE[kind]) || "";
  } catch {
    return fallback[kind] || "";
  }
}

export function setKey(kind, value) {
  try {
    if (value) sessionStorage.setItem(STORE[kind], value);
    else sessionStorage.removeItem(STORE[kind]);
  } catch {
    fallback[kind] = value || "";
  }
}

const readKey = () => getKey("read") || getKey("write");

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
    this.detail = detail;
  }
}

function describeDetail(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((d) => {
        const where = Array.isArray(d.loc) ? d.loc.filter((p) => p !== "query" && p !== "body") : [];
        return where.length ? `${where.join(".")}: ${d.msg}` : String(d.msg || "");
      })
      .join("; ");
  }
  return "";
}

let keyProblem = () => {};
const refused = (status) => status === 401 || status === 403;

/** `handler(error)` runs when a read is refused for want of the right key (401, or 403 for a wrong one). */
export function onKeyProblem(handler) {
  keyProblem = handler;
}

/** A JSON call. `options.key` makes it a write sent with that key; otherwise the read key goes along. */
export async function api(path, options = {}) {
  const { key, ...init } = options;
  const write = "key" in options;
  const headers = { Accept: "application/json", ...(init.headers || {}) };
  const sent = write ? key : readKey();
  if (sent) headers["X-API-Key"] = sent;
  let response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(0, "");
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    if (err && err.name === "AbortError") throw err; // a newer call took over while the body came in
    body = null;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, describeDetail(body && body.detail));
    // A refusal speaks of the key it was sent with: one answered after another key was given is stale.
    if (!write && refused(response.status) && sent === readKey()) keyProblem(error);
    throw error;
  }
  return body;
}

/** A POST whose answer is newline-delimited JSON: `onEvent` gets each event as it arrives. Errors as `api`. */
export async function apiStream(path, options, onEvent) {
  const headers = { Accept: "application/x-ndjson", ...(options.headers || {}) };
  const sent = readKey();
  if (sent) headers["X-API-Key"] = sent;
  let response;
  try {
    response = await fetch(path, { ...options, headers });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(0, "");
  }
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
    }
    const error = new ApiError(response.status, describeDetail(body && body.detail));
    if (refused(response.status) && sent === readKey()) keyProblem(error);
    throw error;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
    let cut;
    while ((cut = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, cut).trim();
      buffer = buffer.slice(cut + 1);
      if (line) onEvent(JSON.parse(line));
    }
    if (done) break;
  }
  if (buffer.trim()) onEvent(JSON.parse(buffer));
}

/** A link to a file the API serves: with a read key set, fetched with the key and saved as `name`;
 * without one, the browser follows the link itself. */
export function keyedLink(link, name, onError) {
  link.addEventListener("click", async (event) => {
    const key = readKey();
    if (!key || event.button !== 0) return;
    event.preventDefault();
    try {
      const response = await fetch(link.href, { headers: { "X-API-Key": key } });
      if (!response.ok) {
        const error = new ApiError(response.status, "");
        if (refused(response.status) && key === readKey()) keyProblem(error);
        if (onError) onError(error);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const save = document.createElement("a");
      save.href = url;
      save.download = name;
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      if (onError) onError(new ApiError(0, ""));
    }
  });
}

/** An error as one readable sentence after `prefix`. */
export function errorText(prefix, err, notFound) {
  if (!(err instanceof ApiError)) return prefix + String(err && err.message ? err.message : err);
  if (err.status === 0) return prefix + t("network");
  if (err.status === 401) return prefix + t("needKey");
  if (err.status === 403) return prefix + t("keyRefused") + (err.detail ? ` (${err.detail})` : "");
  if (err.status === 404 && notFound) return prefix + notFound;
  const detail = err.detail ? `: ${err.detail}` : "";
  return `${prefix}${t("status")(err.status)}${detail}`;
}
