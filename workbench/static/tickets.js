// The ticket queue: my teams' tickets (or mine, or all) by due time, with status and search
// filters; editors, supervisors and admins open a ticket from scratch here. Everything is set as text.

import { $, el, say } from "baton/dom.js";
import { t, tOr } from "baton/strings.js";
import { api } from "baton/api.js";
import { showError } from "baton/ui.js";
import { statusLabel, priorityBadge, flags, dueText, readTicketForm, loadTeams } from "baton/ticket-common.js";

const ui = {
  list: $('[data-testid="ticket-list"]'),
  empty: $("#tk-empty"),
  filters: $("#tk-filters"),
  scope: $("#tk-scope"),
  status: $("#tk-status"),
  q: $("#tk-q"),
  notice: $("#tk-notice"),
  error: $("#tk-error"),
  form: $("#tk-form"),
  formError: $("#tk-form-error"),
  toggle: $("#tk-new-toggle"),
};

// The filters live in the address, so a reload or a shared link shows the same queue.
const params = new URLSearchParams(location.search);
if (params.has("scope")) ui.scope.value = params.get("scope");
if (params.has("status")) ui.status.value = params.get("status");
if (params.has("q")) ui.q.value = params.get("q");

function row(tk) {
  const link = el("a", { href: `/workbench/tickets/${encodeURIComponent(tk.id)}`, "data-testid": "ticket-link", text: tk.number });
  return el(
    "tr",
    { "data-testid": "ticket-row", "data-ticket-number": tk.number, "data-status": tk.status },
    el("td", {}, link),
    el("td", { "data-testid": "ticket-row-subject", text: tk.subject }),
    el("td", { text: tOr(`tk.type.${tk.type}`, tk.type) }),
    el("td", {}, priorityBadge(tk.priority)),
    el("td", { "data-testid": "ticket-row-status", text: statusLabel(tk) }),
    el("td", { text: tk.team }),
    el("td", { text: tk.assignee?.name || t("tk.unassigned") }),
    el("td", { text: tk.customer_name || "—" }),
    el("td", { class: "nowrap" }, el("span", { text: dueText(tk) }), " ", ...flags(tk)),
  );
}

async function load() {
  const q = new URLSearchParams({ scope: ui.scope.value });
  if (ui.status.value) q.set("status", ui.status.value);
  if (ui.q.value.trim()) q.set("q", ui.q.value.trim());
  history.replaceState(null, "", `?${q}`);
  try {
    const { tickets } = await api("GET", `/api/v1/tickets?${q}`);
    ui.list.replaceChildren(...tickets.map(row));
    say(ui.empty, tickets.length ? "" : t("tk.empty"));
    showError(ui.error, null);
  } catch (err) {
    showError(ui.error, err);
  }
}

ui.filters.addEventListener("submit", (ev) => {
  ev.preventDefault();
  load();
});
ui.scope.addEventListener("change", load);
ui.status.addEventListener("change", load);

if (ui.form) {
  loadTeams($("#tk-teams"));
  ui.toggle.addEventListener("click", () => {
    ui.form.hidden = !ui.form.hidden;
    if (!ui.form.hidden) $("#tk-subject").focus();
  });
  $("#tk-form-cancel").addEventListener("click", () => (ui.form.hidden = true));
  ui.form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const { ticket } = await api("POST", "/api/v1/tickets", readTicketForm(ui.form));
      location.assign(`/workbench/tickets/${encodeURIComponent(ticket.id)}`);
    } catch (err) {
      showError(ui.formError, err);
    }
  });
}

load();
setInterval(load, 30000);
