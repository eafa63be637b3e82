// quality.md S12 and issue 9 finding 6: sign-in throttling per account at an address (> 6 failures a minute → 429),
// with higher limits per address and per account; counted atomically in PostgreSQL; refused attempts are answered
// before any password check and count for nothing; X-Forwarded-For is read from the right, by a configured hop count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { readConfig } from '../src/config.ts';
import { passwordVerifications } from '../src/modules/auth/passwords.ts';
import { Browser, fixedClock, PASSWORD, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'thr');
const clock = fixedClock();
const direct = await testApp(db, { now: clock.now });
// Behind one reverse proxy (TRUST_PROXY=true): the proxy at 10.0.0.1 appends the address it saw.
const proxied = await testApp(db, {
  now: clock.now,
  config: { trustProxyHops: readConfig(env('true')).trustProxyHops },
});

function env(trustProxy: string, hops?: string) {
  return {
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    DEMO_MODE: 'true',
    TRUST_PROXY: trustProxy,
    ...(hops === undefined ? {} : { TRUST_PROXY_HOPS: hops }),
  };
}

/** Passwords checked against an argon2 hash so far (this file's apps run in one process). */
const checks = (_app: FastifyInstance) => passwordVerifications();

let csrf: { cookie: string; token: string } | null = null;
/** One sign-in attempt; the login form's CSRF cookie and token are fetched once and reused (they are not per try). */
async function attempt(
  app: FastifyInstance,
  email: string,
  password: string,
  remoteAddress: string,
  forwardedFor?: string,
) {
  if (!csrf) {
    const b = new Browser(app);
    await b.get('/login');
    csrf = { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), token: b.csrf };
  }
  return app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress,
    headers: {
      cookie: csrf.cookie,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    payload: new URLSearchParams({ _csrf: csrf.token, email, password }).toString(),
  });
}

const statusesOf = async (n: number, f: (i: number) => Promise<{ statusCode: number }>) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await f(i)).statusCode);
  return out;
};
const SIX_THEN_429 = [401, 401, 401, 401, 401, 401, 429, 429];

test('TRUST_PROXY=true means one proxy hop; TRUST_PROXY_HOPS sets the count; contradictions are refused', () => {
  assert.equal(readConfig(env('false')).trustProxyHops, 0);
  assert.equal(readConfig(env('true')).trustProxyHops, 1);
  assert.equal(readConfig({ ...env(''), TRUST_PROXY_HOPS: '2' }).trustProxyHops, 2);
  assert.throws(() => readConfig(env('false', '2')), /TRUST_PROXY=false contradicts TRUST_PROXY_HOPS=2/);
  assert.throws(() => readConfig(env('true', '11')), /TRUST_PROXY_HOPS must be between 0 and 10/);
  assert.equal(readConfig(env('false')).loginFailuresPerMinute, 6);
});

test('> 6 failures a minute for one account at one address → 429 before any password check; refused attempts do not extend the lock; the right password works once the minute is up', async () => {
  const target = userByRole(org, 'forum_chair');
  const ip = '203.0.113.10';
  clock.set('2026-11-23T10:00:00Z');
  assert.deepEqual(await statusesOf(8, () => attempt(direct, target.email, 'a wrong password', ip)), SIX_THEN_429);
  const before = checks(direct);
  clock.set('2026-11-23T10:00:30Z');
  assert.equal((await attempt(direct, target.email, PASSWORD, ip)).statusCode, 429, 'right password while locked');
  clock.set('2026-11-23T10:00:59Z');
  assert.deepEqual(
    await statusesOf(6, () => attempt(direct, target.email, 'a wrong password', ip)),
    Array(6).fill(429),
  );
  assert.equal(checks(direct), before, 'no password is checked while locked');
  // 61 s after the first failure: the 7 refused attempts at 30 s and 59 s neither counted nor moved the window.
  clock.set('2026-11-23T10:01:01Z');
  assert.equal((await attempt(direct, target.email, PASSWORD, ip)).statusCode, 303);
});

