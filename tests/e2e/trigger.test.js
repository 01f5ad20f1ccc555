// trigger.test.js: logging a trigger in a real browser shows the plan the
// couple agreed for that kind of trigger, at once; the pages pass axe.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, noViolations, startAlone, withPages } = require('./server.js');

const env = useServer();

test('logging a trigger shows the agreed plan', async () => {
  await withPages(env, ['phone'], async (page) => {
    // the first account on a fresh server needs no invite
    await startAlone(page, env.base, 'ana', 'Ana', 'hurt', 'Europe/London');

    // agree a plan for places
    await page.goto(`${env.base}/triggers/plans`);
    const plan = page.locator('#plan-place');
    await plan.getByLabel('What is needed in that moment').fill('Hold my hand and let me talk');
    await plan.getByLabel('What the partner does').fill('Stay, listen, answer honestly');
    await plan.locator('button[type=submit]').click();
    await page.waitForURL(/\/triggers\/plans/);

    // log a trigger of that kind
    await page.goto(`${env.base}/triggers`);
    await noViolations(page);
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
  });
});
