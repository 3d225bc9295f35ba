// Tickets in real browsers against the real binary: a customer asks for a person in the chat; the
// agent opens a ticket from the conversation page (prefilled from the chat) and wraps the chat up,
// then works the ticket on its page through its states with an internal comment; the customer,
// back in the chat, asks the bot for the ticket's status (another number: not found) and is told
// in the chat, live, when it is solved.
//
// Run: make build && node --test e2e/tickets.test.mjs

import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { eventually, launchBrowser, openPage, signIn, staffCall, startBaton, stepper, stopBaton } from "./helpers.mjs";

const WAIT = 20_000;
const STEP = { timeout: 90_000 };

let baton;
let browser;
const pages = {};
const pageErrors = [];
let customer;
let agent;
let convID;
let number;

const step = stepper("tickets", { pages, log: () => baton?.log(), options: STEP });

const newPage = (name, locale) =>
  openPage(browser, { baseURL: baton.baseURL, name, locale, pages, errors: pageErrors, timeout: WAIT, viewport: { width: 1400, height: 1000 } });


/** The customer sends text and waits for a bot or system message after it containing want. */
async function customerSays(text, want) {
  await customer.getByTestId("chat-input").fill(text);
  await customer.getByTestId("chat-send").click();
  const mine = customer.locator('[data-testid="message"][data-sender="customer"]').filter({ hasText: text }).last();
  await mine.waitFor();
  if (!want) return null;
  const reply = customer.locator('[data-testid="message"][data-sender="bot"]').filter({ hasText: want }).last();
  await reply.waitFor();
  return reply.textContent();
}

describe("tickets", () => {
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
      const stopped = await stopBaton(baton, 20_000);
      await rm(baton.dataDir, { recursive: true, force: true });
      assert.ok(!stopped.timedOut, "baton stopped within 20 s");
      assert.deepEqual(pageErrors, [], "no page errors");
    },
    { timeout: 60_000 },
  );

  step("the agent opens a ticket from the customer's conversation, prefilled from the chat", async () => {
    customer = await newPage("customer", "en-US");
    await customer.goto("/chat");
    await customerSays("My kettle from order A1234567 arrived broken, I want to talk to a human");
    await customer.locator('[data-testid="chat-status"][data-status="queued"]').waitFor();
    convID = await eventually(() => customer.evaluate(() => JSON.parse(localStorage.getItem("baton.chat") || "null")?.conversation_id), {
      what: "the chat's conversation id",
    });

    agent = await newPage("agent", "en-US");
    await signIn(agent, baton.accounts.agent);
    await agent.goto(`/workbench/conversations/${convID}`);
    await agent.getByTestId("conversation-tickets-empty").waitFor();
    await agent.getByTestId("ticket-create-open").click();
    const subject = agent.getByTestId("ticket-subject");
    await eventually(async () => (await subject.inputValue()).includes("kettle"), { what: "the subject prefilled with the question" });
    await eventually(async () => (await agent.getByTestId("ticket-description").inputValue()).length > 0, { what: "the summary as the description" });
    await subject.fill("Kettle arrived broken");
    await agent.getByTestId("ticket-order").fill("A1234567");
    await agent.getByTestId("ticket-priority").selectOption("high");
    await agent.getByTestId("ticket-create-submit").click();
    const notice = agent.getByTestId("ticket-created-notice");
    await notice.filter({ hasText: /^Ticket T\d+ created\.$/ }).waitFor();
    number = (await notice.textContent()).match(/T\d+/)[0];
    await agent.locator(`[data-testid="conversation-ticket-list"] [data-ticket-number="${number}"]`).waitFor();
    await agent.locator(`[data-testid="customer-ticket-list"] [data-ticket-number="${number}"]`).waitFor();

    // The chat itself ends here; the ticket carries on. (A customer who writes again is with the bot.)
    await agent.getByTestId("claim-button").click();
    await agent.getByTestId("resolve-button").waitFor();
    const res = await staffCall(agent, "POST", `/api/v1/conversations/${convID}/resolve`, { disposition: "escalated", note: number });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  step("the agent works the ticket: starts it, comments, waits on the customer; the chat tells the customer", async () => {
    await Promise.all([
      agent.waitForURL(/\/workbench\/tickets\/\d+$/),
      agent.locator(`[data-testid="conversation-ticket-list"] [data-ticket-number="${number}"] a`).click(),
    ]);
    await agent.getByTestId("ticket-number").filter({ hasText: number }).waitFor();
    assert.equal(await agent.getByTestId("ticket-status").textContent(), "New");
    assert.equal(await agent.getByTestId("ticket-order").inputValue(), "A1234567");
    assert.equal(await agent.getByTestId("ticket-priority").inputValue(), "high");

    await agent.getByTestId("ticket-action-open").click();
    await agent.getByTestId("ticket-status").filter({ hasText: /^Open$/ }).waitFor();
    await agent.getByTestId("ticket-comment-input").fill("Asked the warehouse <b>for a replacement</b>");
    await agent.getByTestId("ticket-comment-add").click();
    await agent.getByTestId("ticket-comment").filter({ hasText: "Asked the warehouse <b>for a replacement</b>" }).waitFor();
    await agent.getByTestId("ticket-action-pending-customer").click();
    await agent.getByTestId("ticket-status").filter({ hasText: "Pending · Waiting on the customer" }).waitFor();
    const kinds = await agent.locator('[data-testid="ticket-event"]').evaluateAll((ns) => ns.map((n) => n.dataset.kind));
    assert.deepEqual(kinds, ["created", "status", "comment", "status"]);

    const reply = await customerSays(`What is the status of ticket ${number}?`, number);
    assert.match(reply, /Kettle arrived broken/);
    assert.match(reply, /waiting for information from you/);
    const other = await customerSays("And ticket T99999?", "T99999");
    assert.match(other, /couldn't find ticket T99999/);
  });

  step("solving it tells the customer in the chat, live, and asked to rate it; the queue lists it as solved", async () => {
    await agent.getByTestId("ticket-action-solve").click();
    await agent.getByTestId("ticket-status").filter({ hasText: /^Solved$/ }).waitFor();
    await agent.locator('[data-testid="ticket-event"][data-kind="customer_notified"]').waitFor();
    await customer
      .locator('[data-testid="message"][data-sender="system"]')
      .filter({ hasText: `Your ticket ${number} has been solved: Kettle arrived broken` })
      .waitFor();
    // …and asked, there, to rate the ticket (CSAT); the rating goes to the ticket.
    const card = customer.locator(`[data-testid="csat-card"][data-ticket="${number.slice(1)}"]`);
    await card.getByTestId("csat-score-5").click();
    await card.getByTestId("csat-submit").click();
    await customer.getByTestId("csat-given").filter({ hasText: "You rated 5 of 5." }).waitFor();

    await agent.getByTestId("nav-tickets").click();
    await agent.getByTestId("ticket-status-filter").selectOption("solved");
    const row = agent.locator(`[data-testid="ticket-row"][data-ticket-number="${number}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId("ticket-row-status").textContent(), "Solved");
  });
});
