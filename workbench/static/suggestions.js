// Suggestions: agents' answers to questions the bot could not answer, grouped by question (how often
// it came up, how it was worded, every agent's answer). The editor approves a group as a new
// article (optionally editing it), merges it into an existing article as alternative questions, or
// dismisses it. The second tab reports the questions the bot could not answer, most frequent first.
// Everything customers and agents wrote goes in as text (el(..., {text}) sets textContent).

import { $, el, say, seg } from "baton/dom.js";
import { t, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { badge, languageName, showError } from "baton/ui.js";

const ui = {
  list: $("#suggestions"),
  error: $("#sug-error"),
  tabs: [...document.querySelectorAll('[role="tab"]')],
  filters: $("#unanswered-filters"),
  rows: $("#unanswered-rows"),
  empty: $("#unanswered-empty"),
  count: $("#unanswered-count"),
  unansError: $("#unans-error"),
};
// Only agents (and admins) may open a conversation; editors just read the suggestion.
const linkConversations = ui.list.hasAttribute("data-link-conversations");

const articleLink = (a, testid) =>
  el("a", { href: `/workbench/kb/articles/${seg(a.id)}`, "data-testid": testid, text: a.title });

const field = (label, control) => el("div", { class: "field" }, el("label", { for: control.id, text: label }), control);

function card(g) {
  const n = `sug-${g.id}`;
  const title = el("input", { type: "text", id: `${n}-title`, "data-testid": "suggestion-title", maxlength: 300 });
  title.value = g.question ?? "";
  const question = el("input", { type: "text", id: `${n}-question`, "data-testid": "suggestion-question", maxlength: 500 });
  question.value = g.question ?? "";
  const answer = el("textarea", { id: `${n}-answer`, "data-testid": "suggestion-answer", rows: 5 });
  answer.value = g.answer ?? "";
  const tags = el("input", { type: "text", id: `${n}-tags`, "data-testid": "suggestion-tags", maxlength: 500 });
  const status = el("p", { class: "notice", role: "status", "data-testid": "suggestion-result", hidden: true });
  const error = el("p", { class: "notice notice--error", role: "alert", hidden: true });
  const approve = el("button", { type: "button", class: "btn btn--primary", "data-testid": "approve-button", text: t("sug.approve") });
  const mergeOpen = el("button", { type: "button", class: "btn", "data-testid": "merge-button", "aria-expanded": "false", text: t("sug.merge") });
  const dismiss = el("button", { type: "button", class: "btn btn--ghost", "data-testid": "dismiss-button", text: t("sug.dismiss") });
  const controls = [title, question, answer, tags, approve, mergeOpen, dismiss];

  // "Already covered by …?": the article search found for the question when it came in.
  let similar = null;
  if (g.similar_article) {
    const quick = el("button", { type: "button", class: "btn btn--small", "data-testid": "merge-similar", text: t("sug.merge_similar") });
    controls.push(quick);
    quick.addEventListener("click", () => merge(g.similar_article));
    similar = el(
      "p",
      { class: "notice notice--warn suggestion__similar", "data-testid": "similar-article" },
      `${t("sug.similar")} `,
      articleLink(g.similar_article, "similar-article-link"),
      "? ",
      el("span", { class: "muted", text: t("sug.similar_score", { score: Number(g.similar_article.similarity ?? 0).toFixed(2) }) }),
      " ",
      quick,
    );
  }

  const phrasings =
    (g.phrasings ?? []).length > 1
      ? el(
          "div",
          { class: "suggestion__block" },
          el("h3", { text: t("sug.phrasings") }),
          el(
            "ul",
            { class: "suggestion__phrasings" },
            g.phrasings.map((p) =>
              el("li", { "data-testid": "suggestion-phrasing" }, el("span", { text: p.text }), p.count > 1 ? el("span", { class: "muted", text: ` ×${p.count}` }) : null),
            ),
          ),
        )
      : null;

  const answers =
    (g.answers ?? []).length > 1
      ? el(
          "div",
          { class: "suggestion__block" },
          el("h3", { text: t("sug.answers") }),
          el(
            "ol",
            { class: "suggestion__answers" },
            g.answers.map((a) => {
              const use = el("button", { type: "button", class: "btn btn--small btn--ghost", "data-testid": "use-answer", text: t("sug.use_answer") });
              controls.push(use);
              use.addEventListener("click", () => {
                answer.value = a.answer;
                answer.focus();
              });
              return el(
                "li",
                { "data-testid": "suggestion-agent-answer" },
                el("p", { class: "suggestion__answer", text: a.answer }),
                el("span", { class: "muted", text: formatDateTime(a.created_at) }),
                " ",
                use,
              );
            }),
          ),
        )
      : null;

  // Merge into…: find an article of the same language by title, then merge there.
  const search = el("input", { type: "search", id: `${n}-merge-q`, "data-testid": "merge-search", placeholder: t("sug.merge.search") });
  const append = el("input", { type: "checkbox", id: `${n}-merge-append`, "data-testid": "merge-append" });
  const results = el("ul", { class: "results", "data-testid": "merge-results" });
  const mergeBox = el(
    "div",
    { class: "suggestion__merge", hidden: true, "data-testid": "merge-box" },
    field(t("sug.merge.search"), search),
    el("div", { class: "field field--check" }, append, el("label", { for: append.id, text: t("sug.merge.append") })),
    results,
  );
  controls.push(search, append);

  const node = el(
    "article",
    { class: "panel suggestion", "data-testid": "suggestion", "data-id": g.id },
    el("h2", { class: "suggestion__question", text: g.question }),
    el(
      "div",
      { class: "suggestion__meta" },
      el("strong", { "data-testid": "suggestion-count", "data-count": g.count, text: t("sug.count", { n: g.count }) }),
      el("span", { text: languageName(g.language) }),
      el("span", { text: t("sug.last_seen", { time: formatDateTime(g.last_seen_at ?? g.created_at) }) }),
      g.conversation_id && linkConversations
        ? el("a", { href: `/workbench/conversations/${seg(g.conversation_id)}`, text: t("sug.conversation") })
        : null,
    ),
    similar,
    phrasings,
    answers,
    field(t("sug.field.title"), title),
    field(t("sug.field.question"), question),
    field(t("sug.field.answer"), answer),
    field(t("sug.field.tags"), tags),
    (g.phrasings ?? []).length > 1 ? el("p", { class: "muted", text: t("sug.approve_hint") }) : null,
    el("div", { class: "actions" }, approve, mergeOpen, dismiss),
    mergeBox,
    status,
    error,
  );

  const finish = (text, link) => {
    controls.forEach((c) => (c.disabled = true));
    results.querySelectorAll("button").forEach((b) => (b.disabled = true));
    node.classList.add("suggestion--done");
    status.replaceChildren(...[el("strong", { text }), link && " · ", link].filter(Boolean));
    status.hidden = false;
  };

  let busy = false;
  async function act(action) {
    if (busy) return;
    busy = true;
    controls.forEach((c) => (c.disabled = true));
    say(error, "");
    try {
      await action();
    } catch (err) {
      showError(error, err);
      controls.forEach((c) => (c.disabled = false));
    } finally {
      busy = false;
    }
  }

  function merge(article) {
    return act(async () => {
      const res = await api("POST", `/api/v1/kb/suggestions/${seg(g.id)}/merge`, {
        article_id: article.id,
        append_answer: append.checked ? answer.value.trim() || true : false,
      });
      finish(t("sug.merged"), articleLink(res.article, "suggestion-article"));
    });
  }

  let latest = 0;
  async function findArticles() {
    const ticket = ++latest;
    const params = new URLSearchParams({ language: g.language });
    if (search.value.trim()) params.set("q", search.value.trim());
    try {
      const { items = [] } = await api("GET", `/api/v1/kb/articles?${params}`);
      if (ticket !== latest) return;
      results.replaceChildren(
        ...(items.length
          ? items.slice(0, 8).map((a) => {
              const pick = el("button", { type: "button", class: "btn btn--small", "data-testid": "merge-pick", text: t("sug.merge.pick") });
              pick.addEventListener("click", () => merge(a));
              return el(
                "li",
                { class: "result", "data-testid": "merge-result", "data-article-id": a.id },
                el("div", { class: "result__head" }, el("span", { text: a.title }), badge("article.status", a.status)),
                pick,
              );
            })
          : [el("li", { class: "list__empty", text: t("sug.merge.none") })]),
      );
    } catch (err) {
      if (ticket === latest) showError(error, err);
    }
  }
  let debounce = 0;
  search.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(findArticles, 250);
  });
  mergeOpen.addEventListener("click", () => {
    mergeBox.hidden = !mergeBox.hidden;
    mergeOpen.setAttribute("aria-expanded", String(!mergeBox.hidden));
    if (!mergeBox.hidden) {
      findArticles();
      search.focus();
    }
  });

  approve.addEventListener("click", () =>
    act(async () => {
      const { article } = await api("POST", `/api/v1/kb/suggestions/${seg(g.id)}/approve`, {
        title: title.value.trim(),
        question: question.value.trim(),
        answer: answer.value.trim(),
        tags: tags.value
          .split(/[,，]/)
          .map((s) => s.trim())
          .filter(Boolean),
      });
      finish(t("sug.published"), el("a", { href: `/workbench/kb/articles/${seg(article.id)}`, "data-testid": "suggestion-article", text: t("sug.view") }));
    }),
  );
  dismiss.addEventListener("click", () =>
    act(async () => {
      await api("POST", `/api/v1/kb/suggestions/${seg(g.id)}/dismiss`);
      finish(t("sug.dismissed"));
    }),
  );
  return node;
}

