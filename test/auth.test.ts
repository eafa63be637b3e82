// Sign-in, sessions, CSRF and headers (quality.md S4, S8–S11); throttling (S12) is in login-throttle.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, passwordProblem, verifyPassword } from '../src/modules/auth/passwords.ts';
import { Browser, fixedClock, PASSWORD, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'auth');
const worker = userByRole(org, 'social_worker');
const clock = fixedClock();
const app = await testApp(db, { now: clock.now });

test('signing in rotates the session id, lands on My work, and signing out ends the session on the server', async () => {
  const b = new Browser(app);
  await b.get('/login');
  const before = [...b.cookies.keys()];
  assert.ok(!before.some((k) => k.includes('session')), 'no session before sign-in');
  const res = await b.post('/login', { email: worker.email, password: PASSWORD });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/');
  const cookie = (
    res.cookies as { name: string; httpOnly?: boolean; secure?: boolean; sameSite?: string; path?: string }[]
  ).find((c) => c.name === '__Host-handover-session');
  assert.ok(cookie, 'a __Host- session cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.equal(cookie.path, '/');
  const home = await b.get('/');
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /<h1 class="govuk-heading-l">My work<\/h1>/);
  const sessionValue = b.cookies.get('__Host-handover-session')!;

  // A second sign-in gets a different id.
  const b2 = new Browser(app);
  await b2.login(worker.email);
  assert.notEqual(b2.cookies.get('__Host-handover-session'), sessionValue);

  const out = await b.post('/logout', {});
  assert.equal(out.statusCode, 303);
  // Replaying the old cookie after logout: the server no longer knows it.
  const replay = await app.inject({
    method: 'GET',
    url: '/',
    headers: { cookie: `__Host-handover-session=${sessionValue}`, accept: 'text/html' },
  });
  assert.equal(replay.statusCode, 302);
  assert.equal(replay.headers.location, '/login');
  const rows = await db
    .selectFrom('audit_log')
    .where('actor_id', '=', worker.id)
    .where('action', 'in', ['login', 'logout'])
    .select('action')
    .execute();
  assert.ok(rows.some((r) => r.action === 'logout'));
});

test('a wrong password and an unknown user get the same answer', async () => {
  const wrong = await new Browser(app).login(worker.email, 'not the password at all').catch((e: Error) => e.message);
  assert.match(String(wrong), /failed: 401/);
  const b1 = new Browser(app);
  await b1.get('/login');
  const r1 = await b1.post('/login', { email: worker.email, password: 'wrong password here' });
  const b2 = new Browser(app);
  await b2.get('/login');
  const r2 = await b2.post('/login', { email: 'nobody@nowhere.example', password: 'wrong password here' });
  assert.equal(r1.statusCode, 401);
  assert.equal(r2.statusCode, 401);
  const strip = (s: string) => s.replace(/value="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '');
  assert.equal(strip(r1.body), strip(r2.body).replace('nobody@nowhere.example', worker.email));
  assert.match(r1.body, /Enter a correct email address and password/);
  assert.match(r1.body, /href="#email"/);
});

// Sign-in throttling (S12): test/login-throttle.test.ts.

test('state-changing requests without the CSRF token are refused and change nothing', async () => {
  const b = new Browser(app);
  await b.login(worker.email);
  const before = await db
    .selectFrom('people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const form = {
    given_name: 'Csrf',
    family_name: 'Test',
    'date_of_birth-day': '1',
    'date_of_birth-month': '2',
    'date_of_birth-year': '2015',
    team_id: org.teams['dct-north'] as string,
    reason: 'test',
  };
  const missing = await b.post('/people', form, { csrf: null });
  assert.equal(missing.statusCode, 403);
  const wrong = await b.post('/people', form, { csrf: 'forged-token-value' });
  assert.equal(wrong.statusCode, 403);
  const after = await db
    .selectFrom('people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(after.n), Number(before.n));
  const ok = await b.post('/people', form);
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
});

test('sessions end after the idle timeout and after the absolute timeout', async () => {
  const b = new Browser(app);
  await b.login(worker.email);
  clock.advance(29 * 60_000);
  assert.equal((await b.get('/')).statusCode, 200, 'still signed in after 29 idle minutes');
  clock.advance(31 * 60_000);
  assert.equal((await b.get('/')).statusCode, 302, 'signed out after 31 idle minutes');

  const c = new Browser(app);
  await c.login(worker.email);
  for (let i = 0; i < 12 * 4; i++) {
    clock.advance(15 * 60_000);
    const res = await c.get('/');
    if (i < 12 * 4 - 1) assert.equal(res.statusCode, 200, `active use at ${(i + 1) * 15} minutes`);
    else assert.equal(res.statusCode, 302, 'signed out at the 12-hour absolute limit');
  }
});

test('security headers on pages, JSON, 404s, errors and static files', async () => {
  const b = new Browser(app);
  await b.login(worker.email);
  const responses = [
    await b.get('/'),
    await app.inject({ method: 'GET', url: '/health' }),
    await app.inject({ method: 'GET', url: '/no-such-page', headers: { accept: 'text/html' } }),
    await app.inject({ method: 'GET', url: '/api/v1/nothing-here' }),
    await app.inject({ method: 'GET', url: '/assets/handover.css' }),
    await app.inject({ method: 'GET', url: '/login' }),
  ];
  for (const res of responses) {
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /base-uri 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    const hsts = /max-age=(\d+)/.exec(String(res.headers['strict-transport-security']));
    assert.ok(hsts && Number(hsts[1]) >= 31_536_000);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['referrer-policy']);
  }
  assert.equal(responses[0]!.headers['cache-control'], 'no-store');
  assert.equal(responses[2]!.statusCode, 404);
  assert.doesNotMatch(responses[2]!.body, /at .*\.ts:\d+/);
});

test('passwords: argon2id with m ≥ 19 MiB and t ≥ 2; long passphrases kept whole; common ones refused', async () => {
  const long = 'correct horse battery staple '.repeat(6);
  const hash = await hashPassword(long);
  assert.match(hash, /^\$argon2id\$v=19\$m=(\d+),t=(\d+)/);
  const [, m, t] = /m=(\d+),t=(\d+)/.exec(hash)!;
  assert.ok(Number(m) >= 19_456 && Number(t) >= 2);
  assert.equal(await verifyPassword(hash, long), true);
  assert.equal(await verifyPassword(hash, long.slice(0, -1)), false, 'not truncated');
  assert.match(String(passwordProblem('password123')), /at least 12|too common/);
  assert.match(String(passwordProblem('Password1234'.toLowerCase())), /too common/i);
  assert.equal(passwordProblem('a long and unusual passphrase'), null);
});
