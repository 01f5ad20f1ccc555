// coach.test.js: the language coach speaks up while someone writes, and
// stays quiet for words that carry no blame. It never stops them sending.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, noViolations, startAlone, withPages } = require('./server.js');

const env = useServer();

test('a blaming sentence gets a gentle note; an "I feel" one gets none', async () => {
  await withPages(env, ['phone'], async (p) => {
    await startAlone(p, env.base, 'sam', 'Sam', 'hurt', null);

    await p.goto(`${env.base}/sharing`);
    await p.fill('#f-text', 'You always leave me waiting and you never call.');
    const note = p.locator('.coach li').first();
    await note.waitFor({ timeout: 5000 });
    assert.match(await p.textContent('.coach'), /always/);
    assert.match(await p.textContent('.coach'), /I feel/);
    await noViolations(p);

    await p.fill('#f-text', 'I feel scared when the phone buzzes late. I need you to tell me who it is.');
    await p.waitForFunction(() => document.querySelector('.coach').textContent === '', null, { timeout: 5000 });

    // the note never blocks sending
    await p.fill('#f-text', 'You always leave me waiting.');
    await note.waitFor({ timeout: 5000 });
    await p.click('form[action="/sharing"] button[type=submit]');
    assert.match(await p.textContent('main'), /You always leave me waiting\./);
  });
});
