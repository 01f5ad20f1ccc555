// couple.test.js: two people, two phones. A signs up and starts a couple;
// B signs up with A's invite link; each then sees the other on the home
// page. axe-core checks every page they pass through.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, noViolations, signUp, withPages, logIn } = require('./server.js');

const env = useServer();

// The recovery-code page: a code of six groups, and nothing axe objects to.
async function recoveryCodeShown(page) {
  const code = await page.textContent('#recovery-code');
  assert.match(code.trim(), /^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$/);
  await noViolations(page);
}

test('A starts a couple, B joins with the link, each sees the other', async () => {
  await withPages(env, ['phone', 'phone'], async (a, b) => {

    await signUp(a, `${env.base}/signup`, 'sam', 'Sam', null, recoveryCodeShown);
    assert.match(await a.textContent('h1'), /Hello, Sam/);
    await noViolations(a);

    await a.click('a[href="/couple"]');
    await noViolations(a);
    await a.check('form[action="/couple/create"] input[name=role][value=hurt]');
    await a.selectOption('#f-timezone', 'Europe/London');
    await a.click('form[action="/couple/create"] button[type=submit]');
    const code = (await a.textContent('#invite-code')).trim();
    assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const link = (await a.textContent('.code-link')).trim();
    assert.ok(link.endsWith(`/signup?invite=${code}`), link);
    await noViolations(a);

    // B, on another phone, follows the link: the code is filled in for them
    await b.goto(link);
    assert.equal(await b.inputValue('#f-invite_code'), code);
    await signUp(b, link, 'alex', 'Alex', 'accountable', recoveryCodeShown);
    assert.match(await b.textContent('.couple'), /You and Alex|You and Sam/);
    assert.match(await b.textContent('.couple'), /Sam/);
    await noViolations(b);

    await a.goto(`${env.base}/`);
    assert.match(await a.textContent('.couple'), /Alex/);

    // neither phone sees the other's settings; each sees its own session
    await a.goto(`${env.base}/settings`);
    assert.match(await a.textContent('.sessions'), /this one/);
    await noViolations(a);
    await a.goto(`${env.base}/operator`);
    await noViolations(a); // Sam was first, so Sam runs this server
    const r = await b.goto(`${env.base}/operator`);
    assert.equal(r.status(), 404);

    // every page of the couple's troth, on a phone, for both of them
    const pages = ['/roadmap', '/readiness', '/safety/check', '/agreements', '/transparency',
      '/vision', '/recovery', '/checkins', '/checkins/history', '/appreciations', '/sharing',
      '/together', '/rituals', '/records', '/triggers', '/triggers/plans', '/hard-dates',
      '/disclosures', '/no-contact', '/promises', '/wins', '/setbacks', '/timeline', '/journal',
      '/insights', '/coach', '/guidance/counselling', '/guidance/children',
      '/guidance/walking-away'];
    for (const p of pages) {
      for (const page of [a, b]) {
        const res = await page.goto(`${env.base}${p}`);
        assert.equal(res.status(), 200, p);
        await noViolations(page);
      }
    }
  });
});

test('a wrong password is told calmly and nothing else is revealed', async () => {
  await withPages(env, [{}], async (p) => {
    await logIn(p, env.base, 'sam', 'not the passphrase at all');
    assert.match(await p.textContent('.notice'), /do not match/);
    assert.equal(await p.inputValue('#f-password'), '');
    await noViolations(p);
  });
});
