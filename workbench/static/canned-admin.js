// The canned-responses page: the shared responses and the viewer's personal ones in a table, a
// form to add or change one. Editors and admins change shared ones; everyone their own.

import { $, el, say, seg } from "baton/dom.js";
import { t } from "baton/strings.js";
import { api } from "baton/api.js";
import { languageName, showError } from "baton/ui.js";

const manageShared = $("#page").dataset.manageShared === "true";
const ui = {
  rows: $("#canned-rows"),
  empty: $("#canned-empty"),
  notice: $("#canned-notice"),
  error: $("#canned-error"),
  form: $("#canned-form"),
  heading: $("#canned-form-title"),
  shortcut: $("#canned-shortcut"),
  language: $("#canned-language"),
  title: $("#canned-title"),
  body: $("#canned-body"),
  personal: $("#canned-personal"), // only for editors and admins
  save: $('[data-testid="canned-save"]'),
  cancel: $('[data-testid="canned-cancel"]'),
};

let editing = null; // the response in the form, or null for a new one

const mayManage = (r) => r.personal || manageShared;

function row(r) {
  const actions = el("div", { class: "actions" });
  if (mayManage(r)) {
    let armed = false;
    const del = el("button", {
      type: "button",
      class: "btn btn--small btn--ghost btn--danger",
      "data-testid": "canned-delete",
      text: t("canned.delete"),
      onclick: async () => {
        if (!armed) {
          armed = true;
          del.textContent = t("canned.confirm_delete");
          return;
        }
        try {
          await api("DELETE", `/api/v1/canned-responses/${seg(r.id)}`);
          say(ui.notice, t("canned.deleted"));
          if (editing?.id === r.id) reset();
          load();
        } catch (err) {
          showError(ui.error, err);
        }
      },
    });
    actions.append(
      el("button", { type: "button", class: "btn btn--small", "data-testid": "canned-edit", text: t("canned.edit"), onclick: () => edit(r) }),
      del,
    );
  }
  return el(
    "tr",
    { "data-testid": "canned-row", "data-canned-id": r.id, "data-shortcut": r.shortcut },
    el("td", { class: "nowrap" }, el("code", { text: `/${r.shortcut}` })),
    el("td", {}, el("div", { text: r.title }), el("div", { class: "canned-body", text: r.body })),
    el("td", { class: "nowrap", text: languageName(r.language) }),
    el("td", { class: "nowrap", text: t(r.personal ? "canned.scope.personal" : "canned.scope.shared") }),
    el("td", { class: "nowrap" }, actions),
  );
}

async function load() {
  try {
    const { items = [] } = await api("GET", "/api/v1/canned-responses");
    ui.rows.replaceChildren(...items.map(row));
    say(ui.empty, items.length ? "" : t("canned.empty"));
    showError(ui.error, null);
  } catch (err) {
    showError(ui.error, err);
  }
}

function edit(r) {
  editing = r;
  ui.heading.textContent = t("canned.edit");
  ui.shortcut.value = r.shortcut;
  ui.language.value = r.language;
  ui.title.value = r.title;
  ui.body.value = r.body;
  if (ui.personal) {
    ui.personal.checked = r.personal;
    ui.personal.disabled = true; // fixed once created
  }
  ui.cancel.hidden = false;
  ui.shortcut.focus();
}

function reset() {
  editing = null;
  ui.form.reset();
  ui.heading.textContent = t("canned.new");
  if (ui.personal) ui.personal.disabled = false;
  ui.cancel.hidden = true;
}

ui.cancel.addEventListener("click", reset);

ui.form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  ui.save.disabled = true;
  say(ui.notice, "");
  const body = {
    shortcut: ui.shortcut.value,
    language: ui.language.value,
    title: ui.title.value,
    body: ui.body.value,
    personal: ui.personal ? ui.personal.checked : true,
  };
  try {
    if (editing) await api("PUT", `/api/v1/canned-responses/${seg(editing.id)}`, body);
    else await api("POST", "/api/v1/canned-responses", body);
    say(ui.notice, t("canned.saved"));
    showError(ui.error, null);
    reset();
    load();
  } catch (err) {
    showError(ui.error, err);
  } finally {
    ui.save.disabled = false;
  }
});

load();