async function loadSuggestions() {
  try {
    const { items = [] } = await api("GET", "/api/v1/kb/suggestions?status=open");
    ui.list.replaceChildren(...(items.length ? items.map(card) : [el("p", { class: "list__empty", text: t("sug.empty") })]));
  } catch (err) {
    showError(ui.error, err);
  }
}

// The unanswered-questions report.

function covered(g) {
  const by = g.covered_by ?? {};
  if (by.article) {
    return el("span", { "data-testid": "unanswered-covered", "data-covered": "article" }, `${t("unans.covered.article")} `, articleLink(by.article, "unanswered-article"));
  }
  if (by.suggestion && by.suggestion.status === "open") {
    return el("span", { class: "badge badge--queued", "data-testid": "unanswered-covered", "data-covered": "suggestion", text: t("unans.covered.suggestion") });
  }
  if (by.suggestion) {
    return el("span", {
      class: "badge badge--published",
      "data-testid": "unanswered-covered",
      "data-covered": "suggestion",
      text: t("unans.covered.reviewed", { status: t(`sug.status.${by.suggestion.status}`) }),
    });
  }
  return el("span", { class: "muted", "data-testid": "unanswered-covered", "data-covered": "none", text: t("unans.covered.none") });
}

function unansweredRow(g) {
  const others = (g.phrasings ?? []).filter((p) => p.text !== g.question);
  const examples = (g.conversation_ids ?? []).map((id) =>
    linkConversations
      ? el("a", { href: `/workbench/conversations/${seg(id)}`, class: "mono", text: id.slice(0, 8) })
      : el("span", { class: "mono", title: id, text: id.slice(0, 8) }),
  );
  return el(
    "tr",
    { "data-testid": "unanswered-row", "data-id": g.id },
    el(
      "td",
      {},
      el("strong", { "data-testid": "unanswered-question", text: g.question }),
      others.length ? el("ul", { class: "suggestion__phrasings muted" }, others.map((p) => el("li", { text: p.text }))) : null,
    ),
    el(
      "td",
      {},
      el("span", { "data-testid": "unanswered-count", text: String(g.count) }),
      el("div", {
        class: "muted small",
        text: t("unans.reasons", { dont_know: g.reasons?.dont_know ?? 0, low_confidence: g.reasons?.low_confidence ?? 0 }),
      }),
    ),
    el("td", { class: "muted", text: formatDateTime(g.last_seen) }),
    el("td", { text: languageName(g.language) }),
    el("td", { class: "examples" }, ...examples.flatMap((e, i) => (i ? [" ", e] : [e]))),
    el("td", {}, covered(g)),
  );
}

