// The audit log, privacy masking and data-subject requests in real browsers against the real
// binary: the admin turns on masking of customers' contact details for agents; the agent sees a
// customer's e-mail and phone masked and reveals them; the agent claims the conversation; the
// admin (in Chinese) finds both in the audit log, filters it and exports it as CSV; the admin
// downloads the customer's data and anonymises them behind a typed confirmation, after which the
// customer's chat token no longer reads the conversation.
//
// Run: make build && node --test e2e/audit.test.mjs

import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { readFile, rm } from "node:fs/promises";

import { demoAccounts, eventually, launchBrowser, openPage, signIn, startBaton, stepper, stopBaton } from "./helpers.mjs";

const WAIT = 20_000;
const STEP = { timeout: 120_000 };
const ADMIN_EMAIL = "admin@e2e.test";
const NAME = "Wang Fang";
const EMAIL = "wangfang@example.com";
const PHONE = "13812345678";

let baton;
let browser;
const pages = {};
const pageErrors = [];
let admin;
let agent;
let convID;
let customerToken;
let customerID;

const step = stepper("audit", { pages, log: () => baton?.log(), options: STEP });

const newPage = (name, locale) =>
  openPage(browser, { baseURL: baton.baseURL, name, locale, pages, errors: pageErrors, timeout: WAIT, viewport: { width: 1400, height: 1000 }, acceptDownloads: true });


