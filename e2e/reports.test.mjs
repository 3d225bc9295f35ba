// The reports page in a real browser against the real binary: two customers start conversations
// (one in Chinese, one in English who asks for a person, whom an agent takes and answers); the
// supervisor opens Reports from the nav, sees the tiles and Chart.js charts, narrows the range to
// one with no data (empty states) and back, filters by the handoff's team, and downloads a CSV;
// an agent gets no Reports link, a 403 page and a 403 from the API.
//
// Run: make build && node --test e2e/reports.test.mjs

import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { readFile, rm } from "node:fs/promises";

import { demoAccounts, eventually, launchBrowser, openPage, signIn, staffCall, startBaton, stepper, stopBaton } from "./helpers.mjs";

const WAIT = 20_000;
const STEP = { timeout: 60_000 };

let baton;
let browser;
const pages = {};
const pageErrors = [];
let skill;

const step = stepper("reports", { pages, log: () => baton?.log(), options: STEP });

const newPage = (name, locale) =>
  openPage(browser, { baseURL: baton.baseURL, name, locale, pages, errors: pageErrors, timeout: WAIT, viewport: { width: 1300, height: 1000 }, acceptDownloads: true });


async function call(method, path, { token, body } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(baton.baseURL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Waits for the page to finish drawing a report and returns the tiles' numbers by test id. */
async function readyReport(page) {
  await page.locator('body[data-report-state="ready"]').waitFor();
  return page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll(".rep-tile")].map((t) => [t.dataset.testid, t.querySelector(".rep-tile__value").textContent])),
  );
}

const hasChart = (page, section) =>
  page.evaluate((s) => Boolean(window.Chart.getChart(document.querySelector(`canvas[data-section="${s}"]`))), section);

describe("reports", () => {
  before(
    async () => {
      baton = await startBaton();
      await eventually(() => {
        const accounts = demoAccounts(baton.log());
        return accounts.agent && accounts.supervisor && (baton.accounts = accounts);
      });
      browser = await launchBrowser();

      await call("POST", "/api/v1/conversations", { body: { customer: { name: "李雷", language: "zh" }, channel: "web" } });
      const en = await call("POST", "/api/v1/conversations", { body: { customer: { name: "Ann", language: "en" }, channel: "web" } });
      const id = en.conversation.id;
      const handed = await call("POST", `/api/v1/conversations/${id}/messages`, { token: en.customer_token, body: { text: "I want to talk to a human" } });
      assert.equal(handed.conversation.status, "queued", JSON.stringify(handed));
      const { token } = await call("POST", "/api/v1/auth/login", { body: baton.accounts.agent });
      await call("POST", `/api/v1/conversations/${id}/claim`, { token });
      await call("POST", `/api/v1/conversations/${id}/agent-messages`, { token, body: { text: "Hello, Ann here to help" } });
    },
    { timeout: 120_000 },
  );

  after(
    async () => {
      await browser?.close();
      await stopBaton(baton, 20_000);
      await rm(baton.dataDir, { recursive: true, force: true });
      assert.deepEqual(pageErrors, []);
    },
    { timeout: 60_000 },
  );

  step("a supervisor opens Reports and sees tiles, charts and tables", async () => {
    const page = await newPage("supervisor", "en-US");
    await signIn(page, baton.accounts.supervisor);
    await page.getByTestId("nav-reports").click();
    await page.waitForURL((u) => u.pathname === "/workbench/reports");
    const tiles = await readyReport(page);
    assert.equal(tiles["tile-conversations"], "2");
    assert.equal(tiles["tile-handoffs"], "1");
    assert.equal(tiles["tile-containment"], "50%");
    for (const s of ["hours", "days", "languages", "bot", "times"]) assert.ok(await hasChart(page, s), `${s} has a chart`);
    const langs = page.locator('[data-testid="rep-table"][data-section="languages"] tbody tr');
    assert.deepEqual((await langs.allTextContents()).sort(), ["Chinese1", "English1"]);
    // No CSAT in the demo: the section says so instead of drawing an empty chart.
    await page.locator('[data-section="csat"] [data-testid="rep-empty"]').waitFor();
    assert.equal(await hasChart(page, "csat"), false);
    // One handoff, answered: its team's row and its agent's, with a first-response time.
    const times = page.locator('[data-testid="rep-table"][data-section="times"] tbody tr');
    assert.equal(await times.count(), 2);
    const team = times.first().locator("td");
    assert.equal(await team.nth(0).textContent(), "Team");
    skill = await team.nth(1).textContent();
    assert.equal(await team.nth(2).textContent(), "1");
    assert.notEqual(await team.nth(3).textContent(), "—", "a first response time");
    assert.equal(await times.nth(1).locator("td").first().textContent(), "Agent");
  });

  step("changing the range and the team redraws every section", async () => {
    const page = pages.supervisor;
    const from = await page.getByTestId("rep-from").inputValue();
    const to = await page.getByTestId("rep-to").inputValue();
    await page.getByTestId("rep-from").fill("2020-01-01");
    await page.getByTestId("rep-to").fill("2020-01-07");
    await page.getByTestId("rep-apply").click();
    await eventually(async () => (await readyReport(page))["tile-conversations"] === "0", { what: "an empty range" });
    assert.match(page.url(), /from=2020-01-01&to=2020-01-07/);
    await page.locator('[data-section="hours"] [data-testid="rep-empty"]').waitFor();
    assert.equal(await hasChart(page, "hours"), false);

    await page.getByTestId("rep-from").fill(from);
    await page.getByTestId("rep-to").fill(to);
    await page.getByTestId("rep-team").selectOption(skill);
    await page.getByTestId("rep-apply").click();
    await eventually(async () => (await readyReport(page))["tile-conversations"] === "2", { what: "today's range again" });
    assert.match(page.url(), new RegExp(`team=${skill}`));
    const rows = await page.locator('[data-testid="rep-table"][data-section="times"] tbody tr').allTextContents();
    assert.ok(rows.length >= 1 && rows.every((r) => r.startsWith(`Team${skill}`) || r.startsWith("Agent")), rows.join(" | "));
    assert.ok(await hasChart(page, "times"));
  });

  step("a section downloads as CSV with the page's filters", async () => {
    const page = pages.supervisor;
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('[data-testid="rep-csv"][data-section="languages"]').click(),
    ]);
    assert.match(download.suggestedFilename(), /^baton-languages-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/);
    const text = await readFile(await download.path(), "utf8");
    assert.ok(text.startsWith("\uFEFF"), "a byte-order mark for Excel");
    assert.deepEqual(text.slice(1).trim().split("\n").sort(), ["en,1", "language,conversations", "zh,1"]);
  });

  step("an agent has no Reports link, gets a 403 page and a 403 from the API", async () => {
    const page = await newPage("agent", "en-US");
    await signIn(page, baton.accounts.agent);
    await page.goto("/workbench");
    assert.equal(await page.getByTestId("nav-reports").count(), 0);
    const res = await page.goto("/workbench/reports");
    assert.equal(res.status(), 403);
    assert.equal((await staffCall(page, "GET", "/api/v1/reports")).status, 403);
  });
});
