// The agent's notifications on every workbench page: a bell in the top bar with the unread count
// and the list (a colleague's @mention, a conversation transferred to you), kept live over the
// agent's own WebSocket, which also reports conversations newly assigned to them. New ones can
// play a sound and show a desktop notification (asked for on a click, as browsers require);
// both are switched in the bell's panel and remembered in this browser.
//
// Other modules hear of the agent's conversations through document events:
//   baton:mine-changed   the list of held conversations or their unread counts changed
//   baton:assigned       {detail: conversation} a conversation became theirs

import { el, say, seg } from "baton/dom.js";
import { t, formatTime } from "baton/strings.js";
import { connectLive } from "baton/live.js";
import { api } from "baton/api.js";

const SETTINGS_KEY = "baton.alerts";
const DEDUPE_MS = 15000; // a transfer arrives as a notification and as an assignment: alert once

const root = document.querySelector(".topbar__end");
const settings = loadSettings();
const desktopSupported = "Notification" in window;

// The widget.
const badge = el("span", { class: "notify__badge", "data-testid": "notifications-badge", hidden: true });
const bell = el(
  "button",
  {
    type: "button",
    class: "btn btn--small btn--ghost notify__bell",
    "data-testid": "notifications-button",
    "aria-haspopup": "true",
    "aria-expanded": "false",
    "aria-label": t("notify.title"),
    title: t("notify.title"),
  },
  bellIcon(),
  badge,
);
const list = el("ul", { class: "notify__list", "data-testid": "notifications-list" });
const readAll = el("button", { type: "button", class: "btn btn--small btn--ghost", "data-testid": "notifications-read-all", text: t("notify.read_all") });
const soundBox = el("input", { type: "checkbox", "data-testid": "alert-sound" });
const desktopBox = el("input", { type: "checkbox", "data-testid": "alert-desktop" });
const desktopState = el("p", { class: "muted notify__state", "data-testid": "alert-desktop-state", hidden: true });
const panel = el(
  "div",
  { class: "notify__panel", "data-testid": "notifications-panel", role: "dialog", "aria-label": t("notify.title"), hidden: true },
  el("div", { class: "notify__head" }, el("strong", { text: t("notify.title") }), readAll),
  list,
  el(
    "fieldset",
    { class: "notify__settings" },
    el("legend", { text: t("notify.settings") }),
    el("label", {}, soundBox, " ", t("notify.sound")),
    el("label", {}, desktopBox, " ", t("notify.desktop")),
    desktopState,
  ),
);
const announcer = el("p", { class: "visually-hidden", role: "status", "data-testid": "notify-announce" });
// The visible side of an alert: a card in the corner for a chat offered or assigned to the agent,
// a mention or a transfer, with a link to act on it; it goes by itself after a while. The queue
// page needs none: its "My conversations" shows the offer with Accept and Decline.
const toast = el("div", { class: "notify__toast", "data-testid": "alert-toast", hidden: true });
document.body.append(toast);
const widget = el("div", { class: "notify", "data-testid": "notifications" }, bell, panel, announcer);
root?.prepend(widget);

let unread = 0;
let items = [];

function bellIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "18");
  svg.setAttribute("height", "18");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", "M12 3a6 6 0 0 0-6 6v3.5L4.5 16v1h15v-1L18 12.5V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0");
  path.setAttribute("fill", "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "1.8");
  path.setAttribute("stroke-linejoin", "round");
  svg.append(path);
  return svg;
}

function setUnread(n) {
  unread = Math.max(0, Number(n) || 0);
  badge.textContent = unread > 99 ? "99+" : String(unread);
  badge.hidden = unread === 0;
  bell.setAttribute("aria-label", unread ? t("notify.open", { n: unread }) : t("notify.title"));
  widget.dataset.unread = String(unread);
}

// A ticket's notification opens the ticket; the others open their conversation.
const hrefOf = (n) => (n.ticket_id ? `/workbench/tickets/${seg(n.ticket_id)}` : `/workbench/conversations/${seg(n.conversation_id)}`);

function describe(n) {
  const actor = n.actor?.name || t("timeline.someone");
  if (n.kind === "ticket_escalated") return t("notify.ticket_escalated", { number: n.ticket_number });
  if (n.kind === "ticket_assigned") return t("notify.ticket_assigned", { actor, number: n.ticket_number });
  return n.kind === "transfer" ? t("notify.transfer", { actor }) : t("notify.mention", { actor });
}

