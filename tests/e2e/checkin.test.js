// checkin.test.js: the weekly check-in on two phones. A checks in by tapping
// the labelled scales; B is told A is waiting and sees none of A's answers;
// B checks in; then each sees both, side by side. axe-core checks the pages
// on the way.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, noViolations } = require('./server.js');

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

async function logIn(page, username) {
  await page.goto(`${env.base}/login`);
  await page.fill('#f-username', username);
  await page.fill('#f-password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${env.base}/`);
}

const DIMENSIONS = ['reliability', 'emotional_safety', 'honesty', 'consistency', 'respect', 'transparency'];

// Fills the check-in by tapping the labels, as a thumb would.
async function checkIn(page, connection, score, words) {
  await page.locator('#s-connection').getByLabel(String(connection), { exact: true }).check();
  for (const d of DIMENSIONS)
    await page.locator(`#s-${d}`).getByLabel(String(score), { exact: true }).check();
  await page.locator('#s-safer_talking').getByLabel('3', { exact: true }).check();
  await page.getByLabel('Something this week that increased your trust').fill(words.increased);
  await page.getByLabel('What you need next week').fill(words.need);
  await page.getByRole('button', { name: 'Save my check-in' }).click();
  await page.waitForURL(/\/checkins\?week=\d{4}-W\d{2}&saved=1$/);
}

test('A and B each check in, and only then see each other\'s answers', async () => {
  await makeCouple();
  const phoneA = await env.phone();
  const phoneB = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const a = await phoneA.newPage();
    const b = await phoneB.newPage();
    await logIn(a, 'sam');
    await logIn(b, 'alex');

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
  } finally {
    await phoneA.close();
    await phoneB.close();
  }
});
