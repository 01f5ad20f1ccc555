// daily.test.js: the daily check-in on a 360 px phone, in the demo: Sam has
// checked in today and Alex has not. Alex goes from the home page to the
// form in one tap; each 0-10 scale is one row, nothing scrolls sideways;
// after saving, Alex sees both days side by side, and changes today's
// answers the same day. axe-core checks the page.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, noViolations, withPages, logIn } = require('./server.js');

const env = useServer({ demo: 'recovering' });

test('one tap from home, one row per scale, then both answers side by side', async () => {
  await withPages(env, [{ viewport: { width: 360, height: 740 } }], async (page) => {
    await logIn(page, env.base, 'alex', 'alex-demo-pass');
    await page.waitForURL(`${env.base}/`);
    assert.match(await page.textContent('#due-daily'), /Sam has checked in today/);
    await page.click('#due-daily a.button');
    await page.waitForURL(`${env.base}/daily`);
    const rows = await page.evaluate(() => Array.from(document.querySelectorAll('fieldset.scale .scale-row'))
      .map((r) => new Set(Array.from(r.querySelectorAll('label'))
        .map((l) => Math.round(l.getBoundingClientRect().top))).size));
    assert.deepEqual(rows, [1, 1], 'close and safe, each on one line');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `the page is ${wide} px wide`);
    assert.match(await page.textContent('#daily-days'), /hidden for now/);
    await noViolations(page);
    await page.locator('#s-close').getByLabel('0', { exact: true }).check();
    await page.locator('#s-safe').getByLabel('10', { exact: true }).check();
    await page.locator('summary', { hasText: 'A word about today' }).click();
    await page.getByLabel('A word about today').fill('A good talk.');
    await page.getByRole('button', { name: "Save today's check-in" }).click();
    await page.waitForURL(`${env.base}/daily?saved=1`);
    const days = await page.textContent('#daily-days');
    assert.match(days, /close 0, safe 10/);
    assert.match(days, /A good talk\./);
    assert.doesNotMatch(days, /hidden for now/);
    await noViolations(page);

    // the same day, Alex changes today's answers; the form opens with them
    await page.locator('summary', { hasText: "Change today's answers" }).click();
    const change = page.locator('#change-today');
    assert.equal(await change.locator('#s-close input[value="0"]').isChecked(), true);
    await change.locator('#s-close').getByLabel('6', { exact: true }).check();
    await change.getByRole('button', { name: 'Save the change' }).click();
    await page.waitForURL(`${env.base}/daily?changed=1`);
    assert.match(await page.textContent('#daily-days'), /close 6, safe 10/);
    await noViolations(page);
  });
});
