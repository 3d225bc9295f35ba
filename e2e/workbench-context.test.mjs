// The agent's context in a real browser against the real binary: an agent opens a handed-off
// conversation and sees why it came, what the bot understood (intent, confidence, slots), a
// summary and the customer's earlier conversations with their outcomes; types "/" in the reply
// box and inserts a canned response with the customer's name and order number filled in; inserts
// a suggested knowledge-base article with one click; and sends. The customer's name looks like
// markup: it must arrive as text everywhere.
//
// Run: make build && node --test e2e/workbench-context.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { eventually, launchBrowser, saveArtifacts, startBaton, stopBaton } from "./helpers.mjs";

const WAIT = 15_000;
const STEP = { timeout: 90_000 };
const NAME = "Ada <b>Lovelace</b>";
const ORDER = "A1234567";

let baton;
let browser;
let agentPage;
let editorPage;
const pageErrors = [];
const dialogs = [];
let failedStep = null;

// Shared between steps.
const conv = {}; // earlierBot, earlierAgent, current
let agentToken;

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
      await saveArtifacts(`context-${name}`, { agent: agentPage, editor: editorPage }, baton?.log());
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

async function customerSays(id, token, text) {
  return call("POST", `/api/v1/conversations/${id}/messages`, { token, body: { text } });
}

async function signIn(page, { email, password }) {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login"), page.getByTestId("login-submit").click()]);
  await page.getByTestId("user-email").filter({ hasText: email }).waitFor();
}

