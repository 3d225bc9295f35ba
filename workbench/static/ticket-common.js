// What the ticket pages and the conversation page's ticket panel share: labels and badges for a
// ticket's status, priority and due time, the attachment links, and the new-ticket form.

import { el } from "baton/dom.js";
import { t, tOr, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";

/** "Pending · Waiting on the customer", "Open", … */
export function statusLabel(tk) {
  const s = tOr(`tk.status.${tk.status}`, tk.status);
  return tk.status === "pending" && tk.pending_on ? `${s} · ${tOr(`tk.pending.${tk.pending_on}`, tk.pending_on)}` : s;
}

export const priorityBadge = (p) => el("span", { class: `badge badge--tk-${p}`, "data-priority": p, text: tOr(`tk.priority.${p}`, p) });

/** The overdue and escalated badges a ticket earns. */
export function flags(tk) {
  return [
    tk.overdue ? el("span", { class: "badge badge--tk-overdue", "data-testid": "ticket-overdue-badge", text: t("tk.overdue") }) : null,
    tk.escalations?.length ? el("span", { class: "badge badge--tk-escalated", "data-testid": "ticket-escalated-badge", text: t("tk.escalated") }) : null,
  ];
}

export const dueText = (tk) => formatDateTime(tk.due_at);

/** A datetime-local input's value for an ISO time, and back. */
export function toLocalInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export const fromLocalInput = (v) => (v ? new Date(v).toISOString() : null);

/** One link per line, "url" or "url name". */
export function parseAttachments(text) {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [url, ...name] = l.split(/\s+/);
      return { url, name: name.join(" ") };
    });
}
export const formatAttachments = (as = []) => as.map((a) => (a.name ? `${a.url} ${a.name}` : a.url)).join("\n");

/** Fills a <datalist> with the routing teams. */
export async function loadTeams(datalist) {
  try {
    const { teams = [] } = await api("GET", "/api/v1/teams");
    datalist.replaceChildren(...teams.map((tm) => el("option", { value: tm.skill })));
  } catch {
    // typing a team still works
  }
}

/** A row of a short ticket list (conversation page, customer 360). */
export function ticketItem(tk) {
  return el(
    "li",
    { "data-testid": "ticket-item", "data-ticket-number": tk.number, "data-status": tk.status },
    el("a", { href: `/workbench/tickets/${encodeURIComponent(tk.id)}`, text: `${tk.number} · ${tk.subject}` }),
    el("span", { class: "badge", "data-testid": "ticket-item-status", text: statusLabel(tk) }),
    ...flags(tk),
  );
}

/** Reads the new-ticket form (the tk-* fields) into a request body. */
export function readTicketForm(root) {
  const v = (id) => root.querySelector(`#${id}`)?.value ?? "";
  const body = {
    subject: v("tk-subject"),
    type: v("tk-type"),
    priority: v("tk-priority"),
    team: v("tk-team").trim(),
    order_number: v("tk-order").trim(),
    description: v("tk-description"),
    attachments: parseAttachments(v("tk-attachments")),
  };
  const due = fromLocalInput(v("tk-due"));
  if (due) body.due_at = due;
  const customer = v("tk-customer").trim();
  if (customer) body.customer_id = customer;
  return body;
}
