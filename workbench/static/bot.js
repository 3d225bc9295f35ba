// The bot page: the active definition's overview and intents, "try a message", the YAML editor with
// Validate and Save (each save is a new version and retrains the bot), and the version history with
// a confirmed "Activate" for rollbacks. Everything from the definition is shown as text.

import { $, el, say, seg } from "baton/dom.js";
import { t, tOr, lang, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { languageName, showError } from "baton/ui.js";
import { codeEditor } from "baton/code-editor.js";
import { prob, renderPrediction } from "baton/bot-prediction.js";

const ui = {
  error: $("#bot-error"),
  none: $("#bot-none"),
  name: $("#bot-name"),
  version: $("#bot-version"),
  threshold: $("#bot-threshold"),
  training: $("#bot-training"),
  created: $("#bot-created"),
  intentRows: $("#intent-rows"),
  intentCount: $("#intent-count"),
  intentsEmpty: $("#intents-empty"),
  tryForm: $("#try-form"),
  tryText: $("#try-text"),
  tryLanguage: $("#try-language"),
  tryRun: $('[data-testid="try-run"]'),
  tryError: $("#try-error"),
  tryResult: $("#try-result"),
  dirty: $("#yaml-dirty"),
  validate: $("#yaml-validate"),
  save: $("#yaml-save"),
  ok: $("#yaml-ok"),
  yamlError: $("#yaml-error"),
  versions: $("#versions"),
  versionsNotice: $("#versions-notice"),
  versionsError: $("#versions-error"),
};

const editor = codeEditor($("#yaml-source"), $("#yaml-gutter"), $("#yaml-cursor"));
let labels = new Map(); // intent name → label in the page's language
let saved = null; // the source of the active version, to tell unsaved edits; null before loading

const isDirty = () => saved !== null && editor.value !== saved;
const showDirty = () => (ui.dirty.hidden = !isDirty());
const none = () => t("common.none");
const labelOf = (name) => labels.get(name) || name;

// ---------------------------------------------------------------- overview

function intentRow(it) {
  return el(
    "tr",
    { "data-testid": "intent-row", "data-intent": it.name },
    el("td", { text: labelOf(it.name) }),
    el("td", {}, el("code", { text: it.name })),
    el("td", {}, el("span", { class: `badge badge--kind-${it.kind}`, text: tOr(`bot.kind.${it.kind}`, it.kind) })),
    el("td", { class: "num", text: it.examples }),
    el("td", { class: "nowrap", text: (it.languages ?? []).map(languageName).join(", ") || none() }),
    el("td", {}, it.slots?.length ? it.slots.flatMap((s, i) => [i ? ", " : "", el("code", { text: s })]) : none()),
    el("td", { text: it.skill || none() }),
  );
}

function showOverview(def) {
  labels = new Map((def?.intents ?? []).map((it) => [it.name, (lang === "zh" ? it.label?.zh : it.label?.en) || it.label?.zh || it.label?.en || it.name]));
  ui.none.hidden = Boolean(def);
  ui.name.textContent = def?.name || none();
  ui.version.textContent = def ? t("bot.version_n", { version: def.version }) : none();
  ui.version.dataset.version = def?.version ?? "";
  ui.threshold.textContent = def?.threshold ? prob(def.threshold) : none();
  // Both come from this process's trained engine; they are absent while it still loads the version.
  ui.training.textContent = def?.threshold ? t("bot.train_ms", { ms: def.train_ms ?? 0 }) : none();
  ui.created.textContent = def ? formatDateTime(def.created_at) : none();
  const intents = def?.intents ?? [];
  ui.intentRows.replaceChildren(...intents.map(intentRow));
  ui.intentCount.textContent = intents.length ? t("bot.intent_count", { n: intents.length }) : "";
  say(ui.intentsEmpty, intents.length ? "" : t("bot.no_intents"));
}

/** Loads the active definition; replaces the editor's text unless keepEditor (after a save). */
async function loadDefinition({ keepEditor = false } = {}) {
  let def = null;
  showError(ui.error, null);
  try {
    def = await api("GET", "/api/v1/bot/definition");
  } catch (err) {
    if (err.status !== 404) {
      showError(ui.error, err);
      return;
    }
  }
  showOverview(def);
  if (!keepEditor) {
    saved = def?.source ?? "";
    editor.setValue(saved);
  }
  showDirty();
}

// ---------------------------------------------------------------- try a message

ui.tryForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const text = ui.tryText.value.trim();
  if (!text) return;
  const body = { text };
  if (ui.tryLanguage.value) body.language = ui.tryLanguage.value;
  ui.tryRun.disabled = true;
  showError(ui.tryError, null);
  try {
    const p = await api("POST", "/api/v1/bot/predict", body);
    ui.tryResult.replaceChildren(...renderPrediction(p, labelOf));
    ui.tryResult.hidden = false;
  } catch (err) {
    showError(ui.tryError, err);
  } finally {
    ui.tryRun.disabled = false;
  }
});

// ---------------------------------------------------------------- the YAML editor

