// The knowledge-base list: search box and status/language filters, kept in the URL, refetched as
// the editor types.

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
};

function row(a) {
  return el(
    "tr",
    { "data-testid": "article-row", "data-article-id": a.id },
    el("td", {}, el("a", { href: `/workbench/kb/articles/${seg(a.id)}`, text: a.title })),
    el("td", { text: languageName(a.language) }),
    el("td", {}, badge("article.status", a.status)),
    el("td", { class: "muted", text: formatDateTime(a.updated_at) }),
  );
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

load();
