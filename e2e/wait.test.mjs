// The customer's wait in real browsers, with two Baton servers on one database: customers chat on
// server A while the agent and admin work through server B. Customers see their place in the
// queue and the estimated wait, updated live when the agent comes online and takes an offer;
// outside business hours the bot says when the team is back, the customer leaves a message, and
// finds the agent's reply when they come back to /chat.
//
// Run: make build && node --test e2e/wait.test.mjs (BATON_E2E_VERBOSE=1 prints baton's log).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { eventually, launchBrowser, saveArtifacts, startBaton, stopBaton } from "./helpers.mjs";

const WAIT = 15_000;
const STEP = { timeout: 90_000 };

let a; // customers' server
let b; // staff's server, sharing a's database
let browser;
const pages = {};
const pageErrors = [];
let failedStep = null;

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
      await saveArtifacts(`wait-${name}`, pages, `${a?.log()}\n\n--- server B ---\n${b?.log()}`);
      throw err;
    }
  });
}

async function newPage(name, { locale, timezoneId, context } = {}) {
  const ctx = context ?? (await browser.newContext({ baseURL: a.baseURL, locale, timezoneId, viewport: { width: 900, height: 800 } }));
  ctx.setDefaultTimeout(WAIT);
  const page = await ctx.newPage();
  page.on("pageerror", (err) => pageErrors.push(`${name}: ${err.message}`));
  pages[name] = page;
  return page;
}

