// Single sign-on's administration and failure modes (issue 17 parts 1, 2 and 6): an unknown person's sign-in becomes a
// request with no access; the user administrator approves it (a new account with the chosen roles) or refuses it,
// each audited; tenants and role mappings with clear messages for bad input, in the pages and the API; an issuer that
// cannot be reached or refuses the client secret gives one line at start-up, the button's route answers 503 and
// local sign-in still works.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../src/app.ts';
import type { Config } from '../src/config.ts';
import { AuthService } from '../src/modules/auth/service.ts';
import { Browser, seedOrganisation, testConfig, testDatabase, userByRole } from './helpers.ts';
import { startProvider, TENANT } from './sso-kit.ts';

const provider = await startProvider();
const { db } = await testDatabase();
const org = await seedOrganisation(db, 'ssoadmin');
const adminUser = userByRole(org, 'admin');

async function ssoApp(config: Partial<Config> = {}) {
  const lines: string[] = [];
  const app = await createApp({
    db,
    config: testConfig({ oidc: provider.settings(), ...config }),
    now: () => new Date(),
    logger: { level: 'info', stream: { write: (l: string) => lines.push(l) } },
  });
  test.after(() => app.close());
  return { app, lines };
}
const { app } = await ssoApp();

async function signIn(a: FastifyInstance, login: string) {
  const browser = new Browser(a);
  const start = await browser.get('/auth/oidc/start');
  const callback = await provider.signIn(String(start.headers.location), login);
  return { browser, res: await browser.get(callback.pathname + callback.search) };
}

