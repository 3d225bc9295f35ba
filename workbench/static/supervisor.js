// The supervisor's board: every queue with its waiting times and SLA breaches, every agent's
// presence and load, the open conversations with their SLA timers and a control to reassign each
// to another agent or back to the queue, and the SLA targets (editable by admins). It refetches on
// every frame of the supervisor WebSocket and every 10 s (presence changes by timeout send none);
// waiting times and timers tick in the browser in between.

import { $, el, say, seg } from "baton/dom.js";
import { t, tOr, formatDuration } from "baton/strings.js";
import { connectLive } from "baton/live.js";
import { api } from "baton/api.js";
import { badge, liveIndicator, showError } from "baton/ui.js";
import { slaTimer, tierName } from "baton/sla-timers.js";

const FALLBACK_REFRESH_MS = 10000;
const isAdmin = $("#page").dataset.admin === "1";

const ui = {
  queues: $('[data-testid="sup-queues"]'),
  queuesEmpty: $("#sup-queues-empty"),
  agents: $('[data-testid="sup-agents"]'),
  agentsEmpty: $("#sup-agents-empty"),
  convs: $('[data-testid="sup-conversations"]'),
  convsEmpty: $("#sup-conversations-empty"),
  targets: $('[data-testid="sla-targets"]'),
  slaForm: $("#sla-form"),
  slaHint: $("#sla-hint"),
  breach: $("#sup-breach"),
  notice: $("#sup-notice"),
  error: $("#sup-error"),
  live: $('[data-testid="live-state"]'),
};

// What the supervisor picked in a row's menu but has not applied yet survives re-renders.
const pending = new Map();
let agents = [];

/** A cell whose text is a duration growing from `since` (browser time, ms), ticked by tick(). */
function growing(attrs, since) {
  return el("td", { ...attrs, "data-since": since, text: formatDuration(Date.now() - since) });
}

function queueRow(q, received) {
  return el(
    "tr",
    { "data-testid": "sup-queue", "data-skill": q.skill, "data-breached": q.breached_open > 0 ? "true" : "false" },
    el("td", { text: q.skill }),
    el("td", { text: tOr(`sup.mode.${q.mode}`, q.mode) }),
    el("td", { class: "num", "data-field": "waiting", text: q.waiting }),
    q.waiting
      ? growing({ class: "num", "data-field": "longest" }, received - q.longest_wait_seconds * 1000)
      : el("td", { class: "num", "data-field": "longest", text: t("common.none") }),
    q.waiting
      ? growing({ class: "num", "data-field": "median" }, received - q.median_wait_seconds * 1000)
      : el("td", { class: "num", "data-field": "median", text: t("common.none") }),
    el("td", { class: "num", "data-field": "assigned", text: q.assigned }),
    el("td", { class: "num", "data-field": "online", text: q.agents_online }),
    el("td", {
      "data-field": "breaches",
      "data-open": q.breached_open,
      "data-day": q.breaches_24h,
      text: t("sup.breaches", { open: q.breached_open, day: q.breaches_24h }),
    }),
  );
}

function presenceBadge(p) {
  return el("span", { class: `badge badge--presence-${p}`, "data-field": "presence", text: tOr(`sup.presence.${p}`, p) });
}

function agentRow(a, skew) {
  const seen = a.last_seen_at ? Date.parse(a.last_seen_at) + skew : 0;
  return el(
    "tr",
    { "data-testid": "sup-agent", "data-agent-id": a.id, "data-email": a.email, "data-presence": a.presence, "data-load": a.load },
    el("td", {}, el("div", { text: a.name }), el("div", { class: "muted", text: a.email })),
    el("td", { text: tOr(`role.${a.role}`, a.role) }),
    el("td", {}, presenceBadge(a.presence)),
    el(
      "td",
      {},
      el(
        "span",
        { class: "sup-load" },
        el("span", { "data-field": "load", text: t("sup.load", { load: a.load, capacity: a.capacity }) }),
        el("meter", { min: 0, max: Math.max(1, a.capacity), value: a.load, "aria-hidden": "true" }),
      ),
    ),
    el("td", { text: (a.skills ?? []).join(", ") }),
    seen
      ? el("td", { "data-field": "last-seen", "data-ago": seen, text: t("sup.ago", { time: formatDuration(Date.now() - seen) }) })
      : el("td", { "data-field": "last-seen", text: t("sup.never") }),
  );
}

