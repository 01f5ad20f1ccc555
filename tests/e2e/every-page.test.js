// every-page.test.js: every page a partner can reach, on the smallest phone
// troth is made for (360 × 740), for both partners of the demo couple: axe
// finds no accessibility violation, and nothing is wider than the screen
// (no sideways scrolling). The pages are found the way a person finds them,
// by following the links from the home page and the tab bar.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, noViolations, logIn } = require('./server.js');

const env = useServer({ demo: 'recovering' });
const SMALL = { width: 360, height: 740 };

// Links a crawl must not follow: they end the session, leave troth or
// download a file rather than show a page.
const SKIP = [/^\/logout/, /^\/leave/, /^\/calendar\//, /\.ics$/, /^\/api\//, /^\/static\//,
  /^\/favicon/, /^\/manifest/, /^\/operator/];

// The same-origin page paths linked from the page as it is now.
async function linksOf(page) {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
  const out = new Set();
  for (const h of hrefs) {
    const u = new URL(h);
    if (u.origin !== new URL(env.base).origin) continue;
    const p = u.pathname + u.search;
    if (!SKIP.some((re) => re.test(u.pathname))) out.add(p);
  }
  return [...out];
}

// Every page reachable from the home page, breadth first, at most limit.
async function crawl(page, limit) {
  const seen = new Set(['/']);
  const queue = ['/'];
  const pages = [];
  while (queue.length && pages.length < limit) {
    const p = queue.shift();
    const res = await page.goto(`${env.base}${p}`);
    assert.ok(res.status() < 400, `${p} answered ${res.status()}`);
    pages.push(p);
    for (const l of await linksOf(page))
      if (!seen.has(l)) { seen.add(l); queue.push(l); }
  }
  return pages;
}

for (const [user, password] of [['sam', 'sam-demo-pass'], ['alex', 'alex-demo-pass']]) {
  test(`every page ${user} can reach fits a 360 px phone and passes axe`, async () => {
    const ctx = await env.browser.newContext({ viewport: SMALL });
    try {
      const page = await ctx.newPage();
      await logIn(page, env.base, user, password);
      await page.waitForURL(`${env.base}/`);
      const pages = await crawl(page, 80);
      assert.ok(pages.length >= 20, `only ${pages.length} pages found: ${pages.join(' ')}`);
      console.log(`# ${user}: ${pages.length} pages checked`);
      const wide = [];
      for (const p of pages) {
        await page.goto(`${env.base}${p}`);
        const w = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          view: window.innerWidth,
        }));
        if (w.scroll > w.view) wide.push(`${p} (${w.scroll} px)`);
        await noViolations(page);
      }
      assert.deepEqual(wide, [], `pages wider than the 360 px screen: ${wide.join(', ')}`);
    } finally {
      await ctx.close();
    }
  });
}
