// Draws what the bot reads in a message (POST /api/v1/bot/predict): the intent with its calibrated
// confidence against the threshold, the top five, the flags that change what the bot does (out of
// scope, ambiguous, a handoff trigger), the sentiment, and the slots it would fill. All text.

import { el } from "baton/dom.js";
import { t, tOr } from "baton/strings.js";
import { badge } from "baton/ui.js";

/** A probability as the YAML writes thresholds: 0.38. */
export const prob = (p) => Number(p ?? 0).toFixed(2);

/** A horizontal bar for p in [0, 1], with the threshold marked. */
function bar(p, threshold, testid) {
  const fill = el("span", { class: "bar__fill" });
  fill.style.width = `${Math.round(Math.min(1, Math.max(0, p)) * 1000) / 10}%`;
  const mark = el("span", { class: "bar__threshold", title: t("bot.threshold") });
  mark.style.left = `${Math.round(Math.min(1, Math.max(0, threshold)) * 1000) / 10}%`;
  return el("span", { class: `bar${p >= threshold ? " bar--above" : ""}`, "aria-hidden": "true", "data-testid": testid }, fill, mark);
}

/** "查询订单物流 track_order": the label in the page's language, then the name. */
function intentName(name, labelOf) {
  const label = labelOf(name);
  return [label && label !== name ? el("span", { class: "intent__label", text: label }) : null, el("code", { text: name })];
}

function pairs(map, testid) {
  const names = Object.keys(map ?? {}).sort();
  if (!names.length) return el("span", { class: "muted", text: t("common.none") });
  return el(
    "ul",
    { class: "pairs", "data-testid": testid },
    names.map((n) => el("li", { "data-slot": n }, el("code", { text: n }), " = ", el("span", { class: "pairs__value", text: map[n] }))),
  );
}

/** The whole result as nodes. labelOf(name) gives an intent's label in the page's language. */
export function renderPrediction(p, labelOf) {
  const threshold = p.threshold ?? 0;
  const ranked = (p.ranked ?? []).slice(0, 5);
  const outOfScope = !p.intent;
  const best = ranked[0];

  const flags = [];
  if (outOfScope) flags.push(el("span", { class: "badge badge--archived", "data-testid": "flag-out-of-scope", text: t("bot.try.out_of_scope") }));
  if (p.ambiguous) flags.push(el("span", { class: "badge badge--draft", "data-testid": "flag-ambiguous", text: t("bot.try.ambiguous") }));
  if (p.trigger) flags.push(badge("trigger", p.trigger, { "data-testid": "flag-trigger", "data-trigger": p.trigger }));

  const verdict = el(
    "div",
    { class: "prediction__verdict" },
    el(
      "p",
      { class: "prediction__intent", "data-testid": "predicted-intent", "data-intent": p.intent || "" },
      outOfScope ? el("strong", { text: t("bot.try.no_intent") }) : intentName(p.intent, labelOf),
    ),
    el(
      "div",
      { class: "prediction__confidence" },
      bar(p.confidence ?? 0, threshold, "confidence-bar"),
      el("span", { class: "prediction__number", "data-testid": "confidence", text: prob(p.confidence) }),
    ),
    el("p", {
      class: "muted prediction__note",
      text: outOfScope
        ? t("bot.try.out_of_scope_note", { threshold: prob(threshold), best: best ? labelOf(best.intent) : t("common.none") })
        : t("bot.try.confidence_note", { threshold: prob(threshold) }),
    }),
    flags.length ? el("p", { class: "prediction__flags" }, flags) : null,
  );

  const s = p.sentiment ?? {};
  const sentiment = [tOr(`sentiment.${s.label}`, s.label || t("common.none")), ` (${Number(s.score ?? 0).toFixed(2)})`];
  if (s.strong) sentiment.push(" · ", t("bot.try.strong"));
  const facts = el(
    "dl",
    { class: "facts prediction__facts" },
    el("dt", { text: t("bot.try.trigger") }),
    el("dd", { "data-testid": "trigger", text: p.trigger ? tOr(`trigger.${p.trigger}`, p.trigger) : t("bot.try.no_trigger") }),
    el("dt", { text: t("bot.try.sentiment") }),
    el("dd", { "data-testid": "sentiment", "data-label": s.label || "" }, sentiment),
    el("dt", { text: t("bot.try.slots") }),
    el("dd", {}, pairs(p.slots, "slots")),
    Object.keys(p.invalid ?? {}).length ? [el("dt", { text: t("bot.try.invalid") }), el("dd", {}, pairs(p.invalid, "invalid-slots"))] : null,
    el("dt", { text: t("bot.try.source") }),
    el("dd", { class: "muted", text: t("bot.try.source_value", { source: p.source || t("common.none"), version: p.version ?? "" }) }),
  );

  const ranking = el(
    "ol",
    { class: "ranking", "data-testid": "ranking" },
    ranked.map((r) =>
      el(
        "li",
        { class: `ranking__row${r.intent === p.intent ? " ranking__row--chosen" : ""}`, "data-testid": "ranked-intent", "data-intent": r.intent },
        el("span", { class: "ranking__name" }, intentName(r.intent, labelOf)),
        bar(r.prob, threshold),
        el("span", { class: "prediction__number", text: prob(r.prob) }),
      ),
    ),
  );

  return [
    el("div", { class: "prediction__main" }, verdict, facts),
    el("div", { class: "prediction__ranking" }, el("h3", { text: t("bot.try.ranking") }), ranking),
  ];
}
