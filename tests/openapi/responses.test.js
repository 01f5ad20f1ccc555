// responses.test.js: real answers of a running troth checked against the
// contract in docs/openapi.yaml. Starts `troth serve` (tests/e2e/server.js,
// TROTH_BIN), signs up two partners, makes a couple, calls every operation and
// validates each body against the schema the contract gives for that route
// and status (Ajv, JSON Schema 2020-12). A status the contract does not list
// for the route fails too, and so does an operation of the contract never
// called.
//
//   OPENAPI_DUMP=FILE  also writes every call and answer to FILE (for review)
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const SwaggerParser = require('@apidevtools/swagger-parser');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');
const { startTroth } = require('../e2e/server.js');

const SPEC = path.resolve(__dirname, '..', '..', 'docs', 'openapi.yaml');

// The contract's operation for a concrete path: its template matches with
// each {param} standing for one non-empty segment.
function findOperation(api, method, urlPath) {
  for (const [tmpl, item] of Object.entries(api.paths)) {
    const re = new RegExp('^' + tmpl.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    if (re.test(urlPath) && item[method.toLowerCase()])
      return { tmpl, op: item[method.toLowerCase()] };
  }
  return null;
}

function todayUTC(offsetDays = 0) {
  return new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);
}

function isoWeek(d) {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const y = t.getUTCFullYear();
  const w = Math.ceil(((t - Date.UTC(y, 0, 1)) / 86400000 + 1) / 7);
  return `${y}-W${String(w).padStart(2, '0')}`;
}

