// agreement.test.js: one agreement, proposed on one phone and accepted on
// the other. A signs up and starts a couple, B joins with the invite link;
// A proposes a text, B reads and accepts it, and A then sees it in force.
// Only the partner who did not propose is offered the accept button.
// axe-core checks the agreements page on both phones.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, noViolations, signUp, withPages } = require('./server.js');

const env = useServer();

test('A proposes an agreement, B accepts it, both see it in force', async () => {
  await withPages(env, ['phone', 'phone'], async (a, b) => {

    await signUp(a, `${env.base}/signup`, 'sam', 'Sam', null);
    await a.goto(`${env.base}/couple`);
    await a.check('form[action="/couple/create"] input[name=role][value=hurt]');
    await a.selectOption('#f-timezone', 'Europe/London');
    await a.click('form[action="/couple/create"] button[type=submit]');
    const link = (await a.textContent('.code-link')).trim();
    await signUp(b, link, 'alex', 'Alex', 'accountable');

    // A proposes
    await a.goto(`${env.base}/agreements`);
    assert.match(await a.textContent('main'), /in force once the other accepts it/);
    await noViolations(a);
    await a.check('form[action="/agreements"] input[name=topic][value=friendships]');
    await a.fill('#f-text', 'No evenings alone with colleagues for now.');
    await a.click('form[action="/agreements"] button[type=submit]');
    await a.waitForURL(/\/agreements\?saved=1/);
    const mine = a.locator('section.agreement');
    assert.equal(await mine.count(), 1);
    assert.match(await mine.innerText(), /Waiting for your partner/);
    assert.match(await mine.innerText(), /Not in force yet/);
    assert.equal(await a.locator('form[action$="/accept"]').count(), 0);

    // B, on the other phone, reads it and accepts
    await b.goto(`${env.base}/`);
    assert.match(await b.textContent('#for-you'), /proposed a text for an agreement: Friendships\./);
    await b.click('#for-you a[href^="/agreements#agreement-"]');
    const theirs = b.locator('section.agreement');
    assert.match(await theirs.innerText(), /Your partner proposed \(version 1\)/);
    assert.match(await theirs.innerText(), /No evenings alone with colleagues for now\./);
    await noViolations(b);
    await b.click('form[action$="/versions/1/accept"] button[type=submit]');
    await b.waitForURL(/\/agreements\?saved=1/);
    assert.match(await b.locator('section.agreement').innerText(), /In force \(version 1\)/);
    assert.equal(await b.locator('form[action$="/accept"]').count(), 0);

    // and A sees it in force, with both versions' history kept
    await a.goto(`${env.base}/agreements`);
    const done = await a.locator('section.agreement').innerText();
    assert.match(done, /In force \(version 1\)/);
    assert.match(done, /No evenings alone with colleagues for now\./);
    assert.match(done, /1 version kept/);
    await noViolations(a);
  });
});
