// The chat on other sites and who is in it, in real browsers, on one Baton server:
// - verified identity: a site passes its signed-in user to the chat page (?external_id=…&user_hash=…,
//   the hash an HMAC of the id under BATON_IDENTITY_SECRET). Two devices of the same user end up as
//   one customer with one history; a page that passes the id without the site's signature is a
//   stranger, and a browser shared by two users does not show one user's conversation to the other;
// - the widget embedded with one script tag on a shop page served from another site (localhost vs
//   Baton's 127.0.0.1): the launcher opens the chat in a panel, in the language and colour the tag
//   asks for; the customer talks to the bot there; the signed-in user the tag names is verified.
//
// Run: make build && node --test e2e/identity.test.mjs (BATON_E2E_VERBOSE=1 prints baton's log).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { rm } from "node:fs/promises";

import { eventually, freePort, launchBrowser, saveArtifacts, startBaton, stopBaton } from "./helpers.mjs";

const SECRET = "e2e-identity-secret-0123456789";
const sign = (id) => createHmac("sha256", SECRET).update(id).digest("hex");
const chatURL = (params) => "/chat?" + new URLSearchParams(params).toString();

let baton;
let shop; // the other site's server
let shopURL;
let browser;
const pages = {};

function shopPage() {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>A shop</h1><p>Products…</p>
<script src="${baton.baseURL}/widget.js" async data-language="zh" data-color="#0a7c55"
  data-external-id="shopper-9" data-user-hash="${sign("shopper-9")}" data-name="Shopper Nine"></script>
</body></html>`;
}

async function say(page, text) {
  const before = await page.getByTestId("message").count();
  await page.getByTestId("chat-input").fill(text);
  await page.getByTestId("chat-send").click();
  // The customer's line and at least one reply.
  await eventually(async () => (await page.getByTestId("message").count()) >= before + 2, { what: `a reply to ${text}` });
}

function stored(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem("baton.chat")));
}

async function adminToken() {
  const res = await fetch(`${baton.baseURL}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: "admin@e2e.test", password: baton.adminPassword }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

