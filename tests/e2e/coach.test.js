// coach.test.js: the language coach speaks up while someone writes, and
// stays quiet for words that carry no blame. It never stops them sending.
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

test('a blaming sentence gets a gentle note; an "I feel" one gets none', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 640 } });
  try {
    const p = await ctx.newPage();
    await p.goto(`${troth.base}/signup`);
    await p.fill('#f-username', 'sam');
    await p.fill('#f-display_name', 'Sam');
    await p.fill('#f-password', 'sam has a long passphrase');
    await p.click('button[type=submit]');
    await p.check('input[name=saved]');
    await p.click('button[type=submit]');
    await p.goto(`${troth.base}/couple`);
    await p.check('form[action="/couple/create"] input[name=role][value=hurt]');
    await p.click('form[action="/couple/create"] button[type=submit]');

    await p.goto(`${troth.base}/sharing`);
    await p.fill('#f-text', 'You always leave me waiting and you never call.');
    const note = p.locator('.coach li').first();
    await note.waitFor({ timeout: 5000 });
    assert.match(await p.textContent('.coach'), /always/);
    assert.match(await p.textContent('.coach'), /I feel/);
    const results = await new AxeBuilder({ page: p }).analyze();
    assert.equal(results.violations.length, 0, results.violations.map((v) => v.id).join(', '));

    await p.fill('#f-text', 'I feel scared when the phone buzzes late. I need you to tell me who it is.');
    await p.waitForFunction(() => document.querySelector('.coach').textContent === '', null, { timeout: 5000 });

    // the note never blocks sending
    await p.fill('#f-text', 'You always leave me waiting.');
    await note.waitFor({ timeout: 5000 });
    await p.click('form[action="/sharing"] button[type=submit]');
    assert.match(await p.textContent('main'), /You always leave me waiting\./);
  } finally {
    await ctx.close();
  }
});
