// Open suggestions: an agent's answer to a question the bot could not answer. The editor may
// retitle and edit it, then approve (publishing an article) or dismiss it.

import { $, el, say, seg } from "baton/dom.js";
import { t, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { languageName, showError } from "baton/ui.js";

const ui = { list: $("#suggestions"), error: $("#sug-error") };
// Only agents (and admins) may open a conversation; editors just read the suggestion.
const linkConversations = ui.list.hasAttribute("data-link-conversations");

function card(s) {
  const n = `sug-${s.id}`;
  const title = el("input", { type: "text", id: `${n}-title`, "data-testid": "suggestion-title", maxlength: 300 });
  title.value = s.question ?? "";
  const answer = el("textarea", { id: `${n}-answer`, "data-testid": "suggestion-answer", rows: 5 });
  answer.value = s.answer ?? "";
  const status = el("p", { class: "notice", role: "status", "data-testid": "suggestion-result", hidden: true });
  const error = el("p", { class: "notice notice--error", role: "alert", hidden: true });
  const approve = el("button", { type: "button", class: "btn btn--primary", "data-testid": "approve-button", text: t("sug.approve") });
  const dismiss = el("button", { type: "button", class: "btn btn--ghost", "data-testid": "dismiss-button", text: t("sug.dismiss") });

  const node = el(
    "article",
    { class: "panel suggestion", "data-testid": "suggestion", "data-id": s.id },
    el("h2", { class: "suggestion__question", text: s.question }),
    el(
      "div",
      { class: "suggestion__meta" },
      el("span", { text: languageName(s.language) }),
      el("span", { text: formatDateTime(s.created_at) }),
      s.conversation_id && linkConversations
        ? el("a", { href: `/workbench/conversations/${seg(s.conversation_id)}`, text: t("sug.conversation") })
        : null,
    ),
    el("div", { class: "field" }, el("label", { for: title.id, text: t("sug.field.title") }), title),
    el("div", { class: "field" }, el("label", { for: answer.id, text: t("sug.field.answer") }), answer),
    el("div", { class: "actions" }, approve, dismiss),
    status,
    error,
  );

  const finish = (text, link) => {
    [title, answer, approve, dismiss].forEach((c) => (c.disabled = true));
    node.classList.add("suggestion--done");
    status.replaceChildren(...[el("strong", { text }), link && " · ", link].filter(Boolean));
    status.hidden = false;
  };

  async function act(action) {
    approve.disabled = dismiss.disabled = true;
    say(error, "");
    try {
      await action();
    } catch (err) {
      showError(error, err);
      approve.disabled = dismiss.disabled = false;
    }
  }

  approve.addEventListener("click", () =>
    act(async () => {
      const { article } = await api("POST", `/api/v1/kb/suggestions/${seg(s.id)}/approve`, {
        title: title.value.trim(),
        answer: answer.value.trim(),
      });
      finish(
        t("sug.published"),
        el("a", { href: `/workbench/kb/articles/${seg(article.id)}`, "data-testid": "suggestion-article", text: t("sug.view") }),
      );
    }),
  );
  dismiss.addEventListener("click", () =>
    act(async () => {
      await api("POST", `/api/v1/kb/suggestions/${seg(s.id)}/dismiss`);
      finish(t("sug.dismissed"));
    }),
  );
  return node;
}

async function load() {
  try {
    const { items = [] } = await api("GET", "/api/v1/kb/suggestions?status=open");
    ui.list.replaceChildren(...(items.length ? items.map(card) : [el("p", { class: "list__empty", text: t("sug.empty") })]));
  } catch (err) {
    showError(ui.error, err);
  }
}

load();
