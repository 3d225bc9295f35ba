// Two agents working together in two browsers against the real binary: agent A (English) holds a
// customer's conversation and writes a private note mentioning agent B (Chinese), who is told live
// (badge, sound, desktop notification) and opens it; the customer never sees the note. A transfers
// the conversation to B with a note, which B sees in their list; the customer's typing shows on
// B's page and B's on the customer's, B's list counts unread messages, and B wraps up with a
// disposition, which stays in the conversation's history.
//
// Run: make build && node --test --test-concurrency=1 e2e/workbench-collab.test.mjs
// BATON_E2E_VERBOSE=1 also prints baton's log; BATON_E2E_SHOTS=1 saves screenshots of each step
// to e2e/artifacts/. On failure, screenshots of every open page and baton's log go there too.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { demoAccounts, eventually, launchBrowser, saveArtifacts, staffCall, startBaton, stopBaton } from "./helpers.mjs";

const WAIT = 15_000; // longest any single UI expectation may take (the machine is shared)
const STEP = { timeout: 90_000 };

const NOTE = "can you check whether order A1234567 qualifies for an exchange?";
const TRANSFER_NOTE = "Wants to exchange for size M, order A1234567. Already verified the address.";
const HELLO = "Let me check that with a colleague.";
const CUSTOMER_TYPES = "我要换M码的";
const B_REPLY = "您好，可以换M码，我已为您登记。";
const WRAPUP_NOTE = "Exchange to size M booked.";
const HELD_BY_OTHER_ZH = "该会话由其他客服处理。";

let baton;
let browser;
const t0 = performance.now();
const pages = {};
const pageErrors = [];
const dialogs = [];
let failedStep = null;

let convID;
let customer;
let agentA;
let agentB;
let bNav;

function step(name, fn) {
  test(name, STEP, async (t) => {
    if (failedStep) {
      t.skip(`an earlier step failed: ${failedStep}`);
      return;
    }
    try {
      await fn(t);
      if (process.env.BATON_E2E_SHOTS) await saveArtifacts(`collab-${name}`, pages);
    } catch (err) {
      failedStep = name;
      await saveArtifacts(`collab-${name}`, pages, baton?.log());
      throw err;
    }
  });
}

