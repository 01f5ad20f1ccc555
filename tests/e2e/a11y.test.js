// a11y.test.js: axe-core finds no accessibility violations on troth's pages,
// on a phone-sized screen and a desktop one.
'use strict';

const { test } = require('node:test');
const { useServer, noViolations, PHONE } = require('./server.js');

const env = useServer();

const PAGES = ['/', '/safety', '/no-such-page', '/login', '/signup'];
const SCREENS = [
  { name: 'phone', viewport: PHONE },
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
];

for (const screen of SCREENS) {
  for (const p of PAGES) {
    test(`axe finds no violations on ${p} (${screen.name})`, async () => {
      const ctx = await env.browser.newContext({ viewport: screen.viewport });
      try {
        const page = await ctx.newPage();
        await page.goto(`${env.base}${p}`);
        await noViolations(page);
      } finally {
        await ctx.close();
      }
    });
  }
}
