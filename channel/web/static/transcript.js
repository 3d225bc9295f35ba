// The message list shared by the customer chat and the agent's conversation page: one <li> per
// message, kept in seq order and de-duplicated by seq (REST replies and WebSocket frames both
// deliver every message). Message text is only ever set as textContent.

import { el } from "baton/dom.js";
import { t, formatTime } from "baton/strings.js";

export class Transcript {
  /**
   * list      the <ol> to fill
   * viewer    "customer" or "agent": whose messages sit on the right
   * labels    per-sender label overrides, e.g. {customer: "You"}
   * scroller  the element that scrolls (defaults to list)
   * showScores  show citation scores (for staff)
   */
  constructor(list, { viewer = "customer", labels = {}, scroller = list, showScores = false } = {}) {
    this.list = list;
    this.viewer = viewer;
    this.labels = labels;
    this.scroller = scroller;
    this.showScores = showScores;
    this.bySeq = new Map();
    this.lastSeq = 0;
    this.onChange = () => {};
    list.classList.add("transcript", `transcript--${viewer}-view`);
  }

  /** Adds a message unless its seq is already shown; returns whether it was new. */
  add(msg) {
    if (!msg || !Number.isFinite(msg.seq) || this.bySeq.has(msg.seq)) return false;
    const stick = this.nearBottom();
    const node = this.render(msg);
    this.bySeq.set(msg.seq, node);
    this.list.insertBefore(node, this.nextAfter(msg.seq));
    this.lastSeq = Math.max(this.lastSeq, msg.seq);
    if (stick || msg.sender === this.viewer) this.scrollToEnd();
    this.onChange(msg);
    return true;
  }

  /** Removes every message (the page moved on to another conversation). */
  clear() {
    this.list.replaceChildren();
    this.bySeq.clear();
    this.lastSeq = 0;
    this.onChange(null);
  }

  /** Number of messages shown. */
  get size() {
    return this.bySeq.size;
  }

  /** The first shown message with a larger seq (messages normally arrive in order: the end). */
  nextAfter(seq) {
    let before = null;
    for (let n = this.list.lastElementChild; n; n = n.previousElementSibling) {
      if (Number(n.dataset.seq) < seq) break;
      before = n;
    }
    return before;
  }

  render(msg) {
    const system = msg.sender === "system";
    const label = this.labels[msg.sender] ?? t(`sender.${msg.sender}`);
    const cites = Array.isArray(msg.citations) ? msg.citations : [];
    return el(
      "li",
      { class: `msg msg--${msg.sender}`, "data-testid": "message", "data-sender": msg.sender, "data-seq": msg.seq },
      system ? null : el("span", { class: "msg__label", text: label }),
      el("div", { class: "msg__bubble", text: msg.text }),
      cites.length
        ? el("ul", { class: "msg__sources", "data-testid": "citations" }, cites.map((c) => this.citation(c)))
        : null,
      el("time", { class: "msg__time", datetime: msg.created_at, text: formatTime(msg.created_at) }),
    );
  }

  citation(c) {
    // "[1] Returns › Who pays": the number the answer cites it by, and the section it came from.
    const title = `${c.ref ? `[${c.ref}] ` : ""}${c.title}${c.heading ? ` › ${c.heading}` : ""}`;
    let text = t("message.source", { title });
    if (this.showScores && Number.isFinite(c.score)) text += ` · ${c.score.toFixed(2)}`;
    return el("li", { class: "msg__source", "data-article-id": c.article_id, text });
  }

  nearBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }

  scrollToEnd() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
