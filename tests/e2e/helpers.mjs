// Shared helpers for the end-to-end tests: a real regie per test file, Debian's Chromium through
// playwright-core, axe-core, screenshots.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(REPO, 'web/package.json'));
export const { chromium } = require('playwright-core');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const REGIE_BIN =
  process.env.REGIE_BIN ||
  (existsSync(join(REPO, 'build/release/regie')) ? join(REPO, 'build/release/regie') : '/work/main/build/release/regie');
export const WEB_ROOT = process.env.REGIE_WEB_ROOT || join(REPO, 'web/dist');
export const ARTIFACTS = process.env.REGIE_E2E_ARTIFACTS || join(REPO, 'tests/e2e/artifacts');
export const ADMIN_PASSWORD = 'secret-admin-pw';

/** Starts `regie serve` on a free loopback port with a fresh data directory. */
export async function startServer(env = {}) {
  assert.ok(existsSync(REGIE_BIN), `no regie binary at ${REGIE_BIN} (set REGIE_BIN)`);
  assert.ok(existsSync(join(WEB_ROOT, 'index.html')), `no built web app at ${WEB_ROOT} (run npm run build in web/)`);
  const data = mkdtempSync(join(tmpdir(), 'regie-e2e-'));
  const proc = spawn(REGIE_BIN, ['serve', '--listen', '127.0.0.1:0', '--data', data], {
    env: { ...process.env, REGIE_ADMIN_PASSWORD: ADMIN_PASSWORD, REGIE_WEB_ROOT: WEB_ROOT, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`regie did not start:\n${log}`)), 30000);
    const onData = (chunk) => {
      log += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => fail(new Error(`regie exited with ${code}:\n${log}`)));
  });
  return {
    url,
    data,
    log: () => log,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** `regie user add LOGIN --org default --password-stdin` beside the running server. */
export function addUser(server, login, password, extra = []) {
  const r = spawnSync(REGIE_BIN, ['user', 'add', login, '--org', 'default', '--password-stdin', '--data', server.data, ...extra], {
    input: password + '\n',
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `user add ${login}: ${r.stdout}${r.stderr}`);
}

export function basic(login, password) {
  return 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64');
}

export async function launch() {
  const args = ['--disable-background-networking', '--disable-component-update', '--disable-sync'];
  if (process.getuid && process.getuid() === 0) args.unshift('--no-sandbox');
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args });
}

/** A page that records CSP violations and uncaught errors; check them with assertClean(). */
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/Amsterdam',
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    ...opts,
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) page.problems.push(`CSP: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  return page;
}

export function assertClean(page) {
  assert.deepEqual(page.problems, [], 'no CSP violations or uncaught errors in the page');
}

export async function signIn(page, base, login, password) {
  await page.goto(base + '/');
  await page.getByLabel('User name').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Files', level: 1 }).waitFor();
}

// Rules switched off, each with its reason (none so far).
export const AXE_DISABLED = {};

/** Runs axe-core; fails on violations of impact serious or critical. */
export async function checkA11y(page, name) {
  await page.evaluate(AXE_SOURCE);
  const rules = Object.fromEntries(Object.keys(AXE_DISABLED).map((r) => [r, { enabled: false }]));
  const result = await page.evaluate(
    (rules) => window.axe.run(document, { resultTypes: ['violations'], rules }),
    rules,
  );
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = result.violations.filter((v) => !bad.includes(v));
  if (minor.length) console.log(`# axe ${name}: minor: ${minor.map((v) => `${v.id}(${v.impact})`).join(', ')}`);
  const describe = (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\n/g, ' ')).join('\n    ')}`;
  assert.equal(bad.length, 0, `axe serious/critical violations on ${name}:\n  ${bad.map(describe).join('\n  ')}`);
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export function sessionCookie(cookies) {
  return cookies.find((c) => c.name === 'regie_session');
}

/** Runs Debian's python3 (it has the caldav module) with a script and a JSON argument. */
export function python(script, arg) {
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(arg), encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `python3 failed:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** At a phone's width (375 px) the page needs no sideways scrolling; saves a screenshot. */
export async function checkPhone(page, name) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 740 });
  try {
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await screenshot(page, `${name}-phone`);
    assert.ok(overflow <= 0, `${name}: no horizontal scrolling at 375 px (overflow ${overflow} px)`);
  } finally {
    await page.setViewportSize(size);
  }
}
