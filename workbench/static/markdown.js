// The article's Markdown preview. The server renders the Markdown (goldmark: raw HTML dropped,
// javascript: links emptied); this module parses that HTML in an inert document and rebuilds it
// node by node from an allow-list of elements and attributes, so even a renderer bug could not put
// a script, an event handler, a style or a javascript: link on the page. Nothing goes through
// innerHTML.

import { el } from "baton/dom.js";
import { api } from "baton/api.js";

const BLOCKED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "NOSCRIPT", "SVG", "MATH"]);
const ATTRIBUTES = {
  A: ["href", "title"],
  IMG: ["src", "alt", "title"],
  OL: ["start"],
  INPUT: ["type", "checked"],
  TH: [],
  TD: [],
};
const ELEMENTS = new Set([
  "P", "H1", "H2", "H3", "H4", "H5", "H6", "UL", "OL", "LI", "STRONG", "EM", "DEL", "CODE", "PRE", "BLOCKQUOTE",
  "A", "IMG", "HR", "BR", "TABLE", "THEAD", "TBODY", "TR", "TH", "TD", "INPUT",
]);

function safeURL(value, image) {
  if (!value.trim()) return null; // goldmark empties a dangerous link's destination
  try {
    const u = new URL(value, location.href);
    if (u.protocol === "http:" || u.protocol === "https:" || (!image && u.protocol === "mailto:")) return u.href;
    if (image && u.protocol === "data:" && /^data:image\/(png|gif|jpeg|webp)[;,]/i.test(value)) return value;
  } catch {
    // not a URL: dropped
  }
  return null;
}

function rebuild(node) {
  if (node.nodeType === Node.TEXT_NODE) return [document.createTextNode(node.data)];
  if (node.nodeType !== Node.ELEMENT_NODE || BLOCKED.has(node.tagName.toUpperCase())) return [];
  const tag = node.tagName.toUpperCase();
  const children = [...node.childNodes].flatMap(rebuild);
  if (!ELEMENTS.has(tag)) return children; // unknown element: keep its text
  if (tag === "INPUT" && node.getAttribute("type") !== "checkbox") return [];
  const out = document.createElement(tag.toLowerCase());
  for (const name of ATTRIBUTES[tag] ?? []) {
    const value = node.getAttribute(name);
    if (value === null) continue;
    if (name === "href" || name === "src") {
      const url = safeURL(value, name === "src");
      if (url) out.setAttribute(name, url);
    } else {
      out.setAttribute(name, value);
    }
  }
  if (tag === "A") {
    // A link in the preview opens elsewhere, never over the unsaved editor.
    out.setAttribute("target", "_blank");
    out.setAttribute("rel", "noopener noreferrer");
  }
  if (tag === "INPUT") out.disabled = true;
  out.append(...children);
  return [out];
}

/** The nodes of safe preview HTML. */
export function htmlNodes(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  return [...doc.body.childNodes].flatMap(rebuild);
}

/** The rendered nodes of a Markdown body (one request to the server's renderer). */
export async function markdownNodes(body) {
  const { html = "" } = await api("POST", "/api/v1/kb/preview", { body });
  return htmlNodes(html);
}

/**
 * A preview that follows a textarea: update(body) renders after a short pause in typing (or at
 * once with {now: true}); answers that arrive after a newer request are dropped.
 */
export function livePreview(container, { empty, failed }) {
  let ticket = 0;
  let timer = 0;
  async function render(body) {
    const mine = ++ticket;
    if (!body.trim()) {
      container.replaceChildren(el("p", { class: "muted", text: empty }));
      return;
    }
    try {
      const nodes = await markdownNodes(body);
      if (mine === ticket) container.replaceChildren(...nodes);
    } catch (err) {
      if (mine === ticket) container.replaceChildren(el("p", { class: "notice notice--error", text: failed(err) }));
    }
  }
  return {
    update(body, { now = false } = {}) {
      clearTimeout(timer);
      if (now) render(body);
      else timer = setTimeout(() => render(body), 200);
    },
  };
}
