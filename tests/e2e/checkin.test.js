// checkin.test.js: the weekly check-in on two phones. A checks in by tapping
// the labelled scales; B is told A is waiting and sees none of A's answers;
// B checks in; then each sees both, side by side. axe-core checks the pages
// on the way.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, noViolations, withPages, logIn } = require('./server.js');

const env = useServer();

const PASSWORD = 'a long and quiet passphrase';

async function api(method, path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${env.base}/api/v1${path}`, {
    method, headers, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function login(username) {
  const r = await api('POST', '/sessions', { username, password: PASSWORD });
  assert.equal(r.status, 201);
  return r.json.token;
}

// An operator, then Sam (hurt) who starts a couple, then Alex who joins it.
async function makeCouple() {
  let r = await api('POST', '/accounts', { username: 'opr', password: PASSWORD, display_name: 'Op' });
  assert.equal(r.status, 201);
  const op = await login('opr');
  r = await api('POST', '/signup-codes', null, op);
  r = await api('POST', '/accounts', { username: 'sam', password: PASSWORD, display_name: 'Sam',
    invite_code: r.json.invite_code });
  assert.equal(r.status, 201);
  const sam = await login('sam');
  r = await api('POST', '/couple', { role: 'hurt', timezone: 'Europe/London' }, sam);
  assert.equal(r.status, 201);
  r = await api('POST', '/accounts', { username: 'alex', password: PASSWORD, display_name: 'Alex',
    invite_code: r.json.invite_code, role: 'accountable' });
  assert.equal(r.status, 201);
}

async function logInHome(page, username) {
  await logIn(page, env.base, username, PASSWORD);
  await page.waitForURL(`${env.base}/`);
}

const DIMENSIONS = ['reliability', 'emotional_safety', 'honesty', 'consistency', 'respect', 'transparency'];

// Fills the check-in by tapping the labels, as a thumb would.
async function checkIn(page, connection, score, words) {
  await page.locator('#s-connection').getByLabel(String(connection), { exact: true }).check();
  for (const d of DIMENSIONS)
    await page.locator(`#s-${d}`).getByLabel(String(score), { exact: true }).check();
  await page.locator('#s-safer_talking').getByLabel('3', { exact: true }).check();
  // each text is one tap away: open it, then write
  await page.locator('summary', { hasText: 'Something this week that increased your trust' }).click();
  await page.getByLabel('Something this week that increased your trust').fill(words.increased);
  await page.locator('summary', { hasText: 'What you need next week' }).click();
  await page.getByLabel('What you need next week').fill(words.need);
  await page.getByRole('button', { name: 'Save my check-in' }).click();
  await page.waitForURL(/\/checkins\?week=\d{4}-W\d{2}&saved=1$/);
}

test('A and B each check in, and only then see each other\'s answers', async () => {
  await makeCouple();
  await withPages(env, ['phone', { viewport: { width: 390, height: 844 } }], async (a, b) => {
    await logInHome(a, 'sam');
    await logInHome(b, 'alex');

    // the home page says the check-in is due
    assert.match(await a.textContent('#due-checkin'), /This week's check-in/);
    await a.click('#due-checkin a.button');
    await a.waitForURL(`${env.base}/checkins`);
    await noViolations(a);
    const overflow = await a.evaluate(() =>
      document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the check-in is ${overflow}px wider than the phone`);

    await checkIn(a, 7, 6, { increased: 'You showed me your calendar.', need: 'A slow Sunday.' });
    assert.match(await a.textContent('main'), /Your answers are in/);
    // A can still change it: the form holds A's answers
    assert.ok(await a.locator('#s-connection').getByLabel('7', { exact: true }).isChecked());

    // B is told A is waiting, and sees nothing of what A said
    await b.reload();
    assert.match(await b.textContent('#due-checkin'), /Sam has checked in and is waiting for yours/);
    await b.goto(`${env.base}/checkins`);
    assert.match(await b.textContent('main'), /Sam has checked in for this week/);
    assert.doesNotMatch(await b.content(), /showed me your calendar/);
    await b.goto(`${env.base}/checkins/history`);
    assert.doesNotMatch(await b.content(), /showed me your calendar/);
    await noViolations(b);

    // B checks in: both answers open, side by side
    await b.goto(`${env.base}/checkins`);
    await checkIn(b, 5, 4, { increased: 'You asked about my day.', need: 'Patience with me.' });
    const tableB = await b.textContent('table.side-by-side');
    assert.match(tableB, /Connection\s*5 \/ 10\s*7 \/ 10/);
    assert.match(await b.textContent('main'), /You showed me your calendar\./);
    assert.match(await b.textContent('main'), /You asked about my day\./);
    assert.equal((await b.locator('table.side-by-side thead th').allTextContents())[2], 'Sam');
    await noViolations(b);

    await a.goto(`${env.base}/checkins`);
    assert.match(await a.textContent('table.side-by-side'), /Connection\s*7 \/ 10\s*5 \/ 10/);
    assert.match(await a.textContent('main'), /You asked about my day\./);
    assert.match(await a.textContent('main'), /Patience with me\./);
    // once open, the answers stay as they are: no form any more
    assert.equal(await a.locator('form[action="/checkins"]').count(), 0);
    await a.goto(`${env.base}/`);
    assert.match(await a.textContent('#due-checkin'), /You have both checked in this week/);

    // every ritual page passes axe on the phone
    for (const path of ['/', '/checkins/history', '/appreciations', '/sharing', '/together', '/rituals']) {
      await a.goto(`${env.base}${path}`);
      await noViolations(a);
    }
  });
});

// On a 360 px phone every rating is one row of numbers, nothing scrolls
// sideways, and the form without its optional words fits in well under
// two and a half screens.
test('the check-in fits a small phone: one row per rating, no sideways scroll', async () => {
  await withPages(env, [{ viewport: { width: 360, height: 740 } }], async (page) => {
    await logInHome(page, 'sam');
    // a week Sam has not checked in for yet shows the form: three weeks ago
    const d = new Date(Date.now() - 21 * 86400000);
    const day = (d.getUTCDay() + 6) % 7;
    const thu = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
    // the ISO week is the one of its Thursday: count weeks from 1 January
    const wk = 1 + Math.floor((thu - Date.UTC(thu.getUTCFullYear(), 0, 1)) / (7 * 86400000));
    await page.goto(`${env.base}/checkins?week=${thu.getUTCFullYear()}-W${String(wk).padStart(2, '0')}`);
    const rows = await page.evaluate(() => Array.from(document.querySelectorAll('fieldset.scale .scale-row'))
      .map((r) => new Set(Array.from(r.querySelectorAll('label'))
        .map((l) => Math.round(l.getBoundingClientRect().top))).size));
    assert.equal(rows.length, 10, 'connection, six dimensions, three signs');
    assert.deepEqual(rows, Array(10).fill(1), 'every rating on one line');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `the page is ${wide} px wide`);
    const height = await page.evaluate(() => {
      const f = document.querySelector('form[action="/checkins"]');
      f.querySelectorAll('details').forEach((d) => { d.open = false; });
      return f.getBoundingClientRect().height;
    });
    assert.ok(height < 1850, `the form is ${Math.round(height)} px tall`);
    // each optional text is one tap away
    assert.equal(await page.locator('form[action="/checkins"] details.words').count(), 3);
    await noViolations(page);
  });
});
