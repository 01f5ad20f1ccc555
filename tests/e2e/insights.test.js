// insights.test.js: "How are we doing" on a phone, in the rug-sweeping
// demo story: the finding that names the quiet, its reasons in words, and
// the timeline's questions answered without JavaScript.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, logIn, noViolations } = require('./server.js');

const env = useServer({ demo: 'rug_sweeping' });

// Opens a <details> from the keyboard (the tab bar sits over the foot of
// the screen, where a scrolled-to element lands).
async function open(summary) {
  await summary.focus();
  await summary.press('Enter');
}

test('the quiet is named, with its reasons in words, on a phone without JavaScript', async () => {
  const ctx = await env.phone({ javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await logIn(page, env.base, 'sam', 'sam-demo-pass');
    await page.waitForURL(`${env.base}/`);
    await page.goto(`${env.base}/insights`);
    const finding = page.locator('section.finding', { hasText: 'Quiet on the surface, low underneath' });
    assert.equal(await finding.count(), 1);
    await open(finding.locator('summary', { hasText: 'Why am I seeing this?' }));
    const reasons = await finding.locator('ul.because li').allInnerTexts();
    assert.ok(reasons.includes('No trigger, setback, disclosure or contact was recorded in the last 8 weeks.'),
      reasons.join(' | '));
    assert.ok(reasons.some((r) => /^In the last 4 weeks you rated connection \d+(, \d+)* and \d+\.$/.test(r)),
      reasons.join(' | '));
    // no metric names anywhere a person reads
    assert.doesNotMatch(await page.locator('main').innerText(), /connection_mean|records_about_betrayal/);
    // the page fits the phone
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the page is ${width}px wide`);
    await page.screenshot({ path: process.env.SHOT_DIR ? `${process.env.SHOT_DIR}/insights-rug.png` : undefined, fullPage: true });

    // the timeline's questions: Sam answers two of them
    await page.locator('#factors').scrollIntoViewIfNeeded();
    await page.locator('input[name=repeated][value=first]').press('Space');
    await page.locator('input[name=before][value=strained]').press('Space');
    await page.locator('form[action="/insights/factors"] button[type=submit]').press('Enter');
    await page.waitForURL(/\/insights\?saved=factors/);
    assert.match(await page.locator('main').innerText(), /Your answers are saved\./);
    assert.ok(await page.locator('input[name=before][value=strained]').isChecked());
    const timeline = page.locator('section.finding', { hasText: 'since the discovery' });
    assert.match(await timeline.innerText(), /expect .+ to .+ for you/);
    await open(timeline.locator('summary'));
    assert.match(await timeline.innerText(), /You said things were already strained before: there is more to rebuild\./);
  } finally {
    await ctx.close();
  }
});

test("Alex sees the couple's answers, not Sam's own", async () => {
  const ctx = await env.phone();
  try {
    const page = await ctx.newPage();
    await logIn(page, env.base, 'alex', 'alex-demo-pass');
    await page.waitForURL(`${env.base}/`);
    await page.goto(`${env.base}/insights`);
    assert.ok(await page.locator('input[name=repeated][value=first]').isChecked());
    assert.ok(await page.locator('input[name=before][value=unsaid]').isChecked());
    const timeline = page.locator('section.finding', { hasText: 'since the discovery' });
    await open(timeline.locator('summary'));
    assert.match(await timeline.innerText(), /You have not said yet how things were between you before\./);
    await page.screenshot({ path: process.env.SHOT_DIR ? `${process.env.SHOT_DIR}/insights-alex.png` : undefined, fullPage: true });
    await noViolations(page);
  } finally {
    await ctx.close();
  }
});
