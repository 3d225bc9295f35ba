// The article editor: load or start an article, a live plain-text preview, Save / Publish /
// Archive, and a "what would the bot answer?" box that runs the bot's answer path (preview.js).

import { $, el, say, seg } from "baton/dom.js";
import { t, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { showError } from "baton/ui.js";
import { answerPreview, renderPreview } from "baton/preview.js";

const ui = {
  heading: $("#edit-heading"),
  badge: $("#article-status-badge"),
  notice: $("#edit-notice"),
  error: $("#edit-error"),
  form: $("#article-form"),
  title: $('[data-testid="article-title"]'),
  language: $('[data-testid="article-language"]'),
  status: $('[data-testid="article-status"]'),
  tags: $('[data-testid="article-tags"]'),
  questions: $('[data-testid="article-questions"]'),
  body: $('[data-testid="article-body"]'),
  save: $('[data-testid="article-save"]'),
  publish: $('[data-testid="article-publish"]'),
  archive: $('[data-testid="article-archive"]'),
  meta: $("#article-meta"),
  preview: $("#article-preview"),
  testForm: $("#test-form"),
  testQuestion: $('[data-testid="test-question"]'),
  testResults: $('[data-testid="test-results"]'),
  testAnswer: $('[data-testid="answer-preview"]'),
};

let articleID = Number($("#page").dataset.articleId) || 0;

const splitList = (text, sep) =>
  text
    .split(sep)
    .map((s) => s.trim())
    .filter(Boolean);

function readForm() {
  return {
    title: ui.title.value.trim(),
    body: ui.body.value,
    language: ui.language.value,
    status: ui.status.value,
    tags: splitList(ui.tags.value, /[,，]/),
    questions: splitList(ui.questions.value, "\n"),
  };
}

function show(article) {
  articleID = article.id;
  ui.title.value = article.title ?? "";
  ui.body.value = article.body ?? "";
  ui.language.value = article.language;
  ui.status.value = article.status;
  ui.tags.value = (article.tags ?? []).join(", ");
  ui.questions.value = (article.questions ?? []).join("\n");
  ui.heading.textContent = t("edit.title");
  ui.badge.hidden = false;
  ui.badge.className = `badge badge--${article.status}`;
  ui.badge.textContent = t(`article.status.${article.status}`);
  ui.archive.hidden = article.status === "archived";
  const meta = [t("common.updated") + ": " + formatDateTime(article.updated_at)];
  if (article.source) meta.push(t("edit.source", { source: article.source }));
  ui.meta.textContent = meta.join(" · ");
  document.title = `${article.title} · Baton`;
  updatePreview();
}

function updatePreview() {
  const nodes = renderPreview(ui.body.value);
  ui.preview.replaceChildren(...(nodes.length ? nodes : [el("p", { class: "muted", text: t("edit.preview_empty") })]));
}

/** Saves the form (creating the article the first time); returns the saved article. */
async function save(overrides = {}) {
  const body = { ...readForm(), ...overrides };
  const { article } = articleID
    ? await api("PUT", `/api/v1/kb/articles/${seg(articleID)}`, body)
    : await api("POST", "/api/v1/kb/articles", body);
  if (!articleID) history.replaceState(null, "", `/workbench/kb/articles/${seg(article.id)}`);
  show(article);
  return article;
}

/** Runs action with the buttons disabled, showing done (an i18n key) or the error. */
async function run(action, done) {
  const buttons = [ui.save, ui.publish, ui.archive];
  buttons.forEach((b) => (b.disabled = true));
  say(ui.notice, "");
  showError(ui.error, null);
  try {
    await action();
    say(ui.notice, t(done));
  } catch (err) {
    showError(ui.error, err);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

ui.form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  if (ui.form.reportValidity()) run(() => save(), "edit.saved");
});

ui.publish.addEventListener("click", () => {
  if (!ui.form.reportValidity()) return;
  run(async () => {
    await save();
    const { article } = await api("POST", `/api/v1/kb/articles/${seg(articleID)}/publish`);
    show(article);
  }, "edit.published");
});

ui.archive.addEventListener("click", () =>
  run(async () => {
    if (!articleID) return;
    const { article } = await api("POST", `/api/v1/kb/articles/${seg(articleID)}/archive`);
    show(article);
  }, "edit.archived"),
);

ui.body.addEventListener("input", updatePreview);

answerPreview({
  form: ui.testForm,
  input: ui.testQuestion,
  output: ui.testAnswer,
  results: ui.testResults,
  language: () => ui.language.value,
  current: () => articleID,
});

async function init() {
  if (!articleID) {
    updatePreview();
    ui.title.focus();
    return;
  }
  try {
    const { article } = await api("GET", `/api/v1/kb/articles/${seg(articleID)}`);
    show(article);
  } catch (err) {
    showError(ui.error, err);
  }
}

init();
