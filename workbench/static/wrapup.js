// Wrap-up: resolving a conversation asks for its outcome (a disposition from the configured list)
// and an optional resolution note, in a modal dialog, then resolves it.

import { el, say } from "baton/dom.js";
import { t, lang } from "baton/strings.js";
import { api } from "baton/api.js";

let dispositions = null;

/** The configured dispositions (every one with ?all: retired ones too, for old wrap-ups). */
export async function loadDispositions(all = false) {
  if (all) return (await api("GET", "/api/v1/dispositions?all=true")).dispositions ?? [];
  if (!dispositions) dispositions = (await api("GET", "/api/v1/dispositions")).dispositions ?? [];
  return dispositions;
}

/** A disposition's label in the page's language. */
export const dispositionLabel = (d) => (lang === "zh" ? d.label_zh : d.label_en) || d.code;

/**
 * Opens the wrap-up dialog for the conversation at base (/api/v1/conversations/{id}). Resolves
 * with the resolve call's answer ({conversation, suggestion_created}), or null when cancelled.
 */
export function wrapUp(base) {
  return new Promise((resolve) => {
    const select = el("select", { id: "wrapup-disposition", "data-testid": "wrapup-disposition", "aria-required": "true" });
    select.append(el("option", { value: "", text: t("common.loading") }));
    const note = el("textarea", { id: "wrapup-note", "data-testid": "wrapup-note", rows: 3, maxlength: 2000 });
    const error = el("p", { class: "notice notice--error", role: "alert", hidden: true });
    const submit = el("button", { type: "submit", class: "btn btn--primary", "data-testid": "wrapup-submit", text: t("wrapup.submit") });
    const cancel = el("button", { type: "button", class: "btn", "data-testid": "wrapup-cancel", text: t("dialog.cancel") });
    const form = el(
      "form",
      { class: "dialog__body" },
      el("h2", { id: "wrapup-title", text: t("wrapup.title") }),
      el("p", { class: "muted", text: t("wrapup.lead") }),
      el("label", { for: "wrapup-disposition", text: t("wrapup.disposition") }),
      select,
      el("label", { for: "wrapup-note", text: t("wrapup.note") }),
      note,
      el("p", { class: "muted dialog__hint", text: t("wrapup.note_hint") }),
      error,
      el("div", { class: "dialog__actions" }, cancel, submit),
    );
    const dialog = el("dialog", { class: "dialog", "data-testid": "wrapup-dialog", "aria-labelledby": "wrapup-title" }, form);
    document.body.append(dialog);
    let answer = null;
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    cancel.addEventListener("click", () => dialog.close());

    loadDispositions()
      .then((list) => {
        select.replaceChildren(
          el("option", { value: "", text: t("wrapup.choose") }),
          ...list.map((d) => el("option", { value: d.code, text: dispositionLabel(d) })),
        );
        select.focus();
      })
      .catch((err) => say(error, t("common.error", { error: err.message })));

    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!select.value) {
        say(error, t("wrapup.required"));
        select.focus();
        return;
      }
      submit.disabled = true;
      say(error, "");
      try {
        answer = await api("POST", `${base}/resolve`, { disposition: select.value, note: note.value.trim() });
        dialog.close();
      } catch (err) {
        say(error, t("common.error", { error: err.message }));
      } finally {
        submit.disabled = false;
      }
    });
    dialog.showModal();
  });
}
