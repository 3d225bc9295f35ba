// The agent's start page: the live queue (with a Claim button per waiting customer) and the
// conversations the agent holds. Both lists refetch on every queue_changed frame and every 15 s.

import { $, el, say, seg } from "baton/dom.js";
import { t, formatDuration } from "baton/strings.js";
import { connectLive } from "baton/live.js";
import { api } from "baton/api.js";
import { badge, channelName, languageName, liveIndicator, showError } from "baton/ui.js";
import { slaTimer } from "baton/sla-timers.js";
import { transferLine, unreadBadge } from "baton/collab-list.js";

const FALLBACK_REFRESH_MS = 15000;

const ui = {
  queue: $('[data-testid="queue-list"]'),
  mine: $('[data-testid="my-conversations"]'),
  count: $("#queue-count"),
  notice: $("#queue-notice"),
  error: $("#queue-error"),
  live: $('[data-testid="live-state"]'),
};
const baseTitle = document.title;

function queueItem(item) {
  const claim = el("button", {
    type: "button",
    class: "btn btn--primary btn--small",
    "data-testid": "claim-button",
    text: t("queue.claim"),
    onclick: () => claimConversation(item.conversation_id, claim),
  });
  return el(
    "li",
    { class: "item", "data-testid": "queue-item", "data-conversation-id": item.conversation_id },
    el(
      "div",
      { class: "item__main" },
      el(
        "div",
        { class: "item__meta" },
        badge("reason", item.reason),
        el("span", { text: item.customer_name || t("mine.anonymous") }),
        el("span", { "data-testid": "item-channel", text: channelName(item.channel) }),
        el("span", { text: languageName(item.language) }),
        item.skill ? el("span", { text: t("queue.skill", { skill: item.skill }) }) : null,
        Number.isFinite(item.priority) ? el("span", { text: t("queue.priority", { n: item.priority }) }) : null,
        slaTimer(item.sla),
      ),
      el("p", { class: "item__title", text: item.question || item.message || t("queue.no_question") }),
      transferLine(item),
      el("span", { class: "item__meta wait", "data-since": item.enqueued_at }),
    ),
    claim,
  );
}

// offerControls: an offer waiting for the agent shows when it goes to the next agent, and Accept
// (opening the conversation accepts it) and Decline.
function offerControls(item) {
  if (!item.offered) return null;
  const decline = el("button", {
    type: "button",
    class: "btn btn--small",
    "data-testid": "decline-offer",
    text: t("mine.decline"),
    onclick: () => declineOffer(item.conversation_id, decline),
  });
  return el(
    "div",
    { class: "offer", "data-testid": "offer" },
    el("strong", { text: t("mine.offer") }),
    item.offer_expires_at ? el("span", { class: "muted", "data-expires": item.offer_expires_at, "data-testid": "offer-expires" }) : null,
    el("a", {
      class: "btn btn--primary btn--small",
      "data-testid": "accept-offer",
      href: `/workbench/conversations/${seg(item.conversation_id)}`,
      text: t("mine.accept"),
    }),
    decline,
  );
}

async function declineOffer(id, button) {
  button.disabled = true;
  try {
    await api("POST", `/api/v1/conversations/${seg(id)}/decline`);
    say(ui.notice, t("mine.declined"));
  } catch (err) {
    if (err.status !== 409) showError(ui.error, err); // 409: it had moved on already
  }
  refresh();
}

function myItem(item) {
  return el(
    "li",
    { "data-testid": "my-conversation", "data-conversation-id": item.conversation_id, "data-offered": item.offered ? "true" : "false" },
    el(
      "a",
      { class: "item", href: `/workbench/conversations/${seg(item.conversation_id)}` },
      el(
        "div",
        { class: "item__main" },
        el(
          "div",
          { class: "item__meta" },
          badge("status", item.status),
          item.reason ? badge("reason", item.reason) : null,
          el("span", { text: item.customer_name || t("mine.anonymous") }),
          el("span", { "data-testid": "item-channel", text: channelName(item.channel) }),
          slaTimer(item.sla),
        ),
        el("p", { class: "item__title", text: item.question || item.message || t("queue.no_question") }),
        transferLine(item),
      ),
      unreadBadge(item),
    ),
    offerControls(item),
  );
}

function fill(list, items, render, emptyText) {
  list.replaceChildren(...(items.length ? items.map(render) : [el("li", { class: "list__empty", text: emptyText })]));
}

function tick() {
  const now = Date.now();
  for (const node of document.querySelectorAll("[data-since]")) {
    const since = Date.parse(node.dataset.since);
    if (!Number.isNaN(since)) node.textContent = t("queue.waiting", { time: formatDuration(now - since) });
  }
  for (const node of document.querySelectorAll("[data-expires]")) {
    const at = Date.parse(node.dataset.expires);
    if (!Number.isNaN(at)) node.textContent = t("mine.offer_expires", { time: formatDuration(Math.max(0, at - now)) });
  }
}

// One refresh at a time; a request during one runs once more right after it.
let running = null;
let again = false;

async function refresh() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      const [queue, mine] = await Promise.all([api("GET", "/api/v1/queue"), api("GET", "/api/v1/agent/conversations")]);
      const waiting = queue.items ?? [];
      fill(ui.queue, waiting, queueItem, t("queue.empty"));
      fill(ui.mine, mine.items ?? [], myItem, t("mine.empty"));
      ui.count.textContent = waiting.length ? `(${waiting.length})` : "";
      document.title = waiting.length ? `(${waiting.length}) ${baseTitle}` : baseTitle;
      showError(ui.error, null);
      tick();
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

async function claimConversation(id, button) {
  button.disabled = true;
  say(ui.notice, "");
  try {
    await api("POST", `/api/v1/conversations/${seg(id)}/claim`);
    location.assign(`/workbench/conversations/${seg(id)}`);
  } catch (err) {
    button.disabled = false;
    if (err.status === 409) say(ui.notice, t("queue.taken"));
    else showError(ui.error, err);
    refresh();
  }
}

const showLive = liveIndicator(ui.live);
connectLive("/api/v1/queue/ws", {
  onState(state) {
    showLive(state);
    if (state === "live") refresh(); // whatever changed while the socket was down
  },
  onFrame: (frame) => frame.type === "queue_changed" && refresh(),
});
document.addEventListener("baton:mine-changed", () => refresh()); // from notify.js: unread counts, assignments
setInterval(refresh, FALLBACK_REFRESH_MS);
setInterval(tick, 1000);
