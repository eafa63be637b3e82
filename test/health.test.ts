import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testApp, testDatabase } from './helpers.ts';

test('GET /health answers 200 without signing in', async () => {
  const { db } = await testDatabase();
  const app = await testApp(db);
  const res = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: 'ok', database: 'ok' });
});

test('the OpenAPI document lists the API and the documentation page loads without signing in', async () => {
  const { db } = await testDatabase();
  const app = await testApp(db);
  const json = await app.inject({ method: 'GET', url: '/api/docs/json' });
  assert.equal(json.statusCode, 200);
  const doc = json.json() as {
    openapi: string;
    paths: Record<string, unknown>;
    components: { securitySchemes: Record<string, unknown> };
  };
  assert.match(doc.openapi, /^3\./);
  for (const path of [
    '/api/v1/people',
    '/api/v1/people/{personId}',
    '/api/v1/people/{personId}/involvements',
    '/api/v1/teams',
    '/api/v1/protocols',
  ]) {
    assert.ok(doc.paths[path], `${path} is documented`);
  }
  assert.ok(doc.components.securitySchemes.bearer);
  // The answers the framework gives before a handler runs are declared too: 414 everywhere, 413 and 415 on writes.
  const operations = Object.entries(
    doc.paths as Record<string, Record<string, { responses?: Record<string, unknown> }>>,
  ).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, codes: Object.keys(op.responses ?? {}) })),
  );
  assert.ok(operations.length > 50, `${operations.length} operations`);
  for (const o of operations) {
    assert.ok(o.codes.includes('414'), `${o.method} ${o.path} declares 414`);
    if (['post', 'put', 'patch', 'delete'].includes(o.method))
      for (const c of ['413', '415']) assert.ok(o.codes.includes(c), `${o.method} ${o.path} declares ${c}`);
  }
  const protocolPaths = doc.paths as Record<string, { get: { responses: Record<string, unknown> } }>;
  assert.ok(protocolPaths['/api/v1/protocols']?.get.responses['401']);
  assert.ok(protocolPaths['/api/v1/protocols/{protocolKey}']?.get.responses['404']);
  const page = await app.inject({ method: 'GET', url: '/api/docs/' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /swagger/i);
});

test('/api/docs has the same CSP bar as every page: base-uri and frame-ancestors none, no remote origin, no validator', async () => {
  const { db } = await testDatabase();
  const app = await testApp(db);
  const page = await app.inject({ method: 'GET', url: '/login' });
  const pageCsp = String(page.headers['content-security-policy']);
  for (const url of ['/api/docs/', '/api/docs/json', '/api/docs/static/swagger-initializer.js']) {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, url);
    const csp = String(res.headers['content-security-policy']);
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    for (const [name, value] of [
      ['object-src', "'none'"],
      ['base-uri', "'none'"],
      ['frame-ancestors', "'none'"],
    ] as const) {
      assert.deepEqual(directives.get(name), [value], `${url}: ${name} in ${csp}`);
      assert.match(pageCsp, new RegExp(`${name} ${value}`), 'the pages have the same directive');
    }
    // Every source is a keyword, a hash or data: — no host, no scheme (https:), no validator.swagger.io.
    for (const [name, values] of directives)
      for (const v of values) assert.ok(v.startsWith("'") || v === 'data:', `${url}: ${name} allows ${v}`);
    assert.doesNotMatch(csp, /validator|https?:/);
  }
  const init = await app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
  assert.match(init.body, /validatorUrl: null/);
  assert.doesNotMatch(init.body, /validator\.swagger\.io/);
});
