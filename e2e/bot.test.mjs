// The bot page in a real browser against the real binary: an editor sees the demo bot's intents,
// tries a message and sees the intent and the order number it carries, breaks the YAML and is sent
// to the bad line, saves a new version with one more example, rolls back to the first version, and
// an agent is turned away.
//
// Run: make build && node --test --test-concurrency=1 e2e/bot.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { eventually, launchBrowser, saveArtifacts, startBaton, stopBaton } from "./helpers.mjs";

const WAIT = 10_000;
const STEP = { timeout: 60_000 };
const MESSAGE = "我的快递到哪了 A1234567";
const NEW_EXAMPLE = "快递到哪儿了帮我看看";

let baton;
let browser;
let editor;
const t0 = performance.now();
const pages = {};
const pageErrors = [];
const dialogs = [];
let failedStep = null;

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
      await saveArtifacts(`bot-${name}`, pages, baton?.log());
      throw err;
    }
  });
}

async function newPage(name) {
  const context = await browser.newContext({ baseURL: baton.baseURL, locale: "en-US", viewport: { width: 1280, height: 900 } });
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

async function signIn(page, { email, password }, next) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login"), page.getByTestId("login-submit").click()]);
}

/** Puts the YAML editor's cursor right after the first occurrence of text. */
async function cursorAfter(page, text) {
  const found = await page.getByTestId("yaml-source").evaluate((area, text) => {
    const i = area.value.indexOf(text);
    if (i < 0) return false;
    area.focus();
    area.setSelectionRange(i + text.length, i + text.length);
    return true;
  }, text);
  assert.ok(found, `the YAML contains ${JSON.stringify(text)}`);
}

/** The 1-based line of the editor's cursor. */
const cursorLine = (page) => page.getByTestId("yaml-source").evaluate((a) => a.value.slice(0, a.selectionStart).split("\n").length);

const examplesOf = (page, intent) => page.locator(`[data-testid="intent-row"][data-intent="${intent}"] td.num`).textContent();

