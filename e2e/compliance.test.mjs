// Compliance rules in real browsers against the real binary: an admin adds a block rule and a
// warn rule on the compliance page; an agent's reply with the blocked phrase is not sent and the
// phrase is marked in the reply box, which keeps the draft; a reply with the warned phrase is sent
// after "Send anyway"; the admin then sees the hits on the page.
//
// Run: make build && node --test e2e/compliance.test.mjs

import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { demoAccounts, eventually, launchBrowser, openPage, signIn, startBaton, stepper, stopBaton } from "./helpers.mjs";

const WAIT = 20_000;
const STEP = { timeout: 90_000 };
const BLOCKED = "This is our forbidden promise to you.";
const WARNED = "We always have the best price in town.";

let baton;
let browser;
const pages = {};
const pageErrors = [];
let convID;
let customerToken;

const step = stepper("compliance", { pages, log: () => baton?.log(), options: STEP });

const newPage = (name, locale) =>
  openPage(browser, { baseURL: baton.baseURL, name, locale, pages, errors: pageErrors, timeout: WAIT, viewport: { width: 1400, height: 1000 } });


async function call(method, path, { token, body } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(baton.baseURL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function agentMessages() {
  const { messages } = await call("GET", `/api/v1/conversations/${convID}/messages`, { token: customerToken });
  return messages.filter((m) => m.sender === "agent").map((m) => m.text);
}

async function addRule(page, { phrase, match, action }) {
  await page.getByTestId("comp-phrase").fill(phrase);
  await page.getByTestId("comp-match").selectOption(match);
  await page.getByTestId("comp-action").selectOption(action);
  await page.getByTestId("comp-save").click();
  await page.locator(`[data-testid="comp-rule"][data-phrase="${phrase}"]`).waitFor();
}

describe("compliance rules", () => {
  before(
    async () => {
      baton = await startBaton();
      baton.accounts = await eventually(() => {
        const accounts = demoAccounts(baton.log());
        return accounts.agent && accounts;
      }, { what: "the demo agent account in the start-up log" });
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
      assert.ok(!stopped.timedOut, "baton stopped within 20 s");
      assert.deepEqual(pageErrors, []);
    },
    { timeout: 60_000 },
  );

  step("an admin adds a block rule and a warn rule on the compliance page", async () => {
    const admin = await newPage("admin", "en-US");
    await signIn(admin, { email: "admin@e2e.test", password: baton.adminPassword });
    await admin.getByTestId("nav-compliance").click();
    await admin.waitForURL("**/workbench/compliance");
    // The demo's own rules are listed.
    await admin.locator('[data-testid="comp-rule"][data-phrase="保证退款"]').waitFor();
    await addRule(admin, { phrase: "forbidden promise", match: "contains", action: "block" });
    await addRule(admin, { phrase: "best price", match: "word", action: "warn" });
    const row = admin.locator('[data-testid="comp-rule"][data-phrase="best price"]');
    assert.match(await row.innerText(), /Whole word[\s\S]*Warn/);
    // A regular expression that does not compile is refused with the reason.
    await admin.getByTestId("comp-phrase").fill("(unclosed");
    await admin.getByTestId("comp-match").selectOption("regex");
    await admin.getByTestId("comp-save").click();
    await admin.getByTestId("comp-error").filter({ hasText: "does not compile" }).waitFor();
  });

  step("an agent's reply with the blocked phrase is not sent, and the phrase is marked", async () => {
    const conv = await call("POST", "/api/v1/conversations", { body: { customer: { name: "Ada", language: "en" } } });
    convID = conv.conversation.id;
    customerToken = conv.customer_token;
    await call("POST", `/api/v1/conversations/${convID}/messages`, { token: customerToken, body: { text: "I want to talk to a human" } });
    const { token: agentToken } = await call("POST", "/api/v1/auth/login", { body: baton.accounts.agent });
    await call("POST", `/api/v1/conversations/${convID}/claim`, { token: agentToken });

    const agent = await newPage("agent", "en-US");
    await signIn(agent, baton.accounts.agent);
    await agent.goto(`/workbench/conversations/${convID}`);
    const input = agent.getByTestId("reply-input");
    await input.fill(BLOCKED);
    await agent.getByTestId("reply-send").click();
    const box = agent.getByTestId("compliance-hits");
    await box.and(agent.locator('[data-state="blocked"]')).waitFor();
    assert.match(await box.innerText(), /Not sent/);
    assert.equal(await agent.getByTestId("compliance-mark").innerText(), "forbidden promise");
    assert.equal(await agent.getByTestId("compliance-send-anyway").count(), 0, "a blocked reply cannot be sent anyway");
    assert.equal(await input.inputValue(), BLOCKED, "the draft stays");
    const selected = await input.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
    assert.equal(selected, "forbidden promise", "the phrase is selected in the draft");
    assert.deepEqual(await agentMessages(), []);
  });

  step('a reply with the warned phrase is sent after "Send anyway"', async () => {
    const agent = pages.agent;
    const input = agent.getByTestId("reply-input");
    await input.fill(WARNED);
    await agent.getByTestId("reply-send").click();
    const box = agent.getByTestId("compliance-hits");
    await box.and(agent.locator('[data-state="warned"]')).waitFor();
    assert.equal(await agent.getByTestId("compliance-mark").innerText(), "best price");
    assert.deepEqual(await agentMessages(), [], "not sent before the agent confirms");
    await agent.getByTestId("compliance-send-anyway").click();
    await agent.getByTestId("transcript").getByText(WARNED).waitFor();
    await box.waitFor({ state: "hidden" });
    assert.equal(await input.inputValue(), "");
    assert.deepEqual(await agentMessages(), [WARNED]);
  });

  step("the admin sees the hits", async () => {
    const admin = pages.admin;
    await admin.reload();
    const hits = admin.getByTestId("comp-hit");
    await eventually(async () => (await hits.count()) === 3, { what: "three hits" });
    const outcomes = await hits.evaluateAll((rows) => rows.map((r) => r.dataset.outcome));
    assert.deepEqual(outcomes, ["sent_after_warning", "warned", "blocked"]);
    assert.match(await hits.first().innerText(), /best price[\s\S]*Agent reply[\s\S]*Sent after warning/);
  });
});