test('real responses match the contract', async (t) => {
  const api = await SwaggerParser.dereference(SPEC);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const troth = await startTroth();
  t.after(() => troth.stop());

  const seen = new Set();
  const log = [];
  const failures = [];
  t.after(() => {
    if (process.env.OPENAPI_DUMP)
      fs.writeFileSync(process.env.OPENAPI_DUMP, JSON.stringify(log, null, 1));
  });

  // One call, checked against the contract. Returns the parsed body.
  async function call(method, urlPath, { token, body, expect, raw, type } = {}) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload;
    if (raw !== undefined) {
      payload = raw;
      headers['Content-Type'] = type || 'application/json';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(troth.base + urlPath, { method, headers, body: payload });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    log.push({ method, urlPath, status: res.status, body: json });
    if (expect !== undefined)
      assert.equal(res.status, expect, `${method} ${urlPath}: ${text}`);
    const pathOnly = urlPath.split('?')[0];
    const found = findOperation(api, method, pathOnly);
    if (!found) {
      failures.push(`${method} ${pathOnly}: not in the contract`);
      return json;
    }
    const key = `${method} ${found.tmpl}`;
    seen.add(key);
    const resp = found.op.responses[String(res.status)];
    if (!resp) {
      failures.push(`${key}: status ${res.status} not in the contract (${text.slice(0, 200)})`);
      return json;
    }
    const schema = resp.content?.['application/json']?.schema;
    if (res.status === 204 || !schema) {
      if (text !== '' && !schema)
        failures.push(`${key} ${res.status}: a body the contract does not describe`);
      return json;
    }
    const validate = ajv.compile(schema);
    if (!validate(json))
      failures.push(`${key} ${res.status}: ${ajv.errorsText(validate.errors)} in ${text.slice(0, 300)}`);
    return json;
  }

  const pw = 'lantern-otter-velvet-92-quietly';
  // accounts, sessions, the couple
  await call('POST', '/api/v1/accounts', {
    body: { username: 'sam', password: pw, display_name: 'Sam' }, expect: 201 });
  const s1 = await call('POST', '/api/v1/sessions', { body: { username: 'sam', password: pw }, expect: 201 });
  const a = s1.token;
  await call('GET', '/api/v1/me', { token: a, expect: 200 });
  await call('GET', '/api/v1/me', { expect: 401 });
  await call('GET', '/api/v1/checkins', { token: a, expect: 409 });
  const couple = await call('POST', '/api/v1/couple', { token: a, body: { role: 'hurt', timezone: 'UTC' }, expect: 201 });
  await call('POST', '/api/v1/accounts', {
    body: { username: 'alex', password: pw + 'x', display_name: 'Alex', invite_code: couple.invite_code, role: 'accountable' },
    expect: 201 });
  const s2 = await call('POST', '/api/v1/sessions', { body: { username: 'alex', password: pw + 'x' }, expect: 201 });
  const b = s2.token;
  await call('POST', '/api/v1/sessions', { body: { username: 'alex', password: 'not the password' }, expect: 401 });
  await call('GET', '/api/v1/me', { token: b, expect: 200 });
  await call('PUT', '/api/v1/couple/timezone', { token: b, body: { timezone: 'Nowhere/Land' }, expect: 400 });
  await call('PUT', '/api/v1/couple/timezone', { token: b, body: { timezone: 'UTC' }, expect: 200 });
  await call('GET', '/api/v1/sessions', { token: a, expect: 200 });
  const signup = await call('POST', '/api/v1/signup-codes', { token: a, expect: 201 });
  await call('POST', '/api/v1/signup-codes', { token: b, expect: 404 });

  // input errors
  await call('POST', '/api/v1/appreciations', { token: a, body: { text: 'x', colour: 'red' }, expect: 400 });
  await call('POST', '/api/v1/appreciations', { token: a, raw: 'text=x', type: 'text/plain', expect: 415 });
  await call('POST', '/api/v1/appreciations', { token: a, raw: '{"text":', expect: 400 });
  await call('POST', '/api/v1/appreciations', { token: a, body: { text: 'x'.repeat(4001) }, expect: 400 });

  // rituals
  const dims = { reliability: 6, emotional_safety: 5, honesty: 7, consistency: 6, respect: 8, transparency: 5 };
  await call('POST', '/api/v1/checkins', { token: a, body: { connection: 6, dimensions: dims, need: 'More walks.' }, expect: 201 });
  await call('POST', '/api/v1/checkins', { token: b, body: { connection: 7, dimensions: dims, signs: { safer_talking: 3, listened_to: null, warm_moments: 4 } }, expect: 201 });
  await call('GET', '/api/v1/checkins', { token: a, expect: 200 });
  await call('PUT', `/api/v1/checkins/${isoWeek(new Date())}`, { token: a, body: { connection: 5, dimensions: dims }, expect: 409 });
  await call('POST', '/api/v1/appreciations', { token: a, body: { text: 'Thank you for the tea.' }, expect: 201 });
  await call('POST', '/api/v1/appreciations', { token: a, body: { text: 'Again.' }, expect: 409 });
  await call('GET', '/api/v1/appreciations', { token: b, expect: 200 });
  const dc = await call('POST', '/api/v1/daily-checkins', { token: a, body: { close: 6, safe: 7, word: 'Calm.' }, expect: 201 });
  await call('PUT', `/api/v1/daily-checkins/${dc.daily_checkin.day}`, { token: a, body: { close: 5, safe: 7, word: 'Calmer.' }, expect: 200 });
  await call('PUT', `/api/v1/daily-checkins/${todayUTC(-3)}`, { token: a, body: { close: 5, safe: 7 }, expect: 409 });
  await call('PUT', '/api/v1/daily-checkins/not-a-day', { token: a, body: { close: 5, safe: 7 }, expect: 404 });
  await call('POST', '/api/v1/daily-checkins', { token: a, body: { close: 6, safe: 7 }, expect: 409 });
  await call('POST', '/api/v1/daily-checkins', { token: a, body: { close: 11, safe: 7 }, expect: 400 });
  await call('GET', '/api/v1/daily-checkins', { token: b, expect: 200 });
  await call('POST', '/api/v1/daily-checkins', { token: b, body: { close: 4, safe: 8 }, expect: 201 });
  await call('GET', '/api/v1/daily-checkins', { token: a, expect: 200 });
  const v = await call('POST', '/api/v1/vulnerabilities', { token: a, body: { text: 'I am scared of Fridays.', kind: 'fear' }, expect: 201 });
  await call('POST', `/api/v1/vulnerabilities/${v.vulnerability.id}/heard`, { token: a, expect: 403 });
  await call('POST', `/api/v1/vulnerabilities/${v.vulnerability.id}/heard`, { token: b, expect: 200 });
  await call('GET', '/api/v1/vulnerabilities', { token: b, expect: 200 });
  await call('POST', '/api/v1/connections', { token: a, body: { day: todayUTC(), minutes: 40, kind: 'walk', note: 'By the river.' }, expect: 201 });
  await call('GET', '/api/v1/connections', { token: a, expect: 200 });
  await call('GET', '/api/v1/rituals', { token: a, expect: 200 });
  await call('PUT', '/api/v1/rituals', { token: a, body: { checkin_weekday: 'monday', reminder_minutes: 15 }, expect: 200 });
  await call('POST', '/api/v1/calendar-feed', { token: a, expect: 201 });
  await call('DELETE', '/api/v1/calendar-feed', { token: a, expect: 204 });
  // reminders by Web Push: a device as a browser describes it
  const pushKey = require('node:crypto').createECDH('prime256v1');
  pushKey.generateKeys();
  const device = { endpoint: 'https://push.example.org/send/sam-phone', expirationTime: null,
    keys: { p256dh: pushKey.getPublicKey().toString('base64url'), auth: Buffer.alloc(16, 7).toString('base64url') } };
  await call('GET', '/api/v1/push/subscriptions', { token: a, expect: 200 });
  const dev = await call('POST', '/api/v1/push/subscriptions', { token: a, body: device, expect: 201 });
  await call('POST', '/api/v1/push/subscriptions', { token: a, body: device, expect: 200 });
  await call('POST', '/api/v1/push/subscriptions', { token: a, body: { ...device, endpoint: 'ftp://x' }, expect: 400 });
  await call('GET', '/api/v1/push/subscriptions', { token: a, expect: 200 });
  await call('DELETE', `/api/v1/push/subscriptions/${dev.subscription.id}`, { token: b, expect: 404 });
  await call('DELETE', `/api/v1/push/subscriptions/${dev.subscription.id}`, { token: a, expect: 204 });
  await call('GET', '/api/v1/push/preferences', { token: a, expect: 200 });
  await call('PUT', '/api/v1/push/preferences', { token: a, body: { per_day: 2, kinds: { share: false } }, expect: 200 });
  await call('PUT', '/api/v1/push/preferences', { token: a, body: { per_day: 9 }, expect: 400 });

  // records
  const at = new Date(Date.now() - 3600000).toISOString().slice(0, 19) + 'Z';
  const tplan = await call('POST', '/api/v1/trigger-plans', { token: a, body: { kind: 'place', needs: 'A hand to hold.', response: 'Stay close.' }, expect: 201 });
  await call('POST', `/api/v1/trigger-plans/${tplan.plan.id}/versions/1/accept`, { token: a, expect: 403 });
  await call('POST', `/api/v1/trigger-plans/${tplan.plan.id}/versions/1/accept`, { token: b, expect: 200 });
  await call('POST', `/api/v1/trigger-plans/${tplan.plan.id}/versions/1/decline`, { token: b, expect: 409 });
  await call('GET', '/api/v1/trigger-plans', { token: b, expect: 200 });
  await call('POST', '/api/v1/triggers', { token: a, body: { at, kind: 'place', intensity: 6, what: 'The cafe.' }, expect: 201 });
  await call('POST', '/api/v1/triggers', { token: a, body: { at, kind: 'song', intensity: 6, what: 'x' }, expect: 400 });
  await call('GET', '/api/v1/triggers', { token: a, expect: 200 });
  await call('POST', '/api/v1/hard-dates', { token: a, body: { date: todayUTC(10), label: 'The day', yearly: true }, expect: 201 });
  await call('GET', '/api/v1/hard-dates', { token: a, expect: 200 });
  const p = await call('POST', '/api/v1/promises', { token: b, body: { text: 'Phone stays open.', due: todayUTC() }, expect: 201 });
  await call('POST', `/api/v1/promises/${p.promise.id}/outcome`, { token: a, body: { kept: true }, expect: 200 });
  await call('GET', '/api/v1/promises', { token: a, expect: 200 });
  await call('POST', '/api/v1/wins', { token: a, body: { day: todayUTC(), text: 'A calm evening.' }, expect: 201 });
  await call('GET', '/api/v1/wins', { token: a, expect: 200 });
  await call('POST', '/api/v1/setbacks', { token: a, body: { day: todayUTC(), text: 'A hard morning.', helped: 'Talking.' }, expect: 201 });
  await call('GET', '/api/v1/setbacks', { token: a, expect: 200 });
  await call('POST', '/api/v1/timeline', { token: a, body: { date: '2019-06-01', title: 'Our wedding', trust: 'high' }, expect: 201 });
  await call('GET', '/api/v1/timeline', { token: a, expect: 200 });
  await call('PUT', '/api/v1/disclosure', { token: a, body: { full_disclosure_on: todayUTC(-30) }, expect: 200 });
  await call('POST', '/api/v1/disclosures', { token: b, body: { on: todayUTC(-40), summary: 'What happened.' }, expect: 201 });
  await call('GET', '/api/v1/disclosures', { token: a, expect: 200 });
  await call('PUT', '/api/v1/no-contact', { token: b, body: { since: todayUTC(-20), verified: 'Blocked together.' }, expect: 200 });
  await call('GET', '/api/v1/no-contact', { token: a, expect: 200 });
  const j = await call('POST', '/api/v1/journal', { token: a, body: { text: 'Only mine.', prompt: 'hope' }, expect: 201 });
  await call('GET', '/api/v1/journal', { token: a, expect: 200 });
  await call('GET', `/api/v1/journal/${j.entry.id}`, { token: a, expect: 200 });
  await call('GET', `/api/v1/journal/${j.entry.id}`, { token: b, expect: 404 });
  await call('POST', `/api/v1/journal/${j.entry.id}/share`, { token: a, expect: 201 });
  await call('GET', '/api/v1/journal/shared', { token: b, expect: 200 });

  // roadmap, safety, readiness, agreements
  await call('GET', '/api/v1/roadmap', { token: a, expect: 200 });
  await call('PUT', '/api/v1/roadmap/steps/1', { token: a, body: { status: 'in_progress', note: 'Slowly.' }, expect: 200 });
  await call('GET', '/api/v1/safety', { token: a, expect: 200 });
  await call('PUT', '/api/v1/safety', { token: a, body: { answers: { physical: false, emotional: false, verbal: false, afraid: false } }, expect: 200 });
  await call('GET', '/api/v1/safety', { token: a, expect: 200 });
  await call('PUT', '/api/v1/readiness', { token: a, body: { survive: { love: 'yes' }, shared: true }, expect: 200 });
  await call('GET', '/api/v1/readiness', { token: b, expect: 200 });
  const ag = await call('POST', '/api/v1/agreements', { token: a, body: { topic: 'boundaries', text: 'We say where we are.' }, expect: 201 });
  await call('POST', `/api/v1/agreements/${ag.agreement.id}/versions/1/accept`, { token: a, expect: 403 });
  await call('POST', `/api/v1/agreements/${ag.agreement.id}/versions/1/accept`, { token: b, expect: 200 });
  await call('GET', '/api/v1/agreements', { token: b, expect: 200 });

  // transparency, vision, recovery criteria
  const offer = await call('POST', '/api/v1/transparency', { token: b, body: { password: pw + 'x', shares: ['plans'], ends_on: todayUTC(20) }, expect: 201 });
  await call('POST', `/api/v1/transparency/${offer.plan.id}/decline`, { token: a, body: { word: 'Not like this.' }, expect: 200 });
  const tp = await call('POST', '/api/v1/transparency', { token: b, body: { password: pw + 'x', shares: ['whereabouts'], ends_on: todayUTC(30) }, expect: 201 });
  await call('POST', `/api/v1/transparency/${tp.plan.id}/agree`, { token: b, expect: 403 });
  await call('POST', `/api/v1/transparency/${tp.plan.id}/agree`, { token: a, expect: 200 });
  await call('POST', `/api/v1/transparency/${tp.plan.id}/decline`, { token: a, expect: 409 });
  await call('POST', '/api/v1/whereabouts', { token: b, body: { where: 'Work', from: new Date(Date.now() + 3600000).toISOString().slice(0, 19) + 'Z', until: new Date(Date.now() + 7200000).toISOString().slice(0, 19) + 'Z' }, expect: 201 });
  await call('GET', '/api/v1/whereabouts', { token: a, expect: 200 });
  await call('GET', `/api/v1/transparency/${tp.plan.id}/views`, { token: b, expect: 200 });
  await call('GET', '/api/v1/transparency', { token: a, expect: 200 });
  await call('PUT', '/api/v1/vision', { token: a, body: { text: 'Laughing again.' }, expect: 200 });
  await call('GET', '/api/v1/vision', { token: b, expect: 200 });
  await call('POST', '/api/v1/recovery-criteria', { token: a, body: { kind: 'connection', target: 7 }, expect: 201 });
  await call('POST', '/api/v1/recovery-criteria', { token: a, body: { kind: 'statement', text: 'We feel at home.' }, expect: 201 });
  await call('GET', '/api/v1/recovery-criteria', { token: b, expect: 200 });

  // insights and the coach
  await call('PUT', '/api/v1/insights/discovery', { token: a, body: { discovery_on: todayUTC(-60) }, expect: 200 });
  await call('PUT', '/api/v1/insights/factors', { token: a, body: { severity: 'long', commitment: 'committed' }, expect: 200 });
  await call('PUT', '/api/v1/insights/factors', { token: a, body: { before: 'sometimes' }, expect: 400 });
  await call('GET', '/api/v1/insights/factors', { token: b, expect: 200 });
  await call('GET', '/api/v1/insights', { token: a, expect: 200 });
  await call('POST', '/api/v1/coach', { token: b, body: { text: 'You always make me do this.' }, expect: 200 });
  await call('GET', '/api/v1/coach/settings', { token: b, expect: 200 });

  // more of each part: changes, second answers, refusals
  await call('POST', '/api/v1/couple/invite', { token: a, expect: 409 });
  await call('PUT', '/api/v1/checkins/2020-W01', { token: a, body: { connection: 5, dimensions: dims }, expect: 404 });
  const plans = await call('GET', '/api/v1/trigger-plans', { token: a, expect: 200 });
  await call('PUT', `/api/v1/trigger-plans/${plans.plans[0].id}`, { token: b, body: { needs: 'Quiet.', response: 'Sit with me.' }, expect: 200 });
  await call('PUT', '/api/v1/trigger-plans/999999', { token: b, body: { needs: 'Quiet.', response: 'x' }, expect: 404 });
  await call('POST', `/api/v1/trigger-plans/${plans.plans[0].id}/versions/2/decline`, { token: a, body: { word: 'Not quite yet.' }, expect: 200 });
  await call('POST', '/api/v1/trigger-plans/999999/versions/1/decline', { token: a, expect: 404 });
  await call('PUT', '/api/v1/hard-dates/notice', { token: a, body: { days: 14 }, expect: 200 });
  await call('GET', '/api/v1/hard-dates?upcoming_days=30', { token: a, expect: 200 });
  await call('POST', '/api/v1/no-contact/breaches', { token: a, body: { on: todayUTC(-1), what: 'A message.' }, expect: 201 });
  await call('POST', `/api/v1/journal/${j.entry.id}/share`, { token: a, expect: 409 });
  await call('POST', `/api/v1/agreements/${ag.agreement.id}/versions`, { token: b, body: { text: 'We say where we are, and when.' }, expect: 201 });
  await call('POST', `/api/v1/agreements/${ag.agreement.id}/versions/2/decline`, { token: b, expect: 403 });
  await call('POST', `/api/v1/agreements/${ag.agreement.id}/versions/2/decline`, { token: a, body: { word: 'Can we talk first?' }, expect: 200 });
  await call('POST', `/api/v1/agreements/${ag.agreement.id}/versions/2/decline`, { token: a, body: { colour: 'red' }, expect: 400 });
  await call('PUT', '/api/v1/vision', { token: b, body: { text: 'A quiet home.' }, expect: 200 });
  const item = await call('POST', '/api/v1/vision/items', { token: a, body: { text: 'A home', mark: 'aligned' }, expect: 201 });
  await call('PUT', `/api/v1/vision/items/${item.item.id}`, { token: b, body: { goal: true }, expect: 200 });
  await call('GET', '/api/v1/vision', { token: a, expect: 200 });
  const crits = await call('GET', '/api/v1/recovery-criteria', { token: a, expect: 200 });
  const statement = crits.criteria.find((c) => c.kind === 'statement');
  const measured = crits.criteria.find((c) => c.kind !== 'statement');
  await call('PUT', `/api/v1/recovery-criteria/${statement.id}/tick`, { token: b, body: { ticked: true }, expect: 200 });
  await call('PUT', `/api/v1/recovery-criteria/${measured.id}/tick`, { token: b, body: { ticked: true }, expect: 409 });
  await call('POST', `/api/v1/transparency/${tp.plan.id}/stop`, { token: a, expect: 200 });
  await call('POST', '/api/v1/whereabouts', { token: b, body: { where: 'Home', from: new Date(Date.now() + 3600000).toISOString(), until: new Date(Date.now() + 7200000).toISOString() }, expect: 409 });
  await call('PUT', '/api/v1/coach/settings', { token: b, body: { enabled: false }, expect: 200 });
  await call('POST', '/api/v1/coach', { token: b, body: { text: 'You always do this.' }, expect: 200 });
  // the counsellor: an account with an operator's code, an invitation, both yeses, the shares, the report
  const tcode = await call('POST', '/api/v1/signup-codes', { token: a, expect: 201 });
  const tpw = 'harbour-finch-ember-31-gently';
  await call('POST', '/api/v1/therapist/accounts', { body: { username: 'robin', password: tpw, display_name: 'Robin', invite_code: 'AAAA-BBBB-CCCC-DDDD' }, expect: 404 });
  await call('POST', '/api/v1/therapist/accounts', { body: { username: 'robin', password: tpw, display_name: 'Robin', invite_code: tcode.invite_code }, expect: 201 });
  const ct = (await call('POST', '/api/v1/sessions', { body: { username: 'robin', password: tpw }, expect: 201 })).token;
  await call('GET', '/api/v1/therapist/couples', { token: ct, expect: 200 });
  await call('GET', '/api/v1/therapist/couples', { token: a, expect: 404 });
  await call('GET', '/api/v1/counsellor', { token: a, expect: 200 });
  await call('POST', '/api/v1/counsellor/agree', { token: a, expect: 404 });
  const inv = await call('POST', '/api/v1/counsellor/invite', { token: a, expect: 201 });
  await call('POST', '/api/v1/counsellor/agree', { token: b, expect: 409 });
  await call('POST', '/api/v1/therapist/join', { token: ct, body: { invite_code: 'AAAA-BBBB-CCCC-DDDD' }, expect: 404 });
  await call('POST', '/api/v1/therapist/join', { token: ct, body: { invite_code: inv.invite_code }, expect: 200 });
  await call('POST', '/api/v1/counsellor/invite', { token: b, expect: 409 });
  await call('POST', '/api/v1/counsellor/agree', { token: a, expect: 200 });
  await call('POST', '/api/v1/counsellor/agree', { token: b, expect: 200 });
  const cid = (await call('GET', '/api/v1/therapist/couples', { token: ct, expect: 200 })).couples[0].id;
  await call('PUT', '/api/v1/counsellor/sharing', { token: a, body: { kinds: ['checkin_scores', 'daily_checkins', 'triggers', 'promises', 'wins_setbacks', 'agreements', 'roadmap_steps', 'transparency', 'disclosures'] }, expect: 200 });
  await call('PUT', '/api/v1/counsellor/sharing', { token: b, body: { kinds: ['journal'] }, expect: 400 });
  await call('POST', '/api/v1/counsellor/safety', { token: a, expect: 200 });
  await call('POST', '/api/v1/counsellor/safety', { token: b, expect: 409 });
  await call('GET', `/api/v1/therapist/couples/${cid}`, { token: ct, expect: 200 });
  await call('GET', '/api/v1/therapist/couples/999999', { token: ct, expect: 404 });
  await call('POST', '/api/v1/counsellor/sessions', { token: b, body: { day: todayUTC(-7) }, expect: 201 });
  await call('POST', `/api/v1/therapist/couples/${cid}/sessions`, { token: ct, body: { day: 'soon' }, expect: 400 });
  await call('POST', `/api/v1/therapist/couples/${cid}/sessions`, { token: ct, body: { day: todayUTC(-1) }, expect: 201 });
  await call('GET', `/api/v1/therapist/couples/${cid}/report`, { token: ct, expect: 200 });
  await call('POST', `/api/v1/therapist/couples/${cid}/suggestions`, { token: ct, body: { kind: 'step' }, expect: 400 });
  await call('POST', `/api/v1/therapist/couples/${cid}/suggestions`, { token: ct, body: { kind: 'step', step: 6, note: 'The letter.' }, expect: 201 });
  const sugs = await call('GET', '/api/v1/counsellor/suggestions', { token: b, expect: 200 });
  await call('POST', `/api/v1/counsellor/suggestions/${sugs.suggestions[0].id}/dismiss`, { token: b, expect: 200 });
  await call('POST', '/api/v1/counsellor/suggestions/999999/dismiss', { token: b, expect: 404 });
  const entry = await call('POST', '/api/v1/journal', { token: a, body: { text: 'For our counsellor.' }, expect: 201 });
  await call('POST', '/api/v1/counsellor/items', { token: a, body: { kind: 'journal', id: entry.entry.id }, expect: 201 });
  await call('POST', '/api/v1/counsellor/items', { token: b, body: { kind: 'journal', id: entry.entry.id }, expect: 404 });
  await call('POST', '/api/v1/counsellor/items', { token: a, body: { kind: 'readiness', id: 1 }, expect: 400 });
  await call('DELETE', `/api/v1/counsellor/items/journal/${entry.entry.id}`, { token: a, expect: 200 });
  await call('DELETE', `/api/v1/counsellor/items/journal/${entry.entry.id}`, { token: a, expect: 404 });
  await call('DELETE', '/api/v1/counsellor/safety', { token: a, expect: 200 });
  await call('POST', '/api/v1/counsellor/withdraw', { token: b, expect: 200 });
  await call('POST', '/api/v1/counsellor/withdraw', { token: b, expect: 404 });
  await call('GET', `/api/v1/therapist/couples/${cid}`, { token: ct, expect: 404 });
  await call('GET', `/api/v1/therapist/couples/${cid}/report`, { token: ct, expect: 404 });
  await call('DELETE', '/api/v1/safety', { token: a, expect: 204 });
  await call('GET', '/api/v1/readiness', { token: a, expect: 200 });
  const s3 = await call('POST', '/api/v1/sessions', { body: { username: 'sam', password: pw }, expect: 201 });
  const mine = await call('GET', '/api/v1/sessions', { token: s3.token, expect: 200 });
  const other = mine.sessions.find((x) => !x.current);
  await call('DELETE', `/api/v1/sessions/${other.id}`, { token: s3.token, expect: 204 });
  await call('DELETE', '/api/v1/sessions/999999', { token: s3.token, expect: 404 });
  await call('POST', '/api/v1/sessions/end-others', { token: s3.token, expect: 200 });

  // a third person: password, recovery code, joining and leaving
  const pw3 = 'marble-heron-copper-57-slowly';
  await call('POST', '/api/v1/accounts', { body: { username: 'kim', password: pw3, display_name: 'Kim', invite_code: signup.invite_code }, expect: 201 });
  const c = (await call('POST', '/api/v1/sessions', { body: { username: 'kim', password: pw3 }, expect: 201 })).token;
  await call('POST', '/api/v1/couple/join', { token: c, body: { invite_code: 'AAAA-BBBB-CCCC-DDDD', role: 'both' }, expect: 404 });
  await call('PUT', '/api/v1/me/password', { token: c, body: { current_password: 'not it at all', new_password: pw3 + '-2' }, expect: 403 });
  await call('PUT', '/api/v1/me/password', { token: c, body: { current_password: pw3, new_password: pw3 + '-2' }, expect: 200 });
  await call('POST', '/api/v1/me/recovery-code', { token: c, body: { password: pw3 + '-2' }, expect: 201 });
  await call('POST', '/api/v1/me/recover', { token: c, body: { recovery_code: 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF', password: pw3 + '-2' }, expect: 403 });
  await call('POST', '/api/v1/couple', { token: c, body: { role: 'both', timezone: 'Europe/London' }, expect: 201 });
  await call('POST', '/api/v1/couple/leave', { token: c, body: { password: pw3 + '-2' }, expect: 200 });
  // parting ways, what was kept, and closing the account
  await call('POST', '/api/v1/couple', { token: c, body: { role: 'both', timezone: 'Europe/London' }, expect: 201 });
  await call('POST', '/api/v1/couple/part', { token: c, body: { password: 'not the password at all' }, expect: 403 });
  await call('POST', '/api/v1/couple/part', { token: c, body: { password: pw3 + '-2' }, expect: 200 });
  await call('GET', '/api/v1/keepsakes', { token: c, expect: 200 });
  await call('DELETE', '/api/v1/me', { token: c, body: { password: pw3 + '-2', leave_copy_for_partner: false }, expect: 204 });
  await call('GET', '/api/v1/me', { token: c, expect: 401 });

  // the contract itself: the YAML as JSON, with a working ETag
  const served = await call('GET', '/api/v1/openapi.json', { expect: 200 });
  assert.deepEqual(served, await SwaggerParser.parse(SPEC));
  const first = await fetch(`${troth.base}/api/v1/openapi.json`);
  assert.match(first.headers.get('content-type'), /^application\/json/);
  const etag = first.headers.get('etag');
  assert.ok(etag, 'no ETag');
  const again = await fetch(`${troth.base}/api/v1/openapi.json`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);

  // your data: the export (the readable copy is HTML, checked by its type)
  await call('POST', '/api/v1/export', { token: s3.token, body: { password: pw }, expect: 200 });
  await call('POST', '/api/v1/export', { token: s3.token, body: { password: 'not the password' }, expect: 403 });
  await call('POST', '/api/v1/export.html', { token: s3.token, body: { password: 'not the password' }, expect: 403 });
  const copy = await fetch(`${troth.base}/api/v1/export.html`, {
    method: 'POST', headers: { Authorization: `Bearer ${s3.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: pw }) });
  assert.equal(copy.status, 200);
  assert.match(copy.headers.get('content-type'), /^text\/html/);
  assert.match(copy.headers.get('content-disposition'), /^attachment/);
  assert.match(await copy.text(), /^<!doctype html>/);

  // ending a session
  await call('DELETE', '/api/v1/sessions/current', { token: b, expect: 204 });
  await call('GET', '/api/v1/me', { token: b, expect: 401 });
  await call('GET', '/api/v1/me', { token: s3.token, expect: 200 });

  assert.deepEqual(failures, []);
  t.diagnostic(`${seen.size} operations checked in ${log.length} calls`);
  // every operation of the contract was called at least once
  const all = [];
  for (const [tmpl, item] of Object.entries(api.paths))
    for (const m of ['get', 'put', 'post', 'delete'])
      if (item[m]) all.push(`${m.toUpperCase()} ${tmpl}`);
  assert.deepEqual(all.filter((k) => !seen.has(k)), [], 'operations never called');
});