function reassignControl(c) {
  const select = el(
    "select",
    { "data-testid": "reassign-select", "aria-label": t("sup.col.reassign") },
    el("option", { value: "", text: t("sup.choose") }),
    c.status === "assigned" ? el("option", { value: "queue", text: t("sup.to_queue") }) : null,
    agents
      .filter((a) => a.id !== c.agent_id)
      .map((a) =>
        el("option", {
          value: `agent:${a.id}`,
          "data-email": a.email,
          disabled: a.load >= a.capacity,
          text: t("sup.to_agent", {
            name: a.name,
            load: a.load,
            capacity: a.capacity,
            presence: tOr(`sup.presence.${a.presence}`, a.presence),
          }),
        }),
      ),
  );
  const want = pending.get(c.conversation_id);
  if (want && [...select.options].some((o) => o.value === want && !o.disabled)) select.value = want;
  select.addEventListener("change", () => pending.set(c.conversation_id, select.value));
  const button = el("button", {
    type: "button",
    class: "btn btn--small",
    "data-testid": "reassign-button",
    text: t("sup.reassign"),
    onclick: () => reassign(c.conversation_id, select, button),
  });
  return el("div", { class: "sup-reassign" }, select, button);
}

function conversationRow(c, skew) {
  return el(
    "tr",
    {
      "data-testid": "sup-conversation",
      "data-conversation-id": c.conversation_id,
      "data-status": c.status,
      "data-breached": c.sla?.breached ? "true" : "false",
    },
    el(
      "td",
      {},
      el("a", { href: `/workbench/conversations/${seg(c.conversation_id)}`, text: c.customer_name || t("mine.anonymous") }),
      el("div", { class: "muted", text: c.question || c.message || t("queue.no_question") }),
    ),
    el("td", { text: c.skill }),
    el("td", {}, badge("status", c.status)),
    el("td", { "data-field": "agent", "data-agent-id": c.agent_id ?? "", text: c.agent_name || t("common.none") }),
    el("td", { class: "num", "data-field": "priority", text: c.priority }),
    growing({ class: "wait", "data-field": "since" }, Date.parse(c.enqueued_at) + skew),
    el("td", {}, slaTimer(c.sla)),
    el("td", {}, reassignControl(c)),
  );
}

function fill(body, empty, rows, emptyText) {
  body.replaceChildren(...rows);
  empty.textContent = emptyText;
  empty.hidden = rows.length > 0;
}

function render(o) {
  const received = Date.now();
  const skew = received - Date.parse(o.as_of);
  agents = o.agents ?? [];
  fill(ui.queues, ui.queuesEmpty, (o.queues ?? []).map((q) => queueRow(q, received)), t("sup.no_queues"));
  fill(ui.agents, ui.agentsEmpty, agents.map((a) => agentRow(a, skew)), t("sup.no_agents"));
  const convs = o.conversations ?? [];
  for (const id of pending.keys()) if (!convs.some((c) => c.conversation_id === id)) pending.delete(id);
  fill(ui.convs, ui.convsEmpty, convs.map((c) => conversationRow(c, skew)), t("sup.no_conversations"));
}

function tick() {
  const now = Date.now();
  for (const node of document.querySelectorAll("[data-since]")) node.textContent = formatDuration(now - Number(node.dataset.since));
  for (const node of document.querySelectorAll("[data-ago]")) {
    node.textContent = t("sup.ago", { time: formatDuration(now - Number(node.dataset.ago)) });
  }
}

// One refresh at a time; one asked for meanwhile runs right after. A refresh waits (up to 20 s)
// while the supervisor is using a row's reassignment menu or button, so the row does not change
// under their pointer.
const MAX_DEFER_MS = 20000;
let running = null;
let again = false;
let deferredSince = 0;

