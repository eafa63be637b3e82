// Issue 17 part 4 over HTTP: a correct password alone never gives a session to an account that needs a second
// factor (outside organisations, administrators); enrolment on first sign-in; a wrong code's page; a code good once;
// throttled like passwords and a limit per challenge; recovery codes good once; accounts that need none sign in as
// before, and nobody is asked when TWO_FACTOR=off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cookieNames } from '../src/http/session.ts';
import { challengeCookie } from '../src/modules/two-factor/challenge.ts';
import { codeAt } from '../src/modules/two-factor/codes.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testConfig, testDatabase, userByRole } from './helpers.ts';
import { enrol, loginWithCode, passwordStep, secretOnPage } from './two-factor-kit.ts';

const { db } = await testDatabase();
const clock = fixedClock();
const required = { twoFactor: 'required' as const, loginFailuresPerMinute: 4 };
const app = await testApp(db, { now: clock.now, config: required });
const off = await testApp(db, { now: clock.now });
const names = cookieNames(testConfig());
const challengeName = challengeCookie(testConfig()).name;
/** Every test moves well past the last one's codes and throttle windows. */
const nextMinute = () => clock.advance(120_000);

test('TWO_FACTOR=off: an advice giver signs in with their password alone, as before', async () => {
  const org = await seedOrganisation(db, 'tfoff');
  const b = new Browser(off);
  const res = await b.login(userByRole(org, 'advice_giver').email);
  assert.equal(res.headers.location, '/');
  assert.ok(b.cookies.has(names.session));
});

test('council staff who are not administrators sign in with their password alone when it is required', async () => {
  const org = await seedOrganisation(db, 'tfstaff');
  const b = new Browser(app);
  const res = await passwordStep(b, userByRole(org, 'social_worker').email);
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/');
  assert.ok(b.cookies.has(names.session));
  assert.ok(!b.cookies.has(challengeName));
});

test('a correct password for an outside account gives a challenge and no session: every signed-in route refuses', async () => {
  nextMinute();
  const org = await seedOrganisation(db, 'tfpw');
  for (const role of ['advice_giver', 'panel_member', 'setting_user', 'admin'] as const) {
    const b = new Browser(app);
    const res = await passwordStep(b, userByRole(org, role).email);
    assert.equal(res.statusCode, 303, role);
    assert.equal(res.headers.location, '/login/two-factor/set-up', role);
    assert.ok(!b.cookies.has(names.session), `${role}: no session cookie`);
    const set = (res.cookies as { name: string; httpOnly?: boolean; sameSite?: string; maxAge?: number }[]).find(
      (c) => c.name === challengeName,
    );
    assert.ok(set?.httpOnly, 'the challenge cookie is HttpOnly');
    assert.equal(set?.maxAge, 600, 'ten minutes');
    for (const url of ['/', '/account', '/account/two-factor', '/advice', '/notifications', '/admin'])
      assert.equal((await b.get(url)).headers.location, '/login', `${role} GET ${url} goes to sign in`);
    const api = await app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: { cookie: `${challengeName}=${b.cookies.get(challengeName)}`, accept: 'application/json' },
    });
    assert.equal(api.statusCode, 401, `${role}: the API refuses the challenge cookie`);
    assert.equal((await b.post('/logout', {})).statusCode, 401, `${role}: a write with only the challenge is refused`);
  }
  const rows = await db.selectFrom('two_factor_challenges').select(['token_hash']).execute();
  for (const r of rows) assert.match(r.token_hash, /^[0-9a-f]{64}$/, 'only the hash of the challenge token is kept');
});

