// The conversation page's context card, beyond the handoff facts conversation.js shows: what the
// bot understood (intent, confidence, sentiment, slots), a summary, the knowledge-base articles
// that fit the customer's latest question (one click puts one in the reply box) and the customer
// 360 (profile and earlier conversations with their outcomes). Everything is set as text.

import { $, el, say, seg } from "baton/dom.js";
import { t, tOr, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { badge } from "baton/ui.js";
import { insertIntoReply } from "baton/reply-box.js";
import { ticketsPanel } from "baton/tickets-panel.js";

const pct = (x) => `${Math.round(Number(x) * 100)}%`;

/** Returns {show(card), message(msg)}: call show with each /context answer, message with each new message. */
export function contextExtras({ convID, input, form, notice }) {
  const base = `/api/v1/conversations/${seg(convID)}`;
  const ui = {
    details: $('[data-testid="handoff-details"]'),
    slots: $('[data-testid="slots"]'),
    summarySource: $('[data-testid="summary-source"]'),
    summaryStatus: $('[data-testid="summary-status"]'),
    summaryList: $('[data-testid="summary-sentences"]'),
    summaryText: $('[data-testid="summary-text"]'),
    articles: $('[data-testid="suggested-articles"]'),
    articlesEmpty: $('[data-testid="suggested-articles-empty"]'),
    earlier: $('[data-testid="earlier-conversations"]'),
    earlierEmpty: $('[data-testid="earlier-empty"]'),
    profile: $('[data-testid="customer-360"]'),
    masked: $('[data-testid="contact-masked"]'),
    reveal: $('[data-testid="reveal-contact"]'),
    adminLink: $('[data-testid="customer-admin-link"]'),
    email: $('[data-field="customer_email"]'),
  };
  const tickets = ticketsPanel({ convID });
  // The contact details an agent revealed (the admin's privacy setting masks them): kept over
  // card refreshes, which bring them masked again.
  let revealed = null;
  let summaryFor = undefined; // the handoff id the summary shows
  let articlesTimer = 0;
  let articlesTicket = 0;

  const fact = (root, name, value) => {
    const node = root.querySelector(`[data-ctx="${name}"]`);
    if (node) node.textContent = value || t("common.none");
  };

  function showDetails(handoff) {
    ui.details.hidden = !handoff;
    if (!handoff) return;
    const c = handoff.context || {};
    fact(ui.details, "intent", c.intent);
    fact(ui.details, "confidence", c.intent && c.confidence ? pct(c.confidence) : "");
    const s = c.sentiment;
    fact(ui.details, "sentiment", s?.label ? `${tOr(`sentiment.${s.label}`, s.label)} (${Number(s.score).toFixed(2)})` : "");
    const slots = Object.entries(c.slots || {}).sort(([a], [b]) => a.localeCompare(b));
    ui.slots.replaceChildren(
      ...(slots.length
        ? slots.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { "data-slot": k, text: v })])
        : [el("dd", { class: "muted", text: t("ctx.no_slots") })]),
    );
  }

  async function loadSummary(handoffID) {
    if (summaryFor === handoffID) return;
    summaryFor = handoffID;
    say(ui.summaryStatus, t("ctx.summary.loading"));
    try {
      const { summary } = await api("GET", `${base}/summary`);
      if (summaryFor !== handoffID) return;
      const sentences = summary.sentences || [];
      ui.summaryList.replaceChildren(...sentences.map((s) => el("li", { text: s })));
      ui.summaryList.hidden = sentences.length === 0;
      say(ui.summaryText, sentences.length ? "" : summary.text);
      ui.summarySource.hidden = false;
      ui.summarySource.textContent = t(`ctx.summary.${summary.source === "llm" ? "llm" : "extractive"}`);
      ui.summarySource.className = `badge badge--${summary.source === "llm" ? "llm" : "extractive"}`;
      ui.summarySource.dataset.source = summary.source;
      if (summary.model) ui.summarySource.title = summary.model;
      say(ui.summaryStatus, summary.text ? "" : t("ctx.summary.empty"));
    } catch (err) {
      summaryFor = undefined;
      say(ui.summaryStatus, t("common.error", { error: err.message }));
    }
  }

  function article(a) {
    return el(
      "li",
      { class: "result", "data-testid": "suggested-article", "data-article-id": a.article_id },
      el(
        "div",
        { class: "result__head" },
        el("span", { text: a.title }),
        el("span", { class: "result__score", text: t("ctx.articles.score", { score: Number(a.score).toFixed(2) }) }),
      ),
      el("p", { class: "result__snippet", text: a.snippet }),
      el("button", {
        type: "button",
        class: "btn btn--small",
        "data-testid": "insert-article",
        text: t("ctx.articles.insert"),
        onclick: () => {
          if (form.hidden) return say(notice, t("conv.reply_locked"));
          insertIntoReply(input, a.reply, { separate: true });
          say(notice, t("ctx.articles.inserted"));
        },
      }),
    );
  }

  async function loadArticles() {
    const ticket = ++articlesTicket;
    try {
      const { items = [] } = await api("GET", `${base}/suggested-articles`);
      if (ticket !== articlesTicket) return;
      ui.articles.replaceChildren(...items.map(article));
      ui.articlesEmpty.hidden = items.length > 0;
    } catch {
      // The card stays as it was; the next customer message tries again.
    }
  }

  function earlier(p) {
    const meta = [
      formatDateTime(p.started_at),
      tOr(`ctx.channel.${p.channel}`, p.channel),
      t("ctx.earlier.messages", { n: p.messages }),
    ];
    if (p.agent) meta.push(t("ctx.earlier.by", { agent: p.agent }));
    if (p.disposition) meta.push(t("ctx.earlier.disposition", { disposition: p.disposition }));
    return el(
      "li",
      { "data-testid": "earlier-conversation", "data-conversation-id": p.id, "data-outcome": p.outcome },
      el(
        "a",
        { class: "item", href: `/workbench/conversations/${seg(p.id)}` },
        el("p", { class: "item__title", text: p.topic || t("queue.no_question") }),
        el(
          "div",
          { class: "item__meta" },
          badge("outcome", p.outcome, { "data-testid": "earlier-outcome" }),
          ...meta.map((m) => el("span", { text: m })),
        ),
      ),
    );
  }

  async function loadCustomer(customerID) {
    if (!customerID) return;
    try {
      const v = await api("GET", `/api/v1/customers/${seg(customerID)}`);
      const { customer, conversations = [] } = v;
      fact(ui.profile, "customer_phone", customer.phone);
      // Whether the site vouched for the id (a signed user) or the customer just typed it.
      fact(
        ui.profile,
        "customer_external_id",
        customer.external_id ? `${customer.external_id} · ${t(customer.verified ? "ctx.verified" : "ctx.unverified")}` : "",
      );
      fact(ui.profile, "customer_since", formatDateTime(customer.created_at));
      if (ui.adminLink) {
        ui.adminLink.href = `/workbench/customers/${seg(customer.id)}`;
        ui.adminLink.hidden = false;
      }
      if (revealed?.id === customer.id) showRevealed();
      else ui.masked.hidden = !v.contact_masked;
      const past = conversations.filter((p) => p.id !== convID);
      ui.earlier.replaceChildren(...past.map(earlier));
      ui.earlierEmpty.hidden = past.length > 0;
    } catch {
      // Shown as before; the next card refresh tries again.
    }
  }

  function showRevealed() {
    fact(ui.profile, "customer_phone", revealed.phone);
    if (ui.email) ui.email.textContent = revealed.email || t("common.none");
    ui.masked.hidden = true;
  }

  ui.reveal.addEventListener("click", async () => {
    try {
      revealed = await api("GET", `/api/v1/customers/${seg(ui.reveal.dataset.customerId)}/contact`);
      showRevealed();
    } catch {
      // The masked values stay; the button can be pressed again.
    }
  });

  return {
    show({ customer, handoff }) {
      if (customer?.id) ui.reveal.dataset.customerId = customer.id;
      if (revealed && revealed.id === customer?.id) showRevealed();
      showDetails(handoff);
      loadSummary(handoff ? handoff.id : null);
      loadArticles();
      loadCustomer(customer?.id);
      tickets.show({ customer, handoff });
    },
    message(msg) {
      if (msg?.sender !== "customer") return;
      clearTimeout(articlesTimer);
      articlesTimer = setTimeout(loadArticles, 500);
    },
  };
}
