// One ticket: its details to edit, the state buttons (start, wait on the customer or a team,
// solve, close, reopen), assignment, internal comments and the timeline of every change.
// Everything user-written is set as text.

import { $, el, say } from "baton/dom.js";
import { t, tOr, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { showError } from "baton/ui.js";
import { statusLabel, toLocalInput, fromLocalInput, parseAttachments, formatAttachments, loadTeams } from "baton/ticket-common.js";

const page = $("#page");
const id = page.dataset.ticketId;
const me = Number(page.dataset.userId);
const works = page.dataset.works === "1";
const base = `/api/v1/tickets/${encodeURIComponent(id)}`;

const ui = {
  number: $('[data-testid="ticket-number"]'),
  title: $('[data-testid="ticket-title"]'),
  status: $('[data-testid="ticket-status"]'),
  overdue: $('[data-testid="ticket-overdue"]'),
  escalated: $('[data-testid="ticket-escalated"]'),
  notice: $("#tk-notice"),
  error: $("#tk-error"),
  edit: $("#tk-edit"),
  subject: $("#tk-subject"),
  type: $("#tk-type"),
  priority: $("#tk-priority"),
  team: $("#tk-team"),
  assignee: $("#tk-assignee"),
  due: $("#tk-due"),
  order: $("#tk-order"),
  description: $("#tk-description"),
  attachments: $("#tk-attachments"),
  customer: $('[data-testid="ticket-customer"]'),
  language: $('[data-testid="ticket-language"]'),
  pendingOn: $('[data-testid="ticket-pending-on"]'),
  convLink: $('[data-testid="ticket-conversation-link"]'),
  createdBy: $('[data-testid="ticket-created-by"]'),
  attachmentList: $('[data-testid="ticket-attachment-list"]'),
  timeline: $('[data-testid="ticket-timeline"]'),
  comment: $("#tk-comment"),
  commentBody: $("#tk-comment-body"),
};

let current = null;

// Which state buttons make sense from each status.
const moves = {
  new: ["open", "pending", "solved", "closed"],
  open: ["pending", "solved", "closed"],
  pending: ["open", "pending", "solved", "closed"],
  solved: ["reopen", "closed"],
  closed: [],
};

function showButtons(tk) {
  for (const b of document.querySelectorAll(".tk-actions [data-status]")) {
    const key = b.dataset.reopen ? "reopen" : b.dataset.status;
    let ok = moves[tk.status].includes(key);
    if (key === "pending" && tk.status === "pending") ok = b.dataset.pendingOn !== tk.pending_on;
    if (key === "open" && !b.dataset.reopen && tk.status === "solved") ok = false;
    b.hidden = !ok;
  }
  const assignMe = $("#tk-assign-me");
  if (assignMe) assignMe.hidden = tk.status === "closed" || tk.assignee?.id === me;
}

// The timeline names edited fields as the form labels them.
const fieldKeys = {
  subject: "tk.field.subject",
  description: "tk.field.description",
  type: "tk.field.type",
  order_number: "tk.field.order",
  attachments: "tk.attachments",
  due_at: "tk.col.due",
};

function eventText(e) {
  const actor = e.actor?.name || t("tk.baton");
  const d = e.data || {};
  switch (e.kind) {
    case "created":
      return t("tk.ev.created", { actor });
    case "status": {
      const to = tOr(`tk.status.${d.to}`, d.to) + (d.pending_on ? ` · ${tOr(`tk.pending.${d.pending_on}`, d.pending_on)}` : "");
      return t("tk.ev.status", { actor, from: tOr(`tk.status.${d.from}`, d.from), to });
    }
    case "assigned":
      return d.to ? t("tk.ev.assigned", { actor, to: e.body || `#${d.to}` }) : t("tk.ev.unassigned", { actor });
    case "priority":
      return t("tk.ev.priority", { actor, from: tOr(`tk.priority.${d.from}`, d.from), to: tOr(`tk.priority.${d.to}`, d.to) });
    case "team":
      return t("tk.ev.team", { actor, to: d.to });
    case "comment":
      return t("tk.ev.comment", { actor });
    case "updated":
      return t("tk.ev.updated", { actor, fields: (d.fields || []).map((f) => tOr(fieldKeys[f] || "", f)).join(", ") });
    case "escalated":
      return t("tk.ev.escalated", {
        kind: tOr(`tk.esc.${d.kind}`, d.kind),
        from: tOr(`tk.priority.${d.from}`, d.from),
        to: tOr(`tk.priority.${d.to}`, d.to),
      });
    case "customer_notified":
      return t("tk.ev.customer_notified");
    default:
      return e.kind;
  }
}

function renderTimeline(events) {
  ui.timeline.replaceChildren(
    ...events.map((e) =>
      el(
        "li",
        { "data-testid": "ticket-event", "data-kind": e.kind },
        el("span", { text: eventText(e) }),
        e.kind === "comment" ? el("p", { class: "tk-comment", "data-testid": "ticket-comment", text: e.body }) : null,
        el("time", { datetime: e.created_at, text: formatDateTime(e.created_at) }),
      ),
    ),
  );
}

function render(tk, events) {
  current = tk;
  document.title = `${tk.number} · ${tk.subject}`;
  ui.number.textContent = tk.number;
  ui.title.textContent = tk.subject;
  ui.status.textContent = statusLabel(tk);
  ui.status.dataset.status = tk.status;
  ui.overdue.hidden = !tk.overdue;
  ui.escalated.hidden = !tk.escalations?.length;
  ui.subject.value = tk.subject;
  ui.type.value = tk.type;
  ui.priority.value = tk.priority;
  ui.team.value = tk.team;
  ensureAssigneeOption(tk.assignee);
  ui.assignee.value = String(tk.assignee?.id ?? 0);
  ui.due.value = toLocalInput(tk.due_at);
  ui.order.value = tk.order_number;
  ui.description.value = tk.description;
  ui.attachments.value = formatAttachments(tk.attachments);
  ui.customer.textContent = tk.customer_name || tk.customer_id || "—";
  ui.language.textContent = tOr(`language.${tk.language}`, tk.language);
  ui.pendingOn.textContent = tk.status === "pending" && tk.pending_on ? tOr(`tk.pending.${tk.pending_on}`, tk.pending_on) : "—";
  ui.convLink.hidden = !tk.conversation_id;
  if (tk.conversation_id) ui.convLink.href = `/workbench/conversations/${encodeURIComponent(tk.conversation_id)}`;
  ui.createdBy.textContent = tk.created_by ? t("tk.created_by", { name: tk.created_by.name }) : "";
  ui.attachmentList.replaceChildren(
    ...(tk.attachments.length
      ? tk.attachments.map((a) => el("li", {}, el("a", { href: safeURL(a.url), rel: "noopener noreferrer", target: "_blank", text: a.name || a.url })))
      : [el("li", { class: "muted", text: t("tk.no_attachments") })]),
  );
  const closed = tk.status === "closed" || !works;
  for (const f of ui.edit.querySelectorAll("input, select, textarea, button")) f.disabled = closed;
  if (works) showButtons(tk);
  if (events) renderTimeline(events);
}

// Only http(s) links become links (the server accepts no others; this is belt and braces).
const safeURL = (u) => (/^https?:\/\//i.test(u) ? u : "#");

function ensureAssigneeOption(p) {
  if (!p || ui.assignee.querySelector(`option[value="${p.id}"]`)) return;
  ui.assignee.append(el("option", { value: p.id, text: p.name }));
}

async function loadColleagues() {
  try {
    const { colleagues = [] } = await api("GET", "/api/v1/colleagues?limit=200");
    for (const c of colleagues) ensureAssigneeOption({ id: c.id, name: c.name || c.email });
    if (current) ui.assignee.value = String(current.assignee?.id ?? 0);
  } catch {
    // the current assignee stays listed
  }
}

async function load() {
  try {
    const { ticket, events } = await api("GET", base);
    render(ticket, events);
  } catch (err) {
    showError(ui.error, err);
  }
}

async function patch(body, done) {
  try {
    const { ticket, events } = await api("PATCH", base, body);
    render(ticket, events);
    showError(ui.error, null);
    say(ui.notice, done || t("tk.saved"));
  } catch (err) {
    showError(ui.error, err);
  }
}

if (works) {
  for (const b of document.querySelectorAll(".tk-actions [data-status]")) {
    b.addEventListener("click", () => {
      const body = { status: b.dataset.status };
      if (b.dataset.pendingOn) body.pending_on = b.dataset.pendingOn;
      patch(body);
    });
  }
  $("#tk-assign-me").addEventListener("click", () => patch({ assignee_id: me }));
  ui.edit.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const body = {
      subject: ui.subject.value,
      type: ui.type.value,
      priority: ui.priority.value,
      team: ui.team.value,
      assignee_id: Number(ui.assignee.value),
      order_number: ui.order.value,
      description: ui.description.value,
      attachments: parseAttachments(ui.attachments.value),
    };
    const due = fromLocalInput(ui.due.value);
    if (due && new Date(due).getTime() !== new Date(current.due_at).setSeconds(0, 0)) body.due_at = due;
    patch(body);
  });
  ui.comment.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await api("POST", `${base}/comments`, { body: ui.commentBody.value });
      ui.commentBody.value = "";
      await load();
    } catch (err) {
      showError(ui.error, err);
    }
  });
  loadColleagues();
  loadTeams($("#tk-teams"));
}

load();
