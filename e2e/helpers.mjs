// Helpers for the browser tests: start the real ./bin/baton on a free port with a throw-away data
// directory, read the demo accounts from its start-up log, stop it, and drive Debian's chromium
// through playwright-core (no downloaded browsers).

import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { test } from "node:test";

import { chromium } from "playwright-core";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
export const artifactsDir = fileURLToPath(new URL("./artifacts/", import.meta.url));

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Parses one slog text line (key=value, key="quoted \"value\"") into an object. */
export function parseLogLine(line) {
  const out = {};
  const re = /([A-Za-z0-9_.-]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (const m of line.matchAll(re)) {
    let v = m[2];
    if (v.startsWith('"')) {
      try {
        v = JSON.parse(v);
      } catch {
        v = v.slice(1, -1);
      }
    }
    out[m[1]] = v;
  }
  return out;
}

/** The demo accounts logged at start-up: {agent: {email, password}, editor: {…}} (the first of
 * each role), and every one of them in all: [{role, email, password}]. */
export function demoAccounts(log) {
  const accounts = { all: [] };
  for (const line of log.split("\n")) {
    const f = parseLogLine(line);
    if (f.msg === "demo account" && f.role && f.email && f.password) {
      accounts[f.role] ??= { email: f.email, password: f.password };
      accounts.all.push({ role: f.role, email: f.email, password: f.password });
    }
  }
  return accounts;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `bin/baton serve` with the embedded database and demo content. Returns
 * {proc, baseURL, dataDir, readyMs, log(), accounts, adminPassword}. Given the dataDir and
 * adminPassword of a running baton, a second server shares its database; env adds variables.
 */
/** Environment for a child baton: this one's, without any BATON_* setting or DATABASE_URL. */
function cleanEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("BATON_") || k === "DATABASE_URL") delete env[k];
  return env;
}

/**
 * A data directory whose embedded database is created and migrated, made once per build of
 * ./bin/baton (kept in the temporary directory, keyed by the binary's size and time). Creating the
 * embedded database is most of a fresh start-up (about 7 of 11 s here); each server copies this one
 * instead, then starts as on a fresh directory: it loads the demo content, there is nothing else.
 */
