// export.test.js: "Your data" in a real browser. Sam and Alex each write;
// Sam finds "Your data" from Settings, downloads the readable copy, and
// opens it with every request watched: the file needs nothing from
// anywhere, holds Sam's words (markup shown as text) and none of Alex's
// private ones. Alex's copy holds what they share and not Sam's journal.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { useServer, noViolations, signUp, startCouple } = require('./server.js');

const env = useServer();

async function write(page, base, where, text) {
  await page.goto(`${base}${where}`);
  await page.fill(`form[action="${where}"] textarea[name=text]`, text);
  await page.click(`form[action="${where}"] button[type=submit]`);
}

// Downloads the readable copy from /settings/data, reached from Settings.
async function download(page, base, user, dir) {
  await page.goto(`${base}/settings`);
  await page.click('a[href="/settings/data"]');
  await noViolations(page);
  await page.check('input[name=format][value=html]');
  await page.fill('input[name=password]', `${user} has a long passphrase`);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.click('form[action="/settings/data/export"] button[type=submit]'),
  ]);
  assert.match(file.suggestedFilename(), /^troth-\d{4}-\d{2}-\d{2}\.html$/);
  const to = path.join(dir, `${user}.html`);
  await file.saveAs(to);
  return to;
}

// Opens file in a fresh context that refuses and counts every request but
// the file itself. Returns the page's text and the refused requests.
async function openOffline(file) {
  const ctx = await env.browser.newContext({ offline: true });
  const refused = [];
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://') && url.endsWith(path.basename(file))) return route.continue();
    refused.push(url);
    return route.abort();
  });
  try {
    const page = await ctx.newPage();
    await page.goto(`file://${file}`);
    await page.emulateMedia({ media: 'print' });
    return { text: await page.innerText('body'), title: await page.title(), refused };
  } finally {
    await ctx.close();
  }
}

test('each partner downloads a readable copy that opens offline with what they may see', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troth-export-'));
  const phoneA = await env.phone({ acceptDownloads: true });
  const phoneB = await env.phone({ acceptDownloads: true });
  try {
    const a = await phoneA.newPage();
    const b = await phoneB.newPage();
    await signUp(a, `${env.base}/signup`, 'sam', 'Sam');
    await startCouple(a, env.base, 'hurt', 'Europe/London');
    const link = (await a.textContent('.code-link')).trim();
    await signUp(b, link, 'alex', 'Alex', 'accountable');

    await write(a, env.base, '/journal', 'canary Sam journal <b>not bold</b>');
    await write(b, env.base, '/journal', 'canary Alex journal private');
    await write(a, env.base, '/appreciations', 'canary Sam appreciation');
    // a daily check-in with a word, and readiness answers kept private
    await a.goto(`${env.base}/daily`);
    await a.locator('#s-close').getByLabel('6', { exact: true }).check();
    await a.locator('#s-safe').getByLabel('7', { exact: true }).check();
    await a.locator('summary', { hasText: 'A word about today' }).click();
    await a.getByLabel('A word about today').fill('canary Sam daily word');
    await a.click('form[action="/daily"] button[type=submit]');
    await a.goto(`${env.base}/readiness`);
    await a.locator('input[name=s_love][value=yes]').check();
    await a.click('form[action="/readiness"] button[type=submit]');

    // the page says what is in the copy and what is not
    await a.goto(`${env.base}/settings/data`);
    const words = await a.innerText('main');
    assert.match(words, /What the copy holds/);
    assert.match(words, /What it does not hold/);

    const sam = await openOffline(await download(a, env.base, 'sam', dir));
    assert.deepEqual(sam.refused, []);
    assert.equal(sam.title, 'My copy from troth');
    assert.match(sam.text, /canary Sam journal <b>not bold<\/b>/);
    assert.match(sam.text, /canary Sam appreciation/);
    assert.doesNotMatch(sam.text, /canary Alex journal private/);
    assert.match(sam.text, /canary Sam daily word/);
    assert.match(sam.text, /Do I still love my partner\? Yes/);

    const alex = await openOffline(await download(b, env.base, 'alex', dir));
    assert.deepEqual(alex.refused, []);
    assert.match(alex.text, /canary Alex journal private/);
    assert.match(alex.text, /canary Sam appreciation/);
    assert.doesNotMatch(alex.text, /canary Sam journal/);
    // Sam's daily check-in is not open to Alex yet, nor Sam's private answers
    assert.doesNotMatch(alex.text, /canary Sam daily word/);
    assert.doesNotMatch(alex.text, /Do I still love my partner/);
  } finally {
    await phoneA.close();
    await phoneB.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