test('one account locked at an address does not lock out the same account elsewhere, or other people at that address', async () => {
  const target = userByRole(org, 'advice_giver');
  const neighbour = userByRole(org, 'team_manager');
  const ip = '203.0.113.20';
  clock.set('2026-11-23T11:00:00Z');
  assert.deepEqual(await statusesOf(8, () => attempt(direct, target.email, 'a wrong password', ip)), SIX_THEN_429);
  assert.equal(
    (await attempt(direct, neighbour.email, PASSWORD, ip)).statusCode,
    303,
    'colleague behind the same address',
  );
  assert.equal(
    (await attempt(direct, neighbour.email, 'a wrong password', ip)).statusCode,
    401,
    'colleague not locked',
  );
  assert.equal(
    (await attempt(direct, target.email, PASSWORD, '203.0.113.21')).statusCode,
    303,
    'owner at their own desk',
  );
});

test('a forged X-Forwarded-For changes nothing without a trusted proxy, and behind one only the right-most hop counts', async () => {
  clock.set('2026-11-23T12:00:00Z');
  const a = userByRole(org, 'send_manager');
  // Trust off: the header is ignored; every guess counts against the socket address.
  assert.deepEqual(
    await statusesOf(8, (i) => attempt(direct, a.email, 'a wrong password', '192.0.2.77', `10.9.9.${i}`)),
    SIX_THEN_429,
  );
  // Trust on (one hop): the attacker varies the left-most value; the proxy appends the real address on the right.
  const b = userByRole(org, 'ehcp_coordinator');
  assert.deepEqual(
    await statusesOf(8, (i) => attempt(proxied, b.email, 'a wrong password', '10.0.0.1', `10.9.9.${i}, 198.18.0.5`)),
    SIX_THEN_429,
  );
  // Guessing many accounts from one client behind the proxy, with a new forged left-most value each time: the
  // per-address limit still counts them all against the address the proxy saw.
  const sprayed = await statusesOf(62, (i) =>
    attempt(proxied, `forged${i}@thr.test.example`, 'a wrong password', '10.0.0.1', `10.8.${i}.1, 198.18.0.7`),
  );
  assert.deepEqual(sprayed.slice(58), [401, 401, 429, 429]);
  // A forged right-most value is impossible: the proxy writes it. Another client behind the same proxy is not locked.
  assert.equal((await attempt(proxied, b.email, PASSWORD, '10.0.0.1', '198.18.0.6')).statusCode, 303);
  // Without a header the proxy's own address is the client.
  assert.equal((await attempt(proxied, b.email, PASSWORD, '10.0.0.1')).statusCode, 303);
});

test('100 parallel wrong guesses for one account: at most 6 are checked against the password hash; same for an unknown account', async () => {
  clock.set('2026-11-23T13:00:00Z');
  for (const [label, email] of [
    ['known', userByRole(org, 'service_manager').email],
    ['unknown', 'nobody.at.all@thr.test.example'],
  ] as const) {
    const before = checks(direct);
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () => attempt(direct, email, 'a wrong password', '203.0.113.30')),
    ).then((rs) => rs.map((r) => r.statusCode));
    assert.equal(checks(direct) - before, 6, `${label}: password checks`);
    assert.equal(statuses.filter((s) => s === 401).length, 6, `${label}: 401s`);
    assert.equal(statuses.filter((s) => s === 429).length, 94, `${label}: 429s`);
  }
  // Known and unknown accounts get the same refusal.
  const strip = (s: string) => s.replace(/value="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '');
  const known = await attempt(direct, userByRole(org, 'service_manager').email, 'x wrong again', '203.0.113.30');
  const unknown = await attempt(direct, 'nobody.at.all@thr.test.example', 'x wrong again', '203.0.113.30');
  assert.equal(known.statusCode, 429);
  assert.equal(strip(known.body), strip(unknown.body));
});

test('many accounts from one address: more than 60 failures a minute → 429 for that address until the minute is up', async () => {
  clock.set('2026-11-23T14:00:00Z');
  const ip = '203.0.113.40';
  const statuses = await statusesOf(62, (i) => attempt(direct, `sprayed${i}@thr.test.example`, 'a wrong password', ip));
  assert.deepEqual(statuses.slice(0, 60), Array(60).fill(401));
  assert.deepEqual(statuses.slice(60), [429, 429]);
  assert.equal(
    (await attempt(direct, 'sprayed0@thr.test.example', 'a wrong password', '203.0.113.41')).statusCode,
    401,
  );
  clock.set('2026-11-23T14:01:01Z');
  assert.equal((await attempt(direct, userByRole(org, 'social_worker').email, PASSWORD, ip)).statusCode, 303);
});
