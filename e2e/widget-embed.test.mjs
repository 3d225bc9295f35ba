// The chat widget embedded on another site with one script tag, in a real browser: a shop page
// served from another origin (localhost vs Baton's 127.0.0.1, so another site too) loads
// /widget.js; the launcher opens the chat in a panel, in the language and colour the tag asks for;
// the customer talks to the bot there; the signed-in user the tag names is the verified customer.
//
// Run: make build && node --test e2e/widget-embed.test.mjs (BATON_E2E_VERBOSE=1 prints baton's log).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { rm } from "node:fs/promises";

import { eventually, freePort, launchBrowser, saveArtifacts, startBaton, stopBaton } from "./helpers.mjs";

const SECRET = "e2e-widget-secret-0123456789";

let baton;
let shop; // the other site's server
let shopURL;
let browser;
const pages = {};

function shopPage() {
  const hash = createHmac("sha256", SECRET).update("shopper-9").digest("hex");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>A shop</h1><p>Products…</p>
<script src="${baton.baseURL}/widget.js" async data-language="zh" data-color="#0a7c55"
  data-external-id="shopper-9" data-user-hash="${hash}" data-name="Shopper Nine"></script>
</body></html>`;
}

describe("the widget on another site", () => {
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
      const login = await fetch(`${baton.baseURL}/api/v1/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "admin@e2e.test", password: baton.adminPassword }),
      });
      const { token } = await login.json();
      const get = async (path) => (await fetch(baton.baseURL + path, { headers: { Authorization: `Bearer ${token}` } })).json();
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
