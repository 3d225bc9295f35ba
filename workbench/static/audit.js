// The audit log (admins): filters (actor, action, target, dates) kept in the address, pages of 50
// newest first ("Load more" goes further back), the CSV export of what the filters match, the
// privacy setting that masks customers' contact details for agents, and the way to a customer's
// data-request page. Everything is set as text.

import { $, el, say, seg } from "baton/dom.js";
import { t, tOr, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { showError } from "baton/ui.js";

const ui = {
  filters: $("#audit-filters"),
  rows: $('[data-testid="audit-rows"]'),
  empty: $("#audit-empty"),
  more: $("#audit-more"),
  exportLink: $("#audit-export"),
  notice: $("#audit-notice"),
  error: $("#audit-error"),
  privacy: $("#privacy-form"),
  mask: $("#privacy-mask"),
  dsr: $("#dsr-open"),
  dsrCustomer: $("#dsr-customer"),
};
const FIELDS = ["actor", "action", "target", "from", "to"];

let before = null;

function query() {
  const q = new URLSearchParams();
  for (const f of FIELDS) {
    const v = ui.filters.elements[f].value.trim();
    if (v) q.set(f, v);
  }
  return q;
}

function target(e) {
  if (!e.target_type && !e.target_id) return t("common.none");
  if (e.target_type === "customer" && e.target_id) {
    return el("a", { href: `/workbench/customers/${seg(e.target_id)}`, text: `customer:${e.target_id}` });
  }
  return `${e.target_type}:${e.target_id}`;
}

function row(e) {
  const detail = e.detail && Object.keys(e.detail).length ? JSON.stringify(e.detail) : "";
  return el(
    "tr",
    { "data-testid": "audit-row", "data-action": e.action, "data-id": e.id },
    el("td", { class: "nowrap", title: e.at, text: formatDateTime(e.at) }),
    el("td", { "data-field": "actor", text: e.actor_email || t("common.none") }),
    el("td", { text: e.actor_role ? tOr(`role.${e.actor_role}`, e.actor_role) : "" }),
    el("td", { "data-field": "action" }, el("code", { text: e.action })),
    el("td", { "data-field": "target" }, target(e)),
    el("td", { text: e.ip }),
    el("td", { class: "num", "data-field": "status", text: e.status }),
    el("td", { class: "audit-detail", text: detail }),
  );
}

async function load(append) {
  const q = query();
  ui.exportLink.href = `/api/v1/audit.csv${q.size ? `?${q}` : ""}`;
  if (append && before) q.set("before", before);
  try {
    const { items = [], next_before: next } = await api("GET", `/api/v1/audit?${q}`);
    showError(ui.error, null);
    if (append) ui.rows.append(...items.map(row));
    else ui.rows.replaceChildren(...items.map(row));
    before = next ?? null;
    ui.more.hidden = !before;
    say(ui.empty, ui.rows.children.length ? "" : t("audit.empty"));
  } catch (err) {
    showError(ui.error, err);
  }
}

ui.filters.addEventListener("submit", (ev) => {
  ev.preventDefault();
  history.replaceState(null, "", `${location.pathname}${query().size ? `?${query()}` : ""}`);
  load(false);
});
ui.filters.addEventListener("reset", () => {
  setTimeout(() => {
    history.replaceState(null, "", location.pathname);
    load(false);
  });
});
ui.more.addEventListener("click", () => load(true));

ui.privacy.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  try {
    const s = await api("PUT", "/api/v1/privacy", { mask_contacts_for_agents: ui.mask.checked });
    ui.mask.checked = s.mask_contacts_for_agents;
    say(ui.notice, t("privacy.saved"));
    load(false);
  } catch (err) {
    showError(ui.error, err);
  }
});

ui.dsr.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const id = ui.dsrCustomer.value.trim();
  if (id) location.assign(`/workbench/customers/${seg(id)}`);
});

const start = new URLSearchParams(location.search);
for (const f of FIELDS) if (start.get(f)) ui.filters.elements[f].value = start.get(f);
load(false);
api("GET", "/api/v1/privacy")
  .then((s) => (ui.mask.checked = s.mask_contacts_for_agents))
  .catch((err) => showError(ui.error, err));
