// Single sign-on against a real OpenID Connect provider (issue 17 parts 1, 2 and 6): sign-in lands on My work with
// the role the app role maps to; an unknown tenant, a replayed state, a callback in another browser, a nonce that does
// not match and an expired id token are refused with a page and a log line; sign-out goes to the provider's
// end-session endpoint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../src/app.ts';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/database.ts';
import { Browser, seedOrganisation, testConfig, testDatabase, userByRole } from './helpers.ts';
import { OTHER_TENANT, startProvider, TENANT } from './sso-kit.ts';

const provider = await startProvider();
const { db } = await testDatabase();
const org = await seedOrganisation(db, 'sso');

await db
  .insertInto('sso_tenants')
  .values({ authority_id: org.authorityId, tid: TENANT, label: 'Test Council' })
  .execute();
await db
  .insertInto('sso_role_mappings')
  .values([
    { authority_id: org.authorityId, app_role: 'Handover.SocialWorker', role: 'social_worker' },
    { authority_id: org.authorityId, app_role: 'Handover.TeamManager', role: 'team_manager' },
  ])
  .execute();

/** What every app here logged, requests aside: shown when a sign-in does not start. */
const notes: string[] = [];

/** An app listening to this provider, its log lines kept; the clock real unless moved. */
async function ssoApp(opts: { now?: () => Date; config?: Partial<Config> } = {}) {
  const lines: string[] = [];
  const app = await createApp({
    db,
    config: testConfig({ oidc: provider.settings(), ...opts.config }),
    now: opts.now ?? (() => new Date()),
    logger: {
      level: 'info',
      stream: {
        write: (l: string) => {
          lines.push(l);
          if (!l.includes('"request"')) notes.push(l);
        },
      },
    },
  });
  test.after(() => app.close());
  return { app, lines };
}

const { app, lines } = await ssoApp();

/** Starts a sign-in in the browser and signs in at the provider: the callback path to send to the app. */
async function toCallback(browser: Browser, login: string): Promise<string> {
  const start = await browser.get('/auth/oidc/start');
  assert.equal(start.statusCode, 303, notes.join('\n'));
  const location = String(start.headers.location);
  assert.ok(location.startsWith(provider.issuer), location);
  const url = new URL(location);
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(url.searchParams.get('state') && url.searchParams.get('nonce') && url.searchParams.get('code_challenge'));
  const callback = await provider.signIn(location, login);
  return callback.pathname + callback.search;
}

async function signIn(a: FastifyInstance, login: string) {
  const browser = new Browser(a);
  const res = await browser.get(await toCallback(browser, login));
  return { browser, res };
}

async function rolesOf(database: Db, id: string) {
  return (await database.selectFrom('users').where('id', '=', id).select('roles').executeTakeFirstOrThrow()).roles;
}

test('the sign-in page offers the council account above the email and password form', async () => {
  const res = await new Browser(app).get('/login');
  assert.equal(res.statusCode, 200);
  const button = res.body.indexOf('href="/auth/oidc/start"');
  assert.ok(button > 0 && button < res.body.indexOf('name="password"'));
  assert.match(res.body, /Sign in with your council account/);
});

test('a provisioned person signs in, lands on My work with the role their app role maps to, and it is audited', async () => {
  const worker = userByRole(org, 'social_worker');
  const login = provider.account(TENANT, { roles: ['Handover.TeamManager'], name: worker.name });
  const { oid } = provider.accounts.get(login)!;
  await db.updateTable('users').set({ external_id: oid }).where('id', '=', worker.id).execute();

  const { browser, res } = await signIn(app, login);
  assert.equal(res.statusCode, 303, res.body);
  assert.equal(res.headers.location, '/');
  const home = await browser.get('/');
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /My work/);
  assert.deepEqual(await rolesOf(db, worker.id), ['team_manager']);
  const identity = await db.selectFrom('user_identities').where('oid', '=', oid).selectAll().executeTakeFirstOrThrow();
  assert.equal(identity.user_id, worker.id);
  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', worker.id)
    .where('action', 'in', ['sso.identity_linked', 'user.roles_changed'])
    .select(['action', 'detail'])
    .execute();
  assert.deepEqual(audit.map((a) => a.action).sort(), ['sso.identity_linked', 'user.roles_changed']);
  const login2 = await db
    .selectFrom('audit_log')
    .where('actor_id', '=', worker.id)
    .where('action', '=', 'login')
    .select('detail')
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  assert.deepEqual(login2.detail, { method: 'oidc', tid: TENANT });
});

