// The article editor: load or start an article, a live Markdown preview (markdown.js), Save draft /
// Publish / Archive (each saves the form with that status as one new version, naming the version the
// form came from so a save over someone else's newer one is refused), the History panel
// (history.js), and a "what would the bot answer?" box that runs the bot's answer path (preview.js).

import { $, say, seg } from "baton/dom.js";
import { t, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { showError } from "baton/ui.js";
import { livePreview } from "baton/markdown.js";
import { answerPreview } from "baton/preview.js";
import { createHistory, authorName } from "baton/history.js";

const ui = {
  heading: $("#edit-heading"),
  badge: $("#article-status-badge"),
  dirty: $("#article-dirty"),
  notice: $("#edit-notice"),
  error: $("#edit-error"),
  stale: $("#edit-stale"),
  staleText: $("#edit-stale-text"),
  reload: $('[data-testid="article-reload"]'),
  form: $("#article-form"),
  title: $('[data-testid="article-title"]'),
  language: $('[data-testid="article-language"]'),
  tags: $('[data-testid="article-tags"]'),
  questions: $('[data-testid="article-questions"]'),
  body: $('[data-testid="article-body"]'),
  save: $('[data-testid="article-save"]'),
  publish: $('[data-testid="article-publish"]'),
  archive: $('[data-testid="article-archive"]'),
  meta: $("#article-meta"),
  hint: $("#article-hint"),
  preview: $("#article-preview"),
  testForm: $("#test-form"),
  testQuestion: $('[data-testid="test-question"]'),
  testResults: $('[data-testid="test-results"]'),
  testAnswer: $('[data-testid="answer-preview"]'),
};

let article = null; // the article as last loaded or saved; null for a new one
let articleID = Number($("#page").dataset.articleId) || 0;

const preview = livePreview(ui.preview, {
  empty: t("edit.preview_empty"),
  failed: (err) => t("edit.preview_error", { error: err.message }),
});

const versions = createHistory({
  current: () => article,
  dirty: isDirty,
  restored: (restored, result) => {
    if (result.error) return fail(result.error);
    show(restored);
    say(ui.notice, result.restored ? t("hist.restored", { from: result.from, version: restored.version }) : t("hist.restore_same", { from: result.from }));
  },
});

const splitList = (text, sep) =>
  text
    .split(sep)
    .map((s) => s.trim())
    .filter(Boolean);

/** The form as the API takes it (tags lower-cased as the server stores them). */
function readForm() {
  return {
    title: ui.title.value.trim(),
    body: ui.body.value.trim(),
    language: ui.language.value,
    tags: splitList(ui.tags.value.toLowerCase(), /[,，、]/),
    questions: splitList(ui.questions.value, "\n"),
  };
}

/** Whether the form differs from the article as saved. */
function isDirty() {
  const f = readForm();
  if (!article) return Boolean(f.title || f.body || f.tags.length || f.questions.length);
  return (
    f.title !== article.title ||
    f.body !== article.body ||
    f.language !== article.language ||
    f.tags.join("\n") !== (article.tags ?? []).join("\n") ||
    f.questions.join("\n") !== (article.questions ?? []).join("\n")
  );
}

function updateDirty() {
  ui.dirty.hidden = !isDirty();
}

function show(a) {
  article = a;
  articleID = a.id;
  ui.title.value = a.title ?? "";
  ui.body.value = a.body ?? "";
  ui.language.value = a.language;
  ui.tags.value = (a.tags ?? []).join(", ");
  ui.questions.value = (a.questions ?? []).join("\n");
  ui.heading.textContent = t("edit.title");
  ui.badge.hidden = false;
  ui.badge.className = `badge badge--${a.status}`;
  ui.badge.textContent = t(`article.status.${a.status}`);
  ui.archive.hidden = a.status === "archived";
  ui.hint.textContent = t(`edit.hint.${a.status}`);
  const meta = [t("edit.version", { version: a.version }), t("common.updated") + ": " + formatDateTime(a.updated_at)];
  if (a.source) meta.push(t("edit.source", { source: a.source }));
  ui.meta.textContent = meta.join(" · ");
  ui.meta.dataset.version = a.version;
  document.title = `${a.title} · Baton`;
  ui.stale.hidden = true;
  updateDirty();
  preview.update(ui.body.value, { now: true });
  versions.reload();
}

/** Shows a refused save: a stale form says who saved what since, and offers the latest version. */
function fail(err) {
  if (err.status === 409 && err.data?.code === "stale") {
    const latest = err.data.latest;
    ui.staleText.textContent = t("edit.stale", {
      who: latest ? authorName(latest) : t("edit.stale_someone"),
      current: err.data.current_version,
      when: latest ? formatDateTime(latest.created_at) : "",
      base: err.data.your_version,
    });
    ui.stale.hidden = false;
    return;
  }
  if (err.status === 422 && err.data?.hits) {
    say(ui.error, err.message); // a banned phrase: the message names it
    return;
  }
  showError(ui.error, err);
}

/** The compliance warnings an answer carries, as a sentence ("" when none). */
const warningText = (warnings) =>
  warnings?.length ? ` ${t("comp.warnings", { phrases: [...new Set(warnings.map((w) => `“${w.text}”`))].join(", ") })}` : "";

const done = { draft: "edit.saved_version", published: "edit.published_version", archived: "edit.archived_version" };

/** Saves the form with status (creating the article the first time) as one new version. */
async function save(status) {
  const body = { ...readForm(), status };
  const before = article?.version;
  let saved;
  let warnings;
  if (articleID) {
    ({ article: saved, warnings } = await api("PUT", `/api/v1/kb/articles/${seg(articleID)}`, { ...body, version: article?.version ?? 0 }));
  } else {
    ({ article: saved, warnings } = await api("POST", "/api/v1/kb/articles", body));
    history.replaceState(null, "", `/workbench/kb/articles/${seg(saved.id)}`);
  }
  show(saved);
  say(ui.notice, (saved.version === before ? t("edit.unchanged", { version: saved.version }) : t(done[saved.status], { version: saved.version })) + warningText(warnings));
}

/** Runs a save with the buttons disabled, showing the outcome or the error. */
async function run(status) {
  if (!ui.form.reportValidity()) return;
  const buttons = [ui.save, ui.publish, ui.archive];
  buttons.forEach((b) => (b.disabled = true));
  say(ui.notice, "");
  showError(ui.error, null);
  ui.stale.hidden = true;
  try {
    await save(status);
  } catch (err) {
    fail(err);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

ui.form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  run("draft");
});
ui.publish.addEventListener("click", () => run("published"));
ui.archive.addEventListener("click", () => run("archived"));

ui.reload.addEventListener("click", async () => {
  try {
    const { article: latest } = await api("GET", `/api/v1/kb/articles/${seg(articleID)}`);
    show(latest);
    versions.close();
    say(ui.notice, "");
  } catch (err) {
    showError(ui.error, err);
  }
});

ui.form.addEventListener("input", updateDirty);
ui.body.addEventListener("input", () => preview.update(ui.body.value));

// Leaving with unsaved changes asks first.
window.addEventListener("beforeunload", (ev) => {
  if (isDirty()) ev.preventDefault();
});

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
    preview.update("", { now: true });
    ui.title.focus();
    return;
  }
  try {
    const { article: a } = await api("GET", `/api/v1/kb/articles/${seg(articleID)}`);
    show(a);
  } catch (err) {
    showError(ui.error, err);
  }
}

init();