function renderList() {
  if (!items.length) {
    list.replaceChildren(el("li", { class: "notify__empty", text: t("notify.empty") }));
    return;
  }
  list.replaceChildren(
    ...items.map((n) =>
      el(
        "li",
        {},
        el(
          "a",
          {
            class: `notify__item${n.read_at ? "" : " notify__item--unread"}`,
            href: hrefOf(n),
            "data-testid": "notification",
            "data-kind": n.kind,
            "data-read": n.read_at ? "true" : "false",
            onclick: (ev) => openNotification(ev, n),
          },
          el("span", { class: "notify__what", text: describe(n) }),
          n.customer_name ? el("span", { class: "notify__meta", text: t("notify.customer", { name: n.customer_name }) }) : null,
          n.text ? el("span", { class: "notify__text", "data-testid": "notification-text", text: n.text }) : null,
          el("time", { class: "notify__meta", datetime: n.created_at, text: formatTime(n.created_at) }),
        ),
      ),
    ),
  );
}

async function load() {
  try {
    const data = await api("GET", "/api/v1/notifications?limit=20");
    items = data.notifications ?? [];
    setUnread(data.unread);
    renderList();
  } catch {
    // the socket's next frame tries again
  }
}

// Opening a notification marks it read, then follows its link.
async function openNotification(ev, n) {
  if (n.read_at || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
  ev.preventDefault();
  const href = ev.currentTarget.href;
  try {
    const data = await api("POST", `/api/v1/notifications/${seg(n.id)}/read`);
    setUnread(data.unread);
  } catch {
    // reading it is what matters; the mark is retried when the conversation opens
  }
  location.assign(href);
}

function togglePanel(open = panel.hidden) {
  panel.hidden = !open;
  bell.setAttribute("aria-expanded", String(open));
  if (open) load();
}

bell.addEventListener("click", () => togglePanel());
document.addEventListener("click", (ev) => {
  if (!panel.hidden && !widget.contains(ev.target)) togglePanel(false);
});
document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape" && !panel.hidden) {
    togglePanel(false);
    bell.focus();
  }
});
readAll.addEventListener("click", async () => {
  try {
    const data = await api("POST", "/api/v1/notifications/read-all");
    setUnread(data.unread);
    load();
  } catch {
    // nothing changed; the button can be pressed again
  }
});

// Alert settings.
function loadSettings() {
  try {
    const s = JSON.parse(localStorage.getItem(SETTINGS_KEY) || "null");
    if (s && typeof s === "object") return { sound: s.sound !== false, desktop: s.desktop === true };
  } catch {
    // unreadable: defaults
  }
  return { sound: true, desktop: false };
}

function saveSettings() {
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
}

function showDesktopState() {
  let text = "";
  if (!desktopSupported) text = t("notify.desktop_unsupported");
  else if (settings.desktop && Notification.permission === "denied") text = t("notify.desktop_denied");
  say(desktopState, text);
  desktopBox.disabled = !desktopSupported;
  desktopBox.checked = desktopSupported && settings.desktop && Notification.permission !== "denied";
}

soundBox.checked = settings.sound;
soundBox.addEventListener("change", () => {
  settings.sound = soundBox.checked;
  saveSettings();
  if (settings.sound) unlockAudio();
});
desktopBox.addEventListener("change", async () => {
  settings.desktop = desktopBox.checked;
  // Browsers ask for permission only from a user gesture: this change is one.
  if (settings.desktop && desktopSupported && Notification.permission === "default") {
    try {
      await Notification.requestPermission();
    } catch {
      // an old browser's callback form: the permission shows on the next change
    }
  }
  saveSettings();
  showDesktopState();
});
showDesktopState();

// Sound: two short tones from Web Audio (no file to fetch). Browsers let a page play sound only
// after the person interacted with it, so the audio context starts on the first click or key.
let audio = null;
function unlockAudio() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  if (!audio) audio = new Ctx();
  if (audio.state === "suspended") audio.resume().catch(() => {});
}
document.addEventListener("pointerdown", unlockAudio, { once: true, capture: true });
document.addEventListener("keydown", unlockAudio, { once: true, capture: true });