test('the second sign-in finds the account by tid and oid alone, whatever the email says', async () => {
  const user = userByRole(org, 'ehcp_coordinator');
  const login = provider.account(TENANT, { roles: ['Handover.SocialWorker'] });
  const a = provider.accounts.get(login)!;
  await db.updateTable('users').set({ external_id: a.oid }).where('id', '=', user.id).execute();
  assert.equal((await signIn(app, login)).res.statusCode, 303);
  // The directory now says another email (and the account's own email is someone else's): still the same account.
  a.email = userByRole(org, 'admin').email;
  await db.updateTable('users').set({ external_id: null }).where('id', '=', user.id).execute();
  const { browser, res } = await signIn(app, login);
  assert.equal(res.statusCode, 303);
  const home = await browser.get('/');
  assert.ok(home.body.includes(user.name), 'signed in as the linked account');
  assert.deepEqual(await rolesOf(db, user.id), ['social_worker']);
});

test('no roles claim keeps the roles the administrator set; no mapped role at all is refused with a page', async () => {
  const user = userByRole(org, 'send_manager');
  const before = await rolesOf(db, user.id);
  const login = provider.account(TENANT);
  await db
    .updateTable('users')
    .set({ external_id: provider.accounts.get(login)!.oid })
    .where('id', '=', user.id)
    .execute();
  assert.equal((await signIn(app, login)).res.statusCode, 303);
  assert.deepEqual(await rolesOf(db, user.id), before);

  provider.accounts.get(login)!.roles = ['Handover.Unknown'];
  const { res } = await signIn(app, login);
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /You do not have a role in Handover yet/);
  assert.deepEqual(await rolesOf(db, user.id), [], 'the directory took the roles away');
});

test('an unknown tenant is refused: not set up in Handover, or not in OIDC_ALLOWED_TENANTS', async () => {
  const { res } = await signIn(app, provider.account(OTHER_TENANT, { roles: ['Handover.SocialWorker'] }));
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /Your organisation is not set up to sign in to Handover/);
  assert.ok(lines.some((l) => l.includes('the tenant is not set up in Handover')));

  const { app: strict, lines: strictLines } = await ssoApp({
    config: { oidc: provider.settings(undefined, { allowedTenants: [OTHER_TENANT] }) },
  });
  const refused = await signIn(strict, provider.account(TENANT, { roles: ['Handover.SocialWorker'] }));
  assert.equal(refused.res.statusCode, 403, strictLines.filter((l) => !l.includes('"request"')).join('\n'));
  assert.ok(strictLines.some((l) => l.includes('OIDC_ALLOWED_TENANTS')));
});

test('a replayed state is refused, and so is a callback in a browser that did not start the sign-in', async () => {
  const worker = userByRole(org, 'forum_chair');
  const login = provider.account(TENANT, { roles: ['Handover.SocialWorker'] });
  await db
    .updateTable('users')
    .set({ external_id: provider.accounts.get(login)!.oid })
    .where('id', '=', worker.id)
    .execute();
  const browser = new Browser(app);
  const callback = await toCallback(browser, login);
  const cookie = [...browser.cookies].find(([k]) => k.endsWith('handover-oidc'));
  assert.ok(cookie, 'the attempt is bound to the browser by a cookie');
  assert.equal((await browser.get(callback)).statusCode, 303);

  const replay = new Browser(app);
  replay.cookies.set(cookie[0], cookie[1]);
  const again = await replay.get(callback);
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /Sign-in with your council account did not work/);
  assert.ok(lines.some((l) => l.includes('the state is unknown or was already used')));

  const starter = new Browser(app);
  const elsewhere = await new Browser(app).get(await toCallback(starter, login));
  assert.equal(elsewhere.statusCode, 400);
  assert.ok(lines.some((l) => l.includes('a browser that did not start the sign-in')));
});