test('enrolment: QR code and key, a wrong code is refused with a clear page, then recovery codes once and My work', async () => {
  nextMinute();
  const org = await seedOrganisation(db, 'tfenrol');
  const giver = userByRole(org, 'advice_giver');
  const b = new Browser(app);
  await passwordStep(b, giver.email);
  const page = await b.get('/login/two-factor/set-up');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<svg role="img" aria-label="QR code/);
  assert.match(page.body, /id="secret-key">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</, 'the key in groups of 4');
  assert.match(page.body, /autocomplete="one-time-code"/);
  assert.match(page.body, /inputmode="numeric"/);
  const secret = secretOnPage(page.body);
  assert.equal(secretOnPage((await b.get('/login/two-factor/set-up')).body), secret, 'a reload shows the same key');

  const wrong = await b.post('/login/two-factor/set-up', {
    code: codeAt(secret, new Date(clock.now().getTime() - 120_000)),
  });
  assert.equal(wrong.statusCode, 401);
  assert.match(wrong.body, /The code is not correct. Enter the newest 6-digit code from your authenticator app/);
  assert.match(wrong.body, /govuk-error-summary/);
  const empty = await b.post('/login/two-factor/set-up', { code: '12ab' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Enter the 6-digit code/);
  assert.equal(
    await db.selectFrom('two_factor_factors').where('user_id', '=', giver.id).select('user_id').executeTakeFirst(),
    undefined,
  );

  const shown = await b.post('/login/two-factor/set-up', { code: codeAt(secret, clock.now()) });
  assert.equal(shown.statusCode, 200);
  const codes = [...shown.body.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  assert.ok(!b.cookies.has(names.session), 'no session until they say they saved the codes');
  const again = await b.get('/login/two-factor/set-up');
  assert.ok(!codes.some((c) => again.body.includes(c as string)), 'the codes are shown once');

  const sessionsBefore = await db.selectFrom('sessions').where('user_id', '=', giver.id).select('id_hash').execute();
  const done = await b.post('/login/two-factor/set-up/continue', {});
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, '/');
  assert.ok(b.cookies.has(names.session));
  assert.ok(!b.cookies.has(challengeName), 'the challenge cookie is cleared');
  assert.equal((await b.get('/')).statusCode, 200);
  const after = await db.selectFrom('sessions').where('user_id', '=', giver.id).select('id_hash').execute();
  assert.equal(after.length, sessionsBefore.length + 1, 'a fresh session');

  const stored = await db
    .selectFrom('two_factor_recovery_codes')
    .where('user_id', '=', giver.id)
    .select('code_hash')
    .execute();
  assert.equal(stored.length, 10);
  for (const s of stored) assert.ok(!codes.includes(s.code_hash), 'only hashes are stored');
  const audit = await db
    .selectFrom('audit_log')
    .where('actor_id', '=', giver.id)
    .where('action', 'in', ['login', 'create'])
    .select(['action', 'entity', 'detail'])
    .execute();
  const text = JSON.stringify(audit);
  assert.match(text, /"second_factor":"totp"/);
  assert.ok(!text.includes(secret) && !codes.some((c) => text.includes(c as string)), 'no secret or code in audit');
  // The finished challenge cannot start a second session.
  const replayed = await b.post('/login/two-factor/set-up/continue', {});
  assert.equal(replayed.statusCode, 401);
});

test('a later sign-in: the code is needed, good once, one step of drift either side, and the wrong-code page', async () => {
  nextMinute();
  const org = await seedOrganisation(db, 'tfcode');
  const giver = userByRole(org, 'advice_giver');
  const { secret } = await enrol(new Browser(app), giver.email, clock.now());
  // Two steps on: the step before now has not been used (enrolment used the one before that).
  clock.advance(60_000);

  const b = new Browser(app);
  const res = await passwordStep(b, giver.email);
  assert.equal(res.headers.location, '/login/two-factor');
  assert.equal((await b.get('/login/two-factor/set-up')).headers.location, '/login/two-factor', 'no enrolling again');
  const page = await b.get('/login/two-factor');
  assert.match(page.body, /href="\/login\/two-factor\/recovery"/);
  const wrong = await b.post('/login/two-factor', { code: codeAt(secret, new Date(clock.now().getTime() - 90_000)) });
  assert.equal(wrong.statusCode, 401);
  assert.match(wrong.body, /if your phone&#39;s clock is wrong, the codes will be too/);
  assert.ok(!b.cookies.has(names.session));
  // The code from one step ago (a slow phone) works.
  const ok = await b.post('/login/two-factor', { code: codeAt(secret, new Date(clock.now().getTime() - 30_000)) });
  assert.equal(ok.statusCode, 303);
  assert.ok(b.cookies.has(names.session));

  // The same code again (seen over a shoulder): refused, even within its 90 seconds.
  const c = new Browser(app);
  await passwordStep(c, giver.email);
  const replay = await c.post('/login/two-factor', { code: codeAt(secret, new Date(clock.now().getTime() - 30_000)) });
  assert.equal(replay.statusCode, 401);
  const current = await c.post('/login/two-factor', { code: codeAt(secret, clock.now()) });
  assert.equal(current.statusCode, 303, 'the newer code works');
  clock.advance(30_000);
  await loginWithCode(new Browser(app), giver.email, secret, clock.now());
});

test('wrong codes are throttled per account (429), and a challenge takes five, then sign in again', async () => {
  nextMinute();
  const org = await seedOrganisation(db, 'tfthr');
  const giver = userByRole(org, 'advice_giver');
  const { secret } = await enrol(new Browser(app), giver.email, clock.now());
  clock.advance(30_000);
  const wrongCode = codeAt(secret, new Date(clock.now().getTime() - 300_000));
  const b = new Browser(app);
  await passwordStep(b, giver.email);
  for (let i = 0; i < 4; i++) assert.equal((await b.post('/login/two-factor', { code: wrongCode })).statusCode, 401);
  const throttled = await b.post('/login/two-factor', { code: codeAt(secret, clock.now()) });
  assert.equal(
    throttled.statusCode,
    429,
    'the limit per minute (LOGIN_FAILURES_PER_MINUTE) holds, even for a right code',
  );
  assert.match(throttled.body, /Too many attempts. Wait a minute/);
  // Another browser with the same account's password is throttled too: the key is the account.
  const other = new Browser(app);
  await passwordStep(other, giver.email);
  assert.equal((await other.post('/login/two-factor', { code: wrongCode })).statusCode, 429);

  clock.advance(61_000);
  const fifth = await b.post('/login/two-factor', { code: wrongCode });
  assert.equal(fifth.statusCode, 401);
  assert.match(fifth.body, /Sign in again/);
  assert.ok(!b.cookies.has(challengeName), 'the challenge is gone');
  const late = await b.post('/login/two-factor', { code: codeAt(secret, clock.now()) });
  assert.equal(late.statusCode, 401, 'a right code on a spent challenge does nothing');
  assert.ok(!b.cookies.has(names.session));
  // The other browser's challenge is separate, and the window is over: the right code works there.
  const ok = await other.post('/login/two-factor', { code: codeAt(secret, clock.now()) });
  assert.equal(ok.statusCode, 303);
});

test('a challenge lasts ten minutes', async () => {
  nextMinute();
  const org = await seedOrganisation(db, 'tfexp');
  const giver = userByRole(org, 'advice_giver');
  const { secret } = await enrol(new Browser(app), giver.email, clock.now());
  const b = new Browser(app);
  await passwordStep(b, giver.email);
  clock.advance(10 * 60_000 + 1000);
  const res = await b.post('/login/two-factor', { code: codeAt(secret, clock.now()) });
  assert.equal(res.statusCode, 401);
  assert.match(res.body, /Sign in again/);
  assert.equal((await b.get('/login/two-factor')).headers.location, '/login');
});

test('a recovery code signs in once; a used one is refused', async () => {
  nextMinute();
  const org = await seedOrganisation(db, 'tfrec');
  const giver = userByRole(org, 'advice_giver');
  const { recoveryCodes } = await enrol(new Browser(app), giver.email, clock.now());
  const code = recoveryCodes[3] as string;
  const b = new Browser(app);
  await passwordStep(b, giver.email);
  assert.equal((await b.get('/login/two-factor/recovery')).statusCode, 200);
  const ok = await b.post('/login/two-factor/recovery', { code: `  ${code.toUpperCase()} ` });
  assert.equal(ok.statusCode, 303);
  assert.ok(b.cookies.has(names.session));
  const audit = await db
    .selectFrom('audit_log')
    .where('actor_id', '=', giver.id)
    .where('action', '=', 'login')
    .orderBy('seq', 'desc')
    .select('detail')
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    { ...(audit.detail as object) },
    { method: 'password', second_factor: 'recovery_code', recovery_codes_left: 9 },
  );

  const c = new Browser(app);
  await passwordStep(c, giver.email);
  const again = await c.post('/login/two-factor/recovery', { code });
  assert.equal(again.statusCode, 401);
  assert.match(again.body, /it has been used/);
  assert.ok(!c.cookies.has(names.session));
  const other = await c.post('/login/two-factor/recovery', { code: recoveryCodes[4] as string });
  assert.equal(other.statusCode, 303);
});

test('the same code sent twice at once signs in only once', async () => {
  nextMinute();
  const org = await seedOrganisation(db, 'tfrace');
  const giver = userByRole(org, 'advice_giver');
  const { secret } = await enrol(new Browser(app), giver.email, clock.now());
  clock.advance(30_000);
  const browsers = [new Browser(app), new Browser(app), new Browser(app)];
  for (const b of browsers) await passwordStep(b, giver.email);
  const code = codeAt(secret, clock.now());
  const results = await Promise.all(browsers.map((b) => b.post('/login/two-factor', { code })));
  assert.deepEqual(results.map((r) => r.statusCode).sort(), [303, 401, 401]);
  assert.equal(browsers.filter((b) => b.cookies.has(names.session)).length, 1);
});

test('twenty wrong codes in a day over any number of challenges: even a right code is refused until the next day', async () => {
  nextMinute();
  const org = await seedOrganisation(db, 'tfday');
  const giver = userByRole(org, 'advice_giver');
  const { secret } = await enrol(new Browser(app), giver.email, clock.now());
  const wrongCode = () => codeAt(secret, new Date(clock.now().getTime() - 600_000));
  let wrong = 0;
  while (wrong < 20) {
    const b = new Browser(app);
    await passwordStep(b, giver.email);
    for (let i = 0; i < 4 && wrong < 20; i++, wrong++) {
      clock.advance(61_000); // past the minute's limit each time: only the day's counts
      assert.equal((await b.post('/login/two-factor', { code: wrongCode() })).statusCode, 401);
    }
  }
  clock.advance(61_000);
  const b = new Browser(app);
  await passwordStep(b, giver.email);
  const refused = await b.post('/login/two-factor', { code: codeAt(secret, clock.now()) });
  assert.equal(refused.statusCode, 429, 'the daily limit holds even for the right code');
  assert.match(refused.body, /20 wrong codes in a day/);
  assert.ok(!b.cookies.has(names.session));
  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', giver.id)
    .where('action', '=', 'second_factor_refused')
    .select('detail')
    .execute();
  assert.equal(audit.length, 1, 'the refusal is on the record for the administrator');
  assert.doesNotMatch(JSON.stringify(audit), new RegExp(secret));
  clock.advance(86_400_000);
  await loginWithCode(new Browser(app), giver.email, secret, clock.now());
});
