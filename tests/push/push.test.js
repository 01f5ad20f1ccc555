// push.test.js: reminders by Web Push, end to end, against a local push
// service that behaves like a real one. troth runs with its background
// sender off (--push-every off); each test runs one round of the sender at
// an instant it chooses (POST /api/v1/_test/push/tick, test builds only),
// so hours and daylight-saving changes are the test's to pick.
//
// The push service (127.0.0.1, in this process) checks each request as a
// push service must: the VAPID JWT's ES256 signature against the public key
// troth published, its aud (the service's origin) and exp, the
// Content-Encoding, TTL and Urgency; it decrypts the body with http_ece (an
// independent implementation) using the subscription keys this test made as
// a browser would; and it answers 201, 404, 410, 429 or 500 as a test asks.
//
//   TROTH_BIN   the troth binary, built with -Dtest_routes=true
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const ece = require('http_ece');

const ROOT = path.resolve(__dirname, '..', '..');
const ZONE = 'Europe/London';
const NAMES = { ana: 'Annabel Quill', ben: 'Benedict Marsh' };
const CANARIES = ['CANARY-APPRECIATE-7731', 'CANARY-SHARE-5512', 'CANARY-PROMISE-9043', 'CANARY-AGREE-2265'];
// words no payload may hold: the names, the usernames, every record kind
const FORBIDDEN = [
  ...CANARIES, NAMES.ana, NAMES.ben, 'Annabel', 'Benedict', 'anaquill', 'benmarsh',
  'apprecia', 'check-in', 'checkin', 'hard date', 'hard_date', 'promise', 'share', 'sharing', 'vulnerab', 'agreement', 'fear', 'trigger',
  'counsel', 'suggest', 'Rowan',
];

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the local push service ----

function startPushService() {
  const svc = {
    received: [],      // every request that reached a subscription: { id, status, payload, jwt, at }
    answers: {},       // id -> list of statuses to answer, in turn (default 201)
    keys: {},          // id -> { ecdh, auth } made as a browser makes them
    vapidKey: null,    // troth's public key, as published
    clock: 0,          // the instant of the round under way (the JWT's exp is judged against it)
    problems: [],      // anything a real push service would refuse
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const id = (req.url.match(/^\/push\/([a-z0-9-]+)$/) || [])[1];
      const body = Buffer.concat(chunks);
      const problem = (why) => { svc.problems.push(`${id}: ${why}`); res.writeHead(400); res.end(why); };
      if (req.method !== 'POST' || !id || !svc.keys[id]) return problem('no such subscription');
      // RFC 8292: Authorization: vapid t=JWT, k=KEY
      const m = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)$/
        .exec(req.headers.authorization || '');
      if (!m) return problem('no VAPID authorization');
      const [, jwt, k] = m;
      if (k !== svc.vapidKey) return problem('not the key troth published');
      const [h, c, s] = jwt.split('.');
      const header = JSON.parse(Buffer.from(h, 'base64url'));
      const claims = JSON.parse(Buffer.from(c, 'base64url'));
      if (header.alg !== 'ES256' || header.typ !== 'JWT') return problem('not an ES256 JWT');
      const pub = crypto.createPublicKey({
        key: { kty: 'EC', crv: 'P-256', x: b64u(Buffer.from(k, 'base64url').subarray(1, 33)),
          y: b64u(Buffer.from(k, 'base64url').subarray(33, 65)) },
        format: 'jwk',
      });
      const ok = crypto.verify('sha256', Buffer.from(`${h}.${c}`), { key: pub, dsaEncoding: 'ieee-p1363' },
        Buffer.from(s, 'base64url'));
      if (!ok) return problem('the JWT signature does not verify');
      if (claims.aud !== svc.origin) return problem(`aud is ${claims.aud}`);
      if (!(claims.exp > svc.clock && claims.exp <= svc.clock + 24 * 3600)) return problem('exp out of range');
      if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) return problem('no sub');
      if (req.headers['content-encoding'] !== 'aes128gcm') return problem('not aes128gcm');
      if (!/^\d+$/.test(req.headers.ttl || '')) return problem('no TTL');
      if (!['very-low', 'low', 'normal', 'high'].includes(req.headers.urgency)) return problem('no Urgency');
      let payload;
      try {
        const plain = ece.decrypt(body, { version: 'aes128gcm', privateKey: svc.keys[id].ecdh,
          authSecret: b64u(svc.keys[id].auth) });
        payload = plain.toString('utf8');
      } catch (e) {
        return problem(`does not decrypt: ${e.message}`);
      }
      const queue = svc.answers[id] || [];
      const status = queue.length ? queue.shift() : 201;
      svc.received.push({ id, status, payload, at: svc.clock, ttl: Number(req.headers.ttl) });
      res.writeHead(status, status === 429 ? { 'Retry-After': '120' } : {});
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    svc.origin = `http://127.0.0.1:${server.address().port}`;
    svc.stop = () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); });
    resolve(svc);
  }));
}

