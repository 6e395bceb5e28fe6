/* Small DOM helpers. Strings always become text nodes, never markup. */

export const $ = (id) => document.getElementById(id);

/** An element with attributes and children; strings become text nodes, never markup. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** Text for screen readers only. */
export const hidden = (text) => el("span", { class: "visually-hidden", text });

/** One `label: value` pair of a <dl class="meta">. */
export function metaItem(label, value, extraClass) {
  return el("div", { class: extraClass || null }, el("dt", { text: label }), el("dd", {}, value));
}

/** True for a plain left click, which the page handles itself; other clicks keep the browser's way. */
export const plainClick = (event) =>
  event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
