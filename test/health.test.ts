import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testApp, testDatabase } from './helpers.ts';

test('GET /health answers 200 without signing in', async () => {
  const { db } = await testDatabase();
  const app = await testApp(db);
  const res = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: 'ok' });
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
  const page = await app.inject({ method: 'GET', url: '/api/docs/' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /swagger/i);
});
