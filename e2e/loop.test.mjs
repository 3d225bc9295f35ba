// The whole loop in real browsers against the real binary: a customer asks, the bot answers from
// the knowledge base with its source; the bot does not know, the customer asks for a person; an
// agent sees the handoff arrive live, claims it, answers, resolves; an editor approves the agent's
// answer as a KB article; the next customer asking the same thing gets it from the bot.
//
// Run: make build && node --test --test-concurrency=1 e2e/
// BATON_E2E_VERBOSE=1 also prints baton's log. On failure, screenshots of every open page and
// baton's log go to e2e/artifacts/.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { eventually, launchBrowser, saveArtifacts, startBaton, stopBaton } from "./helpers.mjs";

// Chromium stores Secure cookies from http://127.0.0.1 (a potentially trustworthy origin), so the
// workbench works with BATON_COOKIE_SECURE=true without TLS; the login step checks the cookie.
const HOST = "127.0.0.1";
const WAIT = 15_000; // longest any single UI expectation may take
const STEP = { timeout: 90_000 };

const KB_QUESTION = "买的衣服不合适可以退吗";
const UNKNOWN_QUESTION = "可以去你们上海仓库自提吗";
const DONT_KNOW = "抱歉，这个问题我暂时回答不了";
const AGENT_ANSWER = "可以的，上海仓库支持自提，工作日10:00-17:00，下单时选择“到仓自提”即可。";
const XSS = "<img src=x onerror=alert(1)>";
const THANKS = "谢谢";
const ARTICLE_TITLE = "上海仓库到仓自提";
const REPHRASED = "你好，上海的仓库能自提吗？"; // the local embedder is lexical: it must share words ("自提") with the approved question

let baton;
let browser;
const t0 = performance.now();
const pages = {}; // name → page, for screenshots on failure
const pageErrors = []; // uncaught exceptions in any page
const dialogs = []; // alert()/confirm() any page opened: there should be none
let failedStep = null;

// Shared between steps.
let convID;
let queueFrames = [];
let handoffAt = 0;
let articleID;

/** Runs a step unless an earlier one failed; on failure saves screenshots and baton's log. */
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
      await saveArtifacts(name, pages, baton?.log());
      throw err;
    }
  });
}

