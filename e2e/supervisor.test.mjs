// SLA timers and the supervisor's view in real browsers against the real binary: an admin sets a
// 12-second SLA over the API; a customer asks for a person while no agent is online; the agent's
// queue shows the timer counting down in the browser (green, then amber, then red) and the sweeper
// records the breach, which raises the conversation's priority; the supervisor (in Chinese) sees
// the queue, the breach and the agents' load change live, and reassigns the conversation to
// another agent and back to the queue.
//
// Run: make build && node --test e2e/supervisor.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { demoAccounts, eventually, launchBrowser, saveArtifacts, startBaton, stopBaton } from "./helpers.mjs";

const WAIT = 20_000; // longest any single UI expectation may take (the machine is shared)
const STEP = { timeout: 120_000 };
const SLA_SECONDS = 12; // amber from 9 s, red from 12 s
const ADMIN_EMAIL = "admin@e2e.test";

let baton;
let browser;
const pages = {};
const pageErrors = [];
let failedStep = null;

let adminToken;
let convID;
let agent;
let supervisor;
let queueRequests = [];

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
      await saveArtifacts(`supervisor ${name}`, pages, baton?.log());
      throw err;
    }
  });
}

async function newPage(name, locale) {
  const context = await browser.newContext({ baseURL: baton.baseURL, locale, viewport: { width: 1400, height: 1000 } });
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
  await page.getByTestId("user-email").filter({ hasText: email }).waitFor();
}

