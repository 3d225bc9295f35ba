// The customer's satisfaction rating on the agent's conversation page: score, comment and when,
// for the conversation and for tickets rated from it. It reads the rating when the page opens,
// when the conversation is resolved, and whenever the customer rates or changes it (a "rating"
// frame on the conversation WebSocket, passed on by conversation.js as baton:frame).

import { $, el, seg } from "baton/dom.js";
import { t, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";

const section = $('[data-testid="csat-rating"]');
const list = $('[data-testid="csat-ratings"]');
const convID = $("#page")?.dataset.conversationId;

function entry(ask) {
  const r = ask.rating;
  const changed = new Date(r.updated_at) - new Date(r.created_at) > 1000;
  const when = t("csat.staff.at", { time: formatDateTime(r.created_at) }) +
    (changed ? ` · ${t("csat.staff.changed", { time: formatDateTime(r.updated_at) })}` : "");
  return el(
    "div",
    { class: "csat-staff__entry", "data-testid": "csat-entry", "data-ticket": ask.ticket_id ?? "" },
    ask.ticket_id ? el("h4", { text: t("csat.staff.ticket", { ticket: `T${ask.ticket_id}` }) }) : null,
    el(
      "p",
      { class: "csat-staff__score", "data-testid": "csat-score", "data-score": r.score },
      el("span", { class: "csat-staff__stars", "aria-hidden": "true", text: "★".repeat(r.score) + "☆".repeat(5 - r.score) }),
      " ",
      el("span", { text: `${t("csat.staff.score", { score: r.score })} · ${t(`csat.score.${r.score}`)}` }),
    ),
    r.comment ? el("blockquote", { class: "question csat-staff__comment", "data-testid": "csat-comment", text: r.comment }) : null,
    !ask.ticket_id && ask.by_bot ? el("p", { class: "muted", text: t("csat.staff.bot") }) : null,
    el("p", { class: "muted csat-staff__when", text: when }),
  );
}

async function load() {
  if (!convID) return;
  let st;
  try {
    st = await api("GET", `/api/v1/conversations/${seg(convID)}/rating`);
  } catch {
    return; // shown again on the next rating frame or page load
  }
  const rated = [st.conversation, ...(st.tickets ?? [])].filter((a) => a.rating);
  list.replaceChildren(...rated.map(entry));
  section.hidden = rated.length === 0;
}

let status = null;
document.addEventListener("baton:conversation", (ev) => {
  const was = status;
  status = ev.detail?.status ?? null;
  if (was === null || (status === "resolved" && was !== "resolved")) load();
});
document.addEventListener("baton:frame", (ev) => {
  if (ev.detail?.type === "rating") load();
});
