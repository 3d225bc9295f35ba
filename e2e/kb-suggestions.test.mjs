// Suggestions grown up, in a real browser against the real binary: customers ask questions the
// bot does not know (two of them the same question in other words) and agents answer them; the
// editor sees one suggestion asked twice with both wordings, approves it with an edited title and
// answer, merges a Chinese one into an existing article (after which the bot answers it), dismisses
// one whose text is markup (shown as text), and reads the unanswered-questions report, where the
// approved question now shows the article that covers it.
//
// Run: make build && node --test e2e/kb-suggestions.test.mjs
// BATON_E2E_VERBOSE=1 also prints baton's log. On failure, screenshots and baton's log go to e2e/artifacts/.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { eventually, launchBrowser, saveArtifacts, startBaton, stopBaton } from "./helpers.mjs";

const WAIT = 15_000;
const STEP = { timeout: 90_000 };

const PICKUP_1 = "Can I collect my order in person at your Shanghai warehouse?";
const PICKUP_2 = "is in-person collection at the Shanghai warehouse possible?";
const PICKUP_ANSWER_1 = "Yes, weekdays 10:00-17:00.";
const PICKUP_ANSWER_2 = "Yes: choose Self pickup at checkout, then come Monday to Friday 10:00-17:00.";
const PICKUP_TITLE = "Self pickup from the Shanghai warehouse";
const PICKUP_EDITED = "Yes. Choose “Self pickup” at checkout and come Monday to Friday, 10:00-17:00, with your order number.";
const SLOT = "能指定送货时间段吗";
const SLOT_ANSWER = "可以，下单时在“配送时间”里选择上午、下午或晚上送达。";
const SLOT_ARTICLE = "配送时效与运费";
const XSS = "<img src=x onerror=alert(1)> do you sell replacement straps for the smart watch?";

let baton;
let browser;
let editor;
const t0 = performance.now();
const pages = {};
const pageErrors = [];
const dialogs = [];
let failedStep = null;
let agentToken;
const conversations = {};

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
      await saveArtifacts(`kb-suggestions-${name}`, pages, baton?.log());
      throw err;
    }
  });
}

async function call(method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(baton.baseURL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, json, text };
}

async function must(method, path, opts, want = 200) {
  const r = await call(method, path, opts);
  assert.equal(r.status, want, `${method} ${path} answered ${r.status}: ${r.text}`);
  return r.json;
}

