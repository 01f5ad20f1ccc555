// contract.test.js: docs/openapi.yaml is a valid OpenAPI 3.1 document (by
// @apidevtools/swagger-parser) and describes exactly the /api/v1 routes of
// the route table in src/routes.c (same methods, `:id` written `{id}`),
// leaving out the test-only routes under TROTH_TEST_ROUTES.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const SwaggerParser = require('@apidevtools/swagger-parser');

const ROOT = path.resolve(__dirname, '..', '..');
const SPEC = path.join(ROOT, 'docs', 'openapi.yaml');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

// "METHOD /api/v1/path/{param}" for every API row of the route table, with
// the test-only block cut out.
function tableRoutes() {
  let src = fs.readFileSync(path.join(ROOT, 'src', 'routes.c'), 'utf8');
  src = src.replace(/#ifdef TROTH_TEST_ROUTES[\s\S]*?#endif/g, '');
  const rows = [...src.matchAll(/\{\s*"([A-Z]+)",\s*"([^"]+)",\s*\w+,/g)];
  assert.ok(rows.length > 50, 'the route table was not read');
  return rows
    .filter((m) => m[2].startsWith('/api/v1/'))
    .map((m) => `${m[1]} ${m[2].replace(/:([A-Za-z_]+)/g, '{$1}')}`);
}

test('the contract is a valid OpenAPI 3.1 document', async () => {
  const api = await SwaggerParser.validate(SPEC);
  assert.equal(api.openapi, '3.1.0');
});

test('the contract and the route table name the same API routes', async () => {
  const api = await SwaggerParser.parse(SPEC);
  const inContract = [];
  for (const [p, item] of Object.entries(api.paths))
    for (const m of METHODS)
      if (item[m]) inContract.push(`${m.toUpperCase()} ${p}`);
  const inTable = tableRoutes();
  assert.ok(!inTable.some((r) => r.includes('/_test/')), 'test-only routes leaked into the table read');
  const missing = inTable.filter((r) => !inContract.includes(r));
  const extra = inContract.filter((r) => !inTable.includes(r));
  assert.deepEqual(missing, [], 'routes of the table missing from the contract');
  assert.deepEqual(extra, [], 'routes of the contract not in the table');
  assert.equal(new Set(inTable).size, inTable.length, 'a route is twice in the table');
});

test('every operation has an id, a summary and a documented error body', async () => {
  const api = await SwaggerParser.dereference(SPEC);
  const ids = new Set();
  for (const [p, item] of Object.entries(api.paths))
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      assert.ok(op.operationId && !ids.has(op.operationId), `${m} ${p}: operationId`);
      ids.add(op.operationId);
      assert.ok(op.summary, `${m} ${p}: summary`);
      for (const [status, resp] of Object.entries(op.responses))
        if (Number(status) >= 400)
          assert.ok(resp.content?.['application/json']?.schema?.properties?.error,
            `${m} ${p} ${status}: no error body`);
    }
});

// Every instant of the API is one format: an RFC 3339 string in UTC. A
// property named like an instant (*_at, from, until, last_seen) that the
// contract lets be anything but a date-time string (or null) is a second
// format creeping back in.
test('every instant in the contract is an RFC 3339 date-time', async () => {
  const api = await SwaggerParser.dereference(SPEC);
  const INSTANT = /(_at|^from|^until|^last_seen)$/;
  const bad = [];
  const isInstant = (s) =>
    s && ((s.type === 'string' && s.format === 'date-time') ||
          (Array.isArray(s.oneOf) && s.oneOf.every((x) => x.type === 'null' || isInstant(x))));
  const seen = new Set();
  let instants = 0;
  const walk = (s, where) => {
    if (!s || typeof s !== 'object' || seen.has(s)) return;
    seen.add(s);
    for (const [k, v] of Object.entries(s.properties || {})) {
      // "from" and "until" may also be a day (format date) or a text (a
      // plain string that says what it is, such as the counsellor's name)
      const day = v && v.type === 'string' && v.format === 'date';
      const text = /^(from|until)$/.test(k) && v && v.type === 'string' && !v.format && v.description;
      if (INSTANT.test(k) && !day && !text) {
        instants++;
        if (!isInstant(v)) bad.push(`${where}.${k}`);
      }
      walk(v, `${where}.${k}`);
    }
    for (const key of ['items', 'additionalProperties']) walk(s[key], `${where}[]`);
    for (const key of ['oneOf', 'anyOf', 'allOf']) (s[key] || []).forEach((x, i) => walk(x, `${where}/${key}${i}`));
  };
  for (const [p, item] of Object.entries(api.paths))
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      for (const [status, resp] of Object.entries(op.responses || {}))
        for (const media of Object.values(resp.content || {})) walk(media.schema, `${m} ${p} ${status}`);
      for (const media of Object.values((op.requestBody && op.requestBody.content) || {}))
        walk(media.schema, `${m} ${p} body`);
    }
  assert.ok(instants > 30, `only ${instants} instants found: the walk missed the schemas`);
  assert.deepEqual(bad, [], 'instants in another format');
});