/** Calls server B's API as token's user; returns the JSON answer. */
async function api(method, path, token, body) {
  const res = await fetch(b.baseURL + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function login(email, password) {
  const res = await fetch(`${b.baseURL}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200, `login ${email}`);
  return (await res.json()).token;
}

/** The queue banner: {state, text, position, wait} or null when hidden. */
function banner(page) {
  return page.getByTestId("chat-queue").evaluate((p) =>
    p.hidden ? null : { state: p.dataset.state, text: p.textContent, position: p.dataset.position, wait: p.dataset.wait },
  );
}

async function waitForBanner(page, pred, what) {
  let last;
  return eventually(
    async () => {
      last = await banner(page);
      return pred(last) && last;
    },
    { timeoutMs: WAIT, what: `${what}; banner: ${JSON.stringify(last)}` },
  );
}

async function askForPerson(page) {
  await page.goto("/chat");
  await page.getByTestId("handoff-button").click();
  await page.locator('[data-testid="chat-status"][data-status="queued"]').waitFor();
}

function conversationOf(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem("baton.chat")).conversation_id);
}

function transcriptTexts(page) {
  return page.getByTestId("chat-messages").evaluate((ol) =>
    [...ol.querySelectorAll('[data-testid="message"]')].map((li) => `${li.dataset.sender}: ${li.querySelector(".msg__bubble")?.textContent ?? ""}`),
  );
}

describe("the customer's wait", () => {
  let admin;
  let agent;
  let agentID;
  let skill;
  let first;
  let second;
  let firstNav;
  let secondNav;

  before(
    async () => {
      a = await startBaton({ env: { BATON_ROUTING_SWEEP: "500ms" } });
      b = await startBaton({ dataDir: a.dataDir, adminPassword: a.adminPassword, env: { BATON_ROUTING_SWEEP: "500ms" } });
      browser = await launchBrowser();
      admin = await login("admin@e2e.test", a.adminPassword);
      agent = await login(b.accounts.agent.email, b.accounts.agent.password);
      agentID = (await api("GET", "/api/v1/me", agent)).user.id;
      await api("PUT", `/api/v1/agents/${agentID}/profile`, admin, { capacity: 1 });
    },
    { timeout: 180_000 },
  );

  after(
    async () => {
      await browser?.close().catch(() => {});
      if (b) await stopBaton(b);
      if (a) {
        await stopBaton(a);
        await rm(a.dataDir, { recursive: true, force: true });
      }
      assert.deepEqual(pageErrors, [], "no uncaught errors in any page");
    },
    { timeout: 60_000 },
  );

  step("with nobody online, each waiting customer sees their place", async () => {
    first = await newPage("first", { locale: "en-US" });
    firstNav = 0;
    await askForPerson(first);
    first.on("framenavigated", (f) => f === first.mainFrame() && firstNav++);
    const one = await waitForBanner(first, (x) => x?.state === "no-agents", "the first customer's place");
    assert.equal(one.text, "You are number 1 in the queue. No agent is online right now; leave a message and we will reply here.");

    second = await newPage("second", { locale: "en-US" });
    secondNav = 0;
    await askForPerson(second);
    second.on("framenavigated", (f) => f === second.mainFrame() && secondNav++);
    const two = await waitForBanner(second, (x) => x?.state === "no-agents", "the second customer's place");
    assert.equal(two.text, "You are number 2 in the queue. No agent is online right now; leave a message and we will reply here.");
    skill = (await api("GET", "/api/v1/queue", agent)).items[0].skill;
  });

  step("the agent comes online on the other server: an offer to the first, an estimate for the second, live", async () => {
    await api("POST", "/api/v1/agent/presence", agent, { presence: "online" });
    await waitForBanner(first, (x) => x?.state === "offered", "the offer on the first customer's page");
    await first.getByTestId("chat-status").filter({ hasText: "Connecting you to an agent…" }).waitFor();
    // One agent with room for one, no handling times yet (5 minutes by default): 5 minutes.
    const two = await waitForBanner(second, (x) => x?.state === "waiting", "the estimate on the second customer's page");
    assert.equal(two.text, "You are number 1 in the queue, about 5 minutes.");
    assert.equal(two.wait, "300");
    assert.equal(firstNav + secondNav, 0, "no page reloaded");
  });

  step("the agent opens the offered chat: the customer hears who joined", async () => {
    const conv = await conversationOf(first);
    await api("GET", `/api/v1/conversations/${conv}/context`, agent);
    await first.locator('[data-testid="chat-status"][data-status="assigned"]').filter({ hasText: "An agent joined" }).waitFor();
    await eventually(async () => (await banner(first)) === null, { what: "the first customer's banner to go" });
    await eventually(async () => (await transcriptTexts(first)).some((m) => m.startsWith("system: ") && m.includes("joined the conversation")), {
      what: "the joined message",
    });
    await api("POST", `/api/v1/conversations/${conv}/agent-messages`, agent, { text: "Hello, I am here to help." });
    await eventually(async () => (await transcriptTexts(first)).includes("agent: Hello, I am here to help."), { what: "the agent's reply, live" });
  });

  step("outside business hours the bot says when the team is back; the reply waits for the customer's return", async () => {
    // Open only three days from now, in Shanghai: closed now wherever one is.
    const days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    const far = days[(new Date().getUTCDay() + 3) % 7];
    const { team } = await api("PUT", `/api/v1/teams/${encodeURIComponent(skill)}`, admin, {
      time_zone: "Asia/Shanghai",
      hours: { [far]: ["09:00-18:00"] },
    });
    assert.equal(team.open_now, false);
    await api("POST", "/api/v1/agent/presence", agent, { presence: "offline" });

    const context = await browser.newContext({ baseURL: a.baseURL, locale: "zh-CN", timezoneId: "Europe/Berlin" });
    const third = await newPage("third", { context });
    await askForPerson(third);
    await eventually(async () => (await transcriptTexts(third)).some((m) => m.includes("客服团队现在不在线，将于")), {
      what: "the bot's after-hours notice",
    });
    const notice = (await transcriptTexts(third)).find((m) => m.includes("客服团队现在不在线"));
    assert.match(notice, /^bot: .* 09:00（Asia\/Shanghai, UTC\+8 时间）回来。请在这里留言/);
    const closed = await waitForBanner(third, (x) => x?.state === "closed", "the after-hours banner");
    // 09:00 in Shanghai, as the customer's browser in Berlin shows it.
    const local = new Date(team.opens_at).toLocaleString("zh-CN", { weekday: "short", hour: "2-digit", minute: "2-digit", timeZone: "Europe/Berlin" });
    assert.equal(closed.text, `客服团队暂时不在，将于${local}（您的当地时间）回来。请留言，我们会在这里回复您。`);

    const message = "请就订单 1234 给我回电话。";
    await third.getByTestId("chat-input").fill(message);
    await third.getByTestId("chat-send").click();
    await eventually(async () => (await transcriptTexts(third)).includes(`customer: ${message}`), { what: "the left message" });
    const conv = await conversationOf(third);
    await third.close();

    const { items } = await api("GET", "/api/v1/queue", agent);
    const left = items.find((it) => it.conversation_id === conv);
    assert.ok(left?.left_message, `the queue shows a left message: ${JSON.stringify(items)}`);

    // The agent is back (with room for more), answers and resolves.
    await api("PUT", `/api/v1/agents/${agentID}/profile`, admin, { capacity: 5 });
    await api("POST", "/api/v1/agent/presence", agent, { presence: "online" });
    await api("POST", `/api/v1/conversations/${conv}/agent-messages`, agent, { text: "已给您回电，包裹今天发出。" });
    await api("POST", `/api/v1/conversations/${conv}/resolve`, agent, { disposition: "resolved" });

    // The customer comes back to /chat: the reply is there.
    const back = await newPage("third-back", { context });
    await back.goto("/chat");
    await eventually(async () => (await transcriptTexts(back)).includes("agent: 已给您回电，包裹今天发出。"), {
      what: "the agent's reply on the customer's return",
    });
    await back.locator('[data-testid="chat-status"][data-status="resolved"]').waitFor();
    assert.equal(await banner(back), null);
  });
});
