// quick-exit.test.js: "Leave now" by button and by Shift pressed three times
// blanks the page and replaces the location, so Back does not return; it
// goes through /leave, which logs out first, so reopening troth shows the
// login page; without JavaScript it is still a plain link that does the same.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, withPages } = require('./server.js');

// the away site is slow on purpose: the blank page shows meanwhile
const env = useServer({ awayDelayMs: 800 });

const blank = () => document.documentElement.innerText.trim() === '' ||
  !document.body || document.body.hidden;

// Reports to the test when the page goes blank. Playwright cannot evaluate in
// a page that is navigating away, so the page tells us itself, through a
// binding, in the moment it happens (the exit site answers 800 ms later).
async function watchForBlank(page) {
  const seen = { blank: false };
  await page.exposeFunction('trothTestBlank', () => { seen.blank = true; });
  await page.evaluate(() => {
    const check = () => {
      const el = document.documentElement;
      if (el.innerText.trim() === '' || !document.body || document.body.hidden)
        window.trothTestBlank();
    };
    new MutationObserver(check).observe(document.documentElement,
      { childList: true, subtree: true, attributes: true });
  });
  return seen;
}

async function assertGoneForGood(page) {
  await page.waitForURL(env.away.url);
  assert.equal(page.url(), env.away.url);
  await page.goBack().catch(() => null);  // nothing to go back to is fine
  await page.waitForTimeout(300);
  assert.ok(!page.url().startsWith(env.base),
    `Back returned to troth (${page.url()})`);
}

test('the Leave now button blanks the page and replaces the location', async () => {
  await withPages(env, [{}], async (page) => {
    await page.goto(`${env.base}/safety`);
    const link = page.locator('#quick-exit');
    assert.equal(await link.innerText(), 'Leave now');
    const seen = await watchForBlank(page);
    await link.click({ noWaitAfter: true });
    await assertGoneForGood(page);
    assert.ok(seen.blank, 'the page was blanked before the exit site came');
  });
});

test('pressing Shift three times leaves the same way', async () => {
  await withPages(env, [{}], async (page) => {
    await page.goto(`${env.base}/`);
    const seen = await watchForBlank(page);
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await assertGoneForGood(page);
    assert.ok(seen.blank, 'the page was blanked before the exit site came');
  });
});

test('Shift used for capitals while typing does not leave', async () => {
  await withPages(env, [{}], async (page) => {
    await page.goto(`${env.base}/`);
    for (let i = 0; i < 3; i++) {
      await page.keyboard.down('Shift');
      await page.keyboard.press('KeyA');
      await page.keyboard.up('Shift');
    }
    await page.waitForTimeout(1200);
    assert.equal(page.url(), `${env.base}/`);
    assert.ok(!(await page.evaluate(blank)));
  });
});

test('two Shift presses, then a pause, do not leave', async () => {
  await withPages(env, [{}], async (page) => {
    await page.goto(`${env.base}/`);
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await page.waitForTimeout(2200);
    await page.keyboard.press('Shift');
    await page.waitForTimeout(1200);
    assert.equal(page.url(), `${env.base}/`);
  });
});

test('leaving also logs out: reopening troth on that phone shows the login page', async () => {
  await withPages(env, [{}], async (page) => {
    await page.goto(`${env.base}/signup`);
    await page.fill('#f-username', 'robin');
    await page.fill('#f-display_name', 'Robin');
    await page.fill('#f-password', 'robin keeps a long quiet passphrase');
    await page.click('button[type=submit]');
    await page.check('input[name=saved]');
    await page.click('button[type=submit]');
    await page.goto(`${env.base}/settings`);
    assert.equal(page.url(), `${env.base}/settings`);
    await page.locator('#quick-exit').click({ noWaitAfter: true });
    await page.waitForURL(env.away.url);
    await page.goto(`${env.base}/settings`);
    assert.equal(page.url(), `${env.base}/login`);
  });
});

test('without JavaScript the Leave now link still goes to the exit site', async () => {
  await withPages(env, [{ javaScriptEnabled: false }], async (page) => {
    for (const p of ['/', '/safety']) {
      await page.goto(`${env.base}${p}`);
      const link = page.locator('a#quick-exit');
      assert.equal(await link.count(), 1);
      assert.ok(await link.isVisible());
      assert.equal(await link.getAttribute('href'), '/leave');
      assert.equal(await link.innerText(), 'Leave now');
    }
    await page.locator('#quick-exit').click();
    await page.waitForURL(env.away.url);
  });
});
