// What the reply box shows when compliance holds a reply back: the reply with the offending
// phrases marked, the phrases listed, and for warnings a "Send anyway" button. The draft stays in
// the box, with the first phrase selected so the agent can rephrase it.

import { el, say } from "baton/dom.js";
import { t } from "baton/strings.js";

/** UTF-16 index in s of the character (code point) offset cp. */
function utf16Index(s, cp) {
  let i = 0;
  for (let n = 0; n < cp && i < s.length; n++) i += s.codePointAt(i) > 0xffff ? 2 : 1;
  return i;
}

/** The sent text as nodes, each hit's span in a <mark>. Overlapping spans merge. */
function marked(text, hits) {
  const spans = hits
    .map((h) => [utf16Index(text, h.start), utf16Index(text, h.end), h.action])
    .sort((a, b) => a[0] - b[0]);
  const nodes = [];
  let at = 0;
  for (const [start, end, action] of spans) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    if (from > at) nodes.push(text.slice(at, from));
    nodes.push(el("mark", { class: `comp-mark comp-mark--${action}`, "data-testid": "compliance-mark", text: text.slice(from, end) }));
    at = end;
  }
  if (at < text.length) nodes.push(text.slice(at));
  return nodes;
}

/**
 * Shows hits for text (the reply as sent) in box; input is the reply textarea, whose value is
 * text with any surrounding whitespace. onSendAnyway, when the hits are only warnings, sends.
 */
export function showHits(box, { text, hits, blocked, input, onSendAnyway }) {
  const phrases = [...new Map(hits.map((h) => [h.rule_id, h])).values()];
  const children = [
    el("p", { class: "comp-hits__head", text: t(blocked ? "comp.reply.blocked" : "comp.reply.warned") }),
    el("p", { class: "comp-hits__text", "data-testid": "compliance-text" }, marked(text, hits)),
    el(
      "ul",
      { class: "comp-hits__list" },
      phrases.map((h) =>
        el("li", { "data-testid": "compliance-phrase", "data-action": h.action, text: t("comp.reply.phrase", { phrase: h.phrase, action: t(`comp.action.${h.action}`) }) }),
      ),
    ),
  ];
  if (!blocked && onSendAnyway) {
    children.push(
      el("button", { type: "button", class: "btn btn--small", "data-testid": "compliance-send-anyway", text: t("comp.reply.send_anyway"), onclick: onSendAnyway }),
    );
  }
  box.className = `notice ${blocked ? "notice--error" : "notice--warn"} comp-hits`;
  box.dataset.state = blocked ? "blocked" : "warned";
  box.replaceChildren(...children);
  box.hidden = false;
  if (input && hits.length) {
    const lead = input.value.length - input.value.trimStart().length;
    if (input.value.trim() === text) {
      input.focus();
      input.setSelectionRange(lead + utf16Index(text, hits[0].start), lead + utf16Index(text, hits[0].end));
    }
  }
}

/** Hides the hits. */
export function clearHits(box) {
  box.replaceChildren();
  say(box, "");
}
