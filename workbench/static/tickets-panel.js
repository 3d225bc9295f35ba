// The conversation page's tickets: this conversation's tickets, the customer's tickets (in the
// customer 360), and "Create ticket" — a form prefilled from the conversation (the customer's
// question as the subject, the summary as the description, the order number from the slots);
// the server takes the customer and the language from the conversation.

import { $, say } from "baton/dom.js";
import { t } from "baton/strings.js";
import { api } from "baton/api.js";
import { showError } from "baton/ui.js";
import { ticketItem, readTicketForm, loadTeams } from "baton/ticket-common.js";

/** Returns {show({customer, handoff})}: call it with each /context answer. */
export function ticketsPanel({ convID }) {
  const ui = {
    open: $('[data-testid="ticket-create-open"]'),
    form: $("#tk-form"),
    formError: $('[data-testid="ticket-form-error"]'),
    cancel: $('[data-testid="ticket-create-cancel"]'),
    created: $('[data-testid="ticket-created-notice"]'),
    convList: $('[data-testid="conversation-ticket-list"]'),
    convEmpty: $('[data-testid="conversation-tickets-empty"]'),
    custList: $('[data-testid="customer-ticket-list"]'),
    custEmpty: $('[data-testid="customer-tickets-empty"]'),
  };
  let latest = { customer: null, handoff: null };
  let teamsLoaded = false;

  async function refresh() {
    try {
      const mine = await api("GET", `/api/v1/tickets?conversation=${encodeURIComponent(convID)}&limit=50`);
      ui.convList.replaceChildren(...mine.tickets.map(ticketItem));
      ui.convEmpty.hidden = mine.tickets.length > 0;
      const custID = latest.customer?.id;
      if (custID) {
        const all = await api("GET", `/api/v1/tickets?customer=${encodeURIComponent(custID)}&limit=50`);
        ui.custList.replaceChildren(...all.tickets.map(ticketItem));
        ui.custEmpty.hidden = all.tickets.length > 0;
      }
    } catch {
      // shown as before; the next refresh tries again
    }
  }

  const orderFrom = (slots = {}) => {
    const key = Object.keys(slots).find((k) => /order/i.test(k));
    return key ? String(slots[key]) : "";
  };

  async function prefill() {
    const h = latest.handoff;
    const c = h?.context || {};
    $("#tk-subject").value = (h?.question || "").slice(0, 200);
    $("#tk-order").value = orderFrom(c.slots);
    $("#tk-team").value = h?.skill || "general";
    $("#tk-description").value = "";
    $("#tk-attachments").value = "";
    $("#tk-due").value = "";
    if (!teamsLoaded) {
      teamsLoaded = true;
      loadTeams($("#tk-teams"));
    }
    try {
      const { summary } = await api("GET", `/api/v1/conversations/${encodeURIComponent(convID)}/summary`);
      if (!$("#tk-description").value) $("#tk-description").value = summary?.text || "";
      if (!$("#tk-subject").value && summary?.sentences?.length) $("#tk-subject").value = summary.sentences[0].slice(0, 200);
    } catch {
      // no summary (no handoff): the agent writes the description
    }
  }

  ui.open.addEventListener("click", () => {
    if (!ui.form.hidden) return;
    ui.form.hidden = false;
    say(ui.created, "");
    prefill();
    $("#tk-subject").focus();
  });
  ui.cancel.addEventListener("click", () => (ui.form.hidden = true));
  ui.form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = { ...readTicketForm(ui.form), conversation_id: convID };
    try {
      const { ticket } = await api("POST", "/api/v1/tickets", body);
      ui.form.hidden = true;
      showError(ui.formError, null);
      say(ui.created, t("tk.created", { number: ticket.number }));
      refresh();
    } catch (err) {
      showError(ui.formError, err);
    }
  });

  return {
    show({ customer, handoff }) {
      latest = { customer, handoff };
      refresh();
    },
  };
}
