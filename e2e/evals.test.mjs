// The evaluations page in a real browser against the real binary: an evaluator starts a run of
// one built-in suite (the cases with one tag), watches it finish, runs it again, compares the two
// side by side and opens a report; an agent is turned away.
//
// Run: make build && node --test --test-concurrency=1 e2e/evals.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { eventually, launchBrowser, saveArtifacts, startBaton, stopBaton } from "./helpers.mjs";

const WAIT = 10_000;
const STEP = { timeout: 240_000 };

let baton;
let browser;
let evaluator;
const pages = {};
const pageErrors = [];
let failedStep = null;
const runIds = [];

function step(name, fn) {
  test(name, STEP, async (t) => {
    if (failedStep) {
      t.skip(`an earlier step failed: ${failedStep}`);
      return;
    }
    try {
      await fn(t);
    } catch (err) {
      failedStep = name;
      await saveArtifacts(`evals-${name}`, pages, baton?.log());
      throw err;
    }
  });
}

async function newPage(name, locale = "en-US") {
  const context = await browser.newContext({ baseURL: baton.baseURL, locale, viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(`${name}: ${err.message}`));
  pages[name] = page;
  return page;
}

async function signIn(page, { email, password }) {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login"), page.getByTestId("login-submit").click()]);
}

/** Starts a run of smalltalk-mixed's typo cases and waits until its row says done. */
async function runTypoCases(page) {
  const before = await page.getByTestId("run-row").count();
  for (const box of await page.locator('[data-testid="suite"] input').all()) {
    await box.setChecked((await box.getAttribute("value")) === "smalltalk-mixed");
  }
  await page.getByTestId("run-tags").fill("typo");
  await page.getByTestId("run-start").click();
  await eventually(async () => (await page.getByTestId("run-row").count()) === before + 1, { what: "the new run's row" });
  const row = page.getByTestId("run-row").first();
  const id = await row.getAttribute("data-run");
  assert.match(await row.getByTestId("run-status").textContent(), /running|done/);
  await eventually(async () => (await page.locator(`[data-testid="run-row"][data-run="${id}"]`).getAttribute("data-status")) === "done", {
    timeoutMs: 180_000,
    intervalMs: 500,
    what: `run ${id} to finish`,
  });
  const done = page.locator(`[data-testid="run-row"][data-run="${id}"]`);
  assert.match(await done.getByTestId("run-passed").textContent(), /^\d \/ 4$/, "4 typo cases");
  return id;
}

describe("the evaluations page", () => {
  before(
    async () => {
      baton = await startBaton();
      assert.ok(baton.accounts.evaluator, `no demo evaluator in the start-up log:\n${baton.log()}`);
      browser = await launchBrowser();
    },
    { timeout: 120_000 },
  );

  after(
    async () => {
      await browser?.close().catch(() => {});
      if (!baton) return;
      const stopped = await stopBaton(baton, 20_000);
      await rm(baton.dataDir, { recursive: true, force: true });
      assert.ok(!stopped.timedOut, "baton did not exit within 20 s of SIGTERM");
    },
    { timeout: 60_000 },
  );

  step("evaluator: lands on the evaluations page and sees the built-in suites", async () => {
    evaluator = await newPage("evaluator");
    await signIn(evaluator, baton.accounts.evaluator);
    assert.equal(new URL(evaluator.url()).pathname, "/workbench/evals");
    await evaluator.getByTestId("suite").first().waitFor();
    const names = await evaluator.locator('[data-testid="suite"] input').evaluateAll((els) => els.map((e) => e.value));
    for (const n of ["faq-zh", "faq-en", "tasks-zh", "tasks-en", "handoff", "oos", "vip", "smalltalk-mixed"]) {
      assert.ok(names.includes(n), `suite ${n} is offered: ${names}`);
    }
    await eventually(async () => /No runs yet/.test(await evaluator.locator("#runs-empty").textContent()), { what: "the empty run list" });
  });

  step("evaluator: starts a run and sees it finish with its figures", async () => {
    runIds.push(await runTypoCases(evaluator));
    // The report link stays inside the runs card, on a laptop's width too.
    for (const width of [1400, 1024]) {
      await evaluator.setViewportSize({ width, height: 900 });
      const inCard = await evaluator.getByTestId("run-report").first().evaluate((a) => {
        const link = a.getBoundingClientRect();
        const card = a.closest(".panel").getBoundingClientRect();
        return link.left >= card.left && link.right <= card.right && link.right <= window.innerWidth;
      });
      assert.ok(inCard, `the report link is in view at ${width} px`);
    }
    await evaluator.setViewportSize({ width: 1400, height: 900 });
  });

  step("evaluator: a second run, compared with the first, shows no regression", async () => {
    runIds.push(await runTypoCases(evaluator));
    await evaluator.locator(`[data-testid="run-row"][data-run="${runIds[0]}"] [data-testid="pick-base"]`).check();
    await evaluator.locator(`[data-testid="run-row"][data-run="${runIds[1]}"] [data-testid="pick-run"]`).check();
    await evaluator.getByTestId("compare").click();
    await evaluator.getByTestId("comparison").waitFor();
    assert.match(await evaluator.getByTestId("cmp-verdict").textContent(), /No regression/);
    const metrics = await evaluator.getByTestId("cmp-row").evaluateAll((rows) => rows.map((r) => r.dataset.metric));
    assert.ok(metrics.includes("intent_accuracy") && metrics.includes("wrong_answer_rate"), metrics.join(","));
  });

  step("evaluator: opens the HTML report of a run", async () => {
    const [report] = await Promise.all([
      evaluator.context().waitForEvent("page"),
      evaluator.locator(`[data-testid="run-row"][data-run="${runIds[0]}"] [data-testid="run-report"]`).click(),
    ]);
    await report.waitForLoadState();
    assert.match(await report.title(), /Baton evaluation: \d\/4 cases passed/);
    assert.ok((await report.locator("svg").count()) >= 2, "charts");
  });

  step("agent: the evaluations page is not for agents", async () => {
    const agent = await newPage("agent");
    await signIn(agent, baton.accounts.agent);
    const res = await agent.goto("/workbench/evals");
    assert.equal(res.status(), 403);
    assert.equal(await agent.getByTestId("nav-evals").count(), 0);
  });

  step("no page threw an uncaught error", async () => {
    assert.deepEqual(pageErrors, []);
  });
});