function chime() {
  if (!settings.sound || !audio) return;
  const start = audio.currentTime + 0.01;
  [880, 1320].forEach((freq, i) => {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + i * 0.15);
    gain.gain.exponentialRampToValueAtTime(0.12, start + i * 0.15 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.15 + 0.14);
    osc.connect(gain).connect(audio.destination);
    osc.start(start + i * 0.15);
    osc.stop(start + i * 0.15 + 0.15);
  });
}

function desktop(title, body, convID, href = `/workbench/conversations/${seg(convID)}`) {
  if (!settings.desktop || !desktopSupported || Notification.permission !== "granted") return;
  try {
    const n = new Notification(title, { body, tag: `baton-${convID}`, lang: document.documentElement.lang });
    n.onclick = () => {
      window.focus();
      location.assign(href);
      n.close();
    };
  } catch {
    // some platforms allow notifications only from a service worker: the sound and badge remain
  }
}

const alerted = new Map(); // conversation id → when it last alerted

const TOAST_MS = 12000;
const onQueuePage = location.pathname === "/workbench" || location.pathname === "/workbench/";
let toastTimer = 0;
function hideToast() {
  clearTimeout(toastTimer);
  toast.hidden = true;
  toast.replaceChildren();
}

/** Shows title and body in the corner card, with link {href, text} to act on it. */
function showToast(title, body, link) {
  toast.replaceChildren(
    el("strong", { class: "notify__toast-title", "data-testid": "alert-toast-title", text: title }),
    body ? el("span", { class: "notify__toast-text", "data-testid": "alert-toast-text", text: body }) : null,
    el(
      "span",
      { class: "notify__toast-actions" },
      el("a", { class: "btn btn--small btn--primary", href: link.href, "data-testid": "alert-toast-link", text: link.text }),
      el("button", { type: "button", class: "btn btn--small btn--ghost", "data-testid": "alert-toast-close", text: t("notify.toast_dismiss"), onclick: hideToast }),
    ),
  );
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(hideToast, TOAST_MS);
}

function alertOnce(convID, title, body, link = { href: `/workbench/conversations/${seg(convID)}`, text: t("notify.toast_open") }) {
  const now = Date.now();
  for (const [id, at] of alerted) if (now - at > DEDUPE_MS) alerted.delete(id);
  if (alerted.has(convID)) return;
  alerted.set(convID, now);
  say(announcer, body ? `${title}: ${body}` : title);
  if (!onQueuePage) showToast(title, body, link);
  chime();
  // The conversation already open and in view needs no desktop notification.
  const here = location.pathname === `/workbench/conversations/${convID}` && document.visibilityState === "visible";
  if (!here) desktop(title, body, convID, link.href);
}

const emit = (name, detail) => document.dispatchEvent(new CustomEvent(name, { detail }));

connectLive("/api/v1/agent/ws", {
  onState(state) {
    if (state === "live") load();
  },
  onFrame(frame) {
    switch (frame.type) {
      case "ready":
      case "notifications":
        setUnread(frame.unread_notifications);
        if (!panel.hidden) load();
        break;
      case "notification": {
        const n = frame.notification;
        setUnread(frame.unread_notifications);
        items = [n, ...items.filter((x) => x.id !== n.id)].slice(0, 20);
        renderList();
        if (n.ticket_id) {
          alertOnce(`ticket-${n.ticket_id}`, describe(n), n.text || "", { href: hrefOf(n), text: t("notify.toast_open") });
        } else {
          alertOnce(n.conversation_id, describe(n), n.text || (n.customer_name ? t("notify.customer", { name: n.customer_name }) : ""));
        }
        break;
      }
      case "assigned": {
        const c = frame.conversation;
        const customer = c.customer_name || t("mine.anonymous");
        // An offer is accepted or declined in "My conversations"; opening the chat would accept it.
        if (c.offered) {
          alertOnce(c.conversation_id, t("notify.offered", { customer }), c.question || c.message || "", { href: "/workbench", text: t("notify.toast_offer") });
        } else {
          alertOnce(c.conversation_id, t("notify.assigned", { customer }), c.question || c.message || "");
        }
        emit("baton:assigned", c);
        break;
      }
      case "mine_changed":
        emit("baton:mine-changed");
        break;
    }
  },
});
