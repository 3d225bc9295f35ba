// "What would the bot answer?" on the article editor. (The article's own Markdown preview is
// markdown.js.)

import { el, seg } from "baton/dom.js";
import { t, tOr } from "baton/strings.js";
import { api } from "baton/api.js";

// "What would the bot answer?": a question goes to POST /api/v1/kb/answer-preview, which runs the
// bot's own answer path; the panel shows the answer as the customer would see it, its sources, and
// the ranked results with their scores. Everything is set as text.

const fmt = (n) => (Number.isFinite(n) ? n.toFixed(3) : "—");

function verdict(p) {
  const scores = t("answer.confidence", { score: fmt(p.confidence), threshold: fmt(p.threshold) });
  const head = p.answered ? t("answer.would_answer", { mode: t(`answer.mode.${p.mode}`) }) : t("answer.would_not");
  return el(
    "div",
    { class: "answer-preview__verdict" },
    el("strong", { "data-testid": "answer-verdict", text: head }),
    el("span", { class: "muted", text: ` · ${scores}` }),
    p.reason ? el("p", { class: "muted", "data-testid": "answer-reason", text: tOr(`answer.reason.${p.reason}`, p.reason) }) : null,
    p.intent
      ? el("p", { class: "muted", text: t("answer.intent", { intent: p.intent, confidence: fmt(p.intent_confidence) }) })
      : null,
  );
}

const sourceLabel = (c) => (c.heading ? `${c.title} › ${c.heading}` : c.title);

function citation(c) {
  return el(
    "li",
    { "data-testid": "answer-citation", "data-article-id": c.article_id },
    c.ref ? `[${c.ref}] ` : "",
    el("a", { href: `/workbench/kb/articles/${seg(c.article_id)}`, text: sourceLabel(c) }),
    el("span", { class: "result__score", text: ` · ${fmt(c.score)}` }),
  );
}

function match(r) {
  if (r.match_kind === "body") return r.heading ? t("answer.match.section", { heading: r.heading }) : t("answer.match.body");
  return tOr(`answer.match.${r.match_kind}`, r.match_kind);
}

function result(r, current) {
  const self = r.article_id === current;
  const scores = t("answer.scores", {
    vector: fmt(r.vector_score),
    lexical: fmt(r.lexical_score),
    classifier: fmt(r.classifier_score),
    score: fmt(r.score),
  });
  return el(
    "li",
    { class: `result${self ? " result--self" : ""}`, "data-testid": "test-result", "data-article-id": r.article_id },
    el(
      "div",
      { class: "result__head" },
      el("a", { href: `/workbench/kb/articles/${seg(r.article_id)}`, text: self ? `${r.title} (${t("edit.test.this_article")})` : r.title }),
      el("span", { class: "result__score", "data-testid": "result-score", text: fmt(r.score) }),
    ),
    el("p", { class: "result__snippet", text: `${match(r)} — ${r.snippet}` }),
    el("p", { class: "result__scores", "data-testid": "result-scores", text: scores }),
  );
}

const signed = (n) => (n >= 0 ? `+${n.toFixed(2)}` : n.toFixed(2));

// why explains the first result's probability: which decision model, whether the classifier and
// the calibration took part, and each signal's value and effect (log-odds added), the strongest
// first. Score = 1 / (1 + e^-(start + Σ effects)).
function why(r) {
  const ev = r?.evidence;
  if (!ev) return null;
  const signals = [...(ev.signals ?? [])].filter((s) => s.contribution !== 0).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const row = (name, value, effect, testid) =>
    el(
      "tr",
      testid ? { "data-testid": testid } : {},
      el("td", { text: name }),
      el("td", { class: "n", text: value }),
      el("td", { class: `n ${effect.startsWith("-") ? "why--against" : "why--for"}`, text: effect }),
    );
  return el(
    "details",
    { class: "answer-preview__why", "data-testid": "answer-why", open: "" },
    el("summary", { text: `${t("answer.why")} · ${r.title} · ${fmt(r.score)}` }),
    el("p", { class: "muted", "data-testid": "answer-why-model", text: tOr(`answer.why.model.${ev.model}`, ev.model) }),
    ev.classifier ? el("p", { class: "muted", text: t("answer.why.classifier") }) : null,
    el("p", { class: "muted", "data-testid": "answer-why-calibration", text: t(ev.vector_scores === "left_out" ? "answer.why.left_out" : ev.calibrated ? "answer.why.calibrated" : "answer.why.raw") }),
    el(
      "table",
      { class: "answer-preview__signals" },
      el("thead", {}, el("tr", {}, el("th", { text: t("answer.why.signal") }), el("th", { text: t("answer.why.value") }), el("th", { text: t("answer.why.effect") }))),
      el(
        "tbody",
        {},
        row(t("answer.why.start"), "", signed(ev.bias)),
        signals.map((s) => row(tOr(`answer.signal.${s.name}`, s.name), fmt(s.value), signed(s.contribution), "answer-signal")),
      ),
    ),
  );
}

/** The answer panel's content for one preview (the API's answer). */
export function renderAnswer(p) {
  const cites = p.citations ?? [];
  return [
    verdict(p),
    why((p.results ?? [])[0]),
    p.answered ? el("div", { class: "answer-preview__text", "data-testid": "answer-text", text: p.text }) : null,
    cites.length
      ? el("div", {}, el("h3", { text: t("answer.sources") }), el("ul", { class: "answer-preview__cites", "data-testid": "answer-citations" }, cites.map(citation)))
      : null,
    el("h3", { text: t("answer.results") }),
  ];
}

/**
 * Wires the "what would the bot answer?" form: on submit it asks the API and shows the answer in
 * output and the ranked results in results. language() gives the customer's language; current()
 * the article being edited (marked in the results).
 */
export function answerPreview({ form, input, output, results, language = () => "", current = () => 0 }) {
  let ticket = 0;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    const mine = ++ticket;
    output.hidden = false;
    output.dataset.state = "loading";
    output.replaceChildren(el("p", { class: "muted", text: t("common.loading") }));
    try {
      const p = await api("POST", "/api/v1/kb/answer-preview", { question, language: language() });
      if (mine !== ticket) return; // a newer question was asked meanwhile
      output.dataset.state = p.answered ? "answered" : "unanswered";
      output.dataset.mode = p.mode ?? "";
      output.replaceChildren(...renderAnswer(p));
      const rs = p.results ?? [];
      results.replaceChildren(...(rs.length ? rs.map((r) => result(r, current())) : [el("li", { class: "muted", text: t("edit.test.empty") })]));
    } catch (err) {
      if (mine !== ticket) return;
      output.dataset.state = "error";
      output.replaceChildren(el("p", { class: "notice notice--error", text: t("common.error", { error: err.message }) }));
      results.replaceChildren();
    }
  });
}