// A browser's half of a subscription: a P-256 key pair and a 16-byte secret.
function browserKeys() {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, auth: crypto.randomBytes(16) };
}

// ---- troth ----

async function startTroth(every = 'off') {
  const bin = path.resolve(process.env.TROTH_BIN || path.join(ROOT, 'build', 'troth'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troth-push-'));
  const port = await new Promise((resolve) => {
    const s = require('node:net').createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const proc = spawn(bin, ['serve', '--init', '--db', path.join(dir, 't.db'), '--listen', `127.0.0.1:${port}`,
    '--push-every', every, '--push-contact', 'mailto:operator@example.org'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (c) => { stderr += c; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch (_) { /* not yet */ }
    if (i > 300) throw new Error(`troth did not start: ${stderr}`);
    await sleep(50);
  }
  return {
    base,
    // stops troth and checks that it ended cleanly (under AddressSanitizer a
    // leak or an error makes the exit status non-zero)
    stop: async () => {
      const done = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
      proc.kill('SIGTERM');
      const end = await done;
      fs.rmSync(dir, { recursive: true, force: true });
      assert.deepEqual(end, { code: 0, signal: null }, `troth did not stop cleanly: ${stderr.slice(-4000)}`);
    },
  };
}

let troth, svc;
const T = {}; // tokens

async function api(method, p, token, body, on = troth) {
  const r = await fetch(`${on.base}${p}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

async function tick(now) {
  svc.clock = now;
  const r = await api('POST', '/api/v1/_test/push/tick', null, { now });
  assert.equal(r.status, 200);
  return r.json;
}

// The instant of local time hh:mm on day (YYYY-MM-DD) in ZONE.
function localInstant(day, hh, mm) {
  const guess = Date.parse(`${day}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`) / 1000;
  for (let t = guess - 14 * 3600; t <= guess + 14 * 3600; t += 60) {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit',
      day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(t * 1000));
    const g = (type) => parts.find((x) => x.type === type).value;
    if (`${g('year')}-${g('month')}-${g('day')}` === day && Number(g('hour')) === hh && Number(g('minute')) === mm)
      return t;
  }
  throw new Error(`no ${hh}:${mm} on ${day} in ${ZONE}`);
}

// Today in the couple's zone, by the clock troth also reads.
function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
}

async function subscribe(who, id) {
  svc.keys[id] = browserKeys();
  const r = await api('POST', '/api/v1/push/subscriptions', T[who], {
    endpoint: `${svc.origin}/push/${id}`,
    expirationTime: null,
    keys: { p256dh: b64u(svc.keys[id].ecdh.getPublicKey()), auth: b64u(svc.keys[id].auth) },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json.subscription.id;
}

const arrived = (id, since = 0) => svc.received.filter((x) => x.id === id && x.status === 201).slice(since);

before(async () => {
  svc = await startPushService();
  troth = await startTroth();
  const pw = 'lantern-orchard-velvet-ninety';
  // the first account is the operator; ana makes a couple, ben joins it
  let r = await api('POST', '/api/v1/accounts', null, { username: 'anaquill', password: pw, display_name: NAMES.ana });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  T.ana = (await api('POST', '/api/v1/sessions', null, { username: 'anaquill', password: pw })).json.token;
  r = await api('POST', '/api/v1/couple', T.ana, { role: 'hurt', timezone: ZONE });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await api('POST', '/api/v1/accounts', null, { username: 'benmarsh', password: pw, display_name: NAMES.ben,
    invite_code: r.json.invite_code, role: 'accountable' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  T.ben = (await api('POST', '/api/v1/sessions', null, { username: 'benmarsh', password: pw })).json.token;
  r = await api('GET', '/api/v1/push/subscriptions', T.ana);
  assert.equal(r.status, 200);
  svc.vapidKey = r.json.public_key;
  assert.equal(Buffer.from(svc.vapidKey, 'base64url').length, 65);
  // the weekly check-in and hard dates have tests of their own: off until
  // then, so that the day of the week the suite runs on does not matter
  for (const who of ['ana', 'ben'])
    assert.equal((await api('PUT', '/api/v1/push/preferences', T[who], { kinds: { checkin: false, hard_date: false } })).status, 200);
});

after(async () => {
  await troth?.stop();
  await svc?.stop();
});

test('subscriptions are checked, listed and removed, and only by their person', async () => {
  const bad = async (body, field) => {
    const r = await api('POST', '/api/v1/push/subscriptions', T.ana, body);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    if (field) assert.equal(r.json.error.field, field);
  };
  const k = browserKeys();
  const keys = { p256dh: b64u(k.ecdh.getPublicKey()), auth: b64u(k.auth) };
  await bad({ endpoint: 'https://push.example.org/x', keys, extra: 1 }, 'extra');
  await bad({ endpoint: 'ftp://push.example.org/x', keys }, 'endpoint');
  await bad({ endpoint: 'https://user@push.example.org/x', keys }, 'endpoint');
  await bad({ endpoint: 'http://push.example.org/x', keys }, 'endpoint');
  await bad({ endpoint: 'https://push.example.org/x', keys: { ...keys, p256dh: b64u(Buffer.alloc(65, 4)) } }, 'p256dh');
  await bad({ endpoint: 'https://push.example.org/x', keys: { ...keys, auth: b64u(Buffer.alloc(8)) } }, 'auth');
  await bad({ endpoint: 'https://push.example.org/x' }, 'keys');
  await bad({ endpoint: `https://push.example.org/${'x'.repeat(1100)}`, keys }, 'endpoint');

  const id = await subscribe('ana', 'ana-spare');
  let r = await api('GET', '/api/v1/push/subscriptions', T.ana);
  assert.ok(r.json.subscriptions.some((s) => s.id === id && s.endpoint.endsWith('/push/ana-spare')));
  r = await api('GET', '/api/v1/push/subscriptions', T.ben);
  assert.ok(!r.json.subscriptions.some((s) => s.id === id), 'ben does not see ana\'s devices');
  assert.equal((await api('DELETE', `/api/v1/push/subscriptions/${id}`, T.ben)).status, 404);
  assert.equal((await api('DELETE', `/api/v1/push/subscriptions/${id}`, T.ana)).status, 204);
  assert.equal((await api('DELETE', `/api/v1/push/subscriptions/${id}`, T.ana)).status, 404);
  r = await api('GET', '/api/v1/push/subscriptions', T.ana);
  assert.ok(!r.json.subscriptions.some((s) => s.id === id));
  assert.equal((await api('GET', '/api/v1/push/subscriptions', null)).status, 401);
});

test('a reminder arrives only while the thing is still to do, and stops once it is done', async () => {
  await subscribe('ana', 'ana-phone');
  await subscribe('ben', 'ben-phone');
  const day = today();
  // ana writes today's appreciation before any reminder; ben does not
  let r = await api('POST', '/api/v1/appreciations', T.ana, { text: `Thank you ${CANARIES[0]}` });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  // ben shares something; it waits for ana to hear it
  r = await api('POST', '/api/v1/vulnerabilities', T.ben, { text: `I hope ${CANARIES[1]}`, kind: 'hope' });
  assert.equal(r.status, 201);
  const shareId = r.json.vulnerability.id;

  // midday: ana's share is waiting; nobody's appreciation is due before the evening
  const a0 = arrived('ana-phone').length, b0 = arrived('ben-phone').length;
  await tick(localInstant(day, 12, 0));
  assert.equal(arrived('ana-phone', a0).length, 1, 'the share waiting for ana');
  assert.equal(arrived('ben-phone', b0).length, 0, 'nothing waits for ben at midday');

  // the evening (the hour before quiet hours, since the ritual's 21:00 is in them):
  // ben has not written his appreciation, ana has
  await tick(localInstant(day, 20, 10));
  assert.equal(arrived('ben-phone', b0).length, 1, 'ben is reminded of his appreciation');
  assert.equal(arrived('ana-phone', a0).length, 1, 'ana wrote hers: no reminder');
  // once a day: a later round sends nothing new
  await tick(localInstant(day, 20, 40));
  assert.equal(arrived('ben-phone', b0).length, 1);

  // once heard, the share is not reminded of again, on this day or the next
  assert.equal((await api('POST', `/api/v1/vulnerabilities/${shareId}/heard`, T.ana)).status, 200);
  const nextDay = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(Date.now() + 86400000));
  await tick(localInstant(nextDay, 12, 0));
  assert.equal(arrived('ana-phone', a0).length, 1, 'nothing waits for ana any more');
});

test('a retried reminder is dropped when the thing was done meanwhile', async () => {
  const id = 'ana-tablet';
  await subscribe('ana', id);
  assert.equal((await api('POST', '/api/v1/vulnerabilities', T.ben, { text: `Another ${CANARIES[1]}` })).status, 201);
  const next = new Date(Date.now() + 2 * 86400000);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(next);
  svc.answers[id] = [429];
  const t0 = localInstant(day, 10, 0);
  const before = svc.received.filter((x) => x.id === id).length;
  const res = await tick(t0);
  assert.equal(res.retried >= 1, true, JSON.stringify(res));
  assert.equal(svc.received.filter((x) => x.id === id).length, before + 1);
  // every share is heard now
  const list = (await api('GET', '/api/v1/vulnerabilities', T.ana)).json.vulnerabilities;
  for (const v of list.filter((x) => x.author !== 'me' && !x.heard))
    assert.equal((await api('POST', `/api/v1/vulnerabilities/${v.id}/heard`, T.ana)).status, 200);
  const out = await tick(t0 + 3600);
  assert.equal(svc.received.filter((x) => x.id === id).length, before + 1, 'nothing more reached the tablet');
  assert.ok(out.dropped >= 1, JSON.stringify(out));
  await api('DELETE', `/api/v1/push/subscriptions/${(await api('GET', '/api/v1/push/subscriptions', T.ana))
    .json.subscriptions.find((s) => s.endpoint.endsWith(id)).id}`, T.ana);
});

test('the weekly check-in is reminded at the couple\'s chosen day and hour, to whoever has not answered', async () => {
  const day = today();
  const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, weekday: 'long' }).format(new Date()).toLowerCase();
  let r = await api('PUT', '/api/v1/rituals', T.ana, { checkin_weekday: weekday, checkin_time: '10:00' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  for (const who of ['ana', 'ben'])
    assert.equal((await api('PUT', '/api/v1/push/preferences', T[who], { kinds: { checkin: true } })).status, 200);
  // fresh devices: nothing was tried on them in this test's past
  await subscribe('ana', 'ana-checkin');
  await subscribe('ben', 'ben-checkin');
  try {
    const d = { reliability: 7, emotional_safety: 6, honesty: 8, consistency: 7, respect: 8, transparency: 7 };
    r = await api('POST', '/api/v1/checkins', T.ana, { connection: 7, dimensions: d });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    await tick(localInstant(day, 9, 50));
    assert.equal(arrived('ben-checkin').length, 0, 'not before the chosen hour');
    await tick(localInstant(day, 10, 5));
    assert.equal(arrived('ben-checkin').length, 1, 'ben has not answered');
    assert.equal(arrived('ana-checkin').length, 0, 'ana has');
  } finally {
    for (const who of ['ana', 'ben']) {
      await api('PUT', '/api/v1/push/preferences', T[who], { kinds: { checkin: false } });
      for (const s of (await api('GET', '/api/v1/push/subscriptions', T[who])).json.subscriptions)
        if (s.endpoint.endsWith('-checkin')) await api('DELETE', `/api/v1/push/subscriptions/${s.id}`, T[who]);
    }
  }
});

test('a hard date is announced the evening before, at the hour chosen for it', async () => {
  const day = today();
  const plus = (n) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(Date.now() + n * 86400000));
  const only = { appreciation: false, checkin: false, promise: false, share: false, agreement: false, hard_date: true };
  assert.equal((await api('PUT', '/api/v1/push/preferences', T.ana, { kinds: only })).status, 200);
  await subscribe('ana', 'ana-dates');
  try {
    // one in two days first: nothing tonight
    let r = await api('POST', '/api/v1/hard-dates', T.ana, { date: plus(2), label: CANARIES[2] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    await tick(localInstant(day, 18, 5));
    assert.equal(arrived('ana-dates').length, 0, 'not two days before');
    // then one tomorrow: at 18:00 (the schedule's default), not before
    r = await api('POST', '/api/v1/hard-dates', T.ana, { date: plus(1), label: CANARIES[2] });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    await tick(localInstant(day, 17, 50) + 120);
    assert.equal(arrived('ana-dates').length, 0, 'not before the hour');
    await tick(localInstant(day, 18, 10));
    assert.equal(arrived('ana-dates').length, 1, 'the evening before');
  } finally {
    const all = { appreciation: true, checkin: false, promise: true, share: true, agreement: true, hard_date: false };
    await api('PUT', '/api/v1/push/preferences', T.ana, { kinds: all });
    for (const s of (await api('GET', '/api/v1/push/subscriptions', T.ana)).json.subscriptions)
      if (s.endpoint.endsWith('-dates')) await api('DELETE', `/api/v1/push/subscriptions/${s.id}`, T.ana);
  }
});

test('a counsellor\'s suggestion is reminded once a day to each partner until they dismiss it', async () => {
  const pw = 'lantern-orchard-velvet-ninety';
  const plus = (n) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(Date.now() + n * 86400000));
  const only = { appreciation: false, checkin: false, promise: false, share: false, agreement: false, hard_date: false, suggestion: true };
  for (const who of ['ana', 'ben'])
    assert.equal((await api('PUT', '/api/v1/push/preferences', T[who], { kinds: only })).status, 200);
  await subscribe('ana', 'ana-counsel');
  await subscribe('ben', 'ben-counsel');
  try {
    // a counsellor both partners said yes to
    let r = await api('POST', '/api/v1/counsellor/invite', T.ana);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    r = await api('POST', '/api/v1/therapist/accounts', null, { username: 'rowanash', password: pw,
      display_name: 'Rowan Ash', invite_code: r.json.invite_code });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    T.rowan = (await api('POST', '/api/v1/sessions', null, { username: 'rowanash', password: pw })).json.token;
    for (const who of ['ana', 'ben'])
      assert.equal((await api('POST', '/api/v1/counsellor/agree', T[who])).status, 200);
    const couple = (await api('GET', '/api/v1/therapist/couples', T.rowan)).json.couples[0];
    assert.equal(couple.status, 'active');
    // nothing waits yet
    await tick(localInstant(plus(3), 12, 0));
    assert.equal(arrived('ana-counsel').length + arrived('ben-counsel').length, 0, 'no suggestion, no reminder');
    r = await api('POST', `/api/v1/therapist/couples/${couple.id}/suggestions`, T.rowan,
      { kind: 'time_together', note: `A walk ${CANARIES[3]}` });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    await tick(localInstant(plus(3), 12, 30));
    assert.equal(arrived('ana-counsel').length, 1, 'ana is reminded');
    assert.equal(arrived('ben-counsel').length, 1, 'ben is reminded');
    await tick(localInstant(plus(3), 13, 0));
    assert.equal(arrived('ana-counsel').length, 1, 'once a day');
    // ana reads and dismisses it; ben does not
    const id = (await api('GET', '/api/v1/counsellor/suggestions', T.ana)).json.suggestions[0].id;
    assert.equal((await api('POST', `/api/v1/counsellor/suggestions/${id}/dismiss`, T.ana)).status, 200);
    await tick(localInstant(plus(4), 12, 0));
    assert.equal(arrived('ana-counsel').length, 1, 'dismissed: no more for ana');
    assert.equal(arrived('ben-counsel').length, 2, 'still waiting for ben: the next day again');
    // access ends: nothing waits for anyone
    assert.equal((await api('POST', '/api/v1/counsellor/withdraw', T.ben)).status, 200);
    await tick(localInstant(plus(5), 12, 0));
    assert.equal(arrived('ben-counsel').length, 2, 'access ended: no reminder');
  } finally {
    const all = { appreciation: true, checkin: false, promise: true, share: true, agreement: true, hard_date: false, suggestion: true };
    for (const who of ['ana', 'ben']) {
      await api('PUT', '/api/v1/push/preferences', T[who], { kinds: all });
      for (const s of (await api('GET', '/api/v1/push/subscriptions', T[who])).json.subscriptions)
        if (s.endpoint.endsWith('-counsel')) await api('DELETE', `/api/v1/push/subscriptions/${s.id}`, T[who]);
    }
  }
});

test('quiet hours hold in the couple\'s zone across the change to summer time', async () => {
  const id = 'ben-quiet';
  // only ben's quiet device, and something waiting for him every day: an agreement to answer
  const mine = (await api('GET', '/api/v1/push/subscriptions', T.ben)).json.subscriptions;
  for (const s of mine) await api('DELETE', `/api/v1/push/subscriptions/${s.id}`, T.ben);
  await subscribe('ben', id);
  let r = await api('POST', '/api/v1/agreements', T.ana, { topic: 'boundaries', text: CANARIES[3] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const got = () => arrived(id).length;
  // 07:30 UTC on Saturday 28 March 2026 is 07:30 in London (GMT): quiet (until 08:00)
  let n = got();
  await tick(Date.UTC(2026, 2, 28, 7, 30) / 1000);
  assert.equal(got(), n, 'quiet at 07:30 GMT');
  await tick(Date.UTC(2026, 2, 28, 8, 0) / 1000);
  assert.equal(got(), n + 1, 'sent at 08:00 GMT');
  // 07:30 UTC on Sunday 29 March is 08:30 in London (BST): not quiet
  n = got();
  await tick(Date.UTC(2026, 2, 29, 6, 59) / 1000); // 07:59 BST: still quiet
  assert.equal(got(), n, 'quiet at 07:59 BST');
  await tick(Date.UTC(2026, 2, 29, 7, 30) / 1000);
  assert.equal(got(), n + 1, 'sent at 08:30 BST');
  // 20:30 UTC on Monday 30 March is 21:30 BST: quiet again
  n = got();
  await tick(Date.UTC(2026, 2, 30, 20, 30) / 1000);
  assert.equal(got(), n, 'quiet at 21:30 BST');
  await tick(Date.UTC(2026, 2, 31, 7, 1) / 1000); // 08:01 BST the next morning
  assert.equal(got(), n + 1);
});

test('a kind switched off is not sent, and the day\'s limit holds', async () => {
  const id = 'ben-quiet';
  let r = await api('PUT', '/api/v1/push/preferences', T.ben, { kinds: { agreement: false } });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.kinds.agreement, false);
  const n = arrived(id).length;
  await tick(Date.UTC(2026, 3, 2, 10, 0) / 1000);
  assert.equal(arrived(id).length, n, 'agreements are off');
  r = await api('PUT', '/api/v1/push/preferences', T.ben, { kinds: { agreement: true }, per_day: 1 });
  assert.equal(r.status, 200);
  await tick(Date.UTC(2026, 3, 3, 10, 0) / 1000);
  assert.equal(arrived(id).length, n + 1);
  assert.equal((await api('PUT', '/api/v1/push/preferences', T.ben, { per_day: 9 })).status, 400);
  assert.equal((await api('PUT', '/api/v1/push/preferences', T.ben, { quiet_from: '25:00' })).status, 400);
  assert.equal((await api('PUT', '/api/v1/push/preferences', T.ben, { kinds: { gossip: true } })).status, 400);
  await api('PUT', '/api/v1/push/preferences', T.ben, { per_day: 3 });
});

test('410 from the push service removes the subscription', async () => {
  const id = 'ben-gone';
  await subscribe('ben', id);
  svc.answers[id] = [410];
  const out = await tick(Date.UTC(2026, 3, 4, 10, 0) / 1000);
  assert.ok(out.removed >= 1, JSON.stringify(out));
  const r = await api('GET', '/api/v1/push/subscriptions', T.ben);
  assert.ok(!r.json.subscriptions.some((s) => s.endpoint.endsWith(`/push/${id}`)), 'the gone device is removed');
  assert.ok(r.json.subscriptions.some((s) => s.endpoint.endsWith('/push/ben-quiet')), 'the other stays');
});

test('a retry storm is bounded: a few tries, never two within a minute on a device', async () => {
  const id = 'ben-storm';
  const mine = (await api('GET', '/api/v1/push/subscriptions', T.ben)).json.subscriptions;
  for (const s of mine) await api('DELETE', `/api/v1/push/subscriptions/${s.id}`, T.ben);
  await subscribe('ben', id);
  svc.answers[id] = Array(100).fill(500);
  const start = Date.UTC(2026, 3, 5, 9, 0) / 1000;
  // a round every 10 seconds for three hours
  for (let t = start; t < start + 3 * 3600; t += 10) await tick(t);
  const tries = svc.received.filter((x) => x.id === id);
  assert.ok(tries.length >= 2 && tries.length <= 5, `${tries.length} tries`);
  for (let i = 1; i < tries.length; i++)
    assert.ok(tries[i].at - tries[i - 1].at >= 60, 'at least a minute apart, backing off');
  for (let i = 2; i < tries.length; i++)
    assert.ok(tries[i].at - tries[i - 1].at > tries[i - 1].at - tries[i - 2].at, 'each wait longer');
});

test('no payload holds a name, a record kind or a word anyone wrote', async () => {
  assert.deepEqual(svc.problems, [], 'the push service refused nothing');
  const delivered = svc.received.filter((x) => x.payload !== undefined);
  assert.ok(delivered.length >= 8, `${delivered.length} payloads`);
  const wordings = (await api('GET', '/api/v1/push/preferences', T.ana)).json.wordings;
  for (const { payload } of delivered) {
    const p = JSON.parse(payload);
    assert.deepEqual(Object.keys(p).sort(), ['body', 'title', 'url']);
    assert.equal(p.url, '/');
    assert.ok(wordings.some((w) => w.title === p.title && w.body === p.body), `${payload} is one of the wordings`);
    for (const word of FORBIDDEN)
      assert.ok(!payload.toLowerCase().includes(word.toLowerCase()), `${payload} holds ${word}`);
  }
});

test('the background sender of troth serve sends by the real clock', async () => {
  // a second server whose sender runs every 10 seconds, its own couple
  const live = await startTroth('10');
  try {
    const pw = 'lantern-orchard-velvet-ninety';
    await api('POST', '/api/v1/accounts', null, { username: 'livia', password: pw, display_name: 'Livia' }, live);
    const tl = (await api('POST', '/api/v1/sessions', null, { username: 'livia', password: pw }, live)).json.token;
    const c = await api('POST', '/api/v1/couple', tl, { role: 'hurt', timezone: ZONE }, live);
    await api('POST', '/api/v1/accounts', null, { username: 'lucan', password: pw, display_name: 'Lucan',
      invite_code: c.json.invite_code, role: 'accountable' }, live);
    const tu = (await api('POST', '/api/v1/sessions', null, { username: 'lucan', password: pw }, live)).json.token;
    const key = (await api('GET', '/api/v1/push/subscriptions', tl, undefined, live)).json.public_key;
    assert.notEqual(key, svc.vapidKey, 'each server makes its own key pair');
    // no quiet hours, only shares: whatever the hour, a waiting share is due now
    const off = { appreciation: false, checkin: false, promise: false, agreement: false, share: true };
    assert.equal((await api('PUT', '/api/v1/push/preferences', tl, { kinds: off, quiet_from: '00:00', quiet_to: '00:00' },
      live)).status, 200);
    const id = 'livia-phone';
    svc.keys[id] = browserKeys();
    const r = await api('POST', '/api/v1/push/subscriptions', tl, { endpoint: `${svc.origin}/push/${id}`,
      keys: { p256dh: b64u(svc.keys[id].ecdh.getPublicKey()), auth: b64u(svc.keys[id].auth) } }, live);
    assert.equal(r.status, 201);
    assert.equal((await api('POST', '/api/v1/vulnerabilities', tu, { text: CANARIES[1] }, live)).status, 201);
    const mainKey = svc.vapidKey;
    svc.vapidKey = key;
    svc.clock = Math.floor(Date.now() / 1000);
    try {
      for (let i = 0; i < 300 && !arrived(id).length; i++) await sleep(100);
    } finally {
      svc.vapidKey = mainKey;
    }
    assert.equal(arrived(id).length, 1, 'the reminder came by itself');
    assert.deepEqual(JSON.parse(arrived(id)[0].payload),
      { title: 'A reminder', body: 'Something is waiting for you.', url: '/' });
  } finally {
    await live.stop();
  }
});
