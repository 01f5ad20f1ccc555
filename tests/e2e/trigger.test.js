// trigger.test.js: logging a trigger in a real browser shows the plan the
// couple agreed for that kind of trigger, at once; the pages pass axe.
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

function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}`).join('\n');
}

test('logging a trigger shows the agreed plan', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 640 } });
  try {
    const page = await ctx.newPage();
    // the first account on a fresh server needs no invite
    await page.goto(`${troth.base}/signup`);
    await page.fill('#f-username', 'ana');
    await page.fill('#f-display_name', 'Ana');
    await page.fill('#f-password', 'correct horse battery');
    await page.click('button[type=submit]');
    await page.check('input[name=saved]');
    await page.click('button[type=submit]');
    await page.goto(`${troth.base}/couple`);
    // the second form on the page starts a couple
    const start = page.locator('form[action="/couple/create"]');
    await start.locator('input[name=role][value=hurt]').check();
    await start.locator('input[name=timezone]').fill('Europe/London');
    await start.locator('button[type=submit]').click();

    // agree a plan for places
    await page.goto(`${troth.base}/triggers/plans`);
    const plan = page.locator('#plan-place');
    await plan.getByLabel('What is needed in that moment').fill('Hold my hand and let me talk');
    await plan.getByLabel('What the partner does').fill('Stay, listen, answer honestly');
    await plan.locator('button[type=submit]').click();
    await page.waitForURL(/\/triggers\/plans/);

    // log a trigger of that kind
    await page.goto(`${troth.base}/triggers`);
    const axe = await new AxeBuilder({ page }).analyze();
    assert.equal(axe.violations.length, 0, describe(axe.violations));
    await page.locator('input[name=kind][value=place]').check();
    await page.locator('input[name=intensity][value="7"]').check();
    await page.getByLabel('What happened').fill('We drove past the hotel');
    await page.locator('form[action="/triggers"] button[type=submit]').click();
    await page.waitForURL(/logged=/);

    const shown = page.locator('#plan');
    assert.ok(await shown.isVisible(), 'the plan is shown');
    const text = await shown.innerText();
    assert.match(text, /Hold my hand and let me talk/);
    assert.match(text, /Stay, listen, answer honestly/);
    assert.match(await page.locator('main').innerText(), /We drove past the hotel/);
  } finally {
    await ctx.close();
  }
});
