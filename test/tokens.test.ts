// Issue 9, finding 9: API tokens never expired and could not be revoked one at a time. Now each has a name, an
// expiry and a last-used time (written at most once a minute), is listed on the user's own page and on an
// administrator's view of the user, and can be revoked singly (pages with CSRF, and the API). Expired or revoked
// tokens get a 401 on the next request. Real database, real app, no mocks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../src/http/forms.ts';
import { AuthService } from '../src/modules/auth/service.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testConfig, testDatabase, userByRole } from './helpers.ts';

const clock = fixedClock();
const { db } = await testDatabase();
const org = await seedOrganisation(db, 'tok');
const other = await seedOrganisation(db, 'oth');
const app = await testApp(db, { now: clock.now });
const auth = new AuthService(db, testConfig(), clock.now);
const DAY = 86_400_000;

function get(url: string, token: string) {
  return app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
}

async function tokenRow(token: string) {
  const { sha256 } = await import('../src/modules/auth/service.ts');
  return db.selectFrom('api_tokens').where('token_hash', '=', sha256(token)).selectAll().executeTakeFirstOrThrow();
}

describe('expiry', () => {
  test('a token lasts API_TOKEN_DAYS (90) unless --days is given, and gets a 401 once it has expired', async () => {
    const sw = userByRole(org, 'social_worker');
    const standard = await auth.createApiToken(sw.email, 'Case export');
    assert.ok(standard);
    assert.deepEqual(standard.expiresAt, new Date(clock.now().getTime() + 90 * DAY));
    const short = await auth.createApiToken(sw.email, 'One-day job', 1);
    assert.ok(short);
    const row = await tokenRow(short.token);
    assert.equal(row.label, 'One-day job');
    assert.deepEqual(row.expires_at, new Date(clock.now().getTime() + DAY));

    assert.equal((await get('/api/v1/teams', short.token)).statusCode, 200);
    clock.advance(DAY);
    assert.equal((await get('/api/v1/teams', short.token)).statusCode, 401, 'expired at exactly its expiry time');
    assert.equal((await get('/api/v1/teams', standard.token)).statusCode, 200, 'the 90-day token still works');
    clock.advance(89 * DAY);
    assert.equal((await get('/api/v1/teams', standard.token)).statusCode, 401);
    clock.set('2026-11-23T10:00:00Z');
  });

  test('a bad name or number of days is refused, naming the field, and nothing is written', async () => {
    const sw = userByRole(org, 'social_worker');
    const before = await db.selectFrom('api_tokens').select('id').execute();
    await assert.rejects(auth.createApiToken(sw.email, 'Too long', 366), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.match(e.fields.days ?? '', /whole number from 1 to 365/);
      return true;
    });
    await assert.rejects(auth.createApiToken(sw.email, 'Zero', '0'), ValidationError);
    await assert.rejects(auth.createApiToken(sw.email, 'Fraction', '1.5'), ValidationError);
    await assert.rejects(auth.createApiToken(sw.email, '   '), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.match(e.fields.name ?? '', /Enter a name for the token/);
      return true;
    });
    assert.equal((await db.selectFrom('api_tokens').select('id').execute()).length, before.length);
  });
});

describe('last used', () => {
  test('is recorded on use, at most once a minute per token', async () => {
    const tm = userByRole(org, 'team_manager');
    const created = await auth.createApiToken(tm.email, 'Dashboard');
    assert.ok(created);
    assert.equal((await tokenRow(created.token)).last_used_at, null);
    const first = clock.now();
    assert.equal((await get('/api/v1/teams', created.token)).statusCode, 200);
    assert.deepEqual((await tokenRow(created.token)).last_used_at, first);

    clock.advance(30_000);
    assert.equal((await get('/api/v1/teams', created.token)).statusCode, 200);
    assert.deepEqual((await tokenRow(created.token)).last_used_at, first, 'no write within the minute');

    clock.advance(31_000);
    assert.equal((await get('/api/v1/teams', created.token)).statusCode, 200);
    assert.deepEqual((await tokenRow(created.token)).last_used_at, clock.now());
    clock.set('2026-11-23T10:00:00Z');
  });
});

