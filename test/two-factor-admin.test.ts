// Issue 17 part 4 over HTTP: your own two-factor page and new recovery codes; an administrator (who signs in with a
// second factor too) resets a user's factor: their sessions end, it is audited without secrets, and they enrol again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cookieNames } from '../src/http/session.ts';
import { codeAt } from '../src/modules/two-factor/codes.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testConfig, testDatabase, userByRole } from './helpers.ts';
import { enrol, loginWithCode, passwordStep } from './two-factor-kit.ts';

const { db } = await testDatabase();
const clock = fixedClock();
const app = await testApp(db, { now: clock.now, config: { twoFactor: 'required' } });
const org = await seedOrganisation(db, 'tfadm');
const other = await seedOrganisation(db, 'tfoth');
const names = cookieNames(testConfig());
const giver = userByRole(org, 'advice_giver');
const admin = userByRole(org, 'admin');

const adminBrowser = new Browser(app);
const adminFactor = await enrol(adminBrowser, admin.email, clock.now());
const giverBrowser = new Browser(app);
const giverFactor = await enrol(giverBrowser, giver.email, clock.now());
clock.advance(30_000);

test('your account: status, and new recovery codes with a current code (the old ones stop working)', async () => {
  const page = await giverBrowser.get('/account/two-factor');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Set up on/);
  assert.match(page.body, /Recovery codes left\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*10\s/);
  assert.match((await giverBrowser.get('/account')).body, /href="\/account\/two-factor"/);

  const missing = await giverBrowser.post('/account/two-factor/recovery-codes', { code: '' });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /Enter the 6-digit code/);
  const wrong = await giverBrowser.post('/account/two-factor/recovery-codes', {
    code: codeAt(giverFactor.secret, new Date(clock.now().getTime() - 300_000)),
  });
  assert.equal(wrong.statusCode, 401);
  assert.match(wrong.body, /The code is not correct/);

  const made = await giverBrowser.post('/account/two-factor/recovery-codes', {
    code: codeAt(giverFactor.secret, clock.now()),
  });
  assert.equal(made.statusCode, 200);
  assert.match(made.body, /New recovery codes made/);
  const fresh = [...made.body.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1] as string);
  assert.equal(fresh.length, 10);
  assert.ok(!fresh.some((c) => giverFactor.recoveryCodes.includes(c)));

  clock.advance(30_000);
  const b = new Browser(app);
  await passwordStep(b, giver.email);
  const old = await b.post('/login/two-factor/recovery', { code: giverFactor.recoveryCodes[0] as string });
  assert.equal(old.statusCode, 401, 'an old recovery code no longer works');
  assert.equal((await b.post('/login/two-factor/recovery', { code: fresh[0] as string })).statusCode, 303);
  giverFactor.recoveryCodes = fresh.slice(1);
});

test('a council user with no second factor sees it is not needed', async () => {
  const b = new Browser(app);
  await b.login(userByRole(org, 'social_worker').email);
  const page = await b.get('/account/two-factor');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Needed for your account\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*No\s/);
  assert.match(page.body, /Not set up/);
});

test("an administrator sees a user's status in the page and the API, never a secret", async () => {
  const user = await adminBrowser.get(`/admin/users/${giver.id}`);
  assert.match(user.body, new RegExp(`href="/admin/users/${giver.id}/two-factor"`));
  const page = await adminBrowser.get(`/admin/users/${giver.id}/two-factor`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Set up on/);
  assert.ok(!page.body.includes(giverFactor.secret));
  const api = await app.inject({
    method: 'GET',
    url: `/api/v1/users/${giver.id}/two-factor`,
    headers: { cookie: `${names.session}=${adminBrowser.cookies.get(names.session)}`, accept: 'application/json' },
  });
  assert.equal(api.statusCode, 200);
  const body = api.json();
  assert.deepEqual(Object.keys(body).sort(), ['enrolled', 'enrolled_at', 'recovery_codes_left', 'required', 'user_id']);
  assert.equal(body.required, true);
  assert.equal(body.enrolled, true);
  assert.equal(body.recovery_codes_left, 9);
  // Another council's user is not found; a non-admin is refused.
  const elsewhere = await adminBrowser.get(`/admin/users/${userByRole(other, 'advice_giver').id}/two-factor`);
  assert.equal(elsewhere.statusCode, 404);
  const worker = new Browser(app);
  await worker.login(userByRole(org, 'social_worker').email);
  assert.equal((await worker.get(`/admin/users/${giver.id}/two-factor`)).statusCode, 403);
  const refused = await worker.post(`/admin/users/${giver.id}/two-factor/reset`, {});
  assert.equal(refused.statusCode, 403);
  assert.ok(
    await db.selectFrom('two_factor_factors').where('user_id', '=', giver.id).select('user_id').executeTakeFirst(),
  );
});

test('reset: the factor and recovery codes go, their sessions end, it is audited, and they enrol again', async () => {
  assert.equal((await giverBrowser.get('/')).statusCode, 200, 'signed in before the reset');
  const res = await adminBrowser.post(`/admin/users/${giver.id}/two-factor/reset`, {});
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `/admin/users/${giver.id}/two-factor?reset=1`);
  const after = await adminBrowser.get(res.headers.location as string);
  assert.match(after.body, /govuk-notification-banner--success/);
  assert.match(after.body, /Two-factor sign-in reset for/);
  assert.match(after.body, /Not set up/);

  assert.equal((await giverBrowser.get('/')).headers.location, '/login', 'their session ended at once');
  const left = await db.selectFrom('two_factor_recovery_codes').where('user_id', '=', giver.id).select('id').execute();
  assert.equal(left.length, 0);
  const audit = await db
    .selectFrom('audit_log')
    .where('entity', '=', 'two_factor')
    .where('action', '=', 'reset')
    .select(['actor_id', 'entity_id', 'detail'])
    .executeTakeFirstOrThrow();
  assert.equal(audit.actor_id, admin.id);
  assert.equal(audit.entity_id, giver.id);
  assert.ok(!JSON.stringify(audit.detail).includes(giverFactor.secret));

  clock.advance(30_000);
  const b = new Browser(app);
  const again = await enrol(b, giver.email, clock.now());
  assert.notEqual(again.secret, giverFactor.secret, 'a new secret: the lost phone is no use');
  clock.advance(30_000);
  await loginWithCode(new Browser(app), giver.email, again.secret, clock.now());
  await loginWithCode(new Browser(app), admin.email, adminFactor.secret, clock.now());
});
