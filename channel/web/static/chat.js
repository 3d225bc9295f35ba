// The customer chat widget at /chat: resumes the stored conversation or starts one on the first
// message, and keeps the transcript live over the conversation's WebSocket.

import { $, say } from "baton/dom.js";
import { t, lang } from "baton/strings.js";
import { connectLive } from "baton/live.js";
import { Transcript } from "baton/transcript.js";
import { ChatSession, pageIdentity } from "baton/chat-session.js";
import { wireTyping } from "baton/typing.js";
import { mountRatings } from "baton/csat.js";

const ui = {
  form: $("#chat-form"),
  input: $('[data-testid="chat-input"]'),
  send: $('[data-testid="chat-send"]'),
  handoff: $('[data-testid="handoff-button"]'),
  list: $('[data-testid="chat-messages"]'),
  scroll: $(".chat__scroll"),
  welcome: $("#chat-welcome"),
  status: $('[data-testid="chat-status"]'),
  queue: $('[data-testid="chat-queue"]'),
  connection: $('[data-testid="chat-connection"]'),
  error: $('[data-testid="chat-error"]'),
  newLink: $('[data-testid="new-conversation"]'),
  csat: $('[data-testid="csat"]'),
  rate: $('[data-testid="rate-button"]'),
};

// A site's accent colour, passed by the embed script (?color=#rrggbb).
const accent = new URLSearchParams(location.search).get("color");
if (/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(accent ?? "")) {
  document.documentElement.style.setProperty("--accent", accent);
  document.documentElement.style.setProperty("--accent-hover", accent);
}

// Framed by the embed script (widget.js): Escape inside the chat asks the host page to close the
// panel, as Escape on the host page does. Only the message's name crosses; nothing of the chat.
if (new URLSearchParams(location.search).get("embed") === "1" && window.parent !== window) {
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") window.parent.postMessage({ baton: "close" }, "*");
  });
}

const session = new ChatSession(lang, pageIdentity());
const transcript = new Transcript(ui.list, {
  viewer: "customer",
  labels: { customer: t("sender.you") },
  scroller: ui.scroll,
});
transcript.onChange = () => (ui.welcome.hidden = transcript.size > 0);

// The satisfaction rating: asked for under the transcript once a person resolved the conversation
// or a linked ticket was solved; a bot-only conversation offers a "Rate this conversation" button.
const ratings = mountRatings({
  root: ui.csat,
  button: ui.rate,
  session,
  onShow: () => transcript.scrollToEnd(),
});

/** Adds a message to the transcript; live: it just arrived (not history read on load). */
function addMessage(m, live = true) {
  if (transcript.add(m)) ratings.message(m, live);
}

// Whatever takes room from the transcript (the queue banner, a connection notice, an error, a
// taller input box) keeps the latest message in view when it was in view.
let pinned = true;
ui.scroll.addEventListener("scroll", () => (pinned = transcript.nearBottom()), { passive: true });
new ResizeObserver(() => {
  if (pinned) transcript.scrollToEnd();
}).observe(ui.scroll);

let live = null;
let busy = false;
let conv = null;
let queue = null; // where the customer stands while waiting for a person, else null

// The agent sees "the customer is typing…" once there is a conversation; the customer sees theirs.
const typing = wireTyping({
  input: ui.input,
  after: ui.scroll,
  watch: "agent",
  post: (on) =>
    session.id &&
    ["queued", "assigned"].includes(ui.status.dataset.status) &&
    session.call("POST", `/api/v1/conversations/${encodeURIComponent(session.id)}/typing`, { typing: on }),
});

function setConversation(c) {
  if (!c) return;
  conv = c;
  ui.status.dataset.status = c.status;
  // Assigned while the last word was a place in the queue: the agent has yet to accept the offer.
  const offered = c.status === "assigned" && queue !== null;
  ui.status.textContent = t(offered ? "chat.status.offered" : `chat.status.${c.status}`);
  // Asking again while a person is coming or here would only add noise.
  ui.handoff.disabled = c.status === "queued" || c.status === "assigned";
  if (c.status !== "queued" && c.status !== "assigned") setQueue(null);
  ratings.status(c);
}

/** "about 2 minutes" for an estimate in seconds. */
function waitText(secs) {
  if (secs < 60) return t("chat.queue.wait_under_min");
  const minutes = Math.round(secs / 60);
  return minutes <= 1 ? t("chat.queue.wait_one") : t("chat.queue.wait_minutes", { minutes });
}

/** When the team is back, in the customer's own time zone ("Mon 09:00"). */
function backAt(iso) {
  const d = new Date(iso);
  const opts = { weekday: "short", hour: "2-digit", minute: "2-digit" };
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleString(lang === "zh" ? "zh-CN" : "en", opts);
}

