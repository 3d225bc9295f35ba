// The staff side of a conversation in its transcript: private notes, transfers and wrap-ups,
// each placed after the message that was last when it was made (only staff pages show them; the
// customer's API never returns them), and the note composer with @mention autocomplete.

import { el, say } from "baton/dom.js";
import { t, formatTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { dispositionLabel, loadDispositions } from "baton/wrapup.js";

/** Shows timeline entries inside a transcript <ol>, in place among its messages. */
export class TimelineView {
  constructor(list, base) {
    this.list = list;
    this.base = base;
    this.shown = new Map(); // entry id → node
    this.labels = null; // disposition code → label
  }

  async refresh() {
    const { entries } = await api("GET", `${this.base}/timeline`);
    if ((entries ?? []).some((e) => e.kind === "wrapup") && !this.labels) {
      try {
        this.labels = new Map((await loadDispositions(true)).map((d) => [d.code, dispositionLabel(d)]));
      } catch {
        this.labels = new Map();
      }
    }
    for (const e of entries ?? []) if (!this.shown.has(e.id)) this.insert(e);
  }

  /** Puts an entry after message after_seq and after entries already there. */
  insert(e) {
    const node = this.render(e);
    const seq = e.after_seq + 0.5;
    node.dataset.seq = String(seq);
    let before = null;
    for (const n of this.list.children) {
      if (Number(n.dataset.seq) > seq) {
        before = n;
        break;
      }
    }
    this.list.insertBefore(node, before);
    this.shown.set(e.id, node);
    const scroller = this.list.closest(".transcript-scroll");
    if (scroller && !before) scroller.scrollTop = scroller.scrollHeight;
  }

  render(e) {
    const who = e.author?.name || t("timeline.someone");
    const time = el("time", { class: "msg__time", datetime: e.created_at, text: formatTime(e.created_at) });
    if (e.kind === "note") {
      return el(
        "li",
        { class: "tl tl--note", "data-testid": "note", "data-timeline-id": e.id },
        el("span", { class: "msg__label", text: t("note.by", { name: who }) }),
        el("div", { class: "msg__bubble", "data-testid": "note-text" }, withMentions(e.text, e.mentions ?? [])),
        time,
      );
    }
    let headline;
    if (e.kind === "transfer") {
      headline = e.to_agent
        ? t("timeline.transfer", { from: who, to: e.to_agent.name })
        : t("timeline.to_team", { from: who, skill: e.to_skill });
    } else {
      const label = this.labels?.get(e.disposition) ?? e.disposition;
      headline = t("timeline.wrapup", { name: who, disposition: label });
    }
    return el(
      "li",
      { class: `tl tl--event tl--${e.kind}`, "data-testid": `timeline-${e.kind}`, "data-timeline-id": e.id },
      el("p", { class: "tl__headline", text: headline }),
      e.text ? el("blockquote", { class: "tl__note", "data-testid": "timeline-note", text: e.text }) : null,
      time,
    );
  }
}

/** The note's text with each "@Name" of a mentioned colleague set apart (all as text nodes). */
function withMentions(text, mentions) {
  const names = mentions.map((m) => `@${m.name}`).filter((n) => n.length > 1);
  if (!names.length) return [text];
  const parts = [];
  let rest = text;
  for (;;) {
    let at = -1;
    let hit = "";
    for (const n of names) {
      const i = rest.indexOf(n);
      if (i >= 0 && (at < 0 || i < at || (i === at && n.length > hit.length))) {
        at = i;
        hit = n;
      }
    }
    if (at < 0) break;
    if (at > 0) parts.push(rest.slice(0, at));
    parts.push(el("span", { class: "mention", "data-testid": "mention", text: hit }));
    rest = rest.slice(at + hit.length);
  }
  if (rest) parts.push(rest);
  return parts;
}

/**
 * The note composer: a textarea where "@" opens a list of colleagues (by name or email; arrows,
 * Enter or Tab to pick, Escape to close), and a button that saves the note with the ids of the
 * colleagues still mentioned in its text.
 */
export class NoteComposer {
  constructor({ base, me, onSaved }) {
    this.base = base;
    this.me = me; // the author is not offered for mentioning

    this.onSaved = onSaved;
    this.picked = []; // {id, label}
    this.options = [];
    this.active = -1;
    this.query = null; // {start, end, text} of the "@…" being typed
    this.seq = 0;

    this.input = el("textarea", {
      id: "note-input",
      "data-testid": "note-input",
      rows: 2,
      maxlength: 4000,
      placeholder: t("note.placeholder"),
      "aria-autocomplete": "list",
      "aria-controls": "mention-list",
      "aria-expanded": "false",
    });
    this.listbox = el("ul", { id: "mention-list", class: "mention-list", role: "listbox", "aria-label": t("note.mention_label"), "data-testid": "mention-list", hidden: true });
    this.submit = el("button", { type: "submit", class: "btn btn--note", "data-testid": "note-submit", text: t("note.add") });
    this.error = el("p", { class: "notice notice--error", role: "alert", hidden: true });
    this.form = el(
      "form",
      { class: "reply note-form", "data-testid": "note-form" },
      el("label", { class: "visually-hidden", for: "note-input", text: t("note.label") }),
      el("div", { class: "note-form__field" }, this.input, this.listbox),
      this.submit,
    );
    this.hint = el("p", { class: "muted note-form__hint", text: t("note.hint") });
    this.node = el("div", { class: "note-compose", "data-testid": "note-compose" }, this.error, this.form, this.hint);

    this.input.addEventListener("input", () => this.lookup());
    this.input.addEventListener("click", () => this.lookup());
    this.input.addEventListener("keydown", (ev) => this.key(ev));
    this.input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
    this.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.save();
    });
  }

  /** Finds the "@word" just before the caret and looks up colleagues for it. */
  lookup() {
    const caret = this.input.selectionStart ?? this.input.value.length;
    const before = this.input.value.slice(0, caret);
    const m = /(^|\s)@([^\s@]{0,40})$/.exec(before);
    if (!m) {
      this.close();
      return;
    }
    this.query = { start: caret - m[2].length - 1, end: caret, text: m[2] };
    const seq = ++this.seq;
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      try {
        const { colleagues } = await api("GET", `/api/v1/colleagues?limit=8&q=${encodeURIComponent(m[2])}`);
        if (seq === this.seq && this.query) this.show((colleagues ?? []).filter((c) => c.id !== this.me));
      } catch {
        this.close();
      }
    }, 120);
  }

  show(colleagues) {
    this.options = colleagues;
    this.active = colleagues.length ? 0 : -1;
    if (!colleagues.length) {
      this.listbox.replaceChildren(el("li", { class: "mention-list__empty", text: t("note.mention_none") }));
    } else {
      this.listbox.replaceChildren(
        ...colleagues.map((c, i) =>
          el(
            "li",
            {
              id: `mention-option-${i}`,
              role: "option",
              class: "mention-list__option",
              "data-testid": "mention-option",
              "data-user-id": c.id,
              "aria-selected": i === this.active ? "true" : "false",
              onmousedown: (ev) => {
                ev.preventDefault(); // keep the focus in the textarea
                this.pick(i);
              },
            },
            el("span", { class: `presence-dot presence-dot--${c.presence}`, "aria-hidden": "true" }),
            el("span", { class: "mention-list__name", text: c.name }),
            el("span", { class: "mention-list__email", text: c.email }),
          ),
        ),
      );
    }
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.highlight();
  }

  highlight() {
    [...this.listbox.querySelectorAll('[role="option"]')].forEach((n, i) => n.setAttribute("aria-selected", i === this.active ? "true" : "false"));
    if (this.active >= 0) this.input.setAttribute("aria-activedescendant", `mention-option-${this.active}`);
    else this.input.removeAttribute("aria-activedescendant");
  }

  close() {
    this.query = null;
    this.options = [];
    this.active = -1;
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  get open() {
    return !this.listbox.hidden && this.options.length > 0;
  }

  key(ev) {
    if (this.open) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        const n = this.options.length;
        this.active = (this.active + (ev.key === "ArrowDown" ? 1 : n - 1)) % n;
        this.highlight();
        return;
      }
      if ((ev.key === "Enter" || ev.key === "Tab") && this.active >= 0 && !ev.isComposing) {
        ev.preventDefault();
        this.pick(this.active);
        return;
      }
    }
    if (ev.key === "Escape" && !this.listbox.hidden) {
      ev.preventDefault();
      this.close();
      return;
    }
    // Enter saves; Shift+Enter is a newline; Enter that ends an IME composition is neither.
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      this.form.requestSubmit();
    }
  }

  /** Replaces the "@word" being typed with "@Name " and remembers who was meant. */
  pick(i) {
    const c = this.options[i];
    const q = this.query;
    if (!c || !q) return;
    const label = `@${c.name}`;
    const v = this.input.value;
    this.input.value = `${v.slice(0, q.start)}${label} ${v.slice(q.end)}`;
    const caret = q.start + label.length + 1;
    this.input.setSelectionRange(caret, caret);
    this.picked = [...this.picked.filter((p) => p.id !== c.id), { id: c.id, label }];
    this.close();
    this.input.focus();
  }

  async save() {
    const text = this.input.value.trim();
    if (!text || this.submit.disabled) return;
    const mentions = this.picked.filter((p) => stillMentioned(text, p.label)).map((p) => p.id);
    this.submit.disabled = true;
    say(this.error, "");
    try {
      const { note } = await api("POST", `${this.base}/notes`, { text, mentions });
      if (this.input.value.trim() === text) {
        this.input.value = "";
        this.picked = [];
      }
      this.onSaved?.(note);
    } catch (err) {
      say(this.error, t("note.error", { error: err.message }));
    } finally {
      this.submit.disabled = false;
      this.input.focus();
    }
  }
}

/** Whether text still holds label ("@Ann") as a whole name, not as the start of a longer one. */
function stillMentioned(text, label) {
  for (let i = text.indexOf(label); i >= 0; i = text.indexOf(label, i + 1)) {
    const next = text[i + label.length];
    if (next === undefined || !/[\p{L}\p{N}_]/u.test(next)) return true;
  }
  return false;
}
