// The evaluations page: start a run of the built-in suites, follow it (the list refreshes while a
// run is going), open its report, and compare two runs metric by metric and case by case.

import { $, el, say, seg } from "baton/dom.js";
import { t, tOr, formatDateTime } from "baton/strings.js";
import { api } from "baton/api.js";
import { showError } from "baton/ui.js";

const ui = {
  error: $("#evals-error"),
  suites: $("#suite-list"),
  form: $("#start-form"),
  tags: $("#run-tags"),
  start: $("#run-start"),
  rows: $("#run-rows"),
  empty: $("#runs-empty"),
  compare: $("#compare"),
  cmp: $("#comparison"),
  cmpVerdict: $("#cmp-verdict"),
  cmpA: $("#cmp-a"),
  cmpB: $("#cmp-b"),
  cmpRows: $("#cmp-rows"),
  cmpFailing: $("#cmp-failing"),
  cmpFixed: $("#cmp-fixed"),
};

const num = (v, digits = 3) => (v === null || v === undefined ? "–" : Number(v).toFixed(digits));
let poll = null;
let selected = { base: null, run: null };

function fail(err) {
  ui.error.hidden = false;
  showError(ui.error, err);
}

async function loadSuites() {
  const { suites } = await api("GET", "/api/v1/eval/suites");
  for (const s of suites) {
    const id = `suite-${s.name}`;
    const langs = Object.entries(s.languages).map(([l, n]) => `${l} ${n}`).join(", ");
    ui.suites.append(
      el(
        "label",
        { class: "suite", for: id, "data-testid": "suite" },
        el("input", { type: "checkbox", id, value: s.name, checked: true }),
        " ",
        el("strong", { text: s.name }),
        " ",
        el("span", { class: "muted", text: t("evals.suite_cases", { n: s.cases, langs }) }),
        s.description ? el("span", { class: "muted", text: ` — ${s.description}` }) : "",
      ),
    );
  }
}

function runRow(r) {
  const s = r.summary || {};
  const status =
    r.status === "running"
      ? t("evals.running", { done: r.done_cases, total: r.total_cases })
      : tOr(`evals.status.${r.status}`, r.status);
  const radio = (name) =>
    el("input", {
      type: "radio",
      name,
      value: r.id,
      disabled: r.status !== "done",
      checked: selected[name] === r.id,
      "aria-label": `${t(`evals.col.${name}`)} #${r.id}`,
      "data-testid": `pick-${name}`,
      onchange: () => {
        selected[name] = r.id;
        ui.compare.disabled = !(selected.base && selected.run && selected.base !== selected.run);
      },
    });
  return el(
    "tr",
    { "data-testid": "run-row", "data-run": r.id, "data-status": r.status },
    el("td", {}, radio("base")),
    el("td", {}, radio("run")),
    el("td", { text: r.id }),
    el("td", { class: "nowrap", text: formatDateTime(r.created_at) }),
    el("td", { text: r.created_by || "–" }),
    el("td", { text: (r.suites || []).join(", ") + ((r.tags || []).length ? ` [${r.tags.join(", ")}]` : "") }),
    el("td", { "data-testid": "run-status", title: r.error || "", text: status + (r.error ? `: ${r.error}` : "") }),
    el("td", { class: "num", "data-testid": "run-passed", text: r.status === "done" ? `${r.passed} / ${r.cases}` : "–" }),
    el("td", { class: "num", text: num(s.intent_accuracy) }),
    el("td", { class: "num", text: num(s.slot_joint_accuracy) }),
    el("td", { class: "num", text: num(s.handoff_recall) }),
    el("td", { class: "num", text: num(s.containment_rate) }),
    el("td", { class: "num", text: num(s.wrong_answer_rate) }),
    el("td", { class: "num", text: s.latency_p95_ms === undefined ? "–" : `${num(s.latency_p95_ms, 0)} ms` }),
    el(
      "td",
      { class: "sticky-end" },
      r.status === "done"
        ? el("a", {
            href: `/api/v1/eval/runs/${seg(r.id)}/report?format=html`,
            target: "_blank",
            rel: "noopener",
            "data-testid": "run-report",
            text: t("evals.report"),
          })
        : "",
    ),
  );
}

async function loadRuns() {
  const { runs } = await api("GET", "/api/v1/eval/runs");
  ui.rows.replaceChildren(...runs.map(runRow));
  ui.empty.hidden = runs.length > 0;
  say(ui.empty, runs.length ? "" : t("evals.none"));
  const running = runs.some((r) => r.status === "running");
  ui.start.disabled = running;
  clearTimeout(poll);
  if (running) poll = setTimeout(() => loadRuns().catch(fail), 1500);
}

ui.form.addEventListener("submit", async (e) => {
  e.preventDefault();
  ui.error.hidden = true;
  const suites = [...ui.suites.querySelectorAll("input:checked")].map((i) => i.value);
  const tags = ui.tags.value.split(",").map((s) => s.trim()).filter(Boolean);
  try {
    ui.start.disabled = true;
    await api("POST", "/api/v1/eval/runs", { suites, tags });
  } catch (err) {
    fail(err);
  }
  await loadRuns().catch(fail);
});

ui.compare.addEventListener("click", async () => {
  ui.error.hidden = true;
  try {
    const { base, run, comparison: c } = await api(
      "GET",
      `/api/v1/eval/compare?base=${seg(selected.base)}&run=${seg(selected.run)}`,
    );
    say(ui.cmpA, `#${base.id}`);
    say(ui.cmpB, `#${run.id}`);
    ui.cmpRows.replaceChildren(
      ...c.metrics.map((m) =>
        el(
          "tr",
          { "data-testid": "cmp-row", "data-metric": m.metric, class: m.regression ? "is-regression" : "" },
          el("td", { text: tOr(`evals.m.${m.metric}`, m.metric) }),
          el("td", { class: "num", text: num(m.baseline) }),
          el("td", { class: "num", text: num(m.current) }),
          el("td", { class: "num", text: m.delta === null || m.delta === undefined ? "" : (m.delta > 0 ? "+" : "") + num(m.delta) }),
          el("td", { class: m.regression ? "bad" : "", text: m.regression ? t("evals.regression") : "" }),
        ),
      ),
    );
    const item = (x) => el("li", { text: `${x.case} (${tOr(`evals.was.${x.was}`, x.was)})` });
    ui.cmpFailing.replaceChildren(...(c.new_failures.length ? c.new_failures.map(item) : [el("li", { class: "muted", text: t("common.none") })]));
    ui.cmpFixed.replaceChildren(...(c.fixed.length ? c.fixed.map(item) : [el("li", { class: "muted", text: t("common.none") })]));
    say(ui.cmpVerdict, c.regressions.length ? t("evals.verdict_bad", { list: c.regressions.join("; ") }) : t("evals.verdict_ok"));
    ui.cmpVerdict.className = c.regressions.length ? "notice notice--error" : "notice";
    ui.cmp.hidden = false;
  } catch (err) {
    fail(err);
  }
});

Promise.all([loadSuites(), loadRuns()]).catch(fail);