let latestReport = 0;
async function loadUnanswered() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(ui.filters)) if (String(value)) params.set(key, String(value));
  const ticket = ++latestReport;
  try {
    const { items = [] } = await api("GET", `/api/v1/kb/unanswered?${params}`);
    if (ticket !== latestReport) return;
    ui.rows.replaceChildren(...items.map(unansweredRow));
    say(ui.empty, items.length ? "" : t("unans.empty"));
    ui.count.textContent = t("unans.count", { n: items.length });
    showError(ui.unansError, null);
  } catch (err) {
    if (ticket === latestReport) showError(ui.unansError, err);
  }
}

for (const option of ui.filters.querySelector('[name="days"]').options) {
  option.textContent = t("unans.days_n", { n: option.value });
}
ui.filters.addEventListener("change", loadUnanswered);
ui.filters.addEventListener("submit", (ev) => {
  ev.preventDefault();
  loadUnanswered();
});

// Tabs, kept in the URL's hash so a reload or a link opens the same one.
const loaded = new Set();
function showTab(name) {
  if (!ui.tabs.some((tab) => tab.dataset.tab === name)) name = "suggestions";
  for (const tab of ui.tabs) {
    const on = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
  }
  if (name === "unanswered") {
    loadUnanswered(); // fresh each time: an approval or a merge may have covered a question
  } else if (!loaded.has(name)) {
    loaded.add(name);
    loadSuggestions();
  }
}
for (const tab of ui.tabs) {
  tab.addEventListener("click", () => {
    history.replaceState(null, "", tab.dataset.tab === "suggestions" ? location.pathname + location.search : `#${tab.dataset.tab}`);
    showTab(tab.dataset.tab);
  });
}
window.addEventListener("hashchange", () => showTab(location.hash.slice(1)));
showTab(location.hash.slice(1));
