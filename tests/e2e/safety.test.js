// safety.test.js: the Help and safety page, reachable without an account.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, get, withPages } = require('./server.js');

const env = useServer();

test('/safety answers 200 without a login, with the chrome and no-store', async () => {
  const res = await get(`${env.base}/safety`);
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^text\/html; charset=utf-8/i);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.match(res.body, /id="quick-exit"/);
});

test('/safety shows the National Domestic Violence Hotline with a tel: link', async () => {
  const page = await env.browser.newPage();
  try {
    await page.goto(`${env.base}/safety`);
    const link = page.locator('a[href^="tel:"]', { hasText: '1-800-799-7233' });
    assert.equal(await link.count(), 1);
    assert.equal(await link.getAttribute('href'), 'tel:18007997233');
    assert.ok(await link.isVisible());
    const card = page.locator('.card', { has: link });
    assert.match(await card.innerText(), /National Domestic Violence Hotline/);
    // the hotline is the first entry of the data file
    const first = page.locator('a[href^="tel:"]').first();
    assert.equal(await first.getAttribute('href'), 'tel:18007997233');
  } finally {
    await page.close();
  }
});

test('/safety is reachable from the footer of the start page', async () => {
  const page = await env.browser.newPage();
  try {
    await page.goto(`${env.base}/`);
    await page.locator('footer a[href="/safety"]').click();
    await page.waitForURL(`${env.base}/safety`);
    assert.equal(await page.locator('h1').innerText(), 'Help and safety');
  } finally {
    await page.close();
  }
});

test('a 360 px phone shows the page without sideways scrolling', async () => {
  await withPages(env, ['phone'], async (page) => {
    await page.goto(`${env.base}/safety`);
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    const box = await page.locator('#quick-exit').boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, 'the Leave now button is a big tap target');
    assert.ok(box.x + box.width <= 360 && box.y < 80, 'the Leave now button is at the top, on screen');
  });
});
