// Customer satisfaction in real browsers against the real binary: an agent resolves a chat, the
// customer's chat shows the rating card live, they rate 4 with a comment (by keyboard), change it
// to 5, and the agent's conversation page shows the rating live; a conversation only the bot
// answered offers "Rate this conversation" instead, in Chinese.
//
// Run: make build && node --test --test-concurrency=1 e2e/csat.test.mjs

import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { eventually, launchBrowser, openPage, staffCall, startBaton, stepper, stopBaton } from "./helpers.mjs";

const WAIT = 15_000;
const STEP = { timeout: 60_000 };
const COMMENT = "Quick and kind <b>thanks</b>";

let baton;
let browser;
const pages = {};
const pageErrors = [];

const step = stepper("csat", { pages, log: () => baton?.log(), options: STEP });

const newPage = (name, locale) =>
  openPage(browser, { baseURL: baton.baseURL, name, locale, pages, errors: pageErrors, timeout: WAIT, viewport: { width: 1100, height: 900 } });

async function say(page, text) {
  await page.getByTestId("chat-input").fill(text);
  await page.getByTestId("chat-send").click();
  await page.locator('[data-testid="message"][data-sender="customer"]').filter({ hasText: text }).waitFor();
}

describe("customer satisfaction", () => {
  before(
    async () => {
      baton = await startBaton();
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

  let customer;
  let agent;
  let convID;

  step("an agent resolves; the customer rates 4 with a comment, then changes it to 5; the agent sees it", async () => {
    customer = await newPage("customer", "en-US");
    await customer.goto("/chat");
    await say(customer, "I want to talk to a human");
    await customer.locator('[data-testid="chat-status"][data-status="queued"]').waitFor();
    assert.equal(await customer.getByTestId("rate-button").isVisible(), false, "no rating while waiting for a person");
    convID = await customer.evaluate(() => JSON.parse(localStorage.getItem("baton.chat")).conversation_id);

    agent = await newPage("agent", "en-US");
    await agent.goto("/login");
    await agent.getByTestId("login-email").fill(baton.accounts.agent.email);
    await agent.getByTestId("login-password").fill(baton.accounts.agent.password);
    await Promise.all([agent.waitForURL((u) => u.pathname !== "/login"), agent.getByTestId("login-submit").click()]);
    await agent.goto(`/workbench/conversations/${convID}`);
    await agent.getByTestId("claim-button").click();
    await agent.getByTestId("reply-input").fill("Your parcel left our warehouse today.");
    await agent.getByTestId("reply-send").click();
    await customer.locator('[data-testid="message"][data-sender="agent"]').waitFor();
    assert.equal(await customer.getByTestId("csat").isVisible(), false, "no rating card while the agent helps");
    assert.equal(await agent.getByTestId("csat-rating").isVisible(), false, "nothing rated yet");

    await agent.getByTestId("resolve-button").click();
    await agent.getByTestId("wrapup-disposition").selectOption("info_provided");
    await agent.getByTestId("wrapup-submit").click();
    await agent.locator('[data-testid="conversation-status"][data-status="resolved"]').waitFor();

    // Live, without a reload: the card asks for a rating.
    const card = customer.getByTestId("csat-card");
    await card.getByText("How would you rate this conversation?").waitFor();
    const submit = card.getByTestId("csat-submit");
    assert.equal(await submit.isDisabled(), true, "nothing to send before a score is chosen");

    // By keyboard: focus the first star, arrow right three times → 4.
    await card.locator('input[type="radio"][value="1"]').focus();
    await customer.keyboard.press("Space");
    for (let i = 0; i < 3; i++) await customer.keyboard.press("ArrowRight");
    assert.equal(await card.locator('input[type="radio"]:checked').getAttribute("value"), "4");
    await card.getByTestId("csat-hint").filter({ hasText: "Good" }).waitFor();
    await card.getByTestId("csat-comment").fill(COMMENT);
    await submit.click();

    await customer.getByTestId("csat-thanks").filter({ hasText: "Thank you for your feedback!" }).waitFor();
    await customer.getByTestId("csat-given").filter({ hasText: "You rated 4 of 5." }).waitFor();
    assert.equal(await customer.getByTestId("csat-given-comment").textContent(), COMMENT, "the comment shows as typed, as text");
    assert.equal(await customer.getByTestId("csat").locator("b").count(), 0);

    // The agent's page shows it live.
    const staff = agent.getByTestId("csat-rating");
    await staff.locator('[data-testid="csat-score"][data-score="4"]').waitFor();
    assert.equal(await staff.getByTestId("csat-comment").textContent(), COMMENT);
    assert.equal(await staff.locator("b").count(), 0, "the comment is text on the agent page too");

    // Change it to 5 while allowed.
    await customer.getByTestId("csat-change").click();
    await customer.getByTestId("csat-score-5").click();
    await customer.getByTestId("csat-submit").click();
    await customer.getByTestId("csat-given").filter({ hasText: "You rated 5 of 5." }).waitFor();
    await staff.locator('[data-testid="csat-score"][data-score="5"]').waitFor();
    assert.equal(await staff.getByTestId("csat-comment").textContent(), COMMENT, "the comment kept");

    // A reload of the agent's page still shows it; the supervisor's API counts one rating.
    await agent.reload();
    await agent.locator('[data-testid="csat-score"][data-score="5"]').waitFor();
    const list = await staffCall(agent, "GET", "/api/v1/csat");
    assert.equal(list.status, 403, "an agent may not list every rating");
  });

  step("a bot-only conversation (zh): 'Rate this conversation' after the bot answers", async () => {
    const zh = await newPage("customer-zh", "zh-CN");
    await zh.goto("/chat");
    assert.equal(await zh.getByTestId("rate-button").isVisible(), false);
    await say(zh, "买的衣服不合适可以退吗");
    await zh.locator('[data-testid="message"][data-sender="bot"]').first().waitFor();
    const button = zh.getByTestId("rate-button");
    await button.filter({ hasText: "评价本次对话" }).waitFor();
    assert.equal(await zh.getByTestId("csat").isVisible(), false, "the bot-only card waits to be asked for");
    await button.click();
    const card = zh.getByTestId("csat-card");
    await card.getByText("您对本次服务满意吗？").waitFor();
    await card.getByTestId("csat-score-5").click();
    await card.getByTestId("csat-submit").click();
    await zh.getByTestId("csat-thanks").filter({ hasText: "感谢您的评价！" }).waitFor();
    await eventually(async () => !(await button.isVisible()), { what: "the rate button to go once rated" });
    assert.deepEqual(pageErrors, [], "no uncaught errors in any page");
  });
});
