// a11y.test.js: axe-core finds no accessibility violations on troth's pages,
// on a phone-sized screen and a desktop one.
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

const PAGES = ['/', '/safety', '/no-such-page', '/login', '/signup'];
const SCREENS = [
  { name: 'phone', viewport: { width: 360, height: 640 } },
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
];

function describe(violations) {
  return violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')
  ).join('\n');
}

for (const screen of SCREENS) {
  for (const p of PAGES) {
    test(`axe finds no violations on ${p} (${screen.name})`, async () => {
      const ctx = await browser.newContext({ viewport: screen.viewport });
      try {
        const page = await ctx.newPage();
        await page.goto(`${troth.base}${p}`);
        const results = await new AxeBuilder({ page }).analyze();
        assert.equal(results.violations.length, 0, describe(results.violations));
      } finally {
        await ctx.close();
      }
    });
  }
}