let templatePromise = null;
export function templateDataDir() {
  templatePromise ??= (async () => {
    const bin = join(repoRoot, "bin", "baton");
    const st = await stat(bin);
    const dir = join(tmpdir(), `baton-e2e-template-${st.size}-${Math.floor(st.mtimeMs)}`);
    try {
      await stat(join(dir, ".complete"));
      return dir;
    } catch {
      // not made yet
    }
    // Templates of builds more than a day old go.
    for (const name of await readdir(tmpdir())) {
      if (!name.startsWith("baton-e2e-template-")) continue;
      const old = join(tmpdir(), name);
      if (Date.now() - (await stat(old).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs > 86_400_000) {
        await rm(old, { recursive: true, force: true });
      }
    }
    const work = await mkdtemp(join(tmpdir(), "baton-e2e-template-work-"));
    const proc = spawn(bin, ["migrate", "--data-dir", work], { cwd: repoRoot, env: cleanEnv(), stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    proc.stderr.setEncoding("utf8").on("data", (d) => (err += d));
    const code = await new Promise((resolve) => proc.on("exit", resolve));
    if (code !== 0) throw new Error(`baton migrate for the e2e template failed (${code}):\n${err}`);
    await rm(join(work, "embedded.lock"), { force: true });
    await writeFile(join(work, ".complete"), "");
    try {
      await rename(work, dir);
    } catch {
      await rm(work, { recursive: true, force: true }); // another test file made it first
    }
    return dir;
  })();
  return templatePromise;
}

export async function startBaton({ host = "127.0.0.1", readyTimeoutMs = 90_000, dataDir: shared, adminPassword: sharedPassword, env: extra = {} } = {}) {
  const port = await freePort();
  let dataDir = shared;
  if (!dataDir) {
    const template = await templateDataDir();
    dataDir = await mkdtemp(join(tmpdir(), "baton-e2e-"));
    await cp(template, dataDir, { recursive: true });
    await rm(join(dataDir, ".complete"), { force: true });
  }
  const adminPassword = sharedPassword ?? randomBytes(18).toString("base64url");
  const env = cleanEnv();
  Object.assign(env, {
    BATON_ADDR: `127.0.0.1:${port}`,
    BATON_DATA_DIR: dataDir,
    BATON_DEMO: "1",
    BATON_ADMIN_EMAIL: "admin@e2e.test",
    BATON_ADMIN_PASSWORD: adminPassword,
    BATON_COOKIE_SECURE: "true",
    BATON_LOG_FORMAT: "text",
    BATON_LOG_LEVEL: "info",
    ...extra,
  });

  const started = performance.now();
  const proc = spawn(join(repoRoot, "bin", "baton"), ["serve"], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stdout.setEncoding("utf8").on("data", (d) => (log += d));
  proc.stderr.setEncoding("utf8").on("data", (d) => {
    log += d;
    if (process.env.BATON_E2E_VERBOSE) process.stderr.write(d);
  });
  let exited = null;
  const exit = new Promise((resolve) => {
    proc.on("exit", (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    proc.on("error", (err) => {
      exited = { code: null, signal: null, error: err };
      resolve(exited);
    });
  });

  const baseURL = `http://${host}:${port}`;
  const deadline = started + readyTimeoutMs;
  let readyMs = null;
  while (performance.now() < deadline) {
    if (exited) {
      if (!shared) await rm(dataDir, { recursive: true, force: true });
      throw new Error(`baton exited before it was ready (${JSON.stringify(exited)}):\n${log}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) {
        readyMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const baton = { proc, exit, port, baseURL, dataDir, readyMs, adminPassword, log: () => log, exited: () => exited };
  if (readyMs === null) {
    await stopBaton(baton).catch(() => {});
    throw new Error(`baton was not ready within ${readyTimeoutMs / 1000} s:\n${log}`);
  }
  // The accounts are logged before the server listens; give the pipe a moment to deliver them.
  const until = performance.now() + 5000;
  while (performance.now() < until) {
    baton.accounts = demoAccounts(log);
    if (baton.accounts.agent && baton.accounts.editor) break;
    await sleep(50);
  }
  return baton;
}

/** SIGTERMs baton and waits for it; returns {code, signal, ms} or {timedOut: true} after timeoutMs. */
export async function stopBaton(baton, timeoutMs = 20_000) {
  const t0 = performance.now();
  if (!baton.exited()) baton.proc.kill("SIGTERM");
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve({ timedOut: true }), timeoutMs)));
  const result = await Promise.race([baton.exit, timeout]);
  clearTimeout(timer);
  if (result.timedOut) {
    baton.proc.kill("SIGKILL");
    await baton.exit;
  }
  return { ...result, ms: performance.now() - t0 };
}

/** Launches Debian's chromium headless. Playwright gives every launch a fresh temporary profile. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Saves a screenshot of every open page and baton's log to e2e/artifacts/. */
export async function saveArtifacts(prefix, pages, log) {
  await mkdir(artifactsDir, { recursive: true });
  const safe = (s) => s.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 80);
  for (const [name, page] of Object.entries(pages)) {
    if (!page || page.isClosed()) continue;
    const file = join(artifactsDir, `${safe(prefix)}--${safe(name)}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
      console.log(`saved ${file} (${page.url()})`);
    } catch (err) {
      console.log(`no screenshot of ${name}: ${err.message}`);
    }
  }
  if (log !== undefined) await writeFile(join(artifactsDir, "baton.log"), log);
}

/** Polls fn until it returns a truthy value (returned) or timeoutMs passes (then throws with what). */
export async function eventually(fn, { timeoutMs = 15_000, intervalMs = 100, what = "condition" } = {}) {
  const deadline = performance.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (performance.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ""}`);
    }
    await sleep(intervalMs);
  }
}

/** A staff API call from the page, with its session cookie and CSRF token. */
export function staffCall(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
      const res = await fetch(path, {
        method,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
    { method, path, body },
  );
}

/**
 * A browser test's steps, run in order: once one fails the rest are skipped, and the failing
 * step's pages and the server's log are saved as artifacts named after prefix and the step.
 * pages maps a name to its page; log returns the server's log so far.
 */
export function stepper(prefix, { pages, log, options = {} }) {
  let failed = null;
  return function step(name, fn) {
    test(name, options, async (t) => {
      if (failed) {
        t.skip(`an earlier step failed: ${failed}`);
        return;
      }
      try {
        await fn(t);
      } catch (err) {
        failed = name;
        await saveArtifacts(`${prefix} ${name}`, pages, log?.());
        throw err;
      }
    });
  };
}

/** A page in a new browser context (its own cookies), recorded in pages under name, with its
 * uncaught errors pushed to errors. */
export async function openPage(browser, { baseURL, name, locale, pages, errors, timeout, viewport, acceptDownloads = false }) {
  const context = await browser.newContext({ baseURL, locale, viewport, acceptDownloads });
  context.setDefaultTimeout(timeout);
  const page = await context.newPage();
  page.on("pageerror", (err) => errors.push(`${name}: ${err.message}`));
  pages[name] = page;
  return page;
}

/** Signs a staff account in through the login form and waits for the workbench to name it. */
export async function signIn(page, { email, password }) {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login"), page.getByTestId("login-submit").click()]);
  await page.getByTestId("user-email").filter({ hasText: email }).waitFor();
}
