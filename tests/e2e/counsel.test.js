// counsel.test.js: the counsellor in the demo, on a phone and on paper.
// Sam and Alex have invited Robin and both said yes. After each partner's
// visit Robin sees their shares; the session report prints on at most two
// A4 pages (Chromium's print to PDF) and pdftotext finds its headings. Sam
// sees Robin's suggestion on the home page; when Sam ends the access,
// Robin's next look at the couple is a 404.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { useServer, noViolations, withPages, logIn } = require('./server.js');

const env = useServer({ demo: 'recovering' });

test('the report prints on two pages at most, and access ends at once', async () => {
  await withPages(env, ['phone', 'phone', { viewport: { width: 1024, height: 900 } }], async (sam, alex, robin) => {
    await logIn(sam, env.base, 'sam', 'sam-demo-pass');
    await sam.waitForURL(`${env.base}/`);
    assert.match(await sam.textContent('#from-counsellor'), /Robin Hale suggests/);
    await logIn(alex, env.base, 'alex', 'alex-demo-pass');
    await alex.waitForURL(`${env.base}/`);

    await logIn(robin, env.base, 'robin', 'robin-demo-pass');
    await robin.waitForURL(`${env.base}/therapist`);
    await noViolations(robin);
    await robin.getByRole('link', { name: 'Sam and Alex' }).click();
    const couple = robin.url();
    assert.match(await robin.textContent('main'), /Weekly check-in scores/);
    await robin.getByRole('link', { name: /the report/ }).click();
    await robin.waitForURL(/\/report$/);
    await noViolations(robin);
    if (process.env.SHOTS) await robin.screenshot({ path: path.join(process.env.SHOTS, 'report.png'), fullPage: true });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troth-report-'));
    const pdf = path.join(dir, 'report.pdf');
    await robin.emulateMedia({ media: 'print' });
    await robin.pdf({ path: pdf, format: 'A4', printBackground: false });
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
    assert.ok(pages >= 1 && pages <= 2, `the report is ${pages} pages`);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const h of ['Before the session', 'Where the two differ', 'Check-ins', 'Hard moments', 'Promises',
      'Wins and setbacks', 'Agreement changes', 'The road', 'Sessions', 'Sam', 'Alex'])
      assert.ok(text.includes(h), `the PDF lacks "${h}"`);
    assert.doesNotMatch(text, /Back to the couple/);
    if (process.env.SHOTS) fs.copyFileSync(pdf, path.join(process.env.SHOTS, 'report.pdf'));
    fs.rmSync(dir, { recursive: true, force: true });

    // Sam ends the access: Robin's very next request is a 404
    await sam.goto(`${env.base}/counsellor`);
    await noViolations(sam);
    await sam.getByRole('button', { name: 'End access' }).click();
    await sam.waitForURL(`${env.base}/counsellor?done=ended`);
    const res = await robin.goto(couple);
    assert.equal(res.status(), 404);
    await robin.goto(`${env.base}/therapist`);
    assert.match(await robin.textContent('main'), /Access ended/);
    assert.doesNotMatch(await robin.textContent('main'), /Sam/);
    await sam.goto(`${env.base}/`);
    assert.equal(await sam.locator('#from-counsellor').count(), 0);
  });
});
