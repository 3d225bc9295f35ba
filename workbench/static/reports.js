// The reports page: reads the filters (the URL's, else the last seven days in the browser's time
// zone), fetches /api/v1/reports, and draws the headline tiles and, per section, a Chart.js chart
// (the vendored UMD build sets window.Chart), a table and a CSV link with the same filters.

import { $, el, say } from "baton/dom.js";
import { t, tOr } from "baton/strings.js";
import { api } from "baton/api.js";
import { channelName, languageName, showError } from "baton/ui.js";

const Chart = window.Chart;
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

const form = $("#rep-filters");
const ui = {
  error: $("#rep-error"),
  loading: $("#rep-loading"),
  tiles: $('[data-testid="rep-tiles"]'),
  tz: $("#rep-tz"),
};
const charts = new Map();

const pad = (n) => String(n).padStart(2, "0");
const isoDay = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** A cell's text: names translated, numbers as they are, null as "—". */
function show(column, v) {
  if (v === null || v === undefined || v === "") return column === "name" ? "" : t("common.none");
  switch (column) {
    case "channel":
      return channelName(v);
    case "language":
      return languageName(v);
    case "outcome":
    case "source":
    case "by":
      return tOr(`rep.val.${v}`, tOr(`reason.${v}`, v));
    case "intent":
      return tOr(`intent.${v}`, v);
  }
  return typeof v === "number" ? v.toLocaleString() : String(v);
}

/** rows as objects keyed by column. */
const objects = (table) => table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]])));

const bar = (labels, datasets, extra = {}) => ({ type: "bar", data: { labels, datasets }, options: extra });
const series = (rows, col) => ({ label: t(`rep.col.${col}`), data: rows.map((r) => r[col]) });

// What each section's chart shows (unanswered questions are a table only).
const chartSpecs = {
  hours: (rows) => bar(rows.map((r) => `${pad(r.hour)}:00`), [series(rows, "conversations")]),
  days: (rows) => ({
    type: "line",
    data: { labels: rows.map((r) => r.day), datasets: ["conversations", "customer_messages", "handoffs"].map((c) => series(rows, c)) },
  }),
  channels: (rows) => ({ type: "doughnut", data: { labels: rows.map((r) => channelName(r.channel)), datasets: [series(rows, "conversations")] } }),
  languages: (rows) => ({ type: "doughnut", data: { labels: rows.map((r) => languageName(r.language)), datasets: [series(rows, "conversations")] } }),
  bot: (rows) => ({ type: "doughnut", data: { labels: rows.map((r) => show("outcome", r.outcome)), datasets: [series(rows, "conversations")] } }),
  intents: (rows) => bar(rows.map((r) => show("intent", r.intent)), [series(rows, "conversations")], { indexAxis: "y" }),
  times: (rows) => {
    const teams = rows.filter((r) => r.by === "team");
    return bar(teams.map((r) => r.name), ["first_response_p50_s", "wait_p50_s", "handling_p50_s"].map((c) => series(teams, c)));
  },
  csat: (rows) =>
    bar(rows.map((r) => (r.name ? `${show("by", r.by)}: ${r.name}` : show("by", r.by))), [series(rows, "average")], {
      scales: { y: { min: 0, max: 5 } },
    }),
  tickets: (rows) =>
    bar(
      rows.map((r) => r.day),
      ["opened", "solved", "escalated", "sla_first_response_breaches", "sla_next_response_breaches"].map((c) => series(rows, c)),
    ),
  compliance: (rows) => bar(rows.map((r) => `${show("source", r.source)} · ${show("outcome", r.outcome)}`), [series(rows, "hits")]),
};

/** A table is empty when it has no rows or every count in it is 0 (the hours and days listed anyway). */
function isEmpty(table) {
  return !table.rows.some((r) => r.some((v, i) => typeof v === "number" && v !== 0 && table.columns[i] !== "hour"));
}

function drawTable(node, table) {
  node.replaceChildren(
    el("thead", {}, el("tr", {}, ...table.columns.map((c) => el("th", { text: tOr(`rep.col.${c}`, c) })))),
    el(
      "tbody",
      {},
      ...table.rows.map((r) =>
        el("tr", {}, ...r.map((v, i) => el("td", { class: typeof v === "number" ? "num" : null, text: show(table.columns[i], v) }))),
      ),
    ),
  );
}