test('a nonce that does not match is refused', async () => {
  const login = provider.account(TENANT, { roles: ['Handover.SocialWorker'] });
  const browser = new Browser(app);
  const callback = await toCallback(browser, login);
  const state = new URL(callback, 'http://x').searchParams.get('state')!;
  const { createHash } = await import('node:crypto');
  await db
    .updateTable('oidc_logins')
    .set({ nonce: 'a-nonce-this-service-never-sent' })
    .where('state_hash', '=', createHash('sha256').update(state).digest('hex'))
    .execute();
  const res = await browser.get(callback);
  assert.equal(res.statusCode, 401);
  assert.match(res.body, /Sign-in with your council account did not work/);
  assert.ok(lines.some((l) => /single sign-on refused/.test(l) && /claim nonce/.test(l)));
});

test('an expired id token is refused', async () => {
  // The app's clock two hours on: the provider's one-hour id token has expired by it.
  const { app: later, lines: laterLines } = await ssoApp({ now: () => new Date(Date.now() + 2 * 3_600_000) });
  const { res } = await signIn(later, provider.account(TENANT, { roles: ['Handover.SocialWorker'] }));
  assert.equal(res.statusCode, 401, laterLines.filter((l) => !l.includes('"request"')).join('\n'));
  assert.ok(
    laterLines.some((l) => /single sign-on refused/.test(l) && /claim exp/.test(l)),
    laterLines.join('\n'),
  );
});

test('the log never carries the code, a token or a claim that identifies the person', async () => {
  const joined = lines.join('\n');
  for (const a of provider.accounts.values()) {
    assert.ok(!joined.includes(a.oid), 'an oid in the log');
    if (a.email) assert.ok(!joined.includes(a.email), 'an email in the log');
  }
  assert.ok(!/eyJ[\w-]+\.[\w-]+\./.test(joined), 'a JWT in the log');
  assert.ok(!/code=/.test(joined));
});

test('signing out of a single sign-on session ends it here and goes to the provider’s end-session endpoint', async () => {
  const worker = userByRole(org, 'exploitation_lead');
  const login = provider.account(TENANT, { roles: ['Handover.TeamManager'] });
  await db
    .updateTable('users')
    .set({ external_id: provider.accounts.get(login)!.oid })
    .where('id', '=', worker.id)
    .execute();
  const { browser } = await signIn(app, login);
  await browser.get('/');
  const out = await browser.post('/logout', {});
  assert.equal(out.statusCode, 303);
  const to = new URL(String(out.headers.location));
  assert.equal(to.origin, provider.issuer);
  assert.ok(to.searchParams.get('id_token_hint'));
  assert.equal(to.searchParams.get('post_logout_redirect_uri'), 'http://127.0.0.1:9/login');
  assert.equal((await browser.get('/')).statusCode, 302);

  // A password session signs out to the sign-in page as before.
  const local = new Browser(app);
  await local.login(userByRole(org, 'service_manager').email);
  const localOut = await local.post('/logout', {});
  assert.equal(localOut.headers.location, '/login');
});

test('a deactivated account is refused, even with its identity linked', async () => {
  // A council account: an outside organisation's is never linked on its own (an administrator approves it).
  const user = userByRole(org, 'team_manager');
  const login = provider.account(TENANT, { roles: ['Handover.SocialWorker'] });
  await db
    .updateTable('users')
    .set({ external_id: provider.accounts.get(login)!.oid })
    .where('id', '=', user.id)
    .execute();
  assert.equal((await signIn(app, login)).res.statusCode, 303);
  await db.updateTable('users').set({ active: false }).where('id', '=', user.id).execute();
  const { res } = await signIn(app, login);
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /Your Handover account is not active/);
});

test('the provider’s own refusal (the person cancelled) and a made-up answer are refused with the page', async () => {
  const browser = new Browser(app);
  await browser.get('/auth/oidc/start');
  const cancelled = await browser.get('/auth/oidc/callback?error=access_denied&state=whatever');
  assert.equal(cancelled.statusCode, 401);
  assert.match(cancelled.body, /Sign-in with your council account did not work/);
  assert.match(cancelled.body, /href="\/login"/);
  const madeUp = await new Browser(app).get('/auth/oidc/callback?code=abc&state=not-one-of-ours');
  assert.equal(madeUp.statusCode, 400);
  assert.ok(!madeUp.headers['set-cookie']?.toString().includes('handover-session='), 'no session');
});