describe("the agent's context card, canned responses and suggested articles", () => {
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
      const stopped = await stopBaton(baton, 20_000);
      await rm(baton.dataDir, { recursive: true, force: true });
      assert.ok(!stopped.timedOut, "baton stopped on SIGTERM");
    },
    { timeout: 60_000 },
  );

  step("a customer's history: a bot answer, a conversation an agent resolved, and a handoff now", async () => {
    const login = await call("POST", "/api/v1/auth/login", { body: baton.accounts.agent });
    agentToken = login.token;
    assert.ok(agentToken, `a bearer token from the login API: ${JSON.stringify(login)}`);

    const first = await call("POST", "/api/v1/conversations", {
      body: { customer: { name: NAME, email: "ada@example.com", language: "zh" }, channel: "web" },
    });
    const token = first.customer_token;
    conv.earlierBot = first.conversation.id;
    const answered = await customerSays(conv.earlierBot, token, "买的衣服不合适可以退吗");
    assert.ok(answered.replies[0]?.citations?.length, "the bot answered from the knowledge base");

    // On the API channel, the same customer asked for a person; the agent answered and resolved.
    const second = await call("POST", "/api/v1/conversations", { token, body: { channel: "api" } });
    conv.earlierAgent = second.conversation.id;
    await customerSays(conv.earlierAgent, token, "发票抬头写错了能改吗");
    await customerSays(conv.earlierAgent, token, "转人工");
    await call("POST", `/api/v1/conversations/${conv.earlierAgent}/claim`, { token: agentToken });
    await call("POST", `/api/v1/conversations/${conv.earlierAgent}/agent-messages`, { token: agentToken, body: { text: "可以，已为您修改。" } });
    await call("POST", `/api/v1/conversations/${conv.earlierAgent}/resolve`, { token: agentToken, body: { disposition: "resolved" } });

    // Now: a return, the bot collects the order number, then the customer asks for a person.
    const third = await call("POST", "/api/v1/conversations", { token, body: { channel: "web" } });
    conv.current = third.conversation.id;
    const asked = await customerSays(conv.current, token, "我要退货");
    assert.equal(asked.replies[0]?.meta?.asking, "order_id", `the bot asks for the order: ${JSON.stringify(asked.replies)}`);
    await customerSays(conv.current, token, `订单${ORDER}`);
    const handedOff = await customerSays(conv.current, token, "转人工");
    assert.equal(handedOff.conversation.status, "queued", JSON.stringify(handedOff));
  });

  step("agent: the context card shows the reason, intent, slots, summary and earlier conversations", async () => {
    const context = await browser.newContext({ baseURL: baton.baseURL, locale: "en-US", viewport: { width: 1280, height: 1000 } });
    context.setDefaultTimeout(WAIT);
    agentPage = await context.newPage();
    agentPage.on("pageerror", (err) => pageErrors.push(err.message));
    agentPage.on("dialog", (d) => {
      dialogs.push(`${d.type()} ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    await signIn(agentPage, baton.accounts.agent);
    await agentPage.goto(`/workbench/conversations/${conv.current}`);
    const card = agentPage.getByTestId("context-card");
    await card.locator('[data-field="reason"]').filter({ hasText: "Asked for a person" }).waitFor();

    const details = agentPage.getByTestId("handoff-details");
    await details.locator('[data-ctx="intent"]').filter({ hasText: "return_request" }).waitFor();
    assert.match(await details.locator('[data-ctx="confidence"]').textContent(), /^\d{1,3}%$/);
    assert.equal(await agentPage.locator('[data-testid="slots"] [data-slot="order_id"]').textContent(), ORDER);

    const summary = agentPage.getByTestId("summary");
    await summary.locator('[data-testid="summary-source"][data-source="extractive"]').waitFor();
    assert.equal(await summary.getByTestId("summary-source").textContent(), "Key sentences");
    const sentences = await summary.locator('[data-testid="summary-sentences"] li').allTextContents();
    assert.ok(sentences.includes("我要退货") && sentences.includes(`订单${ORDER}`), `the customer's key sentences: ${JSON.stringify(sentences)}`);
    assert.ok(!sentences.includes("转人工"), "not the bare request for a person");

    const earlier = agentPage.getByTestId("earlier-conversation");
    await eventually(async () => (await earlier.count()) === 2, { what: "two earlier conversations" });
    const resolved = agentPage.locator(`[data-testid="earlier-conversation"][data-conversation-id="${conv.earlierAgent}"]`);
    assert.equal(await resolved.getAttribute("data-outcome"), "agent");
    assert.equal(await resolved.getByTestId("earlier-outcome").textContent(), "Resolved by an agent");
    assert.match(await resolved.textContent(), /by Demo Agent/);
    assert.match(await resolved.textContent(), /发票抬头写错了能改吗/);
    assert.equal(await resolved.locator("a").getAttribute("href"), `/workbench/conversations/${conv.earlierAgent}`);
    const byBot = agentPage.locator(`[data-testid="earlier-conversation"][data-conversation-id="${conv.earlierBot}"]`);
    assert.match(await byBot.textContent(), /买的衣服不合适可以退吗/);
    assert.equal(await byBot.getAttribute("data-outcome"), "active", "the bot conversation is minutes old");
    assert.equal(await agentPage.locator(`[data-testid="earlier-conversation"][data-conversation-id="${conv.current}"]`).count(), 0);
    assert.equal(await card.locator("b").count(), 0, "the customer's name is text, not markup");
    await card.locator('[data-field="customer_name"]').filter({ hasText: NAME }).waitFor();
  });

  step("editor: adds a shared canned response on the canned-responses page", async () => {
    const context = await browser.newContext({ baseURL: baton.baseURL, locale: "zh-CN", viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(WAIT);
    editorPage = await context.newPage();
    editorPage.on("pageerror", (err) => pageErrors.push(`editor: ${err.message}`));
    await signIn(editorPage, baton.accounts.editor);
    await editorPage.getByTestId("nav-canned").click();
    await editorPage.waitForURL("**/workbench/canned");
    // The demo's shared responses are listed, in both languages.
    await editorPage.locator('[data-testid="canned-row"][data-shortcut="退货"]').waitFor();
    await editorPage.locator('[data-testid="canned-row"][data-shortcut="refund"]').waitFor();

    await editorPage.getByTestId("canned-shortcut").fill("/发票");
    await editorPage.getByTestId("canned-language").selectOption("zh");
    await editorPage.getByTestId("canned-title").fill("发票抬头");
    await editorPage.getByTestId("canned-body").fill("{{customer.name}}您好，订单 {{slots.order_id}} 的发票抬头请确认为：{{slots.invoice_title}}");
    await editorPage.getByTestId("canned-save").click();
    await editorPage.getByTestId("canned-notice").filter({ hasText: "已保存。" }).waitFor();
    const row = editorPage.locator('[data-testid="canned-row"][data-shortcut="发票"]');
    await row.waitFor();
    assert.match(await row.textContent(), /所有人/, "a shared response");

    // A typo in a variable is refused with the reason.
    await editorPage.getByTestId("canned-shortcut").fill("typo");
    await editorPage.getByTestId("canned-title").fill("Typo");
    await editorPage.getByTestId("canned-body").fill("Hi {{customer.nam}}");
    await editorPage.getByTestId("canned-save").click();
    await editorPage.getByTestId("canned-error").filter({ hasText: "unknown variable {{customer.nam}}" }).waitFor();
    assert.equal(await editorPage.locator('[data-testid="canned-row"][data-shortcut="typo"]').count(), 0);
  });

  step("agent: claims, types / and inserts a canned response with the name and order filled in", async () => {
    await agentPage.getByTestId("claim-button").click();
    await agentPage.locator('[data-testid="conversation-status"][data-status="assigned"]').waitFor();
    const input = agentPage.getByTestId("reply-input");
    await input.waitFor();

    // "/ref" lists the English refund response, "/退" the Chinese return one.
    await input.pressSequentially("/ref");
    const menu = agentPage.getByTestId("canned-menu");
    await menu.waitFor();
    await menu.locator('[data-testid="canned-option"][data-shortcut="refund"]').waitFor();
    await input.press("Escape");
    assert.ok(await menu.isHidden(), "Escape closes the menu");
    await input.fill("");

    // The editor's new response: what the bot did not collect is left blank, named and selected.
    await input.pressSequentially("/发");
    await menu.locator('[data-testid="canned-option"][data-shortcut="发票"]').click();
    const notice = agentPage.getByTestId("reply-notice");
    await notice.filter({ hasText: "Fill in before sending: {{slots.invoice_title}}" }).waitFor();
    assert.equal(await input.inputValue(), `${NAME}您好，订单 ${ORDER} 的发票抬头请确认为：____`);
    const selected = await input.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
    assert.equal(selected, "____", "the blank is selected, ready to type over");
    await input.fill("");

    await input.pressSequentially("/退");
    const option = menu.locator('[data-testid="canned-option"][data-shortcut="退货"]');
    await option.waitFor();
    assert.equal(await menu.locator('[data-testid="canned-option"]').first().getAttribute("data-shortcut"), "退货");
    await input.press("Enter"); // chooses, does not send
    await eventually(async () => (await input.inputValue()).includes(ORDER), { what: "the canned response in the reply box" });
    const text = await input.inputValue();
    assert.ok(text.startsWith(`${NAME}您好，订单 ${ORDER} 的退货申请`), `name and order filled in: ${JSON.stringify(text)}`);
    assert.ok(text.endsWith("我是客服Demo Agent。"), `the agent's name filled in: ${JSON.stringify(text)}`);
    assert.ok(!text.includes("/退") && !text.includes("{{"), JSON.stringify(text));
    assert.ok(await menu.isHidden());
    assert.equal(await agentPage.getByTestId("transcript").locator('[data-sender="agent"]').count(), 0, "nothing sent yet");
  });

  step("agent: inserts a suggested article with one click and sends", async () => {
    const suggestion = agentPage.getByTestId("suggested-article").first();
    await suggestion.waitFor();
    const title = await suggestion.locator(".result__head span").first().textContent();
    assert.match(title, /退/, `a returns article is suggested first, got ${title}`);
    assert.match(await suggestion.locator(".result__score").textContent(), /^score [01]\.\d\d$/);
    await suggestion.getByTestId("insert-article").click();
    const input = agentPage.getByTestId("reply-input");
    const text = await input.inputValue();
    assert.ok(text.startsWith(`${NAME}您好`), "the canned text stays");
    assert.ok(text.endsWith(`\n\n来源：${title}`), `the article and its source follow: ${JSON.stringify(text.slice(-80))}`);

    await agentPage.getByTestId("reply-send").click();
    const sent = agentPage.locator('[data-testid="transcript"] [data-testid="message"][data-sender="agent"]');
    await sent.first().waitFor();
    const bubble = await sent.first().locator(".msg__bubble").textContent();
    assert.ok(bubble.includes(NAME) && bubble.includes(`来源：${title}`), `sent as written: ${JSON.stringify(bubble)}`);
    assert.equal(await agentPage.getByTestId("transcript").locator("b").count(), 0, "no markup from the name");
    await eventually(async () => (await input.inputValue()) === "", { what: "the reply box to clear" });

    // The customer got exactly that text.
    const { messages } = await call("GET", `/api/v1/conversations/${conv.current}/messages`, { token: agentToken });
    const last = messages.filter((m) => m.sender === "agent").at(-1);
    assert.equal(last.text, text.trim());
  });

  step("no page threw an error or opened a dialog", async () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(dialogs, []);
  });
});
