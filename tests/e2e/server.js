// server.js: what the browser tests share. Starts a real `troth serve` on a
// free loopback port with a fresh database, a tiny local "away" site for the
// quick exit to land on (there is no internet here), and Debian's Chromium.
//
// A test file calls useServer() once, which starts both before its tests and
// stops them after, and uses the helpers for what every file does: a phone-
// sized context, axe's verdict, signing up, starting a couple.
//
//   TROTH_BIN   the troth binary (default: build/troth in the repository)
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');
const { before, after } = require('node:test');

const ROOT = path.resolve(__dirname, '..', '..');

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

function trothBin() {
  const bin = process.env.TROTH_BIN;
  return bin ? path.resolve(bin) : path.join(ROOT, 'build', 'troth');
}

// A port nobody listens on right now: bind port 0, read it, let it go.
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function get(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts troth. Options: exitUrl (passed as --exit-url); demo, a demo
// scenario (recovering, stalled, unsafe) to fill the database with first
// (troth demo: Sam and Alex, see its output for the passwords). Resolves to
// { base, port, dir, stop() } once GET /healthz answers 200.
async function startTroth(opts = {}) {
  const bin = trothBin();
  if (!fs.existsSync(bin))
    throw new Error(`no troth binary at ${bin}: run make, or set TROTH_BIN`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troth-e2e-'));
  const port = await freePort();
  const db = path.join(dir, 't.db');
  if (opts.demo) {
    const r = require('node:child_process').spawnSync(bin, ['demo', '--db', db, '--scenario', opts.demo],
      { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`troth demo failed: ${r.stderr}`);
  }
  const args = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`];
  if (!opts.demo) args.push('--init');
  if (opts.exitUrl) args.push('--exit-url', opts.exitUrl);
  const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (c) => { stderr += c; if (stderr.length > 65536) stderr = stderr.slice(-32768); });
  let exited = null;
  proc.on('exit', (code, signal) => { exited = { code, signal }; });

  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`troth exited early (${JSON.stringify(exited)}): ${stderr}`);
    }
    try {
      const res = await get(`${base}/healthz`);
      if (res.status === 200) break;
    } catch (_) { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`troth did not answer /healthz within 15 s: ${stderr}`);
    }
    await sleep(50);
  }
  return { base, port, dir, stop, stderr: () => stderr };
}

// A tiny neutral site standing in for the quick exit's destination. Every
// answer waits `delayMs` first, so a test can see the blanked page in between.
async function startAway(delayMs = 0) {
  const srv = http.createServer((req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="en"><title>Weather</title><h1>Weather</h1><p>Sunny.</p></html>');
    }, delayMs);
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  return {
    url: `http://127.0.0.1:${port}/away`,
    origin: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => { srv.closeAllConnections?.(); srv.close(() => resolve()); }),
  };
}

// Debian's Chromium (a browser download does not work here).
function launchBrowser() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

// The phone the pages are made for first.
const PHONE = { width: 360, height: 640 };

// Registers before/after hooks for the calling test file: starts troth and
// Chromium before its tests and stops them after. opts.awayDelayMs, when
// given, first starts the away site (answers delayed by that much) and
// serves troth with it as the quick exit; opts.demo starts troth on a demo
// database of that scenario. Returns an object whose troth,
// browser and away are set once the hooks ran; base is troth's URL and
// phone(options) opens a new browser context at PHONE size.
function useServer(opts = {}) {
  const env = {
    troth: null,
    browser: null,
    away: null,
    get base() { return env.troth.base; },
    phone: (options = {}) => env.browser.newContext({ viewport: PHONE, ...options }),
  };
  before(async () => {
    if (opts.awayDelayMs !== undefined) env.away = await startAway(opts.awayDelayMs);
    env.troth = await startTroth({ exitUrl: env.away?.url, demo: opts.demo });
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.troth?.stop();
    await env.away?.stop();
  });
  return env;
}

// Fails the test when axe-core finds any violation on the page as it is now;
// the message names the page, each rule and the elements.
async function noViolations(page) {
  const { AxeBuilder } = require('@axe-core/playwright');
  const results = await new AxeBuilder({ page }).analyze();
  const msg = results.violations.map((v) =>
    `${page.url()}: ${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')
  ).join('\n');
  assert.equal(results.violations.length, 0, msg);
}

// Signs up through the form at url (the sign-up page, or an invite link) as
// user with display name name, password "<user> has a long passphrase" and
// role (or null), then confirms the recovery code was saved. atRecovery,
// when given, runs on the recovery-code page first.
async function signUp(page, url, user, name, role, atRecovery) {
  await page.goto(url);
  await page.fill('#f-username', user);
  await page.fill('#f-display_name', name);
  await page.fill('#f-password', `${user} has a long passphrase`);
  if (role) await page.check(`input[name=role][value=${role}]`);
  await page.click('button[type=submit]');
  if (atRecovery) await atRecovery(page);
  await page.check('input[name=saved]');
  await page.click('button[type=submit]');
}

// Starts a couple from /couple as role, in time zone timezone (chosen from
// the list; America/New_York when not given).
async function startCouple(page, base, role, timezone) {
  await page.goto(`${base}/couple`);
  const start = page.locator('form[action="/couple/create"]');
  await start.locator(`input[name=role][value=${role}]`).check();
  await start.locator('select[name=timezone]').selectOption(timezone || 'America/New_York');
  await start.locator('button[type=submit]').click();
}

// Opens a browser context for each of kinds ('phone' for a phone-sized one,
// else the options of browser.newContext), runs fn with a new page in each,
// in that order, and closes every context after, whatever happened.
async function withPages(env, kinds, fn) {
  const contexts = [];
  try {
    for (const kind of kinds)
      contexts.push(await (kind === 'phone' ? env.phone() : env.browser.newContext(kind)));
    const pages = [];
    for (const c of contexts) pages.push(await c.newPage());
    return await fn(...pages);
  } finally {
    for (const c of contexts) await c.close();
  }
}

// Logs in through the form at base/login as user with password (it does
// not wait for where that leads).
async function logIn(page, base, user, password) {
  await page.goto(`${base}/login`);
  await page.fill('#f-username', user);
  await page.fill('#f-password', password);
  await page.click('button[type=submit]');
}

// Signs user up at base/signup (see signUp) and starts a couple as role, in
// time zone timezone when given: the first account on a fresh server needs
// no invite.
async function startAlone(page, base, user, name, role, timezone) {
  await signUp(page, `${base}/signup`, user, name, null);
  await startCouple(page, base, role, timezone);
}

module.exports = {
  startTroth, startAway, launchBrowser, freePort, get, trothBin, ROOT,
  PHONE, useServer, noViolations, signUp, startCouple, withPages, logIn, startAlone,
};