describe('your API tokens', () => {
  test('listed on /account with name, dates and last used; revoking one: banner, 401 at once, audited', async () => {
    const sm = userByRole(org, 'service_manager');
    const keep = await auth.createApiToken(sm.email, 'Weekly report');
    const revoke = await auth.createApiToken(sm.email, 'Old laptop script', 30);
    assert.ok(keep && revoke);
    assert.equal((await get('/api/v1/teams', revoke.token)).statusCode, 200);
    const browser = new Browser(app);
    await browser.login(sm.email);

    let page = await browser.get('/account');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 class="govuk-heading-m" id="api-tokens">Your API tokens<\/h2>/);
    assert.match(
      page.body,
      /Old laptop script<\/td>\s*<td[^>]*>23 November 2026, 10:00\s*am<\/td>\s*<td[^>]*>23 December 2026/,
    );
    assert.match(page.body, /Weekly report<\/td>[\s\S]*?Never<\/td>/);
    const id = (await tokenRow(revoke.token)).id;

    // Without the CSRF token: refused, and the token still works.
    let res = await browser.post(`/account/tokens/${id}/revoke`, {}, { csrf: null });
    assert.equal(res.statusCode, 403);
    assert.equal((await get('/api/v1/teams', revoke.token)).statusCode, 200);

    res = await browser.post(`/account/tokens/${id}/revoke`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account?revoked=1');
    page = await browser.get('/account?revoked=1');
    assert.match(page.body, /govuk-notification-banner--success[\s\S]*API token revoked/);
    assert.match(page.body, /Old laptop script<\/td>[\s\S]*?Revoked/);
    assert.equal((await get('/api/v1/teams', revoke.token)).statusCode, 401);
    assert.equal((await get('/api/v1/teams', keep.token)).statusCode, 200, 'only that token is revoked');
    const audit = await db
      .selectFrom('audit_log')
      .where('entity', '=', 'api_token')
      .where('entity_id', '=', id)
      .where('action', '=', 'revoke')
      .select(['actor_id', 'detail'])
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, sm.id);
    assert.deepEqual(audit.detail, { user_id: sm.id });

    // Revoking it again, or someone else's token, is a 404 and changes nothing.
    res = await browser.post(`/account/tokens/${id}/revoke`, {});
    assert.equal(res.statusCode, 404);
  });

  test('the API lists only your own tokens, never their secrets, and revokes one with DELETE', async () => {
    const sw = userByRole(org, 'send_manager');
    const mine = await auth.createApiToken(sw.email, 'SEND sync');
    const spare = await auth.createApiToken(sw.email, 'Spare');
    const theirs = await auth.createApiToken(userByRole(org, 'ehcp_coordinator').email, 'Not yours');
    assert.ok(mine && spare && theirs);
    let res = await get('/api/v1/tokens', mine.token);
    assert.equal(res.statusCode, 200);
    const items = res.json().items as { id: string; name: string; status: string; expires_at: string }[];
    assert.deepEqual(items.map((t) => t.name).sort(), ['SEND sync', 'Spare']);
    assert.ok(items.every((t) => t.status === 'active'));
    assert.ok(!res.body.includes(mine.token) && !res.body.includes('token_hash'));

    const theirId = (await tokenRow(theirs.token)).id;
    const del = (id: string) =>
      app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: { authorization: `Bearer ${mine.token}` } });
    res = await del(theirId);
    assert.equal(res.statusCode, 404);
    assert.equal((await get('/api/v1/teams', theirs.token)).statusCode, 200);

    res = await del((await tokenRow(spare.token)).id);
    assert.equal(res.statusCode, 204);
    assert.equal((await get('/api/v1/teams', spare.token)).statusCode, 401);
    res = await get('/api/v1/tokens', mine.token);
    assert.deepEqual(
      (res.json().items as { name: string; status: string }[]).map((t) => `${t.name} ${t.status}`).sort(),
      ['SEND sync active', 'Spare revoked'],
    );
  });

  test("an administrator sees a user's tokens and revokes one; another council's administrator cannot", async () => {
    const giver = userByRole(org, 'advice_giver');
    const created = await auth.createApiToken(giver.email, 'Clinic system');
    assert.ok(created);
    const id = (await tokenRow(created.token)).id;

    const outsider = new Browser(app);
    await outsider.login(userByRole(other, 'admin').email);
    await outsider.get('/admin');
    let res = await outsider.post(`/admin/users/${giver.id}/tokens/${id}/revoke`, {});
    assert.equal(res.statusCode, 404);
    assert.equal((await get('/api/v1/teams', created.token)).statusCode, 200);

    const admin = new Browser(app);
    await admin.login(userByRole(org, 'admin').email);
    let page = await admin.get(`/admin/users/${giver.id}`);
    assert.match(page.body, /API tokens<\/h2>[\s\S]*Clinic system/);
    res = await admin.post(`/admin/users/${giver.id}/tokens/${id}/revoke`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/users/${giver.id}?revoked=1`);
    page = await admin.get(`/admin/users/${giver.id}?revoked=1`);
    assert.match(page.body, /API token revoked/);
    assert.equal((await get('/api/v1/teams', created.token)).statusCode, 401);
  });
});