async function refresh() {
  const focused = document.activeElement;
  if (focused && ui.convs.contains(focused) && ["SELECT", "BUTTON"].includes(focused.tagName)) {
    deferredSince ||= Date.now();
    if (Date.now() - deferredSince < MAX_DEFER_MS) return;
  }
  deferredSince = 0;
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      render(await api("GET", "/api/v1/supervisor"));
      showError(ui.error, null);
    } catch (err) {
      showError(ui.error, err);
    }
  })();
  await running;
  running = null;
  if (again) {
    again = false;
    await refresh();
  }
}

ui.convs.addEventListener("focusout", (ev) => {
  if (!deferredSince || ui.convs.contains(ev.relatedTarget)) return;
  deferredSince = 0;
  setTimeout(refresh, 0);
});

async function reassign(convID, select, button) {
  const choice = select.value;
  if (!choice) {
    select.focus();
    return;
  }
  const body = choice === "queue" ? { queue: true } : { agent_id: Number(choice.slice("agent:".length)) };
  button.disabled = true;
  say(ui.notice, "");
  try {
    await api("POST", `/api/v1/supervisor/conversations/${seg(convID)}/reassign`, body);
    pending.delete(convID);
    say(ui.notice, t("sup.reassigned"));
    showError(ui.error, null);
  } catch (err) {
    showError(ui.error, err);
  } finally {
    button.disabled = false;
    button.blur();
    refresh();
  }
}

// SLA targets: shown to supervisors, edited by admins.
function secondsCell(tier, clock, value) {
  if (!isAdmin) return el("td", { text: t("sup.seconds", { n: value }) });
  return el(
    "td",
    {},
    el("input", {
      type: "number",
      class: "sup-sla-input",
      min: 1,
      step: 1,
      required: true,
      value,
      "data-clock": clock,
      "aria-label": t("sup.seconds_label", { tier: tier.name ? tierName(tier.name) : tier.min_priority, clock: t(`sup.col.${clock}`) }),
    }),
  );
}

function renderTargets(doc) {
  ui.targets.replaceChildren(
    ...(doc.targets ?? []).map((tier) =>
      el(
        "tr",
        { "data-testid": "sla-tier", "data-min-priority": tier.min_priority, "data-name": tier.name },
        el("td", { text: tier.name ? tierName(tier.name) : t("common.none") }),
        el("td", { class: "num", text: tier.min_priority }),
        secondsCell(tier, "first", tier.first_response_seconds),
        secondsCell(tier, "next", tier.next_response_seconds),
      ),
    ),
  );
  ui.slaHint.textContent = t("sup.sla_hint", { percent: Math.round((doc.warn_fraction ?? 0.75) * 100), step: doc.breach_priority_step ?? 10 });
}

async function loadTargets() {
  try {
    renderTargets(await api("GET", "/api/v1/sla"));
  } catch (err) {
    showError(ui.error, err);
  }
}

ui.slaForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (!isAdmin) return;
  const targets = [...ui.targets.querySelectorAll('[data-testid="sla-tier"]')].map((row) => ({
    min_priority: Number(row.dataset.minPriority),
    name: row.dataset.name,
    first_response_seconds: Number(row.querySelector('[data-clock="first"]').value),
    next_response_seconds: Number(row.querySelector('[data-clock="next"]').value),
  }));
  say(ui.notice, "");
  try {
    renderTargets(await api("PUT", "/api/v1/sla", { targets }));
    say(ui.notice, t("sup.sla_saved"));
    showError(ui.error, null);
    refresh();
  } catch (err) {
    showError(ui.error, err);
  }
});

const showLive = liveIndicator(ui.live);
connectLive("/api/v1/supervisor/ws", {
  onState(state) {
    showLive(state);
    if (state === "live") refresh();
  },
  onFrame(frame) {
    if (frame.type === "sla_breach") say(ui.breach, t("sup.breach_notice"));
    if (frame.type === "queue_changed" || frame.type === "sla_breach") refresh();
  },
});
loadTargets();
refresh();
setInterval(refresh, FALLBACK_REFRESH_MS);
setInterval(tick, 1000);
