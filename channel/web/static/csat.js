// The customer's satisfaction rating in the chat: a card under the transcript asks "How would you
// rate this conversation?" once a person resolved it, and "How did we do on ticket T…?" when a
// ticket linked to it is solved (a ticket_solved system message). A conversation only the bot
// answered gets a "Rate this conversation" button instead — a customer who got their answer from
// the bot just leaves, so nothing pops up unasked — and the card opens by itself when they thank
// the bot or say goodbye. Scores are five radio buttons (arrow keys move between them), with an
// optional comment; after sending, a thank-you shows the rating and "Change" while it may be.

import { el, seg } from "baton/dom.js";
import { t } from "baton/strings.js";

/** Intents after which a bot-only conversation asks for its rating unprompted. */
const closingIntents = new Set(["thanks", "goodbye"]);

let cardSeq = 0;

/**
 * mountRatings({root, button, session, onShow}) wires the rating cards into root (a section under
 * the transcript) and the bot-only button. Returns {refresh, status(conv), message(msg, live), frame(f)}.
 */
export function mountRatings({ root, button, session, onShow = () => {} }) {
  let state = null; // the last GET /rating answer
  let conv = null;
  let opened = false; // the customer asked to rate a bot-only conversation (or thanked the bot)
  let botSpoke = false;
  let personSpoke = false;
  const editing = new Set(); // keys of cards showing the form again after "Change"
  const drafts = new Map(); // key → {score, comment} being edited, kept across re-renders

  const path = () => `/api/v1/conversations/${seg(session.id)}/rating`;
  const keyOf = (ask) => (ask.ticket_id ? `t${ask.ticket_id}` : "c");

  async function refresh() {
    if (!session.id) return;
    try {
      state = await session.call("GET", path());
    } catch {
      return; // the next status change or message tries again
    }
    render();
  }

  /** Whether the conversation's own card shows now. */
  function showConversation(ask) {
    if (ask.rating) return ask.can_change || editing.has("c");
    if (!ask.can_rate) return false;
    return !ask.by_bot || opened || conv?.status === "resolved";
  }

  function render() {
    const asks = [];
    if (state && showConversation(state.conversation)) asks.push(state.conversation);
    for (const tk of state?.tickets ?? []) if (tk.can_rate || (tk.rating && tk.can_change)) asks.push(tk);
    const focused = root.contains(document.activeElement) ? document.activeElement?.dataset?.testid : null;
    root.replaceChildren(...asks.map(card));
    root.hidden = asks.length === 0;
    updateButton();
    if (asks.length) onShow();
    if (focused) root.querySelector(`[data-testid="${focused}"]`)?.focus();
  }

  function updateButton() {
    const c = state?.conversation;
    const rated = Boolean(c?.rating);
    const showing = !root.hidden && root.querySelector('[data-ticket=""]');
    button.hidden = !(conv?.status === "bot" && botSpoke && !personSpoke && !rated && !showing);
  }

  function card(ask) {
    const key = keyOf(ask);
    const title = ask.ticket_id
      ? t("csat.ask_ticket", { ticket: `T${ask.ticket_id}`, subject: ask.subject ?? "" })
      : t("csat.ask");
    if (ask.rating && !editing.has(key)) return thanks(ask, key, title);
    return form(ask, key, title);
  }

  function stars(score) {
    return "★".repeat(score) + "☆".repeat(5 - score);
  }

  function thanks(ask, key, title) {
    const r = ask.rating;
    return el(
      "div",
      { class: "csat__card csat__card--done", "data-testid": "csat-card", "data-ticket": ask.ticket_id ?? "" },
      el("p", { class: "csat__title", text: title }),
      el("p", { class: "csat__thanks", "data-testid": "csat-thanks", text: t("csat.thanks") }),
      el(
        "p",
        { class: "csat__given", "data-testid": "csat-given", "data-score": r.score },
        el("span", { class: "csat__stars-text", "aria-hidden": "true", text: stars(r.score) }),
        " ",
        el("span", { text: t("csat.given", { score: r.score }) }),
      ),
      r.comment ? el("p", { class: "csat__comment", "data-testid": "csat-given-comment", text: r.comment }) : null,
      ask.can_change
        ? el("button", {
            type: "button",
            class: "btn btn--small",
            "data-testid": "csat-change",
            text: t("csat.change"),
            onclick: () => {
              editing.add(key);
              drafts.set(key, { score: r.score, comment: r.comment });
              render();
              root.querySelector(`[data-key="${key}"] input:checked`)?.focus();
            },
          })
        : null,
    );
  }

  function form(ask, key, title) {
    const id = `csat-${++cardSeq}`;
    const draft = drafts.get(key) ?? { score: 0, comment: "" };
    drafts.set(key, draft);
    const error = el("p", { class: "csat__error", "data-testid": "csat-error", role: "alert", hidden: true });
    const submit = el("button", {
      type: "submit",
      class: "btn btn--primary btn--small",
      "data-testid": "csat-submit",
      text: ask.rating ? t("csat.save") : t("csat.send"),
      disabled: !draft.score,
    });
    const options = [1, 2, 3, 4, 5].map((n) =>
      el(
        "label",
        { class: "csat__star", "data-testid": `csat-score-${n}`, title: t(`csat.score.${n}`) },
        el("input", {
          type: "radio",
          name: id,
          value: n,
          class: "visually-hidden",
          checked: draft.score === n,
          onchange: () => {
            draft.score = n;
            submit.disabled = false;
            paint();
          },
        }),
        el("span", { "aria-hidden": "true", class: "csat__glyph", text: "★" }),
        el("span", { class: "visually-hidden", text: t("csat.score_label", { score: n, label: t(`csat.score.${n}`) }) }),
      ),
    );
    const hint = el("span", { class: "csat__hint", "data-testid": "csat-hint", "aria-hidden": "true" });
    function paint() {
      options.forEach((o, i) => o.classList.toggle("csat__star--on", i < draft.score));
      hint.textContent = draft.score ? t(`csat.score.${draft.score}`) : "";
    }
    paint();
    const comment = el("textarea", {
      id: `${id}-comment`,
      class: "csat__comment-input",
      "data-testid": "csat-comment",
      rows: 2,
      maxlength: 1000,
      placeholder: t("csat.comment_placeholder"),
      oninput: (ev) => (draft.comment = ev.target.value),
    });
    comment.value = draft.comment;
    const node = el(
      "form",
      { class: "csat__card", "data-testid": "csat-card", "data-key": key, "data-ticket": ask.ticket_id ?? "" },
      el(
        "fieldset",
        { class: "csat__fieldset" },
        el("legend", { class: "csat__title", text: title }),
        el("div", { class: "csat__stars", "data-testid": "csat-stars" }, options, hint),
      ),
      el("label", { class: "csat__label", for: `${id}-comment`, text: t("csat.comment_label") }),
      comment,
      el(
        "div",
        { class: "csat__actions" },
        submit,
        ask.rating
          ? el("button", {
              type: "button",
              class: "btn btn--small btn--ghost",
              "data-testid": "csat-cancel",
              text: t("csat.cancel"),
              onclick: () => {
                editing.delete(key);
                drafts.delete(key);
                render();
              },
            })
          : null,
      ),
      error,
    );
    node.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!draft.score || submit.disabled) return;
      submit.disabled = true;
      error.hidden = true;
      const body = { score: draft.score, comment: draft.comment };
      if (ask.ticket_id) body.ticket_id = ask.ticket_id;
      try {
        state = await session.call("PUT", path(), body);
        editing.delete(key);
        drafts.delete(key);
        render();
        root.querySelector(`[data-testid="csat-thanks"]`)?.focus?.();
      } catch (err) {
        error.textContent = err.status === 409 ? t("csat.error.closed") : t("csat.error.send");
        error.hidden = false;
        submit.disabled = false;
        if (err.status === 409) setTimeout(refresh, 2000);
      }
    });
    return node;
  }

  button.addEventListener("click", async () => {
    opened = true;
    await refresh();
    if (state && !state.conversation.can_rate && !state.conversation.rating) {
      root.replaceChildren(el("p", { class: "csat__card csat__note", "data-testid": "csat-note", text: t("csat.not_yet") }));
      root.hidden = false;
      button.hidden = true;
      onShow();
      return;
    }
    root.querySelector('[data-ticket=""] input')?.focus();
  });

  return {
    refresh,
    /** The conversation changed: a resolution asks for the rating. */
    status(c) {
      const was = conv?.status;
      conv = c;
      if (c.status !== "bot") opened = false;
      if (c.status === "resolved" && was && was !== "resolved") refresh();
      else if (c.status !== was) render();
    },
    /** A message was added; live: it just arrived (not history read on load). */
    message(m, live) {
      if (m.sender === "bot") botSpoke = true;
      if (m.sender === "agent") personSpoke = true;
      const meta = m.meta ?? {};
      if (m.sender === "system" && meta.kind === "ticket_solved") {
        if (live) refresh();
      } else if (live && m.sender === "bot" && meta.kind === "reply" && closingIntents.has(meta.intent) && !personSpoke) {
        opened = true;
        refresh();
      }
      updateButton();
    },
    /** A WebSocket frame: "rating" means a rating changed (another tab, say). */
    frame(f) {
      if (f.type === "rating") refresh();
    },
  };
}
