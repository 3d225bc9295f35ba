// The article editor's History panel: every version with who made it, when and what changed; a
// view of one version, compared line by line with the current article or shown as it was; and a
// confirmed Restore, which saves that version's content as a new version.

import { $, el, say, seg } from "baton/dom.js";
import { t, formatDateTime, lang } from "baton/strings.js";
import { api } from "baton/api.js";
import { badge, languageName, showError } from "baton/ui.js";
import { lineDiff, changed } from "baton/diff.js";
import { markdownNodes } from "baton/markdown.js";

const ui = {
  panel: $("#history-panel"),
  list: $("#history"),
  error: $("#history-error"),
  view: $("#version-view"),
  heading: $('[data-testid="version-heading"]'),
  meta: $('[data-testid="version-meta"]'),
  showDiff: $('[data-testid="version-show-diff"]'),
  showContent: $('[data-testid="version-show-content"]'),
  body: $('[data-testid="version-body"]'),
  actions: $("#version-actions"),
  restore: $('[data-testid="version-restore"]'),
  close: $('[data-testid="version-close"]'),
};

/** Who made a version: their name, else email, else the system and where the change came from. */
export function authorName(v) {
  return v?.author?.name || v?.author?.email || t("hist.system", { source: v?.source || "—" });
}

/** What a version did, in words: "Edited", "Published", "Restored version 2", ... */
function actionLabel(v) {
  const statusChanged = (v.changed ?? []).includes("status");
  if (v.action === "status" || (v.action === "update" && statusChanged && v.changed.length === 1)) return t(`hist.action.${v.status}`);
  if (v.action === "update" && statusChanged) return t(`hist.action.update_${v.status}`);
  if (v.action === "restore") return t("hist.action.restore", { from: v.restored_from });
  return t(`hist.action.${v.action}`);
}

const fieldNames = (fields) => fields.map((f) => t(`hist.field.${f}`)).join(lang === "zh" ? "、" : ", ");

/**
 * createHistory wires the panel. current() is the article as last saved; dirty() tells unsaved
 * edits in the form; restored(article, {restored, from}) is called after a restore.
 */
export function createHistory({ current, dirty, restored }) {
  let viewing = null; // the version shown, in full
  let mode = "diff";

  function item(v, latest) {
    const view = el("button", {
      type: "button",
      class: "btn btn--small",
      "data-testid": "history-view",
      text: t("hist.view"),
      onclick: () => open(v.version),
    });
    return el(
      "li",
      { class: "version", "data-testid": "history-item", "data-version": v.version },
      el(
        "div",
        { class: "version__main" },
        el("strong", { class: "version__number", text: t("kb.version_n", { version: v.version }) }),
        v.version === latest ? el("span", { class: "badge badge--published", "data-testid": "history-current", text: t("hist.current") }) : null,
        el("span", { "data-testid": "history-action", text: actionLabel(v) }),
        el(
          "div",
          { class: "version__meta muted" },
          el("span", { "data-testid": "history-author", title: v.author?.email, text: authorName(v) }),
          el("time", { datetime: v.created_at, text: formatDateTime(v.created_at) }),
          v.action === "create" || v.action === "baseline"
            ? null
            : el("span", { "data-testid": "history-changed", text: t("hist.changed", { fields: fieldNames(v.changed ?? []) }) }),
        ),
      ),
      el("div", { class: "version__actions" }, view),
    );
  }

  async function reload() {
    const article = current();
    if (!article) {
      ui.panel.hidden = true;
      return;
    }
    ui.panel.hidden = false;
    try {
      const { items = [] } = await api("GET", `/api/v1/kb/articles/${seg(article.id)}/versions`);
      ui.list.replaceChildren(
        ...(items.length ? items.map((v) => item(v, article.version)) : [el("li", { class: "list__empty", text: t("hist.empty") })]),
      );
      showError(ui.error, null);
    } catch (err) {
      showError(ui.error, err);
    }
    if (viewing) render();
  }

  async function open(n) {
    try {
      const { version } = await api("GET", `/api/v1/kb/articles/${seg(current().id)}/versions/${seg(n)}`);
      viewing = version;
      mode = "diff";
      ui.view.hidden = false;
      render();
      ui.view.scrollIntoView({ block: "nearest" });
    } catch (err) {
      showError(ui.error, err);
    }
  }

  function close() {
    viewing = null;
    ui.view.hidden = true;
    ui.body.replaceChildren();
  }

  function render() {
    const v = viewing;
    const now = current();
    ui.heading.textContent = t("hist.viewing", { version: v.version });
    ui.meta.textContent = [actionLabel(v), authorName(v), formatDateTime(v.created_at)].join(" · ");
    ui.showDiff.setAttribute("aria-pressed", String(mode === "diff"));
    ui.showContent.setAttribute("aria-pressed", String(mode === "content"));
    resetRestore();
    ui.restore.hidden = v.version === now.version;
    if (mode === "diff") {
      ui.body.replaceChildren(diffView(v, now));
    } else {
      contentView(v);
    }
  }

  /** The version as it was: title, status, language, tags, questions and the rendered body. */
  async function contentView(v) {
    const body = el("div", { class: "preview markdown version-content", "data-testid": "version-content" }, el("p", { class: "muted", text: t("common.loading") }));
    ui.body.replaceChildren(
      el("h4", { "data-testid": "version-title", text: v.title }),
      el(
        "p",
        { class: "tags" },
        badge("article.status", v.status),
        el("span", { class: "muted", text: languageName(v.language) }),
        ...(v.tags?.length ? v.tags.map((tag) => el("span", { class: "tag", text: tag })) : [el("span", { class: "muted", text: t("hist.no_tags") })]),
      ),
      v.questions?.length
        ? el("ul", { class: "questions" }, ...v.questions.map((q) => el("li", { text: q })))
        : el("p", { class: "muted", text: t("hist.no_questions") }),
      body,
    );
    try {
      const nodes = await markdownNodes(v.body);
      if (viewing === v && mode === "content") body.replaceChildren(...nodes);
    } catch (err) {
      body.replaceChildren(el("p", { class: "notice notice--error", text: t("edit.preview_error", { error: err.message }) }));
    }
  }

  ui.showDiff.addEventListener("click", () => {
    mode = "diff";
    render();
  });
  ui.showContent.addEventListener("click", () => {
    mode = "content";
    render();
  });
  ui.close.addEventListener("click", close);

  function resetRestore() {
    ui.actions.replaceChildren(ui.restore);
  }

  ui.restore.addEventListener("click", () => {
    const v = viewing;
    const now = current();
    const yes = el("button", { type: "button", class: "btn btn--small btn--primary", "data-testid": "version-restore-confirm", text: t("hist.restore_yes") });
    const no = el("button", { type: "button", class: "btn btn--small btn--ghost", "data-testid": "version-restore-cancel", text: t("hist.cancel") });
    const question = t("hist.restore_confirm", { version: v.version, status: t(`article.status.${now.status}`) }) + (dirty() ? " " + t("hist.restore_dirty") : "");
    ui.actions.replaceChildren(el("p", { class: "version__question", "data-testid": "version-restore-question", text: question }), yes, no);
    yes.focus();
    no.addEventListener("click", resetRestore);
    yes.addEventListener("click", async () => {
      yes.disabled = no.disabled = true;
      try {
        const res = await api("POST", `/api/v1/kb/articles/${seg(now.id)}/versions/${seg(v.version)}/restore`, { version: now.version });
        close();
        restored(res.article, { restored: res.restored, from: v.version });
      } catch (err) {
        resetRestore();
        restored(null, { error: err });
      }
    });
  });

  return { reload, close };
}

