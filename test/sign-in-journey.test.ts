// Issue 17's Done, across its parts: the council's directory provisions a joiner by SCIM (externalId = their object
// id), the joiner signs in through a real OpenID Connect provider and lands on My work with the role their app role
// maps to, takes a case, and when the directory closes the account their session ends at once and their line manager
// is told what to move, with the reallocation page's link — which lists the case.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/app.ts';
import { authUser } from '../src/modules/demo/journeys.ts';
import { Browser, testConfig } from './helpers.ts';
import { reallocationSetup } from './reallocation-setup.ts';
import { CORE, ENTERPRISE, PATCH_OP } from './scim-kit.ts';
import { startProvider, TENANT } from './sso-kit.ts';

const provider = await startProvider();
const { db, org, team, manager, admin, person } = await reallocationSetup('sij');
// The real clock: the provider's tokens are judged by it.
const app = await createApp({ db, config: testConfig({ oidc: provider.settings() }), now: () => new Date() });
test.after(() => app.close());

await db
  .insertInto('sso_tenants')
  .values({ authority_id: org.authorityId, tid: TENANT, label: 'Test Council' })
  .execute();
await db
  .insertInto('sso_role_mappings')
  .values({ authority_id: org.authorityId, app_role: 'Handover.SocialWorker', role: 'social_worker' })
  .execute();
const { secret } = await app.services.scimAdmin.createSecret(await authUser(db, admin.id), { label: 'Entra ID' });

async function scim(method: string, url: string, body: unknown) {
  const res = await app.inject({
    method: method as 'POST' | 'PATCH',
    url: `/scim/v2${url}`,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/scim+json' },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.json() };
}

test('provisioned, signed in by single sign-on with the mapped role, closed by the directory, work listed for the manager', async () => {
  const login = provider.account(TENANT, { roles: ['Handover.SocialWorker'], name: 'Jo Joiner' });
  const { oid } = provider.accounts.get(login)!;
  const domain = manager.email.split('@')[1];

  // 1. Entra provisions the joiner: no roles yet, their manager from the directory.
  const created = await scim('POST', '/Users', {
    schemas: [CORE, ENTERPRISE],
    externalId: oid,
    userName: `jo.joiner@${domain}`,
    displayName: 'Jo Joiner',
    active: true,
    [ENTERPRISE]: { manager: { value: manager.id } },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const jo = created.body.id as string;
  const row = await db.selectFrom('users').where('id', '=', jo).selectAll().executeTakeFirstOrThrow();
  assert.deepEqual(row.roles, [], 'provisioning alone gives no case access');
  assert.equal(row.line_manager_id, manager.id);
  await db.insertInto('team_members').values({ team_id: team, user_id: jo }).execute();

  // 2. Jo signs in with the council account: linked by oid, the app role mapped, My work.
  const browser = new Browser(app);
  const start = await browser.get('/auth/oidc/start');
  assert.equal(start.statusCode, 303);
  const callback = await provider.signIn(String(start.headers.location), login);
  const signedIn = await browser.get(callback.pathname + callback.search);
  assert.equal(signedIn.statusCode, 303, signedIn.body);
  assert.equal(signedIn.headers.location, '/');
  const home = await browser.get('/');
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /My work/);
  assert.match(home.body, /Jo Joiner/);
  const after = await db.selectFrom('users').where('id', '=', jo).select('roles').executeTakeFirstOrThrow();
  assert.deepEqual(after.roles, ['social_worker']);

  // 3. Jo is allocated a child, and opens the record.
  const child = await person();
  await db.updateTable('involvements').set({ worker_id: jo }).where('id', '=', child.involvementId).execute();
  assert.equal((await browser.get(`/people/${child.id}`)).statusCode, 200);

  // 4. Jo leaves: Entra sends active "False". The session ends at once; the case stays Jo's until it is moved.
  const closed = await scim('PATCH', `/Users/${jo}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
  });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  const refused = await browser.get('/');
  assert.equal(refused.statusCode, 302);
  assert.equal(refused.headers.location, '/login');
  const inv = await db
    .selectFrom('involvements')
    .where('id', '=', child.involvementId)
    .select('worker_id')
    .executeTakeFirstOrThrow();
  assert.equal(inv.worker_id, jo, 'never unallocated');

  // 5. The manager is told, with the link; the page lists the case to move.
  const told = await db
    .selectFrom('notifications')
    .where('user_id', '=', manager.id)
    .where('link', '=', `/teams/${team}/workers/${jo}/reallocate`)
    .select('message')
    .execute();
  assert.equal(told.length, 1);
  assert.match(told[0]?.message ?? '', /Jo Joiner has left and their account is closed: 1 case/);
  assert.doesNotMatch(told[0]?.message ?? '', /Robin|Moved/, 'no child named');
  const marcus = new Browser(app);
  await marcus.login(manager.email);
  const page = await marcus.get(`/teams/${team}/workers/${jo}/reallocate`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /R-sij-1/, 'the case is listed to move');
});