async function call(method, path, { token, body } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(baton.baseURL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

describe("audit log, masking and data-subject requests", () => {
  before(
    async () => {
      baton = await startBaton();
      baton.accounts = await eventually(() => {
        const accounts = demoAccounts(baton.log());
        return accounts.agent && accounts;
      }, { what: "the demo agent account in the start-up log" });
      browser = await launchBrowser();
      const started = await call("POST", "/api/v1/conversations", { body: { customer: { name: NAME, email: EMAIL, phone: PHONE, language: "en" } } });
      convID = started.conversation.id;
      customerToken = started.customer_token;
      await call("POST", `/api/v1/conversations/${convID}/messages`, {
        token: customerToken,
        body: { text: `I want to talk to a human, call me on ${PHONE}` },
      });
      const now = await call("GET", `/api/v1/conversations/${convID}`, { token: customerToken });
      assert.equal(now.conversation.status, "queued", JSON.stringify(now));
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
      assert.deepEqual(pageErrors, []);
    },
    { timeout: 60_000 },
  );

  step("the admin turns on masking; the agent sees contact details masked and reveals them", async () => {
    admin = await newPage("admin", "zh-CN");
    await signIn(admin, { email: ADMIN_EMAIL, password: baton.adminPassword });
    await Promise.all([admin.waitForURL("**/workbench/audit"), admin.getByTestId("nav-audit").click()]);
    await admin.getByRole("heading", { name: "审计日志" }).waitFor();
    await admin.getByTestId("privacy-mask").check();
    await admin.getByTestId("privacy-save").click();
    await admin.getByTestId("audit-notice").filter({ hasText: "隐私设置已保存" }).waitFor();

    agent = await newPage("agent", "en-US");
    await signIn(agent, baton.accounts.agent);
    assert.equal(await agent.getByTestId("nav-audit").count(), 0, "agents have no audit link");
    await agent.goto(`/workbench/conversations/${convID}`);
    const card = agent.getByTestId("context-card");
    await card.locator('[data-field="customer_name"]').filter({ hasText: NAME }).waitFor();
    await card.locator('[data-field="customer_email"]').filter({ hasText: "w***@example.com" }).waitFor();
    await agent.locator('[data-ctx="customer_phone"]').filter({ hasText: "138****5678" }).waitFor();
    await agent.getByTestId("contact-masked").waitFor();
    assert.ok(!(await agent.content()).includes(EMAIL), "the full address is nowhere on the page");

    await agent.getByTestId("reveal-contact").click();
    await card.locator('[data-field="customer_email"]').filter({ hasText: EMAIL }).waitFor();
    await agent.locator('[data-ctx="customer_phone"]').filter({ hasText: PHONE }).waitFor();
    assert.ok(await agent.getByTestId("contact-masked").isHidden());

    // The agent takes the conversation.
    const { token } = await call("POST", "/api/v1/auth/login", { body: baton.accounts.agent });
    await call("POST", `/api/v1/conversations/${convID}/claim`, { token });
    customerID = (await call("GET", `/api/v1/conversations/${convID}/context`, { token })).customer.id;
  });

  step("the admin finds the agent's actions in the audit log, filters it and exports it", async () => {
    await admin.reload();
    const rows = admin.getByTestId("audit-row");
    const claim = admin.locator('[data-testid="audit-row"][data-action="conversation.claim"]');
    await claim.first().waitFor();
    assert.match(await claim.first().locator('[data-field="actor"]').textContent(), new RegExp(baton.accounts.agent.email));
    assert.match(await claim.first().locator('[data-field="target"]').textContent(), new RegExp(convID));
    assert.equal(await claim.first().locator('[data-field="status"]').textContent(), "200");
    await admin.locator('[data-testid="audit-row"][data-action="customer.reveal"]').first().waitFor();
    await admin.locator('[data-testid="audit-row"][data-action="privacy.update"]').first().waitFor();
    assert.ok((await admin.content()).includes("auth.login"), "sign-ins are listed");

    await admin.getByTestId("audit-action").fill("conversation.claim");
    await admin.getByTestId("audit-apply").click();
    await eventually(async () => (await rows.count()) === 1, { what: "only the claim after filtering" });
    assert.match(admin.url(), /action=conversation\.claim/);

    const href = await admin.getByTestId("audit-export").getAttribute("href");
    assert.equal(href, "/api/v1/audit.csv?action=conversation.claim");
    const res = await admin.request.get(href);
    assert.equal(res.status(), 200);
    const body = await res.body();
    assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte-order mark");
    const lines = body.toString("utf8").slice(1).trim().split(/\r?\n/);
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.match(lines[0], /^id,at,actor_id,actor_email/);
    assert.match(lines[1], /conversation\.claim/);
  });

  step("the admin exports the customer's data and anonymises them after typing their id", async () => {
    await admin.goto(`/workbench/customers/${customerID}`);
    const profile = admin.getByTestId("dsr-profile");
    await profile.locator('[data-field="name"]').filter({ hasText: NAME }).waitFor();
    await profile.locator('[data-field="email"]').filter({ hasText: EMAIL }).waitFor();

    const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByTestId("dsr-export").click()]);
    const doc = JSON.parse(await readFile(await download.path(), "utf8"));
    assert.equal(doc.customer.email, EMAIL);
    assert.equal(doc.customer.phone, PHONE, "the subject's own export is not masked");
    assert.ok(doc.conversations[0].messages.some((m) => m.text.includes(PHONE)));
    assert.ok(!JSON.stringify(doc).includes("token_hash"));

    await admin.getByTestId("dsr-reason").fill("客户要求删除个人信息");
    await admin.getByTestId("dsr-erase").click();
    const dialog = admin.getByTestId("dsr-confirm-dialog");
    await dialog.waitFor();
    assert.ok(await admin.getByTestId("dsr-confirm").isDisabled(), "nothing is erased before the id is typed");
    await admin.getByTestId("dsr-confirm-input").fill("wrong");
    assert.ok(await admin.getByTestId("dsr-confirm").isDisabled());
    await admin.getByTestId("dsr-confirm-input").fill(customerID);
    await admin.getByTestId("dsr-confirm").click();
    await admin.getByTestId("dsr-notice").filter({ hasText: "已匿名化" }).waitFor();
    await profile.locator('[data-field="name"]').filter({ hasText: "—" }).waitFor();
    await profile.locator('[data-field="email"]').filter({ hasText: "—" }).waitFor();

    const res = await fetch(`${baton.baseURL}/api/v1/conversations/${convID}/messages`, { headers: { Authorization: `Bearer ${customerToken}` } });
    assert.ok([401, 403, 404].includes(res.status), `the old chat token is refused (${res.status})`);

    await admin.getByTestId("dsr-audit-link").click();
    const erase = admin.locator('[data-testid="audit-row"][data-action="customer.erase"]');
    await erase.first().waitFor();
    assert.match(await erase.first().textContent(), /anonymise/);
    assert.match(await erase.first().textContent(), /客户要求删除个人信息/);
    await admin.locator('[data-testid="audit-row"][data-action="customer.export"]').first().waitFor();
  });
});