/** A customer asks q (the bot must not know it), accepts a person; an agent answers and resolves. */
async function askAndHandOver(q, answer, lang) {
  const c = await must("POST", "/api/v1/conversations", { body: { customer: { name: "E2E", language: lang } } }, 201);
  const conv = c.conversation.id;
  const tok = c.customer_token;
  const turn = await must("POST", `/api/v1/conversations/${conv}/messages`, { token: tok, body: { text: q } }, 201);
  assert.equal(turn.replies[0].meta?.kind, "dont_know", `the demo bot should not know ${JSON.stringify(q)}: ${turn.replies[0].text}`);
  const yes = await must("POST", `/api/v1/conversations/${conv}/messages`, { token: tok, body: { text: lang === "zh" ? "是" : "yes" } }, 201);
  assert.equal(yes.conversation.status, "queued", "accepting the offer hands off");
  await must("POST", `/api/v1/conversations/${conv}/claim`, { token: agentToken });
  await must("POST", `/api/v1/conversations/${conv}/agent-messages`, { token: agentToken, body: { text: answer } }, 201);
  const res = await must("POST", `/api/v1/conversations/${conv}/resolve`, { token: agentToken, body: { disposition: "resolved" } });
  assert.equal(res.suggestion_created, true);
  conversations[q] = conv;
  return conv;
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

async function signIn(page, { email, password }) {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login"), page.getByTestId("login-submit").click()]);
  await page.getByTestId("user-email").filter({ hasText: email }).waitFor();
}

const cardFor = (page, question) =>
  page.getByTestId("suggestion").filter({ has: page.locator(".suggestion__question", { hasText: question }) });

describe("KB suggestions and the unanswered report", () => {
  before(
    async () => {
      baton = await startBaton();
      console.log(`baton: spawn → /readyz 200 in ${(baton.readyMs / 1000).toFixed(2)} s (${baton.baseURL})`);
      assert.ok(baton.accounts.agent && baton.accounts.editor, `no demo accounts in the start-up log:\n${baton.log()}`);
      browser = await launchBrowser();
    },
    { timeout: 120_000 },
  );

  after(
    async () => {
      if (failedStep && baton) await saveArtifacts("kb-suggestions-after", {}, baton.log());
      await browser?.close().catch(() => {});
      if (!baton) return;
      const stopped = await stopBaton(baton, 20_000);
      await rm(baton.dataDir, { recursive: true, force: true });
      console.log(`e2e: whole run took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      assert.ok(!stopped.timedOut, "baton exits on SIGTERM");
    },
    { timeout: 60_000 },
  );

  step("customers ask what the bot does not know; agents answer", async () => {
    const login = await must("POST", "/api/v1/auth/login", { body: baton.accounts.agent });
    agentToken = login.token;
    await askAndHandOver(PICKUP_1, PICKUP_ANSWER_1, "en");
    await askAndHandOver(PICKUP_2, PICKUP_ANSWER_2, "en");
    await askAndHandOver(SLOT, SLOT_ANSWER, "zh");
    await askAndHandOver(XSS, "Yes, in the accessories section.", "en");
  });

  step("editor: sees the same question asked twice as one suggestion, with both wordings and answers", async () => {
    editor = await newPage("editor", "en-US");
    await signIn(editor, baton.accounts.editor);
    await editor.getByTestId("nav-suggestions").click();
    await editor.waitForURL("**/workbench/kb/suggestions");
    await editor.getByTestId("suggestion").first().waitFor();
    assert.equal(await editor.getByTestId("suggestion").count(), 3, "four suggestions, three questions");

    const card = cardFor(editor, PICKUP_1);
    assert.equal(await card.count(), 1);
    assert.equal(await card.getByTestId("suggestion-count").getAttribute("data-count"), "2");
    assert.equal(await card.getByTestId("suggestion-count").textContent(), "Asked 2×");
    assert.deepEqual(
      (await card.getByTestId("suggestion-phrasing").allTextContents()).sort(),
      [PICKUP_1, PICKUP_2].sort(),
      "both wordings",
    );
    const answers = await card.getByTestId("suggestion-agent-answer").allTextContents();
    assert.equal(answers.length, 2);
    assert.ok(answers[0].includes(PICKUP_ANSWER_2), `the latest answer first: ${answers}`);
    assert.equal(await card.getByTestId("suggestion-answer").inputValue(), PICKUP_ANSWER_2, "the form starts with the latest answer");
    assert.equal(await editor.getByTestId("suggestion").first().getAttribute("data-id"), await card.getAttribute("data-id"), "most asked first");

    // The markup in a customer's question is shown as text.
    const xss = cardFor(editor, "replacement straps");
    assert.equal(await xss.locator(".suggestion__question").textContent(), XSS);
    assert.equal(await editor.locator(".suggestion img").count(), 0);
  });

  step("editor: approves the group with an edited title and answer", async () => {
    const card = cardFor(editor, PICKUP_1);
    await card.getByTestId("suggestion-title").fill(PICKUP_TITLE);
    await card.getByTestId("suggestion-answer").fill(PICKUP_EDITED);
    await card.getByTestId("suggestion-tags").fill("pickup, shipping");
    await card.getByTestId("approve-button").click();
    await card.getByTestId("suggestion-result").filter({ hasText: "Published" }).waitFor();
    const href = await card.getByTestId("suggestion-article").getAttribute("href");
    const id = Number(href.split("/").pop());
    assert.ok(id > 0, href);

    const session = await must("POST", "/api/v1/auth/login", { body: baton.accounts.editor });
    const { article } = await must("GET", `/api/v1/kb/articles/${id}`, { token: session.token });
    assert.equal(article.title, PICKUP_TITLE);
    assert.equal(article.body, PICKUP_EDITED);
    assert.equal(article.status, "published");
    assert.deepEqual(article.tags, ["pickup", "shipping"]);
    assert.ok(article.questions.includes(PICKUP_1) && article.questions.includes(PICKUP_2), `both wordings: ${article.questions}`);
  });

  step("editor: merges the Chinese question into an existing article; the bot then answers it", async () => {
    const card = cardFor(editor, SLOT);
    await card.getByTestId("merge-button").click();
    await card.getByTestId("merge-search").fill(SLOT_ARTICLE);
    const result = card.getByTestId("merge-result").filter({ hasText: SLOT_ARTICLE });
    await result.waitFor();
    assert.equal(await card.getByTestId("merge-result").count(), 1, "one article matches the title");
    await card.getByTestId("merge-append").check();
    await result.getByTestId("merge-pick").click();
    await card.getByTestId("suggestion-result").filter({ hasText: "Merged into" }).waitFor();
    assert.ok((await card.getByTestId("suggestion-article").textContent()).includes(SLOT_ARTICLE));
    assert.ok(await card.getByTestId("approve-button").isDisabled(), "done once");
    const id = Number((await card.getByTestId("suggestion-article").getAttribute("href")).split("/").pop());
    const session = await must("POST", "/api/v1/auth/login", { body: baton.accounts.editor });
    const { article } = await must("GET", `/api/v1/kb/articles/${id}`, { token: session.token });
    assert.ok(article.questions.includes(SLOT), `the question joins the article's questions: ${article.questions}`);
    assert.ok(article.body.trimEnd().endsWith(SLOT_ANSWER), "the agent's answer is appended");

    const c = await must("POST", "/api/v1/conversations", { body: { customer: { name: "E2E", language: "zh" } } }, 201);
    const turn = await must("POST", `/api/v1/conversations/${c.conversation.id}/messages`, {
      token: c.customer_token,
      body: { text: "你们能指定送货时间段吗？" },
    }, 201);
    const cited = turn.replies[0].citations?.[0]?.title ?? "";
    assert.ok(cited.includes(SLOT_ARTICLE), `the bot answers from the merged article, got ${JSON.stringify(turn.replies[0])}`);
  });

  step("editor: dismisses the last one; the open list is empty after a reload", async () => {
    const card = cardFor(editor, "replacement straps");
    await card.getByTestId("dismiss-button").click();
    await card.getByTestId("suggestion-result").filter({ hasText: "Dismissed" }).waitFor();
    await editor.reload();
    await editor.getByText("No open suggestions.").waitFor();
  });

  step("editor: the unanswered report groups the questions, most frequent first, and shows what covers them", async () => {
    await editor.getByTestId("tab-unanswered").click();
    assert.ok(editor.url().endsWith("#unanswered"), "the tab is in the URL");
    const rows = editor.getByTestId("unanswered-row");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3, "three questions");
    const first = rows.first();
    assert.equal(await first.getByTestId("unanswered-count").textContent(), "2");
    assert.ok([PICKUP_1, PICKUP_2].includes(await first.getByTestId("unanswered-question").textContent()));
    assert.equal(await first.getByTestId("unanswered-covered").getAttribute("data-covered"), "article", "the approved article covers it now");
    assert.equal(await first.getByTestId("unanswered-article").textContent(), PICKUP_TITLE);
    const xssRow = rows.filter({ hasText: "replacement straps" });
    assert.equal(await xssRow.getByTestId("unanswered-question").textContent(), XSS);
    assert.equal(await editor.locator("#panel-unanswered img").count(), 0);

    await editor.getByTestId("unanswered-language").selectOption("zh");
    await eventually(async () => (await rows.count()) === 1, { what: "only the Chinese question" });
    assert.equal(await rows.first().getByTestId("unanswered-question").textContent(), SLOT);
    assert.equal(await rows.first().getByTestId("unanswered-covered").getAttribute("data-covered"), "article");

    // The Chinese page says the same in Chinese; a reload keeps the tab.
    await editor.goto("/workbench/kb/suggestions?lang=zh#unanswered");
    await editor.getByTestId("tab-unanswered").filter({ hasText: "未解答问题" }).waitFor();
    await rows.first().waitFor();
    assert.equal(await editor.locator("#panel-suggestions").isHidden(), true);
    assert.equal(await editor.getByTestId("unanswered-days").evaluate((s) => s.selectedOptions[0].textContent), "最近 30 天");
    assert.equal(await rows.first().locator("td").nth(3).textContent(), "英文", "languages named in Chinese");
  });

  step("no page error and no dialog", async () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(dialogs, []);
  });
});
