// home.test.js: the home page fits in about two phone screens (390 × 844,
// at most 1,800 CSS px tall) for both partners of the demo couple and for a
// couple who has just started; what it leaves out is one tap away: the
// form that says how a promise went opens in place, the plan for hard dates
// too, and logging out is on More.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, noViolations, signUp, withPages, logIn } = require('./server.js');

const demo = useServer({ demo: 'recovering' });
const fresh = useServer();
const PHONE = { viewport: { width: 390, height: 844 } };
const MAX = 1800;

const height = (page) => page.evaluate(() => document.documentElement.scrollHeight);

test('the demo partners\' home pages fit in two screens, the rest one tap away', async () => {
  await withPages(demo, [PHONE, PHONE], async (sam, alex) => {
    await logIn(sam, demo.base, 'sam', 'sam-demo-pass');
    await sam.waitForURL(`${demo.base}/`);
    await logIn(alex, demo.base, 'alex', 'alex-demo-pass');
    await alex.waitForURL(`${demo.base}/`);
    for (const [who, page] of [['sam', sam], ['alex', alex]]) {
      const h = await height(page);
      assert.ok(h <= MAX, `${who}'s home is ${h} px tall`);
      console.log(`# ${who}'s home: ${h} px`);
    }

    // Sam: what waits for her is at the top, each with its way to act
    const top = sam.locator('#for-you');
    assert.match(await top.innerText(), /Alex made you a promise/);
    assert.match(await top.innerText(), /Alex proposed a text for an agreement/);
    const outcome = top.locator('form[action$="/outcome"]');
    assert.equal(await outcome.isVisible(), false);
    await top.locator('summary', { hasText: 'Say how it went' }).click();
    assert.equal(await outcome.isVisible(), true);
    await noViolations(sam);
    await top.locator('a', { hasText: 'Read it and answer' }).click();
    await sam.waitForURL(/\/agreements#agreement-\d+$/);
    assert.equal(await sam.locator('form[action$="/accept"]').count(), 1);

    // Alex: the plan for hard dates opens in place; logging out is on More
    const plan = alex.locator('.home-dates details');
    await plan.locator('summary').click();
    assert.match(await plan.innerText(), /What the partner does/);
    assert.equal(await alex.locator('main form[action="/logout"]').count(), 0);
    await alex.locator('.tabbar a', { hasText: 'More' }).click();
    await alex.waitForURL(`${demo.base}/more`);
    await alex.getByRole('button', { name: 'Log out' }).click();
    await alex.waitForURL(`${demo.base}/`);
    assert.equal(await alex.locator('a[href="/login"]').count() > 0, true, 'logged out: the welcome page');
  });
});

test('a couple who has just started has a short home page too', async () => {
  await withPages(fresh, [PHONE, PHONE], async (a, b) => {
    await signUp(a, `${fresh.base}/signup`, 'robin', 'Robin', null);
    await a.goto(`${fresh.base}/couple`);
    await a.check('form[action="/couple/create"] input[name=role][value=hurt]');
    await a.selectOption('#f-timezone', 'Europe/London');
    await a.click('form[action="/couple/create"] button[type=submit]');
    const link = (await a.textContent('.code-link')).trim();
    await signUp(b, link, 'kim', 'Kim', 'accountable');
    for (const [who, page] of [['robin', a], ['kim', b]]) {
      await page.goto(`${fresh.base}/`);
      assert.match(await page.textContent('h1'), /Hello/);
      assert.equal(await page.locator('#due-daily a.button').count(), 1, `${who}: the daily check-in, one tap away`);
      const h = await height(page);
      assert.ok(h <= MAX, `${who}'s home is ${h} px tall`);
      console.log(`# ${who}'s home (a new couple): ${h} px`);
    }
    await noViolations(b);
  });
});
