// Canned responses in the reply box: typing "/" (or "、", what a Chinese keyboard gives for that
// key) and a shortcut opens a menu of matching responses; choosing one asks the server to fill
// its variables from this conversation and puts the text where the "/shortcut" was.

import { el, say, seg } from "baton/dom.js";
import { t, tOr } from "baton/strings.js";
import { api } from "baton/api.js";
import { insertIntoReply, selectMarker } from "baton/reply-box.js";

const BLANK = "____"; // what the server leaves for a variable without a value
const MAX_OPTIONS = 8;
// A "/" at the start or after white space, then the shortcut typed so far, ending at the caret.
const TOKEN = /(?:^|\s)([/、])([^\s/、]*)$/u;

/**
 * Wires the menu to the reply box. language() is the conversation's language, listed first.
 * menu: the .canned-menu element (holding the listbox), notice: where to tell what to fill in.
 */
export function cannedMenu({ convID, input, form, menu, notice, language }) {
  const list = menu.querySelector('[role="listbox"]');
  let items = [];
  let loaded = false;
  let loading = null;
  let shown = []; // the options in the menu
  let active = 0;
  let token = null; // {start, end, query}

  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  function load() {
    if (loading) return loading;
    loading = api("GET", "/api/v1/canned-responses")
      .then((data) => {
        items = data.items || [];
        loaded = true;
      })
      .catch(() => {})
      .finally(() => (loading = null));
    return loading;
  }

  function currentToken() {
    const caret = input.selectionStart;
    if (caret !== input.selectionEnd) return null;
    const m = TOKEN.exec(input.value.slice(0, caret));
    if (!m) return null;
    return { start: caret - m[1].length - m[2].length, end: caret, query: m[2] };
  }

  function matches(query) {
    const q = query.toLowerCase();
    const lang = language();
    const rank = (r) => [
      r.shortcut.toLowerCase().startsWith(q) ? 0 : 1,
      r.language === lang ? 0 : 1,
      r.personal ? 0 : 1,
    ];
    return items
      .filter((r) => r.shortcut.toLowerCase().startsWith(q) || r.title.toLowerCase().includes(q))
      .map((r) => ({ r, k: rank(r) }))
      .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.r.shortcut.localeCompare(b.r.shortcut))
      .slice(0, MAX_OPTIONS)
      .map((x) => x.r);
  }

  function option(r, i) {
    return el(
      "li",
      {
        role: "option",
        id: `canned-option-${r.id}`,
        class: "canned-option",
        "data-testid": "canned-option",
        "data-canned-id": r.id,
        "data-shortcut": r.shortcut,
        "aria-selected": i === active ? "true" : "false",
        onmousedown: (ev) => {
          ev.preventDefault(); // keep the caret in the reply box
          choose(r);
        },
      },
      el(
        "div",
        { class: "canned-option__head" },
        el("span", { class: "canned-option__shortcut", text: `/${r.shortcut}` }),
        el("span", { text: r.title }),
        el("span", { class: "badge", text: tOr(`language.${r.language}`, r.language) }),
        r.personal ? el("span", { class: "badge", text: t("canned.personal") }) : null,
      ),
      el("p", { class: "canned-option__body", text: r.body }),
    );
  }

  function render() {
    if (!token) return hide();
    shown = matches(token.query);
    active = Math.min(active, Math.max(shown.length - 1, 0));
    list.replaceChildren(
      ...(shown.length
        ? shown.map(option)
        : [el("li", { class: "canned-menu__empty", "data-testid": "canned-no-match", text: t("canned.no_match", { query: token.query }) })]),
    );
    menu.hidden = false;
    input.setAttribute("aria-expanded", "true");
    if (shown[active]) input.setAttribute("aria-activedescendant", `canned-option-${shown[active].id}`);
    list.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: "nearest" });
  }

  function hide() {
    token = null;
    shown = [];
    menu.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  async function update() {
    const next = currentToken();
    if (!next) return hide();
    const opening = !token;
    if (opening || next.query !== token.query) active = 0;
    token = next;
    render();
    // Each time the menu opens, fetch the list again (an editor may have added one meanwhile).
    if (opening || !loaded) {
      await load();
      if (token) render();
    }
  }

  async function choose(r) {
    const at = token;
    hide();
    if (!at) return;
    say(notice, "");
    try {
      const { text, missing = [] } = await api("POST", `/api/v1/canned-responses/${seg(r.id)}/render`, { conversation_id: convID });
      // Only replace the "/shortcut" if it is still there as typed.
      const typed = input.value.slice(at.start, at.end);
      const range = /^[/、]/.test(typed) ? { start: at.start, end: at.end } : {};
      const placed = insertIntoReply(input, text, range);
      if (missing.length) {
        say(notice, t("canned.missing", { vars: missing.map((v) => `{{${v}}}`).join(", ") }));
        selectMarker(input, BLANK, placed);
      }
    } catch (err) {
      say(notice, t("canned.error.insert", { error: err.message }));
    }
  }

  input.addEventListener("input", update);
  input.addEventListener("click", update);
  input.addEventListener("blur", () => setTimeout(hide, 150));
  // Capture on the form runs before the reply box's own Enter-to-send handler.
  form.addEventListener(
    "keydown",
    (ev) => {
      if (ev.target !== input || menu.hidden || ev.isComposing || ev.keyCode === 229) return;
      const keys = { ArrowDown: 1, ArrowUp: -1 };
      if (ev.key in keys) {
        if (shown.length) active = (active + keys[ev.key] + shown.length) % shown.length;
        render();
      } else if ((ev.key === "Enter" && !ev.shiftKey) || ev.key === "Tab") {
        if (!shown[active]) {
          if (ev.key === "Tab") return hide();
          hide();
          return; // no match: Enter sends as usual
        }
        choose(shown[active]);
      } else if (ev.key === "Escape") {
        hide();
      } else {
        return;
      }
      ev.preventDefault();
      ev.stopPropagation();
    },
    true,
  );
  form.addEventListener("submit", () => say(notice, ""));
  load();
}
