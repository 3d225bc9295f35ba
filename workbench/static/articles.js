// The knowledge-base list: a search box (words of titles, bodies and alternative questions) and
// status / language / tag filters, kept in the URL, refetched as the editor types.

import { $, el, say, seg } from "baton/dom.js";
import { t, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { badge, languageName, showError } from "baton/ui.js";

const ui = {
  form: $("#article-filters"),
  rows: $("#article-rows"),
  empty: $("#kb-empty"),
  count: $("#kb-count"),
  error: $("#kb-error"),
  tag: $("#filter-tag"),
};

function row(a) {
  return el(
    "tr",
    { "data-testid": "article-row", "data-article-id": a.id },
    el(
      "td",
      {},
      el("a", { href: `/workbench/kb/articles/${seg(a.id)}`, "data-testid": "article-link", text: a.title }),
      (a.tags ?? []).length ? el("div", { class: "tags" }, ...a.tags.map((tag) => el("span", { class: "tag", text: tag }))) : null,
    ),
    el("td", { text: languageName(a.language) }),
    el("td", {}, badge("article.status", a.status)),
    el("td", { class: "muted", "data-testid": "article-version", text: t("kb.version_n", { version: a.version }) }),
    el("td", { class: "muted", text: formatDateTime(a.updated_at) }),
  );
}

/** Fills the tag filter with the tags in use, keeping the one chosen. */
async function loadTags() {
  try {
    const { items = [] } = await api("GET", "/api/v1/kb/tags");
    const chosen = ui.tag.value;
    const names = items.map((x) => x.tag);
    if (chosen && !names.includes(chosen)) names.unshift(chosen);
    ui.tag.replaceChildren(
      ui.tag.options[0],
      ...names.map((name) => el("option", { value: name, selected: name === chosen, text: name })),
    );
    ui.tag.value = chosen;
  } catch (err) {
    showError(ui.error, err);
  }
}

function filters() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(ui.form)) {
    if (String(value).trim()) params.set(key, String(value).trim());
  }
  return params;
}

let latest = 0;

async function load() {
  const params = filters();
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
  const ticket = ++latest;
  try {
    const { items = [] } = await api("GET", `/api/v1/kb/articles?${query}`);
    if (ticket !== latest) return; // an older answer arriving late
    ui.rows.replaceChildren(...items.map(row));
    say(ui.empty, items.length ? "" : t("kb.empty"));
    ui.count.textContent = t("kb.count", { n: items.length });
    showError(ui.error, null);
  } catch (err) {
    if (ticket === latest) showError(ui.error, err);
  }
}

let debounce = 0;
ui.form.addEventListener("input", () => {
  clearTimeout(debounce);
  debounce = setTimeout(load, 250);
});
ui.form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  clearTimeout(debounce);
  load();
});

loadTags();
load();