/** The version compared with the current article: each field that differs, then the body line by line. */
function diffView(v, now) {
  const box = el("div", { class: "diff", "data-testid": "version-diff" });
  const sections = [];
  const scalar = (field, a, b) => {
    if (a !== b) sections.push(section(field, lineDiff([a], [b])));
  };
  scalar("title", v.title, now.title);
  scalar("language", languageName(v.language), languageName(now.language));
  scalar("status", t(`article.status.${v.status}`), t(`article.status.${now.status}`));
  const tags = lineDiff([(v.tags ?? []).join(", ")].filter(Boolean), [(now.tags ?? []).join(", ")].filter(Boolean));
  if (changed(tags)) sections.push(section("tags", tags));
  const questions = lineDiff(v.questions ?? [], now.questions ?? []);
  if (changed(questions)) sections.push(section("questions", questions));
  const body = lineDiff(lines(v.body), lines(now.body));
  if (changed(body)) sections.push(section("body", collapse(body)));
  if (!sections.length) {
    box.append(el("p", { class: "muted", "data-testid": "version-same", text: t("hist.same", { version: v.version }) }));
    return box;
  }
  box.append(el("p", { class: "muted diff__legend", text: t("hist.legend", { version: v.version, current: now.version }) }), ...sections);
  return box;
}

const lines = (text) => (text ?? "").replace(/\r\n?/g, "\n").split("\n");

function section(field, diff) {
  return el(
    "section",
    { class: "diff__section", "data-testid": "diff-section", "data-field": field },
    el("h4", { text: t(`hist.field.${field}`) }),
    el("div", { class: "diff__lines mono" }, ...diff.map(line)),
  );
}

function line(d) {
  if (d.op === "…") return el("div", { class: "diff__line diff__line--skip muted", text: t("hist.unchanged_lines", { n: d.n }) });
  const kind = d.op === "-" ? "del" : d.op === "+" ? "add" : "same";
  return el(
    "div",
    { class: `diff__line diff__line--${kind}`, "data-testid": `diff-${kind}` },
    el("span", { class: "diff__op", "aria-hidden": "true", text: d.op === "-" ? "−" : d.op }),
    el("span", { class: "diff__text", text: d.text || " " }),
  );
}

/** Long runs of unchanged lines shrink to two lines of context around each change. */
function collapse(diff, context = 2) {
  const keep = diff.map((d, i) => d.op !== " " || diff.slice(Math.max(0, i - context), i + context + 1).some((x) => x.op !== " "));
  const out = [];
  for (let i = 0; i < diff.length; i++) {
    if (keep[i]) {
      out.push(diff[i]);
      continue;
    }
    let j = i;
    while (j < diff.length && !keep[j]) j++;
    out.push({ op: "…", n: j - i });
    i = j - 1;
  }
  return out;
}