async function newPage(name, locale) {
  const context = await browser.newContext({ baseURL: baton.baseURL, locale, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(`${name}: ${err.message}`));
  page.on("dialog", (d) => {
    dialogs.push(`${name}: ${d.type()} ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  pages[name] = page;
  return page;
}

/** Counts full navigations of the page's main frame, to prove updates arrived without a reload. */
function countNavigations(page) {
  const nav = { count: 0 };
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) nav.count++;
  });
  return nav;
}

/** The messages a transcript <ol> shows: [{seq, sender, text, citations: [{articleID, text}], imgs}]. */
function readTranscript(page, listTestID) {
  return page.getByTestId(listTestID).evaluate((ol) =>
    [...ol.querySelectorAll('[data-testid="message"]')].map((li) => ({
      seq: Number(li.dataset.seq),
      sender: li.dataset.sender,
      text: li.querySelector(".msg__bubble")?.textContent ?? "",
      citations: [...li.querySelectorAll(".msg__source")].map((c) => ({ articleID: c.dataset.articleId, text: c.textContent })),
      imgs: li.querySelectorAll("img").length,
    })),
  );
}

/** Waits until the transcript holds a message matching pred; returns it. */
function waitForMessage(page, listTestID, pred, what) {
  let last = [];
  return eventually(
    async () => {
      last = await readTranscript(page, listTestID);
      return last.find(pred);
    },
    { timeoutMs: WAIT, what: `${what}; transcript: ${JSON.stringify(last)}` },
  ).catch((err) => {
    throw new Error(`${err.message}\ntranscript now: ${JSON.stringify(last, null, 1)}`);
  });
}

/** The customer types text and sends it; returns {mine, reply} (reply: the bot's answer, if wanted). */
async function customerSays(page, text, { expectReply = true, via = "click" } = {}) {
  const before = await readTranscript(page, "chat-messages");
  const lastSeq = before.reduce((m, x) => Math.max(m, x.seq), 0);
  const input = page.getByTestId("chat-input");
  await input.fill(text);
  if (via === "enter") await input.press("Enter");
  else await page.getByTestId("chat-send").click();
  const mine = await waitForMessage(
    page,
    "chat-messages",
    (m) => m.sender === "customer" && m.seq > lastSeq && m.text === text,
    `the customer's message ${JSON.stringify(text)}`,
  );
  // The composer empties once the message is delivered.
  await eventually(async () => (await input.inputValue()) === "", { what: "the chat input to clear" });
  if (!expectReply) return { mine };
  const reply = await waitForMessage(page, "chat-messages", (m) => m.sender === "bot" && m.seq > mine.seq, `a bot reply to ${JSON.stringify(text)}`);
  return { mine, reply };
}

async function signIn(page, { email, password }) {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login"), page.getByTestId("login-submit").click()]);
  await page.getByTestId("user-email").filter({ hasText: email }).waitFor();
}

describe("the learning loop", () => {
  before(
    async () => {
      baton = await startBaton({ host: HOST });
      console.log(`baton: spawn → /readyz 200 in ${(baton.readyMs / 1000).toFixed(2)} s (${baton.baseURL})`);
      assert.ok(baton.accounts.agent, `no demo agent account in the start-up log:\n${baton.log()}`);
      assert.ok(baton.accounts.editor, `no demo editor account in the start-up log:\n${baton.log()}`);
      browser = await launchBrowser();
    },
    { timeout: 120_000 },
  );

  after(
    async () => {
      if (failedStep && baton) await saveArtifacts("after", {}, baton.log());
      await browser?.close().catch(() => {});
      if (!baton) return;
      const stopped = await stopBaton(baton, 20_000);
      await rm(baton.dataDir, { recursive: true, force: true });
      console.log(`baton: SIGTERM → exit in ${(stopped.ms / 1000).toFixed(2)} s (${JSON.stringify({ code: stopped.code, signal: stopped.signal })})`);
      console.log(`e2e: whole run took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      if (stopped.timedOut || stopped.code !== 0) await saveArtifacts("shutdown", {}, baton.log());
      assert.ok(!stopped.timedOut, `baton did not exit within 20 s of SIGTERM:\n${baton.log().slice(-3000)}`);
      assert.equal(stopped.code, 0, `baton exited with ${JSON.stringify(stopped)}:\n${baton.log().slice(-3000)}`);
    },
    { timeout: 60_000 },
  );

  let customer;
  let customerNav;
  let agent;
  let agentNav;

  step("customer: the bot answers a KB question and cites its source", async () => {
    customer = await newPage("customer", "zh-CN");
    customerNav = countNavigations(customer);
    await customer.goto("/chat");
    assert.equal(await customer.locator("html").getAttribute("lang"), "zh-CN", "a zh-CN browser gets the Chinese chat");
    await customer.getByTestId("chat-status").filter({ hasText: "有问题尽管问" }).waitFor();

    const { reply } = await customerSays(customer, KB_QUESTION);
    assert.ok(reply.text.length > 20, `a real answer, got ${JSON.stringify(reply.text)}`);
    assert.ok(!reply.text.includes(DONT_KNOW), `the demo KB answers ${KB_QUESTION}, got "don't know"`);
    assert.equal(reply.citations.length, 1, `one citation, got ${JSON.stringify(reply.citations)}`);
    assert.match(reply.citations[0].text, /^来源：.*退/, "the citation reads 来源：<article title>");
    await customer.locator('[data-testid="message"][data-sender="bot"] [data-testid="citations"]').first().waitFor();
    await customer.locator('[data-testid="chat-status"][data-status="bot"]').waitFor();

    const stored = await customer.evaluate(() => JSON.parse(localStorage.getItem("baton.chat") || "null"));
    assert.ok(stored?.conversation_id, "the chat remembers its conversation");
    convID = stored.conversation_id;
  });

  step("agent: signs in (Secure cookie on http://127.0.0.1) and watches the live queue", async () => {
    agent = await newPage("agent", "en-US");
    agent.on("websocket", (ws) => {
      if (!ws.url().includes("/api/v1/queue/ws")) return;
      ws.on("framereceived", ({ payload }) => queueFrames.push({ at: performance.now(), payload: String(payload) }));
    });
    await signIn(agent, baton.accounts.agent);
    assert.equal(new URL(agent.url()).pathname, "/workbench", "an agent lands on the queue");

    const cookie = (await agent.context().cookies()).find((c) => c.name === "baton_session");
    assert.ok(cookie, "the session cookie was stored");
    assert.equal(cookie.secure, true, "BATON_COOKIE_SECURE=true makes the cookie Secure");
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, "Lax");

    await agent.locator('[data-testid="live-state"][data-state="live"]').waitFor();
    await agent.getByTestId("queue-list").filter({ hasText: "No one is waiting." }).waitFor();
    assert.equal(await agent.locator(`[data-testid="queue-item"][data-conversation-id="${convID}"]`).count(), 0);
    agentNav = countNavigations(agent);
  });

  step("customer: the bot admits it does not know, the customer asks for a person", async () => {
    const { reply } = await customerSays(customer, UNKNOWN_QUESTION, { via: "enter" });
    assert.ok(reply.text.includes(DONT_KNOW), `the bot says it doesn't know, got ${JSON.stringify(reply.text)}`);
    assert.equal(reply.citations.length, 0, "no source for an answer it does not have");

    const handoff = customer.getByTestId("handoff-button");
    await handoff.waitFor();
    assert.equal(await handoff.textContent(), "转人工");
    queueFrames = [];
    handoffAt = performance.now();
    await handoff.click();
    await waitForMessage(customer, "chat-messages", (m) => m.sender === "customer" && m.text === "转人工", "the handoff request in the transcript");
    await customer.locator('[data-testid="chat-status"][data-status="queued"]').waitFor();
    const status = await customer.getByTestId("chat-status").textContent();
    assert.match(status, /人工客服/, `the status says a person is coming, got ${JSON.stringify(status)}`);
    assert.ok(await handoff.isDisabled(), "no second handoff while waiting");
  });

  step("agent: the handoff appears in the queue live; claim shows the context card", async () => {
    const item = agent.locator(`[data-testid="queue-item"][data-conversation-id="${convID}"]`);
    await item.waitFor({ timeout: WAIT });
    const appearedAfter = performance.now() - handoffAt;
    console.log(`queue item appeared ${(appearedAfter / 1000).toFixed(2)} s after the handoff click`);
    assert.equal(agentNav.count, 0, "the queue updated without a reload");
    const changed = queueFrames.filter((f) => f.payload.includes('"queue_changed"'));
    assert.ok(changed.length > 0, `a queue_changed frame arrived over the queue WebSocket; frames: ${JSON.stringify(queueFrames)}`);
    assert.ok((await item.locator(".item__title").textContent()).includes(UNKNOWN_QUESTION), "the queue shows the unanswered question");
    assert.equal(await item.locator(".badge").first().textContent(), "Asked for a person", "the reason is the customer's request");

    await Promise.all([
      agent.waitForURL(`**/workbench/conversations/${convID}`),
      item.getByTestId("claim-button").click(),
    ]);
    agentNav = countNavigations(agent);
    const card = agent.getByTestId("context-card");
    await card.locator('[data-field="question"]').filter({ hasText: UNKNOWN_QUESTION }).waitFor();
    await agent.locator('[data-testid="conversation-status"][data-status="assigned"]').waitFor();
    await agent.locator('[data-testid="live-state"][data-state="live"]').waitFor();
    await agent.getByTestId("reply-input").waitFor();
    // The transcript holds everything the customer and the bot said.
    await waitForMessage(agent, "transcript", (m) => m.sender === "customer" && m.text === KB_QUESTION, "the earlier question in the agent's transcript");

    // The customer learns live that a person joined.
    await customer.locator('[data-testid="chat-status"][data-status="assigned"]').waitFor();
    assert.equal(await customer.getByTestId("chat-status").textContent(), "人工客服已接入");
  });

  step("agent and customer talk live; markup stays text; the agent resolves", async () => {
    const reply = agent.getByTestId("reply-input");
    await reply.fill(AGENT_ANSWER);
    await agent.getByTestId("reply-send").click();
    await waitForMessage(agent, "transcript", (m) => m.sender === "agent" && m.text === AGENT_ANSWER, "the agent's answer on the agent page");
    await eventually(async () => (await reply.inputValue()) === "", { what: "the reply box to clear" });

    // Live on the customer's page: no reload, the socket delivers it.
    const seen = await waitForMessage(customer, "chat-messages", (m) => m.sender === "agent" && m.text === AGENT_ANSWER, "the agent's answer on the customer page");
    assert.equal(seen.citations.length, 0);
    await customer.locator('[data-testid="message"][data-sender="agent"]').filter({ hasText: "可以的" }).waitFor();

    // A customer message that looks like HTML is shown as text on both sides.
    const { mine } = await customerSays(customer, XSS, { expectReply: false });
    assert.equal(mine.imgs, 0, "no <img> element in the customer's transcript");
    const onAgent = await waitForMessage(agent, "transcript", (m) => m.sender === "customer" && m.text === XSS, "the HTML-looking message on the agent page");
    assert.equal(onAgent.imgs, 0);
    assert.equal(await customer.getByTestId("chat-messages").locator("img").count(), 0, "no <img> in the customer's transcript");
    assert.equal(await agent.getByTestId("transcript").locator("img").count(), 0, "no <img> in the agent's transcript");
    assert.deepEqual(dialogs, [], "no script ran from a message");

    // The customer's thanks reaches the agent live.
    await customerSays(customer, THANKS, { expectReply: false });
    await waitForMessage(agent, "transcript", (m) => m.sender === "customer" && m.text === THANKS, "the customer's thanks on the agent page");
    const customerView = await readTranscript(customer, "chat-messages");
    assert.ok(!customerView.some((m) => m.sender === "bot" && m.seq > seen.seq), "the bot keeps quiet while a person helps");

    // Resolving asks for the outcome (wrap-up) first.
    await agent.getByTestId("resolve-button").click();
    await agent.getByTestId("wrapup-disposition").selectOption("info_provided");
    await agent.getByTestId("wrapup-submit").click();
    await agent.getByTestId("conversation-notice").filter({ hasText: "Resolved — a KB suggestion was created." }).waitFor();
    await agent.locator('[data-testid="conversation-status"][data-status="resolved"]').waitFor();
    await customer.locator('[data-testid="chat-status"][data-status="resolved"]').waitFor();
    assert.equal(await customer.getByTestId("chat-status").textContent(), "已解决");

    assert.equal(customerNav.count, 1, "the customer page never reloaded");
    assert.equal(agentNav.count, 0, "the agent's conversation page never reloaded");
  });

  step("editor: approves the agent's answer as a published article", async () => {
    const editor = await newPage("editor", "en-US");
    await signIn(editor, baton.accounts.editor);
    assert.equal(new URL(editor.url()).pathname, "/workbench/kb", "an editor lands on the KB");
    await editor.getByTestId("nav-suggestions").click();
    await editor.waitForURL("**/workbench/kb/suggestions");

    const card = editor.getByTestId("suggestion").filter({ has: editor.locator(".suggestion__question", { hasText: UNKNOWN_QUESTION }) });
    await card.waitFor();
    assert.equal(await card.count(), 1, "one suggestion for the conversation");
    assert.equal(await card.getByTestId("suggestion-title").inputValue(), UNKNOWN_QUESTION, "the title starts as the question");
    assert.equal(await card.getByTestId("suggestion-answer").inputValue(), AGENT_ANSWER, "the answer is what the agent wrote");

    await card.getByTestId("suggestion-title").fill(ARTICLE_TITLE);
    await card.getByTestId("approve-button").click();
    await card.getByTestId("suggestion-result").filter({ hasText: "Published" }).waitFor();
    const link = card.getByTestId("suggestion-article");
    const href = await link.getAttribute("href");
    const m = /\/workbench\/kb\/articles\/(\d+)$/.exec(href ?? "");
    assert.ok(m, `a link to the new article, got ${href}`);
    articleID = m[1];
    assert.ok(await card.getByTestId("approve-button").isDisabled(), "approved once");

    await Promise.all([editor.waitForURL(`**/workbench/kb/articles/${articleID}`), link.click()]);
    await editor.getByTestId("article-status-badge").filter({ hasText: "Published" }).waitFor();
    await eventually(async () => (await editor.getByTestId("article-title").inputValue()) === ARTICLE_TITLE, { what: "the article's title" });
    assert.equal(await editor.getByTestId("article-body").inputValue(), AGENT_ANSWER);
  });

  step("a new customer asking in other words gets the learned answer from the bot", async () => {
    const next = await newPage("customer2", "zh-CN");
    await next.goto("/chat");
    assert.equal(await next.evaluate(() => localStorage.getItem("baton.chat")), null, "a fresh browser starts a new conversation");
    const { reply } = await customerSays(next, REPHRASED);
    assert.ok(!reply.text.includes(DONT_KNOW), `the bot knows now, got ${JSON.stringify(reply.text)}`);
    assert.ok(reply.text.includes(AGENT_ANSWER), `the bot answers with the agent's words, got ${JSON.stringify(reply.text)}`);
    assert.deepEqual(reply.citations, [{ articleID, text: `来源：${ARTICLE_TITLE}` }], "it cites the new article");
    const stored = await next.evaluate(() => JSON.parse(localStorage.getItem("baton.chat") || "null"));
    assert.notEqual(stored?.conversation_id, convID, "a different conversation");
    await next.locator('[data-testid="chat-status"][data-status="bot"]').waitFor();
  });

  step("a chat whose socket stops answering reconnects by itself and catches up with ?after=", async () => {
    const context = await browser.newContext({ baseURL: baton.baseURL, locale: "en-US", viewport: { width: 900, height: 800 } });
    context.setDefaultTimeout(WAIT);
    // Ping every second and give up after another second without an answer (25 s and 10 s by default).
    await context.addInitScript(() => {
      globalThis.__batonLiveTiming = { pingMs: 1000, pongWaitMs: 1000 };
    });
    const page = await context.newPage();
    page.on("pageerror", (err) => pageErrors.push(`customer3: ${err.message}`));
    pages.customer3 = page;
    // The first socket's path goes dead after the first reply: nothing from the server reaches the
    // page any more, and no close either (as when a network path drops silently).
    const sockets = [];
    let dead = false;
    await page.routeWebSocket(/\/api\/v1\/conversations\/[^/]+\/ws/, (ws) => {
      sockets.push(ws.url());
      const server = ws.connectToServer();
      if (sockets.length > 1) return; // later sockets are passed through untouched
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => {
        if (!dead) ws.send(m);
      });
    });
    await page.goto("/chat");
    await page.getByTestId("chat-status").filter({ hasText: "Ask" }).waitFor();
    const { reply } = await customerSays(page, "How long does a refund take?");
    await eventually(() => sockets.length === 1, { what: "the chat's socket" });
    dead = true;

    // Meanwhile the conversation goes on elsewhere (the same customer in another tab): only the
    // socket can bring these messages to this page.
    const { conversation_id: id, customer_token: token } = await page.evaluate(() => JSON.parse(localStorage.getItem("baton.chat")));
    const res = await fetch(`${baton.baseURL}/api/v1/conversations/${id}/messages`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ text: "And to my credit card?", client_message_id: "other-tab-1" }),
    });
    assert.equal(res.status, 201, await res.text());

    await eventually(() => sockets.length >= 2, { timeoutMs: WAIT, what: "a second socket after the first went quiet" });
    const resumedAfter = Number(new URL(sockets[1]).searchParams.get("after"));
    assert.ok(resumedAfter >= reply.seq, `the new socket asks for what came after ${reply.seq}, asked after=${resumedAfter}`);
    await waitForMessage(page, "chat-messages", (m) => m.sender === "customer" && m.text === "And to my credit card?", "the message from the other tab");
    await waitForMessage(page, "chat-messages", (m) => m.sender === "bot" && m.seq > reply.seq + 1, "the bot's reply to it");
    const seqs = (await readTranscript(page, "chat-messages")).map((m) => m.seq);
    assert.deepEqual(seqs, [...new Set(seqs)].sort((x, y) => x - y), "no message twice, in order");
  });

  step("no page threw an uncaught error", async () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(dialogs, []);
  });
});
