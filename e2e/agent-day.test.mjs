// An agent's first day, as a new agent would try it, in a real browser against the real binary:
// the context card and queue card say what the bot knew (the order number collected before a
// complaint, a negative mood, the customer's own words); the top bar's online/away control is the
// server's presence and survives a reload and other pages; an offer makes itself noticed; the SLA
// timer of a resolved conversation stops; system messages follow the customer's language.
//
// Run: make build && node --test --test-concurrency=1 e2e/agent-day.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { eventually, launchBrowser, saveArtifacts, staffCall, startBaton, stopBaton } from "./helpers.mjs";

const WAIT = 15_000;
const ORDER = "A1234567";
const COMPLAINT = "太差了，我要投诉";

let baton;
let browser;
const pages = {};
const pageErrors = [];
let failedStep = null;
const conv = {};

function step(name, fn) {
  test(name, { timeout: 90_000 }, async (t) => {
    if (failedStep) {
      t.skip(`an earlier step failed: ${failedStep}`);
      return;
    }
    try {
      await fn(t);
    } catch (err) {
      failedStep = name;
      await saveArtifacts(`agent-day-${name}`, pages, baton?.log());
      throw err;
    }
  });
}

/** Calls Baton's API as a customer (token) or staff member (bearer); returns the parsed JSON. */
async function call(method, path, { token, body, status = [200, 201] } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(baton.baseURL + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  assert.ok([status].flat().includes(res.status), `${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const customerSays = (id, token, text) => call("POST", `/api/v1/conversations/${id}/messages`, { token, body: { text } });

async function newPage(name, locale = "en-US") {
  const context = await browser.newContext({ baseURL: baton.baseURL, locale, viewport: { width: 1280, height: 900 } });
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

describe("an agent's day", () => {
  before(
    async () => {
      baton = await startBaton();
      assert.ok(baton.accounts.agent, `no demo agent account in the start-up log:\n${baton.log()}`);
      browser = await launchBrowser();
    },
    { timeout: 120_000 },
  );

  after(
    async () => {
      await browser?.close().catch(() => {});
      if (!baton) return;
      await stopBaton(baton, 20_000);
      await rm(baton.dataDir, { recursive: true, force: true });
    },
    { timeout: 60_000 },
  );

  step("a customer tracks an order, then complains: the queue card shows the complaint", async () => {
    const created = await call("POST", "/api/v1/conversations", { body: { customer: { name: "Wang Fang", language: "zh" }, channel: "web" } });
    conv.complaint = created.conversation.id;
    const token = created.customer_token;
    const asked = await customerSays(conv.complaint, token, "我的快递到哪了");
    assert.equal(asked.replies[0]?.meta?.asking, "order_id", JSON.stringify(asked.replies));
    const tracked = await customerSays(conv.complaint, token, ORDER);
    assert.equal(tracked.replies[0]?.meta?.kind, "action", JSON.stringify(tracked.replies));
    const handed = await customerSays(conv.complaint, token, COMPLAINT);
    assert.equal(handed.conversation.status, "queued", JSON.stringify(handed));

    const agent = await newPage("agent");
    await signIn(agent, baton.accounts.agent);
    await agent.goto("/workbench");
    const card = agent.locator(`[data-testid="queue-item"][data-conversation-id="${conv.complaint}"]`);
    await card.waitFor();
    assert.equal((await card.locator(".item__title").textContent()).trim(), COMPLAINT);
  });

  step("the context card shows the order number, a negative mood and the customer's words", async () => {
    const agent = pages.agent;
    await agent.goto(`/workbench/conversations/${conv.complaint}`);
    const details = agent.getByTestId("handoff-details");
    await details.waitFor();
    await agent.locator(`[data-testid="slots"] [data-slot="order_id"]`).filter({ hasText: ORDER }).waitFor();
    assert.match(await details.locator('[data-ctx="sentiment"]').textContent(), /^Negative \(-0\.\d\d\)$/);
    assert.equal((await agent.locator('[data-field="question"]').textContent()).trim(), COMPLAINT);
  });

  step("the top bar's status control: online survives a reload and shows on every page", async () => {
    const agent = pages.agent;
    await agent.goto("/workbench");
    const select = agent.getByTestId("presence-select");
    await eventually(async () => !(await select.isDisabled()), { what: "the presence control to load" });
    assert.equal(await select.inputValue(), "offline", "a new agent starts offline");
    await select.selectOption("online");
    await agent.locator('[data-testid="presence-control"][data-presence="online"]').waitFor();
    assert.equal((await staffCall(agent, "GET", "/api/v1/agent/profile")).body.profile.presence, "online");

    await agent.reload();
    await agent.locator('[data-testid="presence-control"][data-presence="online"]').waitFor();
    assert.equal(await agent.getByTestId("presence-select").inputValue(), "online");
    await agent.goto("/workbench/canned");
    await agent.locator('[data-testid="presence-control"][data-presence="online"]').waitFor();

    await agent.getByTestId("presence-select").selectOption("away");
    await agent.locator('[data-testid="presence-control"][data-presence="away"]').waitFor();
    await agent.reload();
    await agent.locator('[data-testid="presence-control"][data-presence="away"]').waitFor();
    assert.equal((await staffCall(agent, "GET", "/api/v1/agent/profile")).body.profile.presence, "away");

    // In Chinese, the same control speaks Chinese.
    const zh = await newPage("agent-zh", "zh-CN");
    await signIn(zh, baton.accounts.agent);
    await zh.locator('[data-testid="presence-control"][data-presence="away"]').waitFor();
    const labels = await zh.getByTestId("presence-select").locator("option").allTextContents();
    assert.deepEqual(labels, ["在线", "离开", "离线"]);
    await zh.context().close();
    delete pages["agent-zh"];
  });

  step("the customer switches the chat to English: who joined and the closing line are in English", async () => {
    const customer = await newPage("customer", "zh-CN");
    await customer.goto("/chat");
    await customer.getByTestId("chat-input").fill("我要找人工客服");
    await customer.getByTestId("chat-send").click();
    await customer.getByTestId("chat-queue").waitFor();
    conv.switched = await customer.evaluate(() => JSON.parse(localStorage.getItem("baton.chat")).conversation_id);
    // The customer chooses English: the same conversation, resumed in English.
    await customer.getByTestId("lang-switch").locator('a[hreflang="en"]').click();
    await customer.waitForURL(/lang=en/);
    await customer.locator('[data-testid="message"][data-sender="customer"]').first().waitFor();
    await eventually(async () => (await call("GET", `/api/v1/conversations/${conv.switched}`, { token: await customer.evaluate(() => JSON.parse(localStorage.getItem("baton.chat")).customer_token) })).conversation.language === "en", { what: "the conversation to take the chosen language" });

    const agent = pages.agent;
    await agent.goto(`/workbench/conversations/${conv.switched}`);
    await agent.getByTestId("claim-button").click();
    const joined = customer.locator('[data-testid="message"][data-sender="system"]').first();
    await joined.waitFor();
    assert.match(await joined.textContent(), /joined the conversation/);

    await agent.getByTestId("reply-input").fill("Hello, how can I help?");
    await agent.getByTestId("reply-send").click();
    await customer.locator('[data-testid="message"][data-sender="agent"]').waitFor();
    await customer.getByTestId("chat-input").fill("My parcel is late");
    await customer.getByTestId("chat-send").click();
    // The customer waits for a reply: the agent's SLA timer runs.
    const sla = agent.getByTestId("conversation-sla");
    await sla.locator('[data-testid="sla-timer"][data-kind="next_response"]').waitFor();

    await agent.getByTestId("resolve-button").click();
    await agent.getByTestId("wrapup-disposition").selectOption("resolved");
    await agent.getByTestId("wrapup-submit").click();
    const closing = customer.locator('[data-testid="message"][data-sender="system"]').last();
    await customer.locator('[data-testid="message"][data-sender="system"]').nth(1).waitFor();
    assert.match(await closing.textContent(), /marked as resolved/);

    // Resolved: the SLA timer stops, stays as it ended and never turns red.
    await agent.getByTestId("conversation-status").filter({ hasText: /resolved/i }).waitFor();
    await eventually(async () => (await sla.locator('[data-testid="sla-timer"][data-due]').count()) === 0, { what: "the SLA timer to stop" });
    const before = await sla.textContent();
    await agent.waitForTimeout(2500);
    assert.equal(await sla.textContent(), before, "nothing counts on a resolved conversation");
    assert.equal(await sla.locator('[data-state="breached"]').count(), 0);
  });

  step("SLA tier names speak Chinese in the zh workbench", async () => {
    const zh = await newPage("supervisor-zh", "zh-CN");
    await signIn(zh, { email: "admin@e2e.test", password: baton.adminPassword });
    await zh.goto("/workbench/supervisor");
    await zh.getByTestId("sla-tier").first().waitFor();
    const names = await zh.getByTestId("sla-tier").locator("td:first-child").allTextContents();
    assert.deepEqual(names.map((s) => s.trim()), ["紧急", "高", "普通"]);
  });

  step("layout: the last message stays above the input box when the queue banner appears", async () => {
    const customer = await newPage("customer-phone", "en-US");
    await customer.setViewportSize({ width: 420, height: 700 });
    await customer.goto("/chat");
    for (const text of ["hello", "what is your return policy?", "do you ship abroad?", "how long does a refund take?"]) {
      const n = await customer.getByTestId("message").count();
      await customer.getByTestId("chat-input").fill(text);
      await customer.getByTestId("chat-send").click();
      await eventually(async () => (await customer.getByTestId("message").count()) >= n + 2, { what: `the bot's answer to ${text}` });
    }
    await customer.getByTestId("chat-input").fill("talk to a human");
    await customer.getByTestId("chat-send").click();
    await customer.getByTestId("chat-queue").waitFor();
    await eventually(
      async () =>
        customer.evaluate(() => {
          const msgs = document.querySelectorAll('[data-testid="message"]');
          const last = msgs[msgs.length - 1].getBoundingClientRect();
          const view = document.querySelector(".chat__scroll").getBoundingClientRect();
          return last.bottom <= view.bottom + 1 && last.top >= view.top;
        }),
      { what: "the bot's last message to be in view above the input box" },
    );
  });

  step("layout: the zh canned responses keep language and scope on one line; no page is titled Baton · Baton", async () => {
    const zh = await newPage("canned-zh", "zh-CN");
    await signIn(zh, baton.accounts.agent);
    await zh.goto("/workbench/canned");
    await zh.getByTestId("canned-list").locator("tr").first().waitFor();
    const lines = await zh.getByTestId("canned-list").locator("td.nowrap").evaluateAll((tds) =>
      tds.filter((td) => td.textContent.trim()).map((td) => {
        const r = document.createRange();
        r.selectNodeContents(td);
        const tops = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
        return { text: td.textContent, lines: tops.size };
      }),
    );
    assert.ok(lines.length >= 8, JSON.stringify(lines));
    for (const l of lines) assert.equal(l.lines, 1, `"${l.text}" is on ${l.lines} lines`);

    const home = await newPage("home");
    await home.goto("/");
    assert.equal(await home.title(), "Baton");
    assert.equal(await zh.title(), "快捷回复 · Baton");
  });

  test("no page errors", () => {
    assert.deepEqual(pageErrors, []);
  });
});
