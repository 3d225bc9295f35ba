// Offers in real browsers: an agent online in an auto-assigning team sees the chat the router
// offered them in "My conversations", with when it moves on, Accept and Decline (and the alert of
// a new assignment). Declined with nobody else online, it waits in the queue; one offer time-out
// later it is offered to them again; Accept opens it and the customer hears who joined.
//
// Run: make build && node --test e2e/offers.test.mjs (BATON_E2E_VERBOSE=1 prints baton's log).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { eventually, launchBrowser, saveArtifacts, staffCall, startBaton, stopBaton } from "./helpers.mjs";

const WAIT = 15_000;
const OFFER_TIMEOUT_S = 6;

let baton;
let browser;
const pages = {};
const pageErrors = [];
let failedStep = null;

function step(name, fn) {
  test(name, { timeout: 60_000 }, async (t) => {
    if (failedStep) {
      t.skip(`an earlier step failed: ${failedStep}`);
      return;
    }
    try {
      await fn();
    } catch (err) {
      failedStep = name;
      await saveArtifacts(`offers-${name}`, pages, baton?.log());
      throw err;
    }
  });
}

async function newPage(name, locale = "en-US") {
  const context = await browser.newContext({ baseURL: baton.baseURL, locale, viewport: { width: 1200, height: 900 } });
  context.setDefaultTimeout(WAIT);
  // Counts the tones Web Audio is asked to play, so a test can hear the offer's chime.
  await context.addInitScript(() => {
    window.__tones = 0;
    const Ctx = window.AudioContext;
    if (!Ctx) return;
    const create = Ctx.prototype.createOscillator;
    Ctx.prototype.createOscillator = function (...args) {
      window.__tones++;
      return create.apply(this, args);
    };
  });
  const page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(`${name}: ${err.message}`));
  pages[name] = page;
  return page;
}

describe("offers", () => {
  let agent;
  let customer;
  let elsewhere;
  let convID;
  const offer = () => agent.locator(`[data-testid="my-conversation"][data-conversation-id="${convID}"][data-offered="true"]`);

  before(
    async () => {
      baton = await startBaton({ env: { BATON_OFFER_TIMEOUT: `${OFFER_TIMEOUT_S}s`, BATON_ROUTING_SWEEP: "300ms" } });
      browser = await launchBrowser();
    },
    { timeout: 120_000 },
  );

  after(
    async () => {
      await browser?.close().catch(() => {});
      if (baton) {
        await stopBaton(baton);
        await rm(baton.dataDir, { recursive: true, force: true });
      }
    },
    { timeout: 60_000 },
  );

  step("an online agent is offered the chat: when it moves on, Accept and Decline", async () => {
    agent = await newPage("agent");
    await agent.goto("/login");
    await agent.getByTestId("login-email").fill(baton.accounts.agent.email);
    await agent.getByTestId("login-password").fill(baton.accounts.agent.password);
    await Promise.all([agent.waitForURL((u) => u.pathname === "/workbench"), agent.getByTestId("login-submit").click()]);
    assert.equal((await staffCall(agent, "POST", "/api/v1/agent/presence", { presence: "online" })).status, 200);
    // Browsers play sound only after a click or key on the page: the agent has clicked.
    await agent.locator("main").click({ position: { x: 5, y: 5 } });

    customer = await newPage("customer");
    await customer.goto("/chat");
    await customer.getByTestId("handoff-button").click();
    await customer.locator('[data-testid="chat-status"][data-status="queued"]').waitFor();
    convID = await customer.evaluate(() => JSON.parse(localStorage.getItem("baton.chat")).conversation_id);

    await offer().waitFor();
    await offer().getByTestId("offer").filter({ hasText: "Offered to you" }).waitFor();
    const expires = await offer().getByTestId("offer-expires").textContent();
    assert.match(expires, /^goes to the next agent in 0:0[0-6]$/, `a countdown, got ${JSON.stringify(expires)}`);
    await offer().getByTestId("accept-offer").waitFor();
    // The alert of a new assignment (sound and desktop notification where allowed) announced it.
    await eventually(async () => (await agent.getByTestId("notify-announce").textContent()).length > 0, { what: "the announcement" });
    // On the queue page the offer itself is the notice, with a short chime.
    await eventually(async () => (await agent.evaluate(() => window.__tones)) >= 2, { what: "the chime's two tones" });
    assert.equal(await agent.getByTestId("alert-toast").isVisible(), false, "no card over the list that shows the offer");
  });

  step("on another page, an offer shows a card with a link to accept or decline, and chimes", async () => {
    elsewhere = await agent.context().newPage();
    elsewhere.on("pageerror", (err) => pageErrors.push(`elsewhere: ${err.message}`));
    pages.elsewhere = elsewhere;
    await elsewhere.goto("/workbench/canned");
    await elsewhere.locator("main").click({ position: { x: 5, y: 5 } });
    await offer().getByTestId("decline-offer").click();
    await agent.locator(`[data-testid="queue-item"][data-conversation-id="${convID}"]`).waitFor();
    // One offer time-out later it is offered again: the agent is on the canned responses page.
    const toast = elsewhere.getByTestId("alert-toast");
    await toast.getByTestId("alert-toast-title").filter({ hasText: "Chat offered to you" }).waitFor({ timeout: WAIT });
    assert.equal(await toast.getByTestId("alert-toast-link").textContent(), "Accept or decline");
    assert.equal(await toast.getByTestId("alert-toast-link").getAttribute("href"), "/workbench");
    await eventually(async () => (await elsewhere.evaluate(() => window.__tones)) >= 2, { what: "the chime's two tones" });
    await elsewhere.close();
    delete pages.elsewhere;
  });

  step("declined with nobody else online, it waits in the queue; one offer time-out later it is offered again", async () => {
    await offer().getByTestId("decline-offer").click();
    await agent.locator(`[data-testid="queue-item"][data-conversation-id="${convID}"]`).waitFor();
    assert.equal(await offer().count(), 0, "no longer offered");
    const declinedAt = Date.now();
    await offer().waitFor({ timeout: WAIT });
    const after = (Date.now() - declinedAt) / 1000;
    assert.ok(after >= OFFER_TIMEOUT_S - 0.5, `offered again after the time-out, not at once (${after.toFixed(1)} s)`);
    assert.equal(await agent.locator(`[data-testid="queue-item"][data-conversation-id="${convID}"]`).count(), 0, "out of the queue again");
  });

  step("Accept opens the conversation and the customer hears who joined", async () => {
    await Promise.all([agent.waitForURL((u) => u.pathname === `/workbench/conversations/${convID}`), offer().getByTestId("accept-offer").click()]);
    await customer.locator('[data-testid="chat-status"][data-status="assigned"]').waitFor();
    await eventually(
      async () =>
        (await customer.getByTestId("chat-messages").textContent()).includes("joined the conversation"),
      { what: "the joined message" },
    );
    const mine = await staffCall(agent, "GET", "/api/v1/agent/conversations");
    assert.equal(mine.body.items.length, 1);
    assert.equal(mine.body.items[0].offered, false, "accepted");
  });

  step("no page threw an uncaught error", async () => {
    assert.deepEqual(pageErrors, []);
  });
});
