// The compliance page: the banned-phrase rules (admins add, change and delete them; supervisors
// read) and the most recent hits.

import { $, el, say, seg } from "baton/dom.js";
import { t, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { languageName, showError } from "baton/ui.js";

const manage = $("#page").dataset.manage === "true";
const ui = {
  rules: $("#comp-rules"),
  empty: $("#comp-empty"),
  hits: $("#comp-hits"),
  hitsEmpty: $("#comp-hits-empty"),
  notice: $("#comp-notice"),
  error: $("#comp-error"),
  form: $("#comp-form"),
  heading: $("#comp-form-title"),
  phrase: $("#comp-phrase"),
  language: $("#comp-language"),
  match: $("#comp-match"),
  action: $("#comp-action"),
  exceptions: $("#comp-exceptions"),
  note: $("#comp-note"),
  active: $("#comp-active"),
  save: $('[data-testid="comp-save"]'),
  cancel: $('[data-testid="comp-cancel"]'),
};

let editing = null; // the rule in the form, or null for a new one

const langName = (code) => (code === "any" ? t("comp.lang.any") : languageName(code));

function ruleRow(r) {
  const cells = [
    el("td", {}, el("code", { text: r.phrase }), r.note ? el("div", { class: "muted", text: r.note }) : null),
    el("td", { class: "nowrap", text: langName(r.language) }),
    el("td", { class: "nowrap", text: t(`comp.match.${r.match}`) }),
    el("td", { class: "nowrap" }, el("span", { class: `badge comp-action--${r.action}`, text: t(`comp.action.${r.action}`) })),
    el("td", { text: (r.exceptions || []).join(", ") }),
    el("td", { class: "nowrap", text: t(r.active ? "comp.yes" : "comp.no") }),
  ];
  if (manage) {
    let armed = false;
    const del = el("button", {
      type: "button",
      class: "btn btn--small btn--ghost btn--danger",
      "data-testid": "comp-delete",
      text: t("comp.delete"),
      onclick: async () => {
        if (!armed) {
          armed = true;
          del.textContent = t("comp.confirm_delete");
          return;
        }
        try {
          await api("DELETE", `/api/v1/compliance/rules/${seg(r.id)}`);
          say(ui.notice, t("comp.deleted"));
          if (editing?.id === r.id) reset();
          load();
        } catch (err) {
          showError(ui.error, err);
        }
      },
    });
    cells.push(
      el(
        "td",
        { class: "nowrap" },
        el(
          "div",
          { class: "actions" },
          el("button", { type: "button", class: "btn btn--small", "data-testid": "comp-edit", text: t("comp.edit"), onclick: () => edit(r) }),
          del,
        ),
      ),
    );
  }
  return el("tr", { "data-testid": "comp-rule", "data-rule-id": r.id, "data-phrase": r.phrase }, ...cells);
}

function hitRow(h) {
  return el(
    "tr",
    { "data-testid": "comp-hit", "data-outcome": h.outcome },
    el("td", { class: "nowrap" }, el("time", { datetime: h.created_at, text: formatDateTime(h.created_at) })),
    el("td", {}, el("code", { text: h.phrase })),
    el("td", { class: "nowrap", text: t(`comp.source.${h.source}`) }),
    el("td", { class: "nowrap", text: t(`comp.outcome.${h.outcome}`) }),
    el("td", { class: "nowrap", text: h.user_name || t("common.none") }),
    el(
      "td",
      { class: "nowrap" },
      h.conversation_id
        ? el("a", { href: `/workbench/conversations/${seg(h.conversation_id)}`, text: h.conversation_id.slice(0, 8) })
        : t("common.none"),
    ),
  );
}

async function load() {
  try {
    const [{ rules = [] }, { hits = [] }] = await Promise.all([
      api("GET", "/api/v1/compliance/rules"),
      api("GET", "/api/v1/compliance/hits?limit=50"),
    ]);
    ui.rules.replaceChildren(...rules.map(ruleRow));
    say(ui.empty, rules.length ? "" : t("comp.empty"));
    ui.hits.replaceChildren(...hits.map(hitRow));
    say(ui.hitsEmpty, hits.length ? "" : t("comp.hits_empty"));
    showError(ui.error, null);
  } catch (err) {
    showError(ui.error, err);
  }
}

function edit(r) {
  editing = r;
  ui.heading.textContent = t("comp.edit");
  ui.phrase.value = r.phrase;
  ui.language.value = r.language;
  ui.match.value = r.match;
  ui.action.value = r.action;
  ui.exceptions.value = (r.exceptions || []).join("\n");
  ui.note.value = r.note || "";
  ui.active.checked = r.active;
  ui.cancel.hidden = false;
  ui.phrase.focus();
}

function reset() {
  editing = null;
  ui.form.reset();
  ui.heading.textContent = t("comp.new");
  ui.cancel.hidden = true;
}

if (manage) {
  ui.cancel.addEventListener("click", reset);
  ui.form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    ui.save.disabled = true;
    say(ui.notice, "");
    const body = {
      phrase: ui.phrase.value,
      language: ui.language.value,
      match: ui.match.value,
      action: ui.action.value,
      exceptions: ui.exceptions.value.split("\n").map((s) => s.trim()).filter(Boolean),
      note: ui.note.value,
      active: ui.active.checked,
    };
    try {
      if (editing) await api("PUT", `/api/v1/compliance/rules/${seg(editing.id)}`, body);
      else await api("POST", "/api/v1/compliance/rules", body);
      say(ui.notice, t("comp.saved"));
      showError(ui.error, null);
      reset();
      load();
    } catch (err) {
      showError(ui.error, err);
    } finally {
      ui.save.disabled = false;
    }
  });
}

load();
