// One conversation for an agent: the context card from the handoff, the live transcript over the
// conversation WebSocket, and Claim / reply / Resolve.

import { $, say, seg } from "baton/dom.js";
import { t, tOr } from "baton/strings.js";
import { connectLive } from "baton/live.js";
import { Transcript } from "baton/transcript.js";
import { api } from "baton/api.js";
import { channelName, languageName, liveIndicator, showError } from "baton/ui.js";
import { mountSLA } from "baton/sla-timers.js";
import { contextExtras } from "baton/context-card.js";
import { cannedMenu } from "baton/canned.js";
import { wrapUp } from "baton/wrapup.js";
import { showHits, clearHits } from "baton/compliance-hits.js";
import "baton/collab.js"; // notes, transfer, typing, read marks: follows baton:conversation and baton:frame
import "baton/csat-card.js"; // the customer's rating: follows baton:conversation and baton:frame

const page = $("#page").dataset;
const convID = page.conversationId;
const me = Number(page.userId);
const base = `/api/v1/conversations/${seg(convID)}`;

const ui = {
  card: $('[data-testid="context-card"]'),
  status: $('[data-testid="conversation-status"]'),
  noHandoff: $("#no-handoff"),
  claim: $('[data-testid="claim-button"]'),
  resolve: $('[data-testid="resolve-button"]'),
  notice: $("#conv-notice"),
  error: $("#conv-error"),
  list: $('[data-testid="transcript"]'),
  scroll: $(".transcript-scroll"),
  live: $('[data-testid="live-state"]'),
  form: $("#reply-form"),
  input: $('[data-testid="reply-input"]'),
  send: $('[data-testid="reply-send"]'),
  replyError: $("#reply-error"),
  hits: $("#compliance-hits"),
  locked: $("#reply-locked"),
};

const transcript = new Transcript(ui.list, { viewer: "agent", scroller: ui.scroll, showScores: true });
let conv = null;
const replyNotice = $('[data-testid="reply-notice"]');
const extras = contextExtras({ convID, input: ui.input, form: ui.form, notice: replyNotice });
cannedMenu({ convID, input: ui.input, form: ui.form, menu: $('[data-testid="canned-menu"]'), notice: replyNotice, language: () => conv?.language });

function field(name, value) {
  const node = ui.card.querySelector(`[data-field="${name}"]`);
  if (node) node.textContent = value || t("common.none");
}

function showContext({ conversation, customer, handoff, sla }) {
  mountSLA(ui.card.querySelector('[data-field="sla"]'), sla);
  field("customer_name", customer?.name);
  field("customer_email", customer?.email);
  field("vip_tier", customer?.vip_tier);
  field("language", languageName(handoff?.language || conversation?.language || customer?.language));
  field("channel", channelName(conversation?.channel));
  field("reason", handoff ? tOr(`reason.${handoff.reason}`, handoff.reason) : "");
  field("skill", handoff?.skill);
  field("question", handoff?.question || handoff?.context?.question || handoff?.context?.message);
  ui.noHandoff.hidden = Boolean(handoff);
  if (customer?.name) transcript.labels.customer = customer.name;
  setConversation(conversation);
  extras.show({ conversation, customer, handoff });
}

function setConversation(c) {
  if (!c) return;
  const ended = conv && conv.status !== c.status && ["resolved", "closed"].includes(c.status);
  conv = c;
  if (ended) loadContext(); // the SLA clock stops at the resolution: show it as it ended
  const mine = c.status === "assigned" && c.assigned_agent_id === me;
  ui.status.textContent = tOr(`status.${c.status}`, c.status);
  ui.status.className = `badge badge--${c.status}`;
  ui.status.dataset.status = c.status;
  ui.claim.hidden = c.status !== "queued";
  ui.resolve.hidden = !mine;
  ui.form.hidden = !mine;
  ui.locked.hidden = mine || c.status === "resolved";
  ui.locked.textContent = c.status === "assigned" ? t("conv.held_by_other") : t("conv.reply_locked");
  document.dispatchEvent(new CustomEvent("baton:conversation", { detail: c }));
}

