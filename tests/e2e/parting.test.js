// parting.test.js: two people, two phones. They make a couple and write to
// each other; Sam parts ways from a calm page, Alex's home says plainly that
// their time together has ended, each opens what they kept, and Alex closes
// the account. axe-core checks every page on the way.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, noViolations, signUp, withPages, startAlone } = require('./server.js');

const env = useServer();

test('parting ways and closing an account, from the browser', async () => {
  await withPages(env, ['phone', 'phone'], async (a, b) => {
    await startAlone(a, env.base, 'sam', 'Sam', 'hurt', 'Europe/London');
    const link = (await a.textContent('.code-link')).trim();
    await signUp(b, link, 'alex', 'Alex', 'accountable');

    await b.goto(`${env.base}/appreciations`);
    await b.fill('textarea[name=text]', 'Thank you for the walk by the river.');
    await b.click('form[action="/appreciations"] button[type=submit]');

    // Sam reads what happens, then confirms with the password
    await a.goto(`${env.base}/couple/part`);
    assert.match(await a.textContent('main'), /from our time together/);
    await noViolations(a);
    await a.fill('input[name=password]', 'sam has a long passphrase');
    await a.click('form[action="/couple/part"] button[type=submit]');
    assert.match(await a.textContent('main'), /Thank you for the walk by the river\./);
    await noViolations(a);

    // Alex's home says so, warmly, and never "has not joined yet"
    await b.goto(`${env.base}/`);
    const home = await b.textContent('main');
    assert.match(home, /Your time together in troth has ended/);
    assert.doesNotMatch(home, /has not joined yet/);
    await noViolations(b);
    await b.click('a[href="/keepsakes"]');
    assert.match(await b.textContent('main'), /Thank you for the walk by the river\./);

    // Alex closes the account
    await b.goto(`${env.base}/settings/delete`);
    await noViolations(b);
    await b.fill('input[name=password]', 'alex has a long passphrase');
    await b.click('form[action="/settings/delete"] button[type=submit]');
    assert.match(await b.textContent('h1'), /Your account is closed/);
    await noViolations(b);
    await b.goto(`${env.base}/`);
    assert.ok(await b.locator('a[href="/login"], form[action="/login"]').count() > 0);
  });
});
