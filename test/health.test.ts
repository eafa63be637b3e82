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