async function until(check: () => boolean, ms = 15_000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

test('the administrator adds the tenant and an app role mapping; bad input names the field, nothing written', async () => {
  const admin = new Browser(app);
  await admin.login(adminUser.email);
  const page = await admin.get('/admin/single-sign-on');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /No tenants yet/);

  const bad = await admin.post('/admin/single-sign-on/tenants', { tid: 'contoso', label: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Enter the directory \(tenant\) id/);
  assert.match(bad.body, /Enter a name for the organisation/);
  assert.equal((await db.selectFrom('sso_tenants').selectAll().execute()).length, 0);

  const ok = await admin.post('/admin/single-sign-on/tenants', { tid: TENANT.toUpperCase(), label: 'Test Council' });
  assert.equal(ok.statusCode, 303);
  const shown = await admin.get(String(ok.headers.location));
  assert.match(shown.body, /Tenant added/);
  assert.match(shown.body, new RegExp(TENANT));

  const badRole = await admin.post('/admin/single-sign-on/role-mappings', {
    app_role: 'Handover Social Worker',
    role: 'x',
  });
  assert.equal(badRole.statusCode, 400);
  assert.match(badRole.body, /Enter the app role’s value as in Entra ID/);
  assert.match(badRole.body, /Choose the Handover role this app role gives/);
  const mapped = await admin.post('/admin/single-sign-on/role-mappings', {
    app_role: 'Handover.SocialWorker',
    role: 'social_worker',
  });
  assert.equal(mapped.statusCode, 303);
  assert.match((await admin.get(String(mapped.headers.location))).body, /Role mapping added/);
  const again = await admin.post('/admin/single-sign-on/role-mappings', {
    app_role: 'Handover.SocialWorker',
    role: 'social_worker',
  });
  assert.equal(again.statusCode, 400);
  const audit = await db
    .selectFrom('audit_log')
    .where('actor_id', '=', adminUser.id)
    .where('action', 'like', 'sso.%')
    .select('action')
    .execute();
  assert.deepEqual(audit.map((a) => a.action).sort(), ['sso.role_mapping_added', 'sso.tenant_added']);
});

test('an unknown person gets a request, not access; the administrator approves it and they land on My work', async () => {
  const login = provider.account(TENANT, { roles: ['Handover.SocialWorker'], name: 'Robin Newstarter' });
  const first = await signIn(app, login);
  assert.equal(first.res.statusCode, 200);
  assert.match(first.res.body, /Your request to use Handover has been sent to your administrator/);
  assert.ok(!first.browser.cookies.has('handover-session'), 'no session');
  const again = await signIn(app, login);
  assert.match(again.res.body, /waiting for your administrator/);
  assert.equal(
    (await db.selectFrom('sso_access_requests').where('status', '=', 'pending').selectAll().execute()).length,
    1,
  );

  const admin = new Browser(app);
  await admin.login(adminUser.email);
  const list = await admin.get('/admin/single-sign-on');
  const link = /href="(\/admin\/single-sign-on\/requests\/[0-9a-f-]+)"/.exec(list.body)?.[1];
  assert.ok(link, 'the request is listed');
  const page = await admin.get(link);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Robin Newstarter/);
  assert.doesNotMatch(page.body, /value="[a-z_]+" checked/, 'no role ticked from the requester’s own app roles');
  assert.doesNotMatch(page.body, /and their roles stay as they are/);
  assert.match(page.body, /their roles become the roles those app roles give/);

  const noRole = await admin.post(`${link}/approve`, { user_id: '', email: 'robin@ssoadmin.test.example' });
  assert.equal(noRole.statusCode, 400);
  assert.match(noRole.body, /Choose at least one role for the new account/);
  const approved = await admin.post(`${link}/approve`, {
    user_id: '',
    email: 'robin@ssoadmin.test.example',
    roles: 'social_worker',
  });
  assert.equal(approved.statusCode, 303);
  assert.match((await admin.get(String(approved.headers.location))).body, /Request approved/);

  const user = await db
    .selectFrom('users')
    .where('email', '=', 'robin@ssoadmin.test.example')
    .select(['id', 'roles', 'password_hash', 'display_name'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(user.roles, ['social_worker']);
  assert.equal(user.password_hash, null);
  const audit = await db
    .selectFrom('audit_log')
    .where('actor_id', '=', adminUser.id)
    .where('action', 'in', ['sso.access_approved', 'user.roles_changed', 'create'])
    .select('action')
    .execute();
  assert.deepEqual(audit.map((a) => a.action).sort(), ['create', 'sso.access_approved', 'user.roles_changed']);

  const signedIn = await signIn(app, login);
  assert.equal(signedIn.res.statusCode, 303);
  const home = await signedIn.browser.get('/');
  assert.equal(home.statusCode, 200);
  assert.ok(home.body.includes('Robin Newstarter'));
});

test('a refused request is refused at the next sign-in; the API lists, adds and removes', async () => {
  const login = provider.account(TENANT, { name: 'Casey Refused' });
  assert.equal((await signIn(app, login)).res.statusCode, 200);
  const admin = new Browser(app);
  await admin.login(adminUser.email);
  const req = await db
    .selectFrom('sso_access_requests')
    .where('display_name', '=', 'Casey Refused')
    .select('id')
    .executeTakeFirstOrThrow();
  const refused = await admin.post(`/admin/single-sign-on/requests/${req.id}/refuse`, {});
  assert.equal(refused.statusCode, 303);
  const after = await signIn(app, login);
  assert.equal(after.res.statusCode, 403);
  assert.match(after.res.body, /Your request to use Handover was refused/);

  const created = await new AuthService(db, testConfig(), () => new Date()).createApiToken(adminUser.email, 'sso test');
  const auth = { authorization: `Bearer ${created?.token}` };
  const tenants = await app.inject({ method: 'GET', url: '/api/v1/sso/tenants', headers: auth });
  assert.equal(tenants.statusCode, 200);
  assert.equal(tenants.json().items[0].tid, TENANT);
  const bad = await app.inject({
    method: 'POST',
    url: '/api/v1/sso/role-mappings',
    headers: auth,
    payload: { app_role: 'Handover.Manager', role: 'nobody' },
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().fields.role, /Choose the Handover role/);
  const added = await app.inject({
    method: 'POST',
    url: '/api/v1/sso/role-mappings',
    headers: auth,
    payload: { app_role: 'Handover.Manager', role: 'team_manager' },
  });
  assert.equal(added.statusCode, 201);
  const removed = await app.inject({
    method: 'DELETE',
    url: `/api/v1/sso/role-mappings/${added.json().id}`,
    headers: auth,
  });
  assert.equal(removed.statusCode, 200);
  const pending = await app.inject({ method: 'GET', url: '/api/v1/sso/access-requests', headers: auth });
  assert.deepEqual(pending.json().items, []);
});

test('an issuer that cannot be reached: one line at start-up, the button’s route answers 503, local sign-in works', async () => {
  const { app: down, lines } = await ssoApp({
    oidc: provider.settings(undefined, { issuer: 'http://127.0.0.1:9/unreachable' }),
  });
  await until(() => lines.some((l) => l.includes('Single sign-on is not available')));
  const line = lines.filter((l) => l.includes('Single sign-on is not available'));
  assert.equal(line.length, 1);
  assert.ok(!line[0]!.includes(provider.clientSecret));
  const browser = new Browser(down);
  const page = await browser.get('/login');
  assert.match(page.body, /Sign in with your council account/);
  assert.match(page.body, /name="password"/);
  const start = await browser.get('/auth/oidc/start');
  assert.equal(start.statusCode, 503);
  assert.match(start.body, /Signing in with your council account is not available now/);
  await browser.login(userByRole(org, 'social_worker').email);
  assert.equal((await browser.get('/')).statusCode, 200);
});

test('a wrong client secret: one line at start-up saying the issuer refused the client', async () => {
  const { lines } = await ssoApp({ oidc: provider.settings(undefined, { clientSecret: 'not-the-secret' }) });
  await until(() => lines.some((l) => l.includes('Single sign-on is')));
  const line = lines.find((l) => l.includes('Single sign-on is'));
  assert.match(line ?? '', /Single sign-on is not available: the issuer refused the client id or its secret/);
  assert.ok(!(line ?? '').includes('not-the-secret'));
});

test('with no OIDC configured there is no button and the routes are not found', async () => {
  const plain = await createApp({ db, config: testConfig(), now: () => new Date() });
  test.after(() => plain.close());
  const browser = new Browser(plain);
  assert.doesNotMatch((await browser.get('/login')).body, /council account/);
  assert.equal((await browser.get('/auth/oidc/start')).statusCode, 404);
  assert.equal((await browser.get('/auth/oidc/callback?state=x&code=y')).statusCode, 404);
});