function drawSection(section, table, query) {
  const key = section.dataset.section;
  const empty = isEmpty(table);
  section.dataset.empty = empty ? "true" : "false";
  $('[data-testid="rep-empty"]', section).hidden = !empty;
  const tableNode = $('[data-testid="rep-table"]', section);
  tableNode.hidden = empty;
  drawTable(tableNode, table);
  $('[data-testid="rep-csv"]', section).href = `/api/v1/reports/${key}.csv?${query}`;
  const canvas = $('[data-testid="rep-chart"]', section);
  charts.get(key)?.destroy();
  charts.delete(key);
  const spec = chartSpecs[key];
  canvas.parentElement.hidden = empty || !spec;
  if (!empty && spec) charts.set(key, new Chart(canvas, spec(objects(table))));
}

function tile(label, value, testid) {
  return el("div", { class: "rep-tile", "data-testid": testid }, el("div", { class: "rep-tile__value", text: value }), el("div", { class: "muted", text: label }));
}

function drawTiles(s) {
  const n = (v) => (v === null || v === undefined ? t("common.none") : v.toLocaleString());
  ui.tiles.replaceChildren(
    tile(t("rep.tile.conversations"), n(s.conversations), "tile-conversations"),
    tile(t("rep.tile.customer_messages"), n(s.customer_messages), "tile-customer-messages"),
    tile(t("rep.tile.handoffs"), n(s.handoffs), "tile-handoffs"),
    tile(t("rep.tile.containment"), s.containment_percent === null ? t("common.none") : `${s.containment_percent}%`, "tile-containment"),
    tile(t("rep.tile.csat", { n: s.csat_ratings }), n(s.csat_average), "tile-csat"),
    tile(t("rep.tile.tickets_opened"), n(s.tickets_opened), "tile-tickets-opened"),
    tile(t("rep.tile.tickets_solved"), n(s.tickets_solved), "tile-tickets-solved"),
    tile(t("rep.tile.tickets_escalated"), n(s.tickets_escalated), "tile-tickets-escalated"),
    tile(t("rep.tile.sla_breaches"), n(s.sla_breaches), "tile-sla-breaches"),
    tile(t("rep.tile.compliance_hits"), n(s.compliance_hits), "tile-compliance-hits"),
  );
}

function fillTeams(teams, chosen) {
  const select = form.elements.team;
  const keep = select.options[0];
  const names = chosen && !teams.includes(chosen) ? [...teams, chosen] : teams;
  select.replaceChildren(keep, ...names.map((name) => el("option", { value: name, text: name })));
  select.value = chosen;
}

async function load() {
  const query = new URLSearchParams(new FormData(form)).toString();
  history.replaceState(null, "", `${location.pathname}?${query}`);
  say(ui.error, "");
  ui.loading.hidden = false;
  document.body.dataset.reportState = "loading";
  try {
    const r = await api("GET", `/api/v1/reports?${query}`);
    fillTeams(r.teams, r.filter.team);
    say(ui.tz, t("rep.tz", { tz: r.filter.tz }));
    drawTiles(r.summary);
    for (const section of document.querySelectorAll('[data-testid="rep-section"]')) {
      const table = r.sections[section.dataset.section];
      if (table) drawSection(section, table, query);
    }
    document.body.dataset.reportState = "ready";
  } catch (err) {
    showError(ui.error, err);
    document.body.dataset.reportState = "error";
  } finally {
    ui.loading.hidden = true;
  }
}

// The URL's filters, else the last seven days (today included) in the browser's time zone.
const params = new URLSearchParams(location.search);
const today = new Date();
const weekAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6);
form.elements.from.value = params.get("from") || isoDay(weekAgo);
form.elements.to.value = params.get("to") || isoDay(today);
form.elements.tz.value = params.get("tz") || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const team = params.get("team") || "";
if (team) fillTeams([], team);

form.addEventListener("submit", (e) => {
  e.preventDefault();
  load();
});
load();