async function loadContext() {
  try {
    showContext(await api("GET", `${base}/context`));
    showError(ui.error, null);
  } catch (err) {
    showError(ui.error, err);
  }
}

ui.claim.addEventListener("click", async () => {
  ui.claim.disabled = true;
  say(ui.notice, "");
  try {
    const { conversation } = await api("POST", `${base}/claim`);
    setConversation(conversation);
    ui.input.focus();
  } catch (err) {
    if (err.status === 409) say(ui.notice, t("queue.taken"));
    else showError(ui.error, err);
    loadContext();
  } finally {
    ui.claim.disabled = false;
  }
});

ui.resolve.addEventListener("click", async () => {
  ui.resolve.disabled = true;
  try {
    const data = await wrapUp(base); // asks for the disposition and note, then resolves
    if (!data) return;
    setConversation(data.conversation);
    say(ui.notice, data.suggestion_created ? t("conv.resolved_suggestion") : t("conv.resolved"));
  } catch (err) {
    showError(ui.error, err);
  } finally {
    ui.resolve.disabled = false;
  }
});

// Sends text; confirm acknowledges the compliance warnings shown for it. A reply compliance holds
// back (422 blocked, 409 warned) stays in the box with its phrases marked.
async function sendReply(text, confirm = false) {
  ui.send.disabled = true;
  say(ui.replyError, "");
  try {
    const { message } = await api("POST", `${base}/agent-messages`, confirm ? { text, confirm } : { text });
    transcript.add(message);
    clearHits(ui.hits);
    if (ui.input.value.trim() === text) ui.input.value = "";
  } catch (err) {
    const hits = err.data?.hits;
    if ((err.status === 422 || err.status === 409) && Array.isArray(hits) && hits.length) {
      const blocked = err.status === 422;
      showHits(ui.hits, { text, hits, blocked, input: ui.input, onSendAnyway: blocked ? null : () => sendReply(text, true) });
      return;
    }
    say(ui.replyError, t("conv.error.send", { error: err.message }));
  } finally {
    ui.send.disabled = false;
    if (ui.hits.hidden) ui.input.focus();
  }
}

ui.form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const text = ui.input.value.trim();
  if (!text || ui.send.disabled) return;
  clearHits(ui.hits);
  await sendReply(text);
});

ui.input.addEventListener("keydown", (ev) => {
  // Enter sends; Shift+Enter is a newline; Enter that ends an IME composition is neither.
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
    ev.preventDefault();
    ui.form.requestSubmit();
  }
});

const showLive = liveIndicator(ui.live);
const connect = () => connectLive(`${base}/ws`, {
  after: () => transcript.lastSeq,
  onState(state) {
    showLive(state);
    if (state === "refused") showError(ui.error, new Error(t("notfound.title")));
  },
  onFrame(frame) {
    document.dispatchEvent(new CustomEvent("baton:frame", { detail: frame }));
    if (frame.type === "message") {
      if (transcript.add(frame.message)) extras.message(frame.message);
      if (["agent", "customer"].includes(frame.message?.sender)) slaSoon(); // a reply stops the clock, a question starts one
    } else if (frame.type === "ready" || frame.type === "conversation") {
      const changed = conv && frame.conversation && conv.status !== frame.conversation.status;
      setConversation(frame.conversation);
      if (changed) loadContext(); // a new handoff or a claim changes the card too
    }
  },
});

// The SLA timer follows the conversation: re-read it shortly after messages, at most once a second.
let slaTimerID = 0;
function slaSoon() {
  clearTimeout(slaTimerID);
  slaTimerID = setTimeout(async () => {
    try {
      mountSLA(ui.card.querySelector('[data-field="sla"]'), (await api("GET", `${base}/context`)).sla);
    } catch {
      // the next message or page load tries again
    }
  }, 1000);
}

// The card first, so the transcript can label the customer by name.
loadContext().finally(connect);