async function api(path, token) {
  const res = await fetch(baton.baseURL + path, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return res.json();
}

describe("the chat on other sites: verified identity and the embedded widget", () => {
  before(async () => {
    baton = await startBaton({ env: { BATON_IDENTITY_SECRET: SECRET } });
    const port = await freePort();
    shop = createServer((req, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(shopPage());
    });
    await new Promise((r) => shop.listen(port, "127.0.0.1", r));
    shopURL = `http://localhost:${port}/`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    shop?.close();
    if (baton) {
      await stopBaton(baton);
      await rm(baton.dataDir, { recursive: true, force: true });
    }
  });

  test("two devices of one signed-in user are one customer; an unsigned id is not", { timeout: 120_000 }, async () => {
    try {
      const open = async (name, params) => {
        const ctx = await browser.newContext({ baseURL: baton.baseURL, locale: "en-US" });
        ctx.setDefaultTimeout(15_000);
        const page = await ctx.newPage();
        pages[name] = page;
        await page.goto(chatURL(params));
        return page;
      };
      const ann = { external_id: "ann-42", user_hash: sign("ann-42"), name: "Ann" };
      const laptop = await open("laptop", ann);
      await say(laptop, "How long does a refund take?");
      const phone = await open("phone", ann);
      await say(phone, "where is my order A1234567");
      const impostor = await open("impostor", { external_id: "ann-42", user_hash: sign("someone-else") });
      await impostor.getByTestId("chat-input").fill("what did I order last time?");
      await impostor.getByTestId("chat-send").click();
      await impostor.getByTestId("chat-error").waitFor({ state: "visible" });
      const unsigned = await open("unsigned", { external_id: "ann-42" });
      await say(unsigned, "what did I order last time?");

      const token = await adminToken();
      const customerOf = async (page) => (await api(`/api/v1/conversations/${(await stored(page)).conversation_id}`, token)).conversation.customer_id;
      const annID = await customerOf(laptop);
      assert.equal(await customerOf(phone), annID, "the phone's conversation is Ann's");
      const view = await api(`/api/v1/customers/${annID}`, token);
      assert.equal(view.customer.verified, true);
      assert.equal(view.customer.name, "Ann");
      assert.deepEqual(view.conversations.map((c) => c.id).sort(), [(await stored(laptop)).conversation_id, (await stored(phone)).conversation_id].sort());
      // A wrong signature is refused: that page has no conversation and shows why it could not start one.
      assert.equal(await impostor.evaluate(() => localStorage.getItem("baton.chat")), null);
      for (const page of [unsigned]) {
        const id = await customerOf(page);
        assert.notEqual(id, annID, "an id without the site's signature is someone else");
        const v = await api(`/api/v1/customers/${id}`, token);
        assert.equal(v.customer.verified, false);
        assert.equal(v.conversations.length, 1);
      }

      // The agent's context card says the id was verified by the site, or not.
      const staff = await browser.newContext({ baseURL: baton.baseURL, locale: "en-US" });
      staff.setDefaultTimeout(15_000);
      const desk = await staff.newPage();
      pages.desk = desk;
      await desk.goto("/login");
      await desk.getByTestId("login-email").fill("admin@e2e.test");
      await desk.getByTestId("login-password").fill(baton.adminPassword);
      await Promise.all([desk.waitForURL((u) => u.pathname !== "/login"), desk.getByTestId("login-submit").click()]);
      const externalID = async (convID) => {
        await desk.goto(`/workbench/conversations/${convID}`);
        const dd = desk.locator('[data-testid="customer-360"] [data-ctx="customer_external_id"]');
        await eventually(async () => (await dd.textContent()).includes("ann-42"), { what: "the customer's external id" });
        return dd.textContent();
      };
      assert.equal(await externalID((await stored(phone)).conversation_id), "ann-42 · verified by the site");
      assert.equal(await desk.getByTestId("conversation-channel").textContent(), "Web chat", "the conversation names its channel");
      // The widget passes no id without its signature; an API client may send one unsigned.
      const res = await fetch(`${baton.baseURL}/api/v1/conversations`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ customer: { external_id: "ann-42" } }),
      });
      assert.equal(res.status, 201);
      const claimed = await res.json();
      assert.equal(await externalID(claimed.conversation.id), "ann-42 · not verified");

      // Another user signs in on the laptop: Ann's conversation is not shown to them.
      await laptop.goto(chatURL({ external_id: "bob-7", user_hash: sign("bob-7") }));
      await laptop.getByTestId("chat-input").waitFor();
      assert.equal(await laptop.getByTestId("message").count(), 0, "Bob does not see Ann's messages");
      await say(laptop, "hi");
      assert.notEqual(await customerOf(laptop), annID);
    } catch (err) {
      await saveArtifacts("identity", pages, baton?.log());
      throw err;
    }
  });

  test("one script tag: launcher, chat in the panel, the bot answers, the user is verified", { timeout: 120_000 }, async () => {
    try {
      const ctx = await browser.newContext({ locale: "en-US", viewport: { width: 1200, height: 800 } });
      ctx.setDefaultTimeout(15_000);
      const page = await ctx.newPage();
      pages.shop = page;
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // The conversation the chat starts, as the server answered the frame (a third-party frame may
      // have no storage to read it back from).
      let convID = null;
      page.on("response", async (r) => {
        if (r.request().method() === "POST" && r.url().endsWith("/api/v1/conversations") && r.status() === 201) {
          convID = (await r.json()).conversation.id;
        }
      });
      await page.goto(shopURL);

      const launcher = page.locator("#baton-launcher");
      await launcher.waitFor();
      assert.equal(await launcher.getAttribute("aria-label"), "联系客服", "the tag's language");
      assert.equal(await launcher.evaluate((b) => getComputedStyle(b).backgroundColor), "rgb(10, 124, 85)", "the tag's colour");
      // Nothing is framed until the customer opens it.
      assert.equal(await page.locator("#baton-panel iframe").count(), 0);
      await launcher.click();
      assert.equal(await launcher.getAttribute("aria-expanded"), "true");

      const chat = page.frameLocator("#baton-panel iframe");
      await chat.getByTestId("chat-input").waitFor();
      assert.equal(await chat.locator("html").getAttribute("lang"), "zh-CN");
      const send = chat.getByTestId("chat-send");
      await eventually(async () => (await send.evaluate((b) => getComputedStyle(b).backgroundColor)) === "rgb(10, 124, 85)", {
        what: "the chat to take the tag's colour",
      });

      await chat.getByTestId("chat-input").fill("退款多久到账");
      await send.click();
      await eventually(async () => (await chat.locator('[data-testid="message"][data-sender="bot"]').count()) > 0, { what: "the bot's answer" });
      const answer = await chat.locator('[data-testid="message"][data-sender="bot"]').first().textContent();
      assert.match(answer, /退款/, "answered from the knowledge base, in Chinese");

      // The conversation belongs to the shop's signed-in user, verified.
      assert.ok(convID, "the chat started a conversation");
      const token = await adminToken();
      const get = (path) => api(path, token);
      const { conversation } = await get(`/api/v1/conversations/${convID}`);
      const { customer } = await get(`/api/v1/customers/${conversation.customer_id}`);
      assert.equal(customer.verified, true);
      assert.equal(customer.external_id, "shopper-9");
      assert.equal(customer.name, "Shopper Nine");

      // Escape closes the panel and gives the launcher back its label.
      await page.keyboard.press("Escape");
      await eventually(async () => (await launcher.getAttribute("aria-expanded")) === "false", { what: "the panel to close" });
      assert.equal(await page.locator("#baton-panel").isVisible(), false);
      assert.deepEqual(errors, []);
    } catch (err) {
      await saveArtifacts("widget-embed", pages, baton?.log());
      throw err;
    }
  });
});
