// The knowledge-base editor in a real browser against the real binary: an editor searches the demo
// articles by body text and filters them, edits one and watches the Markdown preview (where typed
// HTML and script links stay inert), saves a draft the bot does not answer from, publishes it so
// the bot does, is protected from another editor's newer save, reads the history, compares an old
// version with the current one and restores it. An agent is turned away.
//
// Run: make build && node --test --test-concurrency=1 e2e/kb-editor.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import { eventually, launchBrowser, saveArtifacts, startBaton, stopBaton } from "./helpers.mjs";

const WAIT = 15_000;
const STEP = { timeout: 90_000 };
const TITLE = "Customer Service Hours and How to Reach Us";
const OLD_HOURS = "available 9:00–21:00 Beijing time";
const NEW_HOURS = "available **8:00–22:00** Beijing time";
const TRAP = `<img src=x onerror="window.__xss = 1"> [call us](javascript:window.__xss=2)`;
const QUESTION = "what are your customer service hours";

let baton;
let browser;
let editor;
let admin;
let articleID;
let originalBody;
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
      await saveArtifacts(`kb-editor-${name}`, pages, baton?.log());
      throw err;
    }
  });
}

async function newPage(name, locale = "en-US") {
  const context = await browser.newContext({ baseURL: baton.baseURL, locale, viewport: { width: 1280, height: 1000 } });
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

/** Waits until the article list shows exactly these titles (in any order) and says how many. */
async function expectTitles(page, titles, what = "the article list") {
  const want = [...titles].sort();
  let got = [];
  try {
    await eventually(
      async () => {
        got = (await page.getByTestId("article-link").allTextContents()).sort();
        const count = await page.locator("#kb-count").textContent();
        return JSON.stringify(got) === JSON.stringify(want) && count === `${want.length} articles`;
      },
      { what },
    );
  } catch (err) {
    assert.deepEqual(got, want, `${what}: ${err.message}`);
  }
}

/** The history list as [version, action, author, changed] rows. */
function historyRows(page) {
  return page.getByTestId("history-item").evaluateAll((items) =>
    items.map((li) => [
      li.dataset.version,
      li.querySelector('[data-testid="history-action"]').textContent,
      li.querySelector('[data-testid="history-author"]').textContent,
      li.querySelector('[data-testid="history-changed"]')?.textContent ?? "",
    ]),
  );
}

/** Article ids the "what would the bot answer?" box lists for q. */
async function botResults(page, q) {
  await page.getByTestId("test-results").evaluate((ol) => ol.replaceChildren());
  await page.getByTestId("test-question").fill(q);
  await page.getByTestId("test-run").click();
  await page.locator('[data-testid="test-results"] li').first().waitFor();
  return page.getByTestId("test-result").evaluateAll((lis) => lis.map((li) => li.dataset.articleId));
}

describe("the knowledge-base editor", () => {
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
      console.log(`e2e kb-editor: ${((performance.now() - t0) / 1000).toFixed(1)} s with start-up ${(baton.readyMs / 1000).toFixed(1)} s`);
      assert.ok(!stopped.timedOut, "baton did not exit within 20 s of SIGTERM");
    },
    { timeout: 60_000 },
  );

  step("editor: searches the articles by body text in English and Chinese, and filters them", async () => {
    editor = await newPage("editor");
    await signIn(editor, baton.accounts.editor, "/workbench/kb");
    assert.equal(new URL(editor.url()).pathname, "/workbench/kb");
    await eventually(async () => (await editor.locator("#kb-count").textContent()) === "36 articles", { what: "all 36 demo articles" });

    await editor.getByTestId("article-search").fill("unified social credit");
    await expectTitles(editor, ["Getting an Invoice (Fapiao) for Your Order"], "words of a body, not of a title");
    await editor.getByTestId("article-search").fill("纳税人识别号");
    await expectTitles(editor, ["企业增值税专用发票申请", "如何申请电子发票"], "Chinese body text");

    await editor.getByTestId("article-search").fill("400-123-4567");
    await expectTitles(editor, [TITLE, "客服时间与联系方式"], "the hotline, in both languages");
    await editor.getByTestId("article-language-filter").selectOption("en");
    await expectTitles(editor, [TITLE], "English only");

    await editor.getByTestId("article-search").fill("");
    await editor.getByTestId("article-language-filter").selectOption("");
    await editor.locator('[data-testid="article-tag-filter"] option[value="invoice"]').waitFor({ state: "attached" });
    await editor.getByTestId("article-tag-filter").selectOption("invoice");
    const invoices = ["Getting an Invoice (Fapiao) for Your Order", "企业增值税专用发票申请", "如何申请电子发票"];
    await expectTitles(editor, invoices, "the invoice tag");
    await eventually(async () => new URL(editor.url()).searchParams.get("tag") === "invoice", { what: "the tag filter in the URL" });

    // A reload keeps the filters.
    await editor.reload();
    assert.equal(await editor.getByTestId("article-tag-filter").inputValue(), "invoice");
    await expectTitles(editor, invoices, "the invoice tag after a reload");

    await editor.getByTestId("article-tag-filter").selectOption("");
    await editor.getByTestId("article-search").fill("400-123-4567");
    await editor.getByTestId("article-language-filter").selectOption("en");
    await expectTitles(editor, [TITLE], "the hotline in English");
    const link = editor.getByTestId("article-link").filter({ hasText: TITLE });
    articleID = /\/workbench\/kb\/articles\/(\d+)$/.exec(await link.getAttribute("href"))[1];
    await Promise.all([editor.waitForURL(`**/workbench/kb/articles/${articleID}`), link.click()]);
  });

  step("editor: the edit page shows the article, its rendered preview and a history started by the demo", async () => {
    await eventually(async () => (await editor.getByTestId("article-title").inputValue()) === TITLE, { what: "the article's title" });
    originalBody = await editor.getByTestId("article-body").inputValue();
    assert.ok(originalBody.includes(OLD_HOURS));
    await editor.getByTestId("article-status-badge").filter({ hasText: "Published" }).waitFor();
    assert.match(await editor.getByTestId("article-meta").textContent(), /^Version 1 · /);
    // The body's "- " lines are a list in the preview.
    await editor.locator('[data-testid="article-preview"] li').filter({ hasText: "Hotline (mainland China): 400-123-4567" }).waitFor();
    await editor.getByTestId("history-item").first().waitFor();
    assert.deepEqual(await historyRows(editor), [["1", "Created", "System (demo)", ""]]);
    assert.equal(await editor.locator('[data-testid="history-item"][data-version="1"] [data-testid="history-current"]').textContent(), "Current");
    assert.ok(await editor.getByTestId("article-dirty").isHidden());
  });

  step("editor: edits the body, tags and questions and the preview follows, with typed HTML kept inert", async () => {
    await editor.getByTestId("article-body").fill(`${originalBody.replace(OLD_HOURS, NEW_HOURS)}\n\n${TRAP}`);
    await editor.locator('[data-testid="article-preview"] strong').filter({ hasText: "8:00–22:00" }).waitFor();
    const preview = editor.getByTestId("article-preview");
    await preview.getByText("call us").waitFor();
    assert.equal(await preview.locator("img, script, iframe").count(), 0, "no element from typed HTML");
    assert.equal(await preview.locator("[onerror], [onclick], [style]").count(), 0);
    assert.equal(await preview.locator("a", { hasText: "call us" }).getAttribute("href"), null, "the javascript: link has no destination");
    assert.equal(await editor.evaluate(() => window.__xss), undefined, "nothing ran");

    await editor.getByTestId("article-tags").fill("contact, Hours");
    const questions = editor.getByTestId("article-questions");
    await questions.fill(`${await questions.inputValue()}\nwhen do you open`);
    await editor.getByTestId("article-dirty").filter({ hasText: "Unsaved changes" }).waitFor();
  });

  step("editor: saves a draft, which the bot does not answer from", async () => {
    await editor.getByTestId("article-save").click();
    await editor.getByTestId("article-notice").filter({ hasText: "Saved as draft, version 2." }).waitFor();
    await editor.getByTestId("article-status-badge").filter({ hasText: "Draft" }).waitFor();
    assert.ok(await editor.getByTestId("article-dirty").isHidden(), "nothing unsaved after the save");
    assert.match(await editor.getByTestId("article-hint").textContent(), /^Draft: the bot does not answer from it/);
    assert.equal(await editor.getByTestId("article-tags").inputValue(), "contact, hours");
    const ids = await botResults(editor, QUESTION);
    assert.ok(!ids.includes(articleID), `a draft is not among the bot's answers (got ${ids})`);
  });

  step("editor: publishes, and the bot answers from the article again", async () => {
    await editor.getByTestId("article-publish").click();
    await editor.getByTestId("article-notice").filter({ hasText: "Published as version 3." }).waitFor();
    await editor.getByTestId("article-status-badge").filter({ hasText: "Published" }).waitFor();
    const ids = await botResults(editor, QUESTION);
    assert.equal(ids[0], articleID, "the published article is the bot's first answer");
    assert.match(await editor.getByTestId("test-result").first().textContent(), /this article/);
  });

  step("a second editor's save from an older version is refused, not lost, and they can load the latest", async () => {
    admin = await newPage("admin");
    await signIn(admin, { email: "admin@e2e.test", password: baton.adminPassword }, `/workbench/kb/articles/${articleID}`);
    await eventually(async () => (await admin.getByTestId("article-meta").textContent()).startsWith("Version 3 · "), { what: "version 3 in the second editor" });

    // The first editor saves version 4 meanwhile.
    const questions = editor.getByTestId("article-questions");
    await questions.fill(`${await questions.inputValue()}\nare you open on holidays`);
    await editor.getByTestId("article-publish").click();
    await editor.getByTestId("article-notice").filter({ hasText: "Published as version 4." }).waitFor();

    await admin.getByTestId("article-title").fill("Opening Hours");
    await admin.getByTestId("article-publish").click();
    const stale = admin.getByTestId("article-stale");
    await stale.waitFor();
    assert.match(await admin.getByTestId("article-stale-text").textContent(), /^Demo Editor saved version 4 \(.+\) after you opened version 3\. Your changes were not saved/);
    assert.equal(await admin.getByTestId("article-title").inputValue(), "Opening Hours", "the second editor's text stays in the form");
    await admin.getByTestId("article-reload").click();
    await eventually(async () => (await admin.getByTestId("article-title").inputValue()) === TITLE, { what: "the latest title" });
    assert.ok((await admin.getByTestId("article-questions").inputValue()).endsWith("are you open on holidays"));
    assert.ok(await stale.isHidden());
    assert.match(await admin.getByTestId("article-meta").textContent(), /^Version 4 · /);
  });

  step("editor: reads the history and compares version 1 with the current article", async () => {
    await eventually(async () => (await editor.getByTestId("history-item").count()) === 4, { what: "four versions" });
    assert.deepEqual(await historyRows(editor), [
      ["4", "Edited", "Demo Editor", "Changed: questions"],
      ["3", "Published", "Demo Editor", "Changed: status"],
      ["2", "Edited, saved as draft", "Demo Editor", "Changed: body, status, tags, questions"],
      ["1", "Created", "System (demo)", ""],
    ]);
    await editor.locator('[data-testid="history-item"][data-version="1"] [data-testid="history-view"]').click();
    const view = editor.getByTestId("version-view");
    await view.getByTestId("version-heading").filter({ hasText: "Version 1" }).waitFor();
    const body = view.locator('[data-testid="diff-section"][data-field="body"]');
    await body.waitFor();
    assert.deepEqual(await body.getByTestId("diff-del").allTextContents(), [`−Our customer service team is ${OLD_HOURS}, every day, public holidays included.`]);
    const added = await body.getByTestId("diff-add").allTextContents();
    assert.ok(added.includes(`+Our customer service team is ${NEW_HOURS}, every day, public holidays included.`), added.join("\n"));
    assert.ok(added.includes(`+${TRAP}`), "the typed HTML shows as text in the diff");
    await view.locator('[data-testid="diff-section"][data-field="tags"]').waitFor();
    assert.deepEqual(await view.locator('[data-testid="diff-section"][data-field="questions"] [data-testid="diff-add"]').allTextContents(), [
      "+when do you open",
      "+are you open on holidays",
    ]);

    await view.getByTestId("version-show-content").click();
    await view.getByTestId("version-title").filter({ hasText: TITLE }).waitFor();
    await view.locator('[data-testid="version-content"] li').filter({ hasText: "Hotline (mainland China)" }).first().waitFor();
    assert.equal(await view.locator('[data-testid="version-content"] strong').count(), 0, "version 1 had no bold hours");
  });

  step("editor: restores version 1 after confirming, as a new published version", async () => {
    const view = editor.getByTestId("version-view");
    await view.getByTestId("version-restore").click();
    const question = view.getByTestId("version-restore-question");
    await question.filter({ hasText: "Restore version 1?" }).waitFor();
    assert.match(await question.textContent(), /the status stays Published\.$/);
    await view.getByTestId("version-restore-cancel").click();
    await view.getByTestId("version-restore").waitFor();
    assert.match(await editor.getByTestId("article-meta").textContent(), /^Version 4 · /, "cancel changes nothing");

    await view.getByTestId("version-restore").click();
    await view.getByTestId("version-restore-confirm").click();
    await editor.getByTestId("article-notice").filter({ hasText: "Restored version 1 as version 5." }).waitFor();
    assert.equal(await editor.getByTestId("article-body").inputValue(), originalBody);
    assert.equal(await editor.getByTestId("article-tags").inputValue(), "contact");
    assert.ok(!(await editor.getByTestId("article-questions").inputValue()).includes("when do you open"));
    await editor.getByTestId("article-status-badge").filter({ hasText: "Published" }).waitFor();
    assert.ok(await view.isHidden(), "the version view closes");
    await eventually(async () => (await editor.getByTestId("history-item").count()) === 5, { what: "five versions" });
    assert.deepEqual((await historyRows(editor))[0], ["5", "Restored version 1", "Demo Editor", "Changed: body, tags, questions"]);
    await editor.locator('[data-testid="history-item"][data-version="5"] [data-testid="history-current"]').waitFor();
    await eventually(async () => (await editor.locator('[data-testid="article-preview"] strong').count()) === 0, { what: "the preview of version 1" });
    const ids = await botResults(editor, QUESTION);
    assert.equal(ids[0], articleID, "the bot answers from the restored article");
  });

  step("the history speaks Chinese on a Chinese page", async () => {
    await editor.goto(`/workbench/kb/articles/${articleID}?lang=zh`);
    await editor.getByRole("heading", { name: "修改历史" }).waitFor();
    await eventually(async () => (await editor.getByTestId("history-item").count()) === 5, { what: "five versions" });
    const rows = await historyRows(editor);
    assert.deepEqual(rows[0].slice(1), ["恢复第 1 版", "Demo Editor", "修改了：正文、标签、相似问法"]);
    assert.deepEqual(rows[4].slice(1), ["创建", "系统（demo）", ""]);
    assert.equal(await editor.getByTestId("article-publish").textContent(), "发布");
    assert.equal(await editor.getByTestId("article-save").textContent(), "保存草稿");
  });

  step("an agent cannot open the editor or read the history", async () => {
    const agent = await newPage("agent");
    await signIn(agent, baton.accounts.agent, "/workbench");
    const res = await agent.goto(`/workbench/kb/articles/${articleID}`);
    assert.equal(res.status(), 403);
    const status = await agent.evaluate(async (id) => (await fetch(`/api/v1/kb/articles/${id}/versions`)).status, articleID);
    assert.equal(status, 403);
  });

  step("no page threw an uncaught error or opened a dialog", async () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(dialogs, []);
  });
});
