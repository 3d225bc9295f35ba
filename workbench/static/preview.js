// A plain preview of an article's Markdown: headings, bullet lists and paragraphs, all as text.
// Deliberately no Markdown-to-HTML: nothing an editor types can become markup here.

import { el } from "baton/dom.js";

const HEADING = /^(#{1,6})\s+(.*)$/;
const BULLET = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/;

/** The body as elements: a heading per "#" line, a list per run of bullets, else paragraphs. */
export function renderPreview(body) {
  const nodes = [];
  let para = null; // lines of the paragraph being built
  let list = null; // the <ul> being built
  const flush = () => {
    if (para) nodes.push(el("p", { text: para.join("\n") }));
    if (list) nodes.push(list);
    para = list = null;
  };
  for (const line of body.replace(/\r\n?/g, "\n").split("\n")) {
    const heading = HEADING.exec(line);
    const bullet = BULLET.exec(line);
    if (!line.trim()) {
      flush();
    } else if (heading) {
      flush();
      nodes.push(el(heading[1].length <= 2 ? "h3" : "h4", { text: heading[2] }));
    } else if (bullet) {
      if (para) flush();
      list ??= el("ul");
      list.append(el("li", { text: bullet[1] }));
    } else {
      if (list) flush();
      (para ??= []).push(line);
    }
  }
  flush();
  return nodes;
}
