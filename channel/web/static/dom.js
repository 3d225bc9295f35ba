// Build DOM nodes without innerHTML: text always goes in as text, never as markup.

/** Returns the first element matching selector. */
export const $ = (selector, root = document) => root.querySelector(selector);

/**
 * el("li", {class: "msg", text: m.text, "data-seq": 3, onclick: fn}, child, ...)
 * Props: class, text (textContent), on<event> (listener), anything else an attribute.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key.startsWith("on")) {
      if (typeof value === "function") node.addEventListener(key.slice(2), value);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Shows text in a (hidden-by-default) message element, or hides it when text is empty. */
export function say(node, text) {
  node.textContent = text || "";
  node.hidden = !text;
}

/** Encodes an id for use as one URL path segment. */
export const seg = (id) => encodeURIComponent(String(id));
