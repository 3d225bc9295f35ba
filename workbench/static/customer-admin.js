// A customer's data-request page (admins): their profile, the export of everything Baton holds
// about them (a JSON download, unmasked: it is for the customer), and erasure — anonymise or
// delete — after a confirmation dialog in which the admin types the customer's id (or name).
// Either way the audit log keeps who erased whom, when, how and why.

import { $, el, say, seg } from "baton/dom.js";
import { t, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { showError } from "baton/ui.js";

const id = $("#page").dataset.customerId;
const ui = {
  profile: $('[data-testid="dsr-profile"]'),
  form: $("#dsr-erase-form"),
  reason: $("#dsr-reason"),
  exportLink: $('[data-testid="dsr-export"]'),
  notice: $("#dsr-notice"),
  error: $("#dsr-error"),
};
let customer = null;

const field = (name, value) => {
  const node = ui.profile.querySelector(`[data-field="${name}"]`);
  if (node) node.textContent = value === undefined || value === null || value === "" ? t("common.none") : String(value);
};

async function load() {
  try {
    const v = await api("GET", `/api/v1/customers/${seg(id)}`);
    customer = v.customer;
    field("name", customer.name);
    field("email", customer.email);
    field("phone", customer.phone);
    field("external_id", customer.external_id);
    field("created_at", formatDateTime(customer.created_at));
    field("conversations", (v.conversations || []).length);
    showError(ui.error, null);
  } catch (err) {
    if (err.status === 404) {
      say(ui.error, t("dsr.not_found"));
      ui.form.hidden = true;
      ui.exportLink.hidden = true;
      return;
    }
    showError(ui.error, err);
  }
}

/** Asks the admin to type the customer's id (or their name) before erasing. Resolves true to go on. */
function confirmErase(mode) {
  return new Promise((resolve) => {
    const input = el("input", { type: "text", id: "dsr-confirm-input", "data-testid": "dsr-confirm-input", autocomplete: "off" });
    const submit = el("button", { type: "submit", class: "btn btn--danger", "data-testid": "dsr-confirm", text: t("dsr.confirm_button"), disabled: true });
    const cancel = el("button", { type: "button", class: "btn", "data-testid": "dsr-cancel", text: t("dialog.cancel") });
    const name = customer?.name || "";
    const form = el(
      "form",
      { class: "dialog__body dsr-confirm" },
      el("h2", { id: "dsr-confirm-title", text: t(mode === "delete" ? "dsr.confirm_delete" : "dsr.confirm_anonymise") }),
      el("p", { text: t("dsr.confirm_lead") }),
      el("p", {}, el("code", { text: id }), name ? ` · ${name}` : ""),
      el("label", { for: "dsr-confirm-input", text: t("dsr.confirm_label") }),
      input,
      el("div", { class: "dialog__actions" }, cancel, submit),
    );
    const dialog = el("dialog", { class: "dialog", "data-testid": "dsr-confirm-dialog", "aria-labelledby": "dsr-confirm-title" }, form);
    document.body.append(dialog);
    let answer = false;
    const matches = () => {
      const v = input.value.trim();
      return v !== "" && (v.toLowerCase() === id.toLowerCase() || (name !== "" && v === name));
    };
    input.addEventListener("input", () => (submit.disabled = !matches()));
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    cancel.addEventListener("click", () => dialog.close());
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (!matches()) return;
      answer = true;
      dialog.close();
    });
    dialog.showModal();
    input.focus();
  });
}

ui.form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const mode = ui.form.elements.mode.value;
  const reason = ui.reason.value.trim();
  if (!reason) return ui.reason.reportValidity();
  if (!(await confirmErase(mode))) return;
  try {
    const out = await api("POST", `/api/v1/customers/${seg(id)}/erase`, { mode, reason });
    const n = out.erased || {};
    say(ui.notice, t(mode === "delete" ? "dsr.deleted" : "dsr.anonymised", { conversations: n.conversations ?? 0, messages: n.messages ?? 0 }));
    showError(ui.error, null);
    ui.reason.value = "";
    if (mode === "delete") {
      ui.form.hidden = true;
      ui.exportLink.hidden = true;
      for (const f of ["name", "email", "phone", "external_id", "created_at", "conversations"]) field(f, "");
    } else {
      load();
    }
  } catch (err) {
    showError(ui.error, err);
  }
});

load();
