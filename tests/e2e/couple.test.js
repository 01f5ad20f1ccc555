// couple.test.js: two people, two phones. A signs up and starts a couple;
// B signs up with A's invite link; each then sees the other on the home
// page. axe-core checks every page they pass through.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { AxeBuilder } = require('@axe-core/playwright');
const { startTroth, launchBrowser } = require('./server.js');

let troth, browser;

before(async () => {
  troth = await startTroth();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await troth?.stop();
});

async function noViolations(page) {
  const results = await new AxeBuilder({ page }).analyze();
  const msg = results.violations.map((v) => `${page.url()}: ${v.id}: ${v.help}`).join('\n');
  assert.equal(results.violations.length, 0, msg);
}

async function signUp(page, url, user, name, role) {
  await page.goto(url);
  await page.fill('#f-username', user);
  await page.fill('#f-display_name', name);
  await page.fill('#f-password', `${user} has a long passphrase`);
  if (role) await page.check(`input[name=role][value=${role}]`);
  await page.click('button[type=submit]');
  const code = await page.textContent('#recovery-code');
  assert.match(code.trim(), /^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$/);
  await noViolations(page);
  await page.check('input[name=saved]');
  await page.click('button[type=submit]');
}

test('A starts a couple, B joins with the link, each sees the other', async () => {
  const phoneA = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const phoneB = await browser.newContext({ viewport: { width: 360, height: 640 } });
  try {
    const a = await phoneA.newPage();
    const b = await phoneB.newPage();

    await signUp(a, `${troth.base}/signup`, 'sam', 'Sam', null);
    assert.match(await a.textContent('h1'), /Hello, Sam/);
    await noViolations(a);

    await a.click('a[href="/couple"]');
    await noViolations(a);
    await a.check('form[action="/couple/create"] input[name=role][value=hurt]');
    await a.fill('#f-timezone', 'Europe/London');
    await a.click('form[action="/couple/create"] button[type=submit]');
    const code = (await a.textContent('#invite-code')).trim();
    assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const link = (await a.textContent('.code-link')).trim();
    assert.ok(link.endsWith(`/signup?invite=${code}`), link);
    await noViolations(a);

    // B, on another phone, follows the link: the code is filled in for them
    await b.goto(link);
    assert.equal(await b.inputValue('#f-invite_code'), code);
    await signUp(b, link, 'alex', 'Alex', 'accountable');
    assert.match(await b.textContent('.couple'), /You and Alex|You and Sam/);
    assert.match(await b.textContent('.couple'), /Sam/);
    await noViolations(b);

    await a.goto(`${troth.base}/`);
    assert.match(await a.textContent('.couple'), /Alex/);

    // neither phone sees the other's settings; each sees its own session
    await a.goto(`${troth.base}/settings`);
    assert.match(await a.textContent('.sessions'), /this one/);
    await noViolations(a);
    await a.goto(`${troth.base}/operator`);
    await noViolations(a); // Sam was first, so Sam runs this server
    const r = await b.goto(`${troth.base}/operator`);
    assert.equal(r.status(), 404);

    // every page of the couple's troth, on a phone, for both of them
    const pages = ['/roadmap', '/readiness', '/safety/check', '/agreements', '/transparency',
      '/vision', '/recovery', '/checkins', '/checkins/history', '/appreciations', '/sharing',
      '/together', '/rituals', '/records', '/triggers', '/triggers/plans', '/hard-dates',
      '/disclosures', '/no-contact', '/promises', '/wins', '/setbacks', '/timeline', '/journal',
      '/insights', '/coach', '/guidance/counselling', '/guidance/children',
      '/guidance/walking-away'];
    for (const p of pages) {
      for (const page of [a, b]) {
        const res = await page.goto(`${troth.base}${p}`);
        assert.equal(res.status(), 200, p);
        await noViolations(page);
      }
    }
  } finally {
    await phoneA.close();
    await phoneB.close();
  }
});

test('a wrong password is told calmly and nothing else is revealed', async () => {
  const ctx = await browser.newContext();
  try {
    const p = await ctx.newPage();
    await p.goto(`${troth.base}/login`);
    await p.fill('#f-username', 'sam');
    await p.fill('#f-password', 'not the passphrase at all');
    await p.click('button[type=submit]');
    assert.match(await p.textContent('.notice'), /do not match/);
    assert.equal(await p.inputValue('#f-password'), '');
    await noViolations(p);
  } finally {
    await ctx.close();
  }
});