async function call(method, path, { token, body } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(baton.baseURL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe("SLA timers and the supervisor view", () => {
  before(
    async () => {
      baton = await startBaton();
      baton.accounts = await eventually(() => {
        const accounts = demoAccounts(baton.log());
        return accounts.agent && accounts.supervisor && accounts;
      }, { what: `the demo agent and supervisor accounts in the start-up log` });
      browser = await launchBrowser();
      ({ token: adminToken } = await call("POST", "/api/v1/auth/login", {
        body: { email: ADMIN_EMAIL, password: baton.adminPassword },
      }));
    },
    { timeout: 120_000 },
  );

  after(
    async () => {
      await browser?.close().catch(() => {});
      if (!baton) return;
      const stopped = await stopBaton(baton, 20_000);
      await rm(baton.dataDir, { recursive: true, force: true });
      assert.ok(!stopped.timedOut, "baton stopped within 20 s");
    },
    { timeout: 60_000 },
  );

  step("an admin sets a short SLA over the API; supervisors may read it, not change it", async () => {
    const set = await call("PUT", "/api/v1/sla", {
      token: adminToken,
      body: { targets: [{ min_priority: 0, name: "e2e", first_response_seconds: SLA_SECONDS, next_response_seconds: SLA_SECONDS }] },
    });
    assert.equal(set.targets[0].first_response_seconds, SLA_SECONDS);
    const { token: supToken } = await call("POST", "/api/v1/auth/login", { body: baton.accounts.supervisor });
    const read = await call("GET", "/api/v1/sla", { token: supToken });
    assert.deepEqual(read.targets, set.targets);
    const res = await fetch(`${baton.baseURL}/api/v1/sla`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${supToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ targets: [{ min_priority: 0, first_response_seconds: 999, next_response_seconds: 999 }] }),
    });
    assert.equal(res.status, 403);
    const { token: agentToken } = await call("POST", "/api/v1/auth/login", { body: baton.accounts.agent });
    const board = await fetch(`${baton.baseURL}/api/v1/supervisor`, { headers: { Authorization: `Bearer ${agentToken}` } });
    assert.equal(board.status, 403, "an agent cannot see the supervisor's board");
  });

  step("the agent and the supervisor open their pages", async () => {
    agent = await newPage("agent", "en-US");
    agent.on("request", (req) => {
      if (new URL(req.url()).pathname === "/api/v1/queue") queueRequests.push(performance.now());
    });
    await signIn(agent, baton.accounts.agent);
    await agent.locator('[data-testid="live-state"][data-state="live"]').waitFor();
    assert.equal(await agent.getByTestId("nav-supervisor").count(), 0, "agents have no supervisor link");

    supervisor = await newPage("supervisor", "zh-CN");
    await signIn(supervisor, baton.accounts.supervisor);
    await Promise.all([supervisor.waitForURL("**/workbench/supervisor"), supervisor.getByTestId("nav-supervisor").click()]);
    await supervisor.getByRole("heading", { name: "主管视图" }).waitFor();
    await supervisor.locator('[data-testid="live-state"][data-state="live"]').waitFor();
    const agentRow = supervisor.locator(`[data-testid="sup-agent"][data-email="${baton.accounts.agent.email}"]`);
    await agentRow.waitFor();
    assert.equal(await agentRow.locator('[data-field="load"]').textContent(), "0 / 3");
    assert.equal(await agentRow.locator('[data-field="presence"]').textContent(), "离线");
    await supervisor.locator('[data-testid="sla-tier"][data-name="e2e"]').filter({ hasText: `${SLA_SECONDS} 秒` }).waitFor();
    assert.equal(await supervisor.getByTestId("sla-save").count(), 0, "only admins save SLA targets");
  });

  step("a waiting customer's timer counts down in the agent's queue and turns amber, then red", async () => {
    const created = await call("POST", "/api/v1/conversations", { body: { customer: { name: "Lin", language: "en" } } });
    convID = created.conversation.id;
    await call("POST", `/api/v1/conversations/${convID}/messages`, {
      token: created.customer_token,
      body: { text: "I want to talk to a human" },
    });
    const handedOff = performance.now();

    const timer = agent.locator(`[data-testid="queue-item"][data-conversation-id="${convID}"] [data-testid="sla-timer"]`);
    await timer.waitFor();
    // The page itself notes every state and text the timer shows (sampled every 100 ms, so a slow
    // test process cannot miss one).
    await agent.evaluate((id) => {
      window.__sla = [];
      const t0 = Date.now();
      setInterval(() => {
        const n = document.querySelector(`[data-testid="queue-item"][data-conversation-id="${id}"] [data-testid="sla-timer"]`);
        const last = window.__sla.at(-1);
        if (n && (!last || last.state !== n.dataset.state || last.text !== n.textContent)) {
          window.__sla.push({ ms: Date.now() - t0, state: n.dataset.state, text: n.textContent });
        }
      }, 100);
    }, convID);
    const seen = async () => agent.evaluate(() => window.__sla);
    await eventually(async () => (await seen()).length > 0, { what: "the first sample" });
    const first = (await seen())[0];
    assert.equal(first.state, "ok", `green at first (${Math.round(performance.now() - handedOff)} ms after the handoff)`);
    assert.match(first.text, /^First reply in 0:(0\d|1[0-2])$/);

    // The countdown moves in the browser without asking the server again.
    let ticked = false;
    for (let tries = 0; tries < 4 && !ticked; tries++) {
      const requests = queueRequests.length;
      const before = await timer.textContent();
      await sleep(2200);
      ticked = queueRequests.length === requests && (await timer.textContent()) !== before;
    }
    assert.ok(ticked, `the timer ticked with no queue request: ${JSON.stringify(await seen())}`);

    await agent.locator(`[data-testid="queue-item"][data-conversation-id="${convID}"] [data-testid="sla-timer"][data-state="breached"]`)
      .waitFor({ timeout: SLA_SECONDS * 1000 + WAIT });
    const samples = await seen();
    const states = samples.map((x) => x.state).filter((x, i, all) => x !== all[i - 1]);
    assert.deepEqual(states, ["ok", "warn", "breached"], `green → amber → red: ${JSON.stringify(samples)}`);
    const amberAt = samples.find((x) => x.state === "warn").ms;
    const redAt = samples.find((x) => x.state === "breached").ms;
    assert.ok(redAt - amberAt >= 1500, `amber for a while before red (${amberAt} → ${redAt} ms)`);
    const texts = new Set(samples.filter((x) => x.state !== "breached").map((x) => x.text));
    assert.ok(texts.size >= 5, `the countdown showed each second or so: ${JSON.stringify(samples)}`);
    assert.match(await timer.textContent(), /^First reply overdue \d+:\d\d$/);
    assert.equal(await timer.evaluate((n) => getComputedStyle(n).color), "rgb(201, 52, 47)", "red is the danger colour");
  });

  step("the sweeper records the breach and raises the priority; the supervisor sees it live", async () => {
    const item = agent.locator(`[data-testid="queue-item"][data-conversation-id="${convID}"]`);
    await item.filter({ hasText: "Priority 20" }).waitFor({ timeout: WAIT }); // 10 for asking for a person, +10 for the breach
    await item.locator('[data-testid="sla-timer"][data-recorded="true"]').waitFor();

    const queue = supervisor.locator('[data-testid="sup-queue"][data-skill="general"]');
    await queue.locator('[data-field="waiting"]').filter({ hasText: /^1$/ }).waitFor();
    await queue.locator('[data-field="breaches"][data-open="1"]').waitFor();
    assert.match(await queue.locator('[data-field="longest"]').textContent(), /^0:(1\d|[2-5]\d)$/, "waiting about as long as the SLA");
    await supervisor.getByTestId("sup-breach-notice").filter({ hasText: "超出 SLA" }).waitFor();
    const row = supervisor.locator(`[data-testid="sup-conversation"][data-conversation-id="${convID}"]`);
    await row.locator('[data-testid="sla-timer"][data-state="breached"]').waitFor();
    assert.equal(await row.getAttribute("data-breached"), "true");
    assert.equal(await row.locator('[data-field="priority"]').textContent(), "20");
  });

  step("the agent claims it: the supervisor sees the load change live", async () => {
    const item = agent.locator(`[data-testid="queue-item"][data-conversation-id="${convID}"]`);
    await Promise.all([agent.waitForURL(`**/workbench/conversations/${convID}`), item.getByTestId("claim-button").click()]);
    await agent.locator('[data-testid="conversation-status"][data-status="assigned"]').waitFor();
    await agent.locator('[data-testid="conversation-sla"] [data-testid="sla-timer"][data-state="breached"]').waitFor();

    const agentRow = supervisor.locator(`[data-testid="sup-agent"][data-email="${baton.accounts.agent.email}"]`);
    await agentRow.locator('[data-field="load"]').filter({ hasText: "1 / 3" }).waitFor();
    const queue = supervisor.locator('[data-testid="sup-queue"][data-skill="general"]');
    await queue.locator('[data-field="waiting"]').filter({ hasText: /^0$/ }).waitFor();
    await queue.locator('[data-field="assigned"]').filter({ hasText: /^1$/ }).waitFor();
    const row = supervisor.locator(`[data-testid="sup-conversation"][data-conversation-id="${convID}"]`);
    await row.locator('[data-field="agent"]').filter({ hasText: "Demo Agent" }).waitFor();
  });

  step("the supervisor reassigns it to another agent, then back to the queue", async () => {
    const row = supervisor.locator(`[data-testid="sup-conversation"][data-conversation-id="${convID}"]`);
    const select = row.getByTestId("reassign-select");
    const adminOption = select.locator(`option[data-email="${ADMIN_EMAIL}"]`);
    await select.selectOption(await adminOption.getAttribute("value"));
    await row.getByTestId("reassign-button").click();
    await supervisor.getByTestId("sup-notice").filter({ hasText: "已转派" }).waitFor();
    await row.locator('[data-field="agent"]').filter({ hasText: "Admin" }).waitFor();
    const agentRow = supervisor.locator(`[data-testid="sup-agent"][data-email="${baton.accounts.agent.email}"]`);
    await agentRow.locator('[data-field="load"]').filter({ hasText: "0 / 3" }).waitFor();
    const adminRow = supervisor.locator(`[data-testid="sup-agent"][data-email="${ADMIN_EMAIL}"]`);
    await adminRow.locator('[data-field="load"]').filter({ hasText: "1 / 3" }).waitFor();

    // The agent's page learns live that someone else holds it now.
    await agent.locator("#reply-locked").filter({ hasText: "Another agent holds this conversation." }).waitFor();

    await select.selectOption("queue");
    assert.equal(await select.locator('option[value="queue"]').textContent(), "退回队列");
    await row.getByTestId("reassign-button").click();
    await supervisor.locator(`[data-testid="sup-conversation"][data-conversation-id="${convID}"][data-status="queued"]`).waitFor();
    await adminRow.locator('[data-field="load"]').filter({ hasText: "0 / 3" }).waitFor();
    const queue = supervisor.locator('[data-testid="sup-queue"][data-skill="general"]');
    await queue.locator('[data-field="waiting"]').filter({ hasText: /^1$/ }).waitFor();

    await agent.goto("/workbench");
    await agent.locator(`[data-testid="queue-item"][data-conversation-id="${convID}"] [data-testid="sla-timer"][data-state="breached"]`).waitFor();
  });

  step("no page threw an uncaught error", async () => {
    assert.deepEqual(pageErrors, []);
  });
});
