// The agent's presence in the top bar of every workbench page: Online (the router offers them
// chats), Away or Offline. It is the server's presence (POST /api/v1/agent/presence), so it
// survives a reload and shows on the supervisor's board; the agent WebSocket that notify.js keeps
// open is the heartbeat. It reads the presence again when the page comes back into view, since
// the router marks away an agent whose workbench went silent.

import { el, say } from "baton/dom.js";
import { t } from "baton/strings.js";
import { api } from "baton/api.js";

const PRESENCES = ["online", "away", "offline"];
const root = document.querySelector(".topbar__end");

const dot = el("span", { class: "presence-dot", "aria-hidden": "true" });
const select = el(
  "select",
  { class: "presence__select", "data-testid": "presence-select", "aria-label": t("presence.label"), disabled: true },
  ...PRESENCES.map((p) => el("option", { value: p, text: t(`presence.${p}`) })),
);
const status = el("span", { class: "visually-hidden", role: "status", "data-testid": "presence-status" });
const widget = el("label", { class: "presence", "data-testid": "presence-control", title: t("presence.hint") }, dot, select, status);
root?.prepend(widget);

function show(presence) {
  if (!PRESENCES.includes(presence)) presence = "offline";
  select.value = presence;
  select.disabled = false;
  widget.dataset.presence = presence;
  dot.className = `presence-dot presence-dot--${presence}`;
}

async function load() {
  try {
    const { profile } = await api("GET", "/api/v1/agent/profile");
    show(profile.presence);
  } catch {
    // the next visit or change tries again
  }
}

select.addEventListener("change", async () => {
  const want = select.value;
  select.disabled = true;
  try {
    const { profile } = await api("POST", "/api/v1/agent/presence", { presence: want });
    show(profile.presence);
    say(status, t("presence.now", { presence: t(`presence.${profile.presence}`) }));
    document.dispatchEvent(new CustomEvent("baton:presence", { detail: profile.presence }));
  } catch (err) {
    say(status, t("common.error", { error: err.message || String(err) }));
    await load();
  }
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") load();
});
load();