/** Shows a definition error, and puts the cursor on its line when the server knows it. */
function showDefinitionError(err) {
  let line = Number(err.data?.line) || 0;
  let msg = err.message || String(err);
  const m = /^line (\d+):\s*/.exec(msg);
  if (m) {
    line ||= Number(m[1]);
    msg = msg.slice(m[0].length);
  }
  say(ui.yamlError, line ? t("bot.editor.error_line", { line, error: msg }) : msg);
  ui.yamlError.dataset.line = line || "";
  editor.markLine(line);
  if (line) editor.goToLine(line);
}

/** The compliance warnings a validation or save carries, as a sentence ("" when none). */
const warningText = (warnings) =>
  warnings?.length ? ` ${t("comp.warnings", { phrases: [...new Set(warnings.map((w) => `“${w.text}” (${w.template})`))].join(", ") })}` : "";

/** Runs a request with the editor's buttons disabled, clearing the last result first. */
async function editorAction(action) {
  ui.validate.disabled = ui.save.disabled = true;
  say(ui.ok, "");
  say(ui.yamlError, "");
  editor.markLine(0);
  try {
    await action();
  } catch (err) {
    if (err.status === 400 || err.status === 422) showDefinitionError(err); // 422: a banned phrase in a template
    else showError(ui.yamlError, err);
  } finally {
    ui.validate.disabled = ui.save.disabled = false;
  }
}

ui.validate.addEventListener("click", () =>
  editorAction(async () => {
    const r = await api("POST", "/api/v1/bot/definition/validate", { source: editor.value });
    say(ui.ok, t("bot.editor.valid", { name: r.name, n: (r.intents ?? []).length }) + warningText(r.warnings));
  }),
);

ui.save.addEventListener("click", () =>
  editorAction(async () => {
    const source = editor.value;
    const { definition, created, warnings } = await api("PUT", "/api/v1/bot/definition", { source });
    saved = source;
    say(ui.ok, t(created ? "bot.editor.saved" : "bot.editor.unchanged", { version: definition.version }) + warningText(warnings));
    ui.ok.dataset.version = definition.version;
    await Promise.all([loadDefinition({ keepEditor: true }), loadVersions()]);
  }),
);

$("#yaml-source").addEventListener("input", showDirty);
addEventListener("beforeunload", (ev) => {
  if (isDirty()) ev.preventDefault();
});

// ---------------------------------------------------------------- versions

function versionItem(v) {
  const actions = el("div", { class: "version__actions" });
  const row = el(
    "li",
    { class: `version${v.active ? " version--active" : ""}`, "data-testid": "version", "data-version": v.version, "data-active": v.active ? "true" : "false" },
    el(
      "div",
      { class: "version__main" },
      el("strong", { class: "version__number", text: t("bot.version_n", { version: v.version }) }),
      v.active ? el("span", { class: "badge badge--published", "data-testid": "version-active", text: t("bot.versions.active") }) : null,
      el("div", { class: "version__meta muted" }, el("span", { text: v.name }), el("span", { text: formatDateTime(v.created_at) }), el("code", { text: v.checksum })),
    ),
    actions,
  );
  if (v.active) return row;

  const start = el("button", { type: "button", class: "btn btn--small", "data-testid": "version-activate", text: t("bot.versions.activate") });
  const ask = () => {
    const yes = el("button", { type: "button", class: "btn btn--small btn--primary", "data-testid": "version-confirm", text: t("bot.versions.confirm_yes") });
    const no = el("button", { type: "button", class: "btn btn--small btn--ghost", "data-testid": "version-cancel", text: t("bot.versions.cancel") });
    const text = t("bot.versions.confirm", { version: v.version }) + (isDirty() ? " " + t("bot.versions.confirm_dirty") : "");
    actions.replaceChildren(el("span", { class: "version__question", "data-testid": "version-question", text }), yes, no);
    no.addEventListener("click", () => {
      actions.replaceChildren(start);
      start.focus();
    });
    yes.addEventListener("click", () => activate(v.version, [yes, no]));
    yes.focus();
  };
  start.addEventListener("click", ask);
  actions.append(start);
  return row;
}

async function activate(version, buttons) {
  buttons.forEach((b) => (b.disabled = true));
  say(ui.versionsNotice, "");
  showError(ui.versionsError, null);
  try {
    await api("POST", `/api/v1/bot/definitions/${seg(version)}/activate`);
    await Promise.all([loadDefinition(), loadVersions()]);
    say(ui.versionsNotice, t("bot.versions.activated", { version }));
    say(ui.ok, "");
    say(ui.yamlError, "");
  } catch (err) {
    showError(ui.versionsError, err);
    buttons.forEach((b) => (b.disabled = false));
  }
}

async function loadVersions() {
  try {
    const { versions = [] } = await api("GET", "/api/v1/bot/definitions");
    versions.sort((a, b) => b.version - a.version);
    ui.versions.replaceChildren(
      ...(versions.length ? versions.map(versionItem) : [el("li", { class: "list__empty", text: t("bot.versions.empty") })]),
    );
  } catch (err) {
    showError(ui.versionsError, err);
  }
}

loadDefinition();
loadVersions();
