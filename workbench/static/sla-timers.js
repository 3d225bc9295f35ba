// Live SLA timers. The server sends each waiting or held conversation's running clock (its due
// and amber times) with the moment it computed them (as_of); the timer corrects for the browser's
// clock being off from the server's and then counts down by itself, once a second, without asking
// the server again: green while in time, amber from 75% of the target, red once overdue.

import { el } from "baton/dom.js";
import { t, tOr, formatDuration, formatTime } from "baton/strings.js";

const SELECTOR = '[data-testid="sla-timer"][data-due]';

/**
 * slaTimer(sla) → a <span data-testid="sla-timer" data-state="ok|warn|breached"> for the clock
 * now running; a static "SLA breached" flag when nobody waits but a breach was recorded; else null.
 */
export function slaTimer(sla) {
  if (!sla) return null;
  const cur = sla.current;
  if (!cur) {
    if (!sla.breached) return null;
    return el("span", {
      class: "sla",
      "data-testid": "sla-timer",
      "data-state": "breached",
      "data-breaches": sla.breaches,
      text: t("sla.breached"),
    });
  }
  // Positive when the browser's clock is ahead of the server's.
  const skew = Date.now() - Date.parse(sla.as_of);
  const node = el("span", {
    class: "sla",
    "data-testid": "sla-timer",
    "data-kind": cur.kind,
    "data-due": Date.parse(cur.due_at) + skew,
    "data-warn": Date.parse(cur.warn_at) + skew,
    "data-recorded": cur.breached_at ? "true" : "",
    "data-breaches": sla.breaches,
    title: t("sla.title", { tier: tierName(sla.tier), due: formatTime(cur.due_at) }),
  });
  update(node, Date.now());
  return node;
}

/** A tier's name in the page's language: the default tiers are translated, others shown as named. */
export const tierName = (name) => (name ? tOr(`sla.tier.${name}`, name) : "—");

/** Shows a conversation's SLA inside node (the context card's field), replacing what was there. */
export function mountSLA(node, sla) {
  if (!node) return;
  const timer = slaTimer(sla);
  if (timer) node.replaceChildren(timer);
  else node.textContent = sla ? t("sla.met") : t("common.none");
}

function update(node, now) {
  const due = Number(node.dataset.due);
  const warn = Number(node.dataset.warn);
  const which = node.dataset.kind === "next_response" ? "next" : "first";
  let state = "ok";
  if (now >= due || node.dataset.recorded) state = "breached";
  else if (now >= warn) state = "warn";
  if (node.dataset.state !== state) node.dataset.state = state;
  const text = state === "breached"
    ? t(`sla.${which}_over`, { time: formatDuration(Math.max(0, now - due)) })
    : t(`sla.${which}_due`, { time: formatDuration(due - now) });
  if (node.textContent !== text) node.textContent = text;
}

/** Advances every timer on the page; runs once a second on its own. */
export function tickSLA() {
  const now = Date.now();
  for (const node of document.querySelectorAll(SELECTOR)) update(node, now);
}

setInterval(tickSLA, 1000);