/** Shows the customer's place in the queue (q from the API or a "queue" frame; null hides it). */
function setQueue(q) {
  queue = q ?? null;
  const box = ui.queue;
  if (!queue) {
    box.hidden = true;
    box.textContent = "";
    delete box.dataset.state;
    if (conv?.status === "assigned") ui.status.textContent = t("chat.status.assigned");
    return;
  }
  let state;
  let text;
  if (queue.offered) {
    state = "offered";
    text = t("chat.queue.offered");
  } else if (!queue.open && queue.agents_online === 0 && queue.opens_at) {
    state = "closed";
    text = t("chat.queue.closed", { when: backAt(queue.opens_at) });
  } else if (queue.estimated_wait_seconds === null || queue.estimated_wait_seconds === undefined) {
    state = "no-agents";
    text = t("chat.queue.no_agents", { position: queue.position });
  } else {
    state = "waiting";
    text = t("chat.queue.position", { position: queue.position, wait: waitText(queue.estimated_wait_seconds) });
  }
  box.dataset.state = state;
  box.dataset.position = String(queue.position);
  box.dataset.wait = String(queue.estimated_wait_seconds ?? "");
  box.textContent = text;
  box.hidden = false;
  if (conv) setConversation(conv);
}

async function refreshStatus() {
  try {
    const { conversation, queue: q } = await session.state();
    setQueue(q);
    setConversation(conversation);
  } catch {
    // the socket will tell us
  }
}

function openLive() {
  live?.close();
  live = connectLive(`/api/v1/conversations/${encodeURIComponent(session.id)}/ws`, {
    after: () => transcript.lastSeq,
    hello: () => ({ type: "auth", token: session.token }),
    onState(state) {
      ui.connection.hidden = state !== "offline";
      // The server refuses this token or conversation for good: the next message starts a new one.
      if (state === "refused") session.forget();
    },
    onFrame(frame) {
      typing.frame(frame);
      if (frame.type === "ready" || frame.type === "conversation") {
        if ("queue" in frame) setQueue(frame.queue);
        setConversation(frame.conversation);
      } else if (frame.type === "queue") setQueue(frame.queue);
      else if (frame.type === "message") addMessage(frame.message);
      else ratings.frame(frame);
    },
  });
}

function setBusy(on) {
  busy = on;
  ui.send.disabled = on;
  ui.send.textContent = on ? t("chat.sending") : t("chat.send");
}

/** Sends text; returns whether it was delivered. On failure the error shows and nothing is lost. */
async function send(text) {
  text = text.trim();
  if (!text || busy) return false;
  setBusy(true);
  say(ui.error, "");
  try {
    let result;
    try {
      result = await session.send(text);
    } catch (err) {
      // The stored conversation is gone (expired token, deleted): start a new one once.
      if (![401, 403, 404].includes(err.status) || !session.id) throw err;
      session.forget();
      result = await session.send(text);
    }
    if (result.created) {
      transcript.clear();
      setConversation(result.created);
      openLive();
    }
    addMessage(result.message);
    result.replies.forEach((m) => addMessage(m));
    refreshStatus(); // a message can hand the conversation over; show it even before the socket says so
    return true;
  } catch (err) {
    say(ui.error, err.status === 429 ? t("chat.error.too_many") : t("chat.error.send"));
    return false;
  } finally {
    setBusy(false);
  }
}

ui.form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const text = ui.input.value;
  typing.sent();
  if (await send(text)) {
    if (ui.input.value === text) ui.input.value = "";
    autosize();
  }
  ui.input.focus();
});

ui.input.addEventListener("keydown", (ev) => {
  // Enter sends; Shift+Enter is a newline; Enter that ends an IME composition (pinyin) is neither.
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
    ev.preventDefault();
    ui.form.requestSubmit();
  }
});

function autosize() {
  ui.input.style.height = "auto";
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 160)}px`;
}
ui.input.addEventListener("input", autosize);

ui.handoff.addEventListener("click", () => send(t("chat.handoff_text")));

ui.newLink.addEventListener("click", () => {
  live?.close();
  session.forget(); // then follow the link: a fresh page, no conversation
});

async function init() {
  if (!session.id) return;
  try {
    const resumed = await session.resume();
    // The customer switched the page's language: what Baton says from now on follows it.
    if (resumed.conversation.language && resumed.conversation.language !== lang) {
      session.setLanguage().catch(() => {});
    }
    setQueue(resumed.queue);
    setConversation(resumed.conversation);
    resumed.messages.forEach((m) => addMessage(m, false));
    transcript.scrollToEnd();
    openLive();
    ratings.refresh();
  } catch (err) {
    // A network failure keeps the stored conversation for the next try; a gone one starts afresh.
    if (session.id) say(ui.error, t("common.error", { error: err.message }));
  }
}

init();