async function newPage(name, locale, { recordAlerts = false } = {}) {
  const context = await browser.newContext({ baseURL: baton.baseURL, locale, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(WAIT);
  if (recordAlerts) {
    // Desktop notifications are allowed for this browser; the page's calls to Notification and
    // to Web Audio are counted as they pass through to the real ones.
    await context.grantPermissions(["notifications"]);
    await context.addInitScript(() => {
      window.__desktop = [];
      window.__tones = 0;
      const Real = window.Notification;
      window.Notification = new Proxy(Real, {
        construct(target, args) {
          window.__desktop.push({ title: args[0], body: args[1]?.body ?? "" });
          return new target(...args);
        },
      });
      const osc = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (...a) {
        window.__tones++;
        return osc.apply(this, a);
      };
    });
  }
  const page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(`${name}: ${err.message}`));
  page.on("dialog", (d) => {
    dialogs.push(`${name}: ${d.type()} ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  pages[name] = page;
  return page;
}

function countNavigations(page) {
  const nav = { count: 0 };
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) nav.count++;
  });
  return nav;
}

async function signIn(page, { email, password }) {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login"), page.getByTestId("login-submit").click()]);
  await page.getByTestId("user-email").filter({ hasText: email }).waitFor();
}

const messagesOf = (page, testid) =>
  page.getByTestId(testid).evaluate((ol) =>
    [...ol.querySelectorAll('[data-testid="message"]')].map((li) => ({ sender: li.dataset.sender, text: li.querySelector(".msg__bubble")?.textContent ?? "" })),
  );

describe("agents working together", () => {
  before(
    async () => {
      baton = await startBaton();
      // Both demo agents' lines may reach the log a moment after the first accounts.
      await eventually(
        () => {
          baton.accounts = demoAccounts(baton.log());
          return baton.accounts.all.filter((a) => a.role === "agent").length === 2;
        },
        { timeoutMs: 10_000, what: `two demo agents in the start-up log:\n${baton.log()}` },
      );
      browser = await launchBrowser();
    },
    { timeout: 120_000 },
  );

  after(
    async () => {
      if (failedStep && baton) await saveArtifacts("collab-after", {}, baton.log());
      await browser?.close().catch(() => {});
      if (!baton) return;
      const stopped = await stopBaton(baton, 20_000);
      await rm(baton.dataDir, { recursive: true, force: true });
      console.log(`e2e collab: whole run took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      assert.ok(!stopped.timedOut, "baton exits within 20 s of SIGTERM");
      assert.equal(stopped.code, 0, `baton exited with ${JSON.stringify(stopped)}:\n${baton.log().slice(-3000)}`);
    },
    { timeout: 60_000 },
  );

  step("a customer asks for a person; agent A claims the conversation", async () => {
    customer = await newPage("customer", "zh-CN");
    await customer.goto("/chat");
    await customer.getByTestId("chat-input").fill("转人工");
    await customer.getByTestId("chat-send").click();
    await customer.locator('[data-testid="chat-status"][data-status="queued"]').waitFor();
    convID = await customer.evaluate(() => JSON.parse(localStorage.getItem("baton.chat")).conversation_id);

    agentA = await newPage("agentA", "en-US");
    await signIn(agentA, baton.accounts.agent);
    const item = agentA.locator(`[data-testid="queue-item"][data-conversation-id="${convID}"]`);
    await Promise.all([agentA.waitForURL(`**/workbench/conversations/${convID}`), item.getByTestId("claim-button").click()]);
    await agentA.locator('[data-testid="conversation-status"][data-status="assigned"]').waitFor();
    await agentA.getByTestId("reply-input").fill(HELLO);
    await agentA.getByTestId("reply-send").click();
    await customer.locator('[data-testid="message"][data-sender="agent"]').filter({ hasText: HELLO }).waitFor();
  });

  step("agent B signs in (Chinese), turns on desktop notifications and goes online", async () => {
    agentB = await newPage("agentB", "zh-CN", { recordAlerts: true });
    await signIn(agentB, baton.accounts.all.find((a) => a.role === "agent" && a.email !== baton.accounts.agent.email));
    assert.equal(new URL(agentB.url()).pathname, "/workbench");
    await agentB.locator('[data-testid="live-state"][data-state="live"]').waitFor();
    assert.ok(await agentB.getByTestId("notifications-badge").isHidden(), "no notifications yet");

    await agentB.getByTestId("notifications-button").click(); // a user gesture: sound may play from now on
    const panel = agentB.getByTestId("notifications-panel");
    await panel.waitFor();
    await panel.getByText("暂无通知").waitFor();
    const desktop = agentB.getByTestId("alert-desktop");
    assert.equal(await desktop.isChecked(), false, "desktop notifications start off");
    assert.equal(await agentB.getByTestId("alert-sound").isChecked(), true, "sound starts on");
    await desktop.check();
    assert.equal(await desktop.isChecked(), true);
    await agentB.getByTestId("notifications-button").click();
    await panel.waitFor({ state: "hidden" });

    const res = await staffCall(agentB, "POST", "/api/v1/agent/presence", { presence: "online" });
    assert.equal(res.status, 200, JSON.stringify(res));
    bNav = countNavigations(agentB);
  });

  step("A writes a private note mentioning B, picked from the autocomplete", async () => {
    await agentA.getByTestId("compose-note").click();
    assert.ok(await agentA.getByTestId("reply-input").isHidden(), "the note tab replaces the reply box");
    const input = agentA.getByTestId("note-input");
    await input.pressSequentially("@coll");
    const option = agentA.getByTestId("mention-option").filter({ hasText: "Demo Colleague" });
    await option.waitFor();
    assert.equal(await agentA.getByTestId("mention-option").count(), 1, "only the colleague matches @coll");
    await input.press("Enter"); // picks the highlighted colleague
    assert.equal(await input.inputValue(), "@Demo Colleague ");
    await input.pressSequentially(NOTE);
    await input.press("Enter");

    const note = agentA.getByTestId("note").filter({ hasText: NOTE });
    await note.waitFor();
    assert.equal(await note.getByTestId("mention").textContent(), "@Demo Colleague");
    assert.match(await note.locator(".msg__label").textContent(), /Note · Demo Agent/);
    await eventually(async () => (await input.inputValue()) === "", { what: "the note box to clear" });
  });

  step("B is told at once: badge, announcement, sound and a desktop notification", async () => {
    const badge = agentB.getByTestId("notifications-badge");
    await badge.filter({ hasText: "1" }).waitFor();
    assert.equal(bNav.count, 0, "no reload needed");
    await eventually(async () => /Demo Agent 在备注中提到了你/.test(await agentB.getByTestId("notify-announce").textContent()), {
      what: "the screen-reader announcement",
    });
    const desktop = await eventually(() => agentB.evaluate(() => (window.__desktop.length ? window.__desktop : null)), { what: "a desktop notification" });
    assert.equal(desktop.length, 1);
    assert.equal(desktop[0].title, "Demo Agent 在备注中提到了你");
    assert.ok(desktop[0].body.includes("A1234567"), `the note in the notification body: ${JSON.stringify(desktop)}`);
    assert.ok((await agentB.evaluate(() => window.__tones)) > 0, "a sound played");

    // The customer never sees the note.
    const seen = await messagesOf(customer, "chat-messages");
    assert.ok(!seen.some((m) => m.text.includes("exchange")), `the customer's transcript: ${JSON.stringify(seen)}`);
    assert.equal(await customer.locator('[data-testid="note"]').count(), 0);
    assert.ok(!(await customer.content()).includes("qualifies"), "the note is nowhere in the customer's page");
  });

  step("B opens the notification: it is marked read and shows the note in the conversation", async () => {
    await agentB.getByTestId("notifications-button").click();
    const item = agentB.getByTestId("notification").first();
    await item.waitFor();
    assert.equal(await item.getAttribute("data-read"), "false");
    assert.ok((await item.getByTestId("notification-text").textContent()).includes(NOTE));
    await Promise.all([agentB.waitForURL(`**/workbench/conversations/${convID}`), item.click()]);
    await agentB.getByTestId("note").filter({ hasText: NOTE }).waitFor();
    assert.match(await agentB.getByTestId("note").first().locator(".msg__label").textContent(), /备注 · Demo Agent/);
    await eventually(async () => agentB.getByTestId("notifications-badge").isHidden(), { what: "the badge to clear" });
    await agentB.locator("#reply-locked").filter({ hasText: HELD_BY_OTHER_ZH }).waitFor(); // not B's to answer yet
    assert.ok(await agentB.getByTestId("transfer-button").isHidden(), "only the holder transfers");
    await agentB.goto("/workbench");
    await agentB.locator('[data-testid="live-state"][data-state="live"]').waitFor();
    bNav = countNavigations(agentB);
  });

  step("A transfers the conversation to B with a note; it leaves A's list and appears in B's", async () => {
    await agentA.getByTestId("transfer-button").click();
    const dialog = agentA.getByTestId("transfer-dialog");
    await dialog.waitFor();
    const b = dialog.getByTestId("transfer-agent").filter({ hasText: "Demo Colleague" });
    await b.waitFor();
    assert.match(await b.textContent(), /Online · 0\/3 conversations/);
    assert.ok(await dialog.getByTestId("transfer-team").count() > 0, "teams are offered too");
    await dialog.getByTestId("transfer-submit").click();
    await dialog.getByTestId("transfer-error").filter({ hasText: "Choose a colleague or a team." }).waitFor();
    await b.locator("input").check();
    await dialog.getByTestId("transfer-note").fill(TRANSFER_NOTE);
    await dialog.getByTestId("transfer-submit").click();
    await dialog.waitFor({ state: "detached" });
    await agentA.getByTestId("conversation-notice").filter({ hasText: "Transferred to Demo Colleague." }).waitFor();
    await agentA.getByTestId("compose-reply").click();
    await agentA.locator("#reply-locked").filter({ hasText: "Another agent holds this conversation." }).waitFor();
    assert.ok(await agentA.getByTestId("transfer-button").isHidden(), "A no longer holds it");
    await agentA.getByTestId("timeline-transfer").filter({ hasText: "Demo Agent transferred this conversation to Demo Colleague" }).waitFor();

    // B's list, live: the conversation, who sent it and the note; an alert.
    const mine = agentB.locator(`[data-testid="my-conversation"][data-conversation-id="${convID}"]`);
    await mine.waitFor();
    const tn = mine.getByTestId("transfer-note");
    assert.match(await tn.textContent(), /由 Demo Agent 转来/);
    assert.ok((await tn.textContent()).includes(TRANSFER_NOTE));
    await agentB.getByTestId("notifications-badge").filter({ hasText: "1" }).waitFor();
    await eventually(async () => /Demo Agent 把一个会话转给了你/.test(await agentB.getByTestId("notify-announce").textContent()), { what: "the transfer announcement" });
    const desktop = await eventually(() => agentB.evaluate(() => (window.__desktop.length ? window.__desktop : null)), { what: "a desktop notification" });
    assert.equal(desktop.length, 1, `one alert for one transfer: ${JSON.stringify(desktop)}`);
    assert.equal(bNav.count, 0, "B's list updated without a reload");

    await agentA.goto("/workbench");
    await agentA.getByTestId("my-conversations").filter({ hasText: "You hold no conversations." }).waitFor();
  });

  step("B's list counts the customer's new messages; opening the conversation reads them", async () => {
    const mine = agentB.locator(`[data-testid="my-conversation"][data-conversation-id="${convID}"]`);
    const before = Number((await mine.getByTestId("unread-count").count()) ? await mine.getByTestId("unread-count").getAttribute("data-unread") : 0);
    await customer.getByTestId("chat-input").fill("还在吗？");
    await customer.getByTestId("chat-send").click();
    await eventually(async () => Number(await mine.getByTestId("unread-count").getAttribute("data-unread")) === before + 1, {
      what: `the unread count to go from ${before} to ${before + 1}`,
    });
    assert.equal(bNav.count, 0);

    await Promise.all([agentB.waitForURL(`**/workbench/conversations/${convID}`), mine.locator("a").click()]);
    await agentB.locator('[data-testid="conversation-status"][data-status="assigned"]').waitFor();
    await agentB.getByTestId("reply-input").waitFor();
    await agentB.getByTestId("timeline-transfer").filter({ hasText: TRANSFER_NOTE }).waitFor();
    await agentB.getByTestId("note").filter({ hasText: NOTE }).waitFor();
    await agentB.locator('[data-testid="message"][data-sender="customer"]').filter({ hasText: "还在吗？" }).waitFor();
    await eventually(
      async () => {
        const res = await staffCall(agentB, "GET", "/api/v1/agent/conversations");
        return res.body?.items?.find((i) => i.conversation_id === convID)?.unread === 0;
      },
      { what: "B's unread count to drop to 0 once the conversation is open" },
    );
  });

  step("typing shows on the other side: customer → B and B → customer", async () => {
    const indicator = agentB.getByTestId("typing-indicator");
    assert.ok(await indicator.isHidden());
    await customer.getByTestId("chat-input").pressSequentially(CUSTOMER_TYPES, { delay: 60 });
    await indicator.filter({ hasText: "客户正在输入…" }).waitFor();
    await customer.getByTestId("chat-send").click();
    await agentB.locator('[data-testid="message"][data-sender="customer"]').filter({ hasText: CUSTOMER_TYPES }).waitFor();
    await indicator.waitFor({ state: "hidden" });

    const onCustomer = customer.getByTestId("typing-indicator");
    await agentB.getByTestId("reply-input").pressSequentially("您好", { delay: 60 });
    await onCustomer.filter({ hasText: "客服正在输入…" }).waitFor();
    await agentB.getByTestId("reply-input").fill(B_REPLY);
    await agentB.getByTestId("reply-send").click();
    await customer.locator('[data-testid="message"][data-sender="agent"]').filter({ hasText: B_REPLY }).waitFor();
    await onCustomer.waitFor({ state: "hidden" });
  });

  step("B wraps up with a disposition and a note; the history keeps it", async () => {
    await agentB.getByTestId("resolve-button").click();
    const dialog = agentB.getByTestId("wrapup-dialog");
    await dialog.waitFor();
    const select = dialog.getByTestId("wrapup-disposition");
    await select.locator("option", { hasText: "已退款" }).waitFor({ state: "attached" });
    const labels = await select.locator("option").allTextContents();
    for (const l of ["已解决", "已退款", "已升级处理", "客户未回复", "垃圾信息"]) assert.ok(labels.includes(l), `${l} among ${labels}`);
    await dialog.getByTestId("wrapup-submit").click();
    await dialog.getByText("请先选择处理结果。").waitFor();
    assert.equal(await agentB.locator('[data-testid="conversation-status"]').getAttribute("data-status"), "assigned", "nothing resolved without an outcome");

    await select.selectOption("replacement_sent");
    await dialog.getByTestId("wrapup-note").fill(WRAPUP_NOTE);
    await dialog.getByTestId("wrapup-submit").click();
    await dialog.waitFor({ state: "detached" });
    await agentB.locator('[data-testid="conversation-status"][data-status="resolved"]').waitFor();
    await agentB.getByTestId("conversation-notice").filter({ hasText: "已解决" }).waitFor();
    const wrap = agentB.getByTestId("timeline-wrapup");
    await wrap.filter({ hasText: "Demo Colleague 已结束会话：已安排补发或换货" }).waitFor();
    assert.equal(await wrap.getByTestId("timeline-note").textContent(), WRAPUP_NOTE);
    await customer.locator('[data-testid="chat-status"][data-status="resolved"]').waitFor();

    // A reload shows the same history.
    await agentB.reload();
    await agentB.getByTestId("timeline-wrapup").filter({ hasText: WRAPUP_NOTE }).waitFor();
    await agentB.getByTestId("timeline-transfer").filter({ hasText: TRANSFER_NOTE }).waitFor();
    await agentB.getByTestId("note").filter({ hasText: NOTE }).waitFor();
    const seen = await messagesOf(customer, "chat-messages");
    assert.ok(!seen.some((m) => m.text.includes(WRAPUP_NOTE) || m.text.includes(TRANSFER_NOTE)), "the customer sees neither note");
  });

  step("no page threw an uncaught error or opened a browser dialog", async () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(dialogs, []);
  });
});
