// Working together on one conversation (imported by conversation.js): the Reply / Internal note
// composer, notes, transfers and wrap-ups shown in the transcript, the Transfer button, the
// customer's typing, and read marks (unread counts). It follows the page through the events
// conversation.js sends: baton:conversation (the conversation changed) and baton:frame (every
// frame of the conversation's socket).

import { $, el, say, seg } from "baton/dom.js";
import { t } from "baton/strings.js";
import { api } from "baton/api.js";
import { wireTyping } from "baton/typing.js";
import { NoteComposer, TimelineView } from "baton/notes.js";
import { transfer } from "baton/transfer.js";

const page = $("#page").dataset;
const base = `/api/v1/conversations/${seg(page.conversationId)}`;
const me = Number(page.userId);
const ui = {
  panel: $(".panel--transcript"),
  scroll: $(".transcript-scroll"),
  list: $('[data-testid="transcript"]'),
  replyForm: $("#reply-form"),
  replyInput: $('[data-testid="reply-input"]'),
  locked: $("#reply-locked"),
  resolve: $('[data-testid="resolve-button"]'),
  notice: $("#conv-notice"),
  error: $("#conv-error"),
};
let mine = false;

// The transcript shows the staff side too.
const timeline = new TimelineView(ui.list, base);
const refreshTimeline = () => timeline.refresh().catch(() => {});

// Reply to the customer, or write a note only colleagues see.
const composer = new NoteComposer({ base, me, onSaved: (note) => timeline.insert(note) });
const tab = (mode, label) =>
  el("button", { type: "button", role: "tab", class: "compose-tabs__tab", "data-testid": `compose-${mode}`, text: label, onclick: () => setMode(mode, true) });
const tabs = { reply: tab("reply", t("compose.reply")), note: tab("note", t("compose.note")) };
ui.replyForm.before(el("div", { class: "compose-tabs", role: "tablist", "aria-label": t("conv.reply_label") }, tabs.reply, tabs.note));
ui.locked.after(composer.node);

function setMode(mode, focus = false) {
  ui.panel.dataset.compose = mode;
  for (const [m, node] of Object.entries(tabs)) node.setAttribute("aria-selected", String(m === mode));
  if (!focus) return;
  if (mode === "note") composer.input.focus();
  else if (!ui.replyForm.hidden) ui.replyInput.focus();
}
setMode("reply");

// The customer sees "the agent is typing…" while the holder writes a reply; the agent sees theirs.
const typing = wireTyping({
  input: ui.replyInput,
  after: ui.scroll,
  watch: "customer",
  post: (on) => mine && api("POST", `${base}/typing`, { typing: on }),
});
ui.replyForm.addEventListener("submit", () => typing.sent(), true);

// Transfer, next to Resolve, for the holder.
const transferButton = el("button", { type: "button", class: "btn", "data-testid": "transfer-button", text: t("transfer.button"), hidden: true });
ui.resolve.after(transferButton);
transferButton.addEventListener("click", async () => {
  transferButton.disabled = true;
  say(ui.notice, "");
  try {
    const done = await transfer(base);
    if (!done) return;
    say(ui.notice, done.kind === "agent" ? t("transfer.done_agent", { name: done.target }) : t("transfer.done_team", { skill: done.target }));
    refreshTimeline();
  } finally {
    transferButton.disabled = false;
  }
});

// Read marks: what the agent has seen while the page is in view.
let lastSeq = 0;
let readSeq = 0;
let readTimer = 0;
function markRead(force = false) {
  clearTimeout(readTimer);
  readTimer = setTimeout(async () => {
    if (document.visibilityState !== "visible" || (lastSeq <= readSeq && !force)) return;
    const seq = lastSeq;
    try {
      const data = await api("POST", `${base}/read`, { seq });
      readSeq = Math.max(readSeq, data.last_read_seq ?? seq);
    } catch {
      // the next message or visit marks it again
    }
  }, 400);
}
document.addEventListener("visibilitychange", () => markRead());

document.addEventListener("baton:conversation", (ev) => {
  const c = ev.detail;
  mine = c.status === "assigned" && c.assigned_agent_id === me;
  transferButton.hidden = !mine;
  if (!mine) typing.stop();
});

document.addEventListener("baton:frame", (ev) => {
  const frame = ev.detail;
  typing.frame(frame);
  if (frame.type === "message") {
    lastSeq = Math.max(lastSeq, frame.message.seq);
    markRead();
  } else if (frame.type === "ready") {
    lastSeq = Math.max(lastSeq, frame.conversation?.last_seq ?? 0);
    markRead();
    refreshTimeline(); // first load, or whatever was noted while the socket was down
  } else if (frame.type === "timeline") {
    refreshTimeline();
    markRead(true); // a mention of the agent here is read by being here
  }
});

timeline.refresh().catch((err) => say(ui.error, t("common.error", { error: err.message })));
