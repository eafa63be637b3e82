// Issue 15 item 4: while PostgreSQL cannot be reached (killed, restarting, a failover), every request answers 503
// with Retry-After and a message saying to try again: never a 500, never the driver's words.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, test } from 'node:test';
import { createApp } from '../src/app.ts';
import { createDb } from '../src/db/database.ts';
import { databaseUnavailable } from '../src/http/errors.ts';
import { cookieNames } from '../src/http/session.ts';
import { testConfig, testDatabase } from './helpers.ts';

// The app reaches its database through a proxy the test can cut, as a killed PostgreSQL or a failover would.
const { url } = await testDatabase();
const target = new URL(url);
const sockets = new Set<net.Socket>();
const proxy = net.createServer((client) => {
  const upstream = net.connect(Number(target.port), target.hostname);
  for (const s of [client, upstream]) {
    sockets.add(s);
    s.on('error', () => s.destroy());
    s.on('close', () => sockets.delete(s));
  }
  client.pipe(upstream).pipe(client);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const viaProxy = new URL(url);
viaProxy.port = String((proxy.address() as net.AddressInfo).port);
const db = createDb(viaProxy.toString(), 2);
const config = testConfig();
const app = await createApp({ db, config });
after(async () => {
  await app.close();
  await db.destroy();
});

test('the database goes away: connections cut, nothing listening', async () => {
  const ok = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(ok.statusCode, 200);
  await new Promise((resolve) => proxy.close(resolve));
  for (const s of sockets) s.destroy();
  const gone = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(gone.statusCode, 503);
});

test('an API request while the database is unreachable: 503, Retry-After, a message to try again', async () => {
  for (const req of [
    { method: 'GET' as const, url: '/api/v1/people' },
    { method: 'POST' as const, url: '/api/v1/people', payload: { given_name: 'A' } },
  ]) {
    const res = await app.inject({ ...req, headers: { authorization: 'Bearer hov_0123456789abcdef' } });
    assert.equal(res.statusCode, 503, res.body);
    assert.equal(res.headers['retry-after'], '5');
    assert.equal(res.json().message, 'The service cannot reach its database just now. Try again in a minute.');
    assert.doesNotMatch(res.body, /ECONNREFUSED|127\.0\.0\.1|postgres/i);
  }
});

test('a page while the database is unreachable: the 503 page, in words', async () => {
  const res = await app.inject({
    method: 'GET',
    url: '/my-work',
    headers: { accept: 'text/html', cookie: `${cookieNames(config).session}=abc` },
  });
  assert.equal(res.statusCode, 503, res.body.slice(0, 200));
  assert.match(res.body, /Sorry, the service is unavailable/);
  assert.match(res.body, /Try again in a minute/);
});

test('what counts as the database being unavailable, and what does not', () => {
  for (const e of [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
  ])
    assert.equal(databaseUnavailable(e), true, e.message);
  for (const e of [
    Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
    Object.assign(new Error('invalid byte sequence'), { code: '22021' }),
    new Error('Cannot read properties of undefined'),
    null,
  ])
    assert.equal(databaseUnavailable(e), false, String(e));
});