describe("the bot page", () => {
  before(
    async () => {
      baton = await startBaton();
      assert.ok(baton.accounts.editor && baton.accounts.agent, `no demo accounts in the start-up log:\n${baton.log()}`);
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
      console.log(`e2e bot: ${((performance.now() - t0) / 1000).toFixed(1)} s with start-up ${(baton.readyMs / 1000).toFixed(1)} s and shutdown ${(stopped.ms / 1000).toFixed(1)} s`);
      assert.ok(!stopped.timedOut, "baton did not exit within 20 s of SIGTERM");
    },
    { timeout: 60_000 },
  );

  step("editor: opens the bot page from the nav and sees the intents", async () => {
    editor = await newPage("editor");
    await signIn(editor, baton.accounts.editor, "/workbench/kb");
    await Promise.all([editor.waitForURL("**/workbench/bot"), editor.getByTestId("nav-bot").click()]);
    const row = editor.locator('[data-testid="intent-row"][data-intent="track_order"]');
    await row.waitFor();
    assert.match(await row.textContent(), /track an order.*track_order.*Task.*order_id.*logistics/);
    assert.equal(await editor.getByTestId("bot-version").textContent(), "v1");
    assert.equal(await editor.getByTestId("bot-name").textContent(), "demo-shop");
    assert.match(await editor.getByTestId("yaml-source").inputValue(), /^name: demo-shop$/m, "the editor holds the active YAML");
  });

  step("editor: tries a message and sees the intent and the order number", async () => {
    await editor.getByTestId("try-text").fill(MESSAGE);
    await editor.getByTestId("try-run").click();
    await editor.locator('[data-testid="predicted-intent"][data-intent="track_order"]').waitFor();
    assert.equal(await editor.locator('[data-testid="slots"] [data-slot="order_id"] .pairs__value').textContent(), "A1234567");
    const ranked = await editor.getByTestId("ranked-intent").evaluateAll((rows) => rows.map((r) => r.dataset.intent));
    assert.ok(ranked.length >= 2 && ranked.length <= 5, `top 5, got ${ranked}`);
    assert.equal(ranked[0], "track_order");
    assert.match(await editor.getByTestId("confidence").textContent(), /^0\.\d\d$|^1\.00$/);
    assert.equal(await editor.getByTestId("flag-out-of-scope").count(), 0, "track_order is above the threshold");
  });

  step("editor: an unknown key fails Validate, which points at its line", async () => {
    const label = "    label: {zh: 查询订单物流, en: track an order}";
    const source = await editor.getByTestId("yaml-source").inputValue();
    const badLine = source.split("\n").indexOf(label) + 2;
    assert.ok(badLine > 2, "the demo YAML has track_order's label line");
    // Typed, not filled: Enter keeps the label's indentation.
    await cursorAfter(editor, label);
    await editor.keyboard.press("Enter");
    await editor.keyboard.type("bogus: 1");
    assert.equal(source.split("\n").length + 1, (await editor.getByTestId("yaml-source").inputValue()).split("\n").length);
    assert.ok((await editor.getByTestId("yaml-source").inputValue()).includes(`\n    bogus: 1\n`), "the new key is indented like the label");
    await editor.getByTestId("yaml-dirty").waitFor();

    await editor.getByTestId("yaml-validate").click();
    const error = editor.getByTestId("yaml-error");
    await error.waitFor();
    assert.match(await error.textContent(), new RegExp(`^Line ${badLine}: .*bogus`));
    assert.equal(await error.getAttribute("data-line"), String(badLine));
    assert.equal(await cursorLine(editor), badLine, "the cursor moved to the bad line");
    assert.equal(await editor.locator("#yaml-gutter .is-error").textContent(), String(badLine), "the gutter marks the line");
    assert.equal(await editor.getByTestId("bot-version").textContent(), "v1", "nothing was saved");
  });

  step("editor: adds an example, saves version 2, and the overview follows", async () => {
    const area = editor.getByTestId("yaml-source");
    await area.fill((await area.inputValue()).replace("\n    bogus: 1", ""));
    const text = await area.inputValue();
    assert.ok(!text.includes("bogus"));
    await cursorAfter(editor, "\n        - 查快递");
    await editor.keyboard.press("Enter");
    await editor.keyboard.type(`- ${NEW_EXAMPLE}`);
    assert.ok((await editor.getByTestId("yaml-source").inputValue()).includes(`        - 查快递\n        - ${NEW_EXAMPLE}\n      en:`));

    await editor.getByTestId("yaml-validate").click();
    await editor.getByTestId("yaml-ok").filter({ hasText: "Valid: demo-shop, 21 intents." }).waitFor();
    await editor.getByTestId("yaml-save").click();
    await editor.getByTestId("yaml-ok").filter({ hasText: "Saved as version 2." }).waitFor();
    await editor.getByTestId("bot-version").filter({ hasText: "v2" }).waitFor();
    await eventually(async () => (await examplesOf(editor, "track_order")) === "31", { what: "track_order to count 31 examples" });
    await editor.locator('[data-testid="version"]').nth(1).waitFor();
    const versions = await editor.getByTestId("version").evaluateAll((rows) => rows.map((r) => [r.dataset.version, r.dataset.active]));
    assert.deepEqual(versions, [["2", "true"], ["1", "false"]]);
    assert.ok(await editor.getByTestId("yaml-dirty").isHidden(), "nothing unsaved after a save");
  });

  step("editor: activates version 1 after confirming", async () => {
    const v1 = editor.locator('[data-testid="version"][data-version="1"]');
    await v1.getByTestId("version-activate").click();
    await v1.getByTestId("version-question").filter({ hasText: "Make version 1 the active bot?" }).waitFor();
    // Cancel first: nothing happens.
    await v1.getByTestId("version-cancel").click();
    await v1.getByTestId("version-activate").waitFor();
    assert.equal(await editor.getByTestId("bot-version").textContent(), "v2");

    await v1.getByTestId("version-activate").click();
    await v1.getByTestId("version-confirm").click();
    await editor.getByTestId("versions-notice").filter({ hasText: "Version 1 is now active." }).waitFor();
    await editor.getByTestId("bot-version").filter({ hasText: "v1" }).waitFor();
    await editor.locator('[data-testid="version"][data-version="1"][data-active="true"]').waitFor();
    assert.equal(await examplesOf(editor, "track_order"), "30");
    assert.ok(!(await editor.getByTestId("yaml-source").inputValue()).includes(NEW_EXAMPLE), "the editor shows version 1's YAML");
  });

  step("an agent cannot open the bot page", async () => {
    const agent = await newPage("agent");
    await signIn(agent, baton.accounts.agent, "/workbench");
    assert.equal(await agent.getByTestId("nav-bot").count(), 0, "no bot link in an agent's nav");
    const res = await agent.goto("/workbench/bot");
    assert.equal(res.status(), 403);
    await agent.getByTestId("problem").waitFor();
    assert.equal(await agent.getByTestId("yaml-source").count(), 0);
  });

  step("no page threw an uncaught error or opened a dialog", async () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(dialogs, []);
  });
});
