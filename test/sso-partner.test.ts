// Single sign-on and partner organisations' tenants (issue 17 security review F1, F2, M3): a token never gives a
// role that administers the council, a partner tenant's app roles give only outside-agency roles and only through
// the mappings naming that tenant, every role a sign-in adds alerts the security role, a first sign-in links to a
// provisioned account only from the council's own tenant and never to an administrator or an outside organisation's
// account, and removing a tenant ends its accounts' sessions while keeping refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/app.ts';
import type { Db } from '../src/db/database.ts';
import { authUser } from '../src/modules/demo/journeys.ts';
import { Browser, seedOrganisation, testConfig, testDatabase, userByRole } from './helpers.ts';
import { OTHER_TENANT, startProvider, TENANT } from './sso-kit.ts';

const provider = await startProvider();
const { db } = await testDatabase();
const org = await seedOrganisation(db, 'ssopartner');
const nhs = await db
  .selectFrom('services')
  .where('authority_id', '=', org.authorityId)
  .where('external', '=', true)
  .select('id')
  .executeTakeFirstOrThrow();
const [council, partner] = await db
  .insertInto('sso_tenants')
  .values([
    { authority_id: org.authorityId, tid: TENANT, label: 'Test Council' },
    { authority_id: org.authorityId, tid: OTHER_TENANT, label: 'NHS Trust', service_id: nhs.id },
  ])
  .returning('id')
  .execute();
// Rows as they might be from before the fix (or written by hand in the database): the sign-in must still refuse them.
await db
  .insertInto('sso_role_mappings')
  .values([
    { authority_id: org.authorityId, app_role: 'Handover.Admin', role: 'admin' },
    { authority_id: org.authorityId, app_role: 'Handover.SocialWorker', role: 'social_worker' },
    { authority_id: org.authorityId, app_role: 'Handover.Setting', role: 'setting_user' },
    { authority_id: org.authorityId, tenant_id: partner!.id, app_role: 'Handover.AdviceGiver', role: 'advice_giver' },
    {
      authority_id: org.authorityId,
      tenant_id: partner!.id,
      app_role: 'Handover.Coordinator',
      role: 'ehcp_coordinator',
    },
    { authority_id: org.authorityId, tenant_id: partner!.id, app_role: 'Handover.Admin', role: 'admin' },
  ])
  .execute();

const lines: string[] = [];
const app = await createApp({
  db,
  config: testConfig({ oidc: provider.settings() }),
  now: () => new Date(),
  logger: { level: 'info', stream: { write: (l: string) => lines.push(l) } },
});
test.after(() => app.close());

async function signIn(login: string) {
  const browser = new Browser(app);
  const start = await browser.get('/auth/oidc/start');
  const callback = await provider.signIn(String(start.headers.location), login);
  return { browser, res: await browser.get(callback.pathname + callback.search) };
}
const rolesOf = async (database: Db, id: string) =>
  (await database.selectFrom('users').where('id', '=', id).select('roles').executeTakeFirstOrThrow()).roles;
const alertCount = async () =>
  (await db.selectFrom('alerts').where('authority_id', '=', org.authorityId).select('id').execute()).length;
const linkedTo = async (oid: string) =>
  (await db.selectFrom('user_identities').where('oid', '=', oid).select('user_id').executeTakeFirst())?.user_id;

test('a mapping to a role that administers the council, or a partner tenant’s mapping to a council role, is refused at entry', async () => {
  const admin = new Browser(app);
  await admin.login(userByRole(org, 'admin').email);
  const toAdmin = await admin.post('/admin/single-sign-on/role-mappings', { app_role: 'Handover.It', role: 'admin' });
  assert.equal(toAdmin.statusCode, 400);
  assert.match(toAdmin.body, /Council IT administrator is given by hand only, in Users/);
  const toManager = await admin.post('/admin/single-sign-on/role-mappings', {
    app_role: 'Handover.Audit',
    role: 'service_manager',
  });
  assert.equal(toManager.statusCode, 400, 'service manager holds audit:read');
  const partnerWorker = await admin.post('/admin/single-sign-on/role-mappings', {
    tenant_id: partner!.id,
    app_role: 'Handover.Worker',
    role: 'social_worker',
  });
  assert.equal(partnerWorker.statusCode, 400);
  assert.match(partnerWorker.body, /A partner organisation’s tenant can only give roles for outside agencies/);
  const partnerPanel = await admin.post('/admin/single-sign-on/role-mappings', {
    tenant_id: partner!.id,
    app_role: 'Handover.Panel',
    role: 'panel_member',
  });
  assert.equal(partnerPanel.statusCode, 303);
  const councilWorker = await admin.post('/admin/single-sign-on/role-mappings', {
    tenant_id: council!.id,
    app_role: 'Handover.Worker',
    role: 'social_worker',
  });
  assert.equal(councilWorker.statusCode, 303);
  const written = await db
    .selectFrom('sso_role_mappings')
    .where('app_role', 'in', ['Handover.It', 'Handover.Audit', 'Handover.Worker', 'Handover.Panel'])
    .select(['app_role', 'role', 'tenant_id'])
    .orderBy('app_role')
    .execute();
  assert.deepEqual(written, [
    { app_role: 'Handover.Panel', role: 'panel_member', tenant_id: partner!.id },
    { app_role: 'Handover.Worker', role: 'social_worker', tenant_id: council!.id },
  ]);
});

test('a partner user approved as advice giver never becomes a council administrator or coordinator by app roles', async () => {
  const adminUser = await authUser(db, userByRole(org, 'admin').id);
  const login = provider.account(OTHER_TENANT, { roles: ['Handover.AdviceGiver'], name: 'Pat Partner' });
  assert.equal((await signIn(login)).res.statusCode, 200);
  const { oid } = provider.accounts.get(login)!;
  const req = await db.selectFrom('sso_access_requests').where('oid', '=', oid).select('id').executeTakeFirstOrThrow();
  const userId = await app.services.sso.admin.approve(adminUser, req.id, {
    user_id: null,
    roles: ['advice_giver'],
    email: 'pat.partner@nhs.example',
  });
  provider.accounts.get(login)!.roles = ['Handover.Admin', 'Handover.Coordinator', 'Handover.SocialWorker'];
  const refused = await signIn(login);
  assert.equal(refused.res.statusCode, 403, 'no role a partner tenant may give');
  assert.deepEqual(await rolesOf(db, userId), []);
  const ignored = lines.find((l) => l.includes('mapped roles ignored')) ?? '';
  assert.ok(ignored.includes('admin') && ignored.includes('ehcp_coordinator'), lines.join('\n'));
  assert.ok(!ignored.includes(oid) && !ignored.includes('Pat'), 'role names only, never who');

  provider.accounts.get(login)!.roles = ['Handover.Admin', 'Handover.AdviceGiver'];
  const { browser, res } = await signIn(login);
  assert.equal(res.statusCode, 303, res.body);
  assert.deepEqual(await rolesOf(db, userId), ['advice_giver']);
  assert.equal((await browser.get('/admin/provisioning')).statusCode, 403);
});

test('the council’s own tenant never gives administrator either, and keeps an administrator’s hand-given role', async () => {
  const it = userByRole(org, 'admin');
  const login = provider.account(TENANT, { roles: ['Handover.Admin', 'Handover.SocialWorker'] });
  const user = userByRole(org, 'forum_chair');
  await db
    .updateTable('users')
    .set({ external_id: provider.accounts.get(login)!.oid })
    .where('id', '=', user.id)
    .execute();
  const { res } = await signIn(login);
  assert.equal(res.statusCode, 303, res.body);
  assert.deepEqual(await rolesOf(db, user.id), ['social_worker']);
  assert.ok(lines.some((l) => l.includes('single sign-on ignored mapped roles') && l.includes('admin')));

  // An administrator linked by hand keeps the role through a sign-in whose app roles give something else.
  const adminUser = await authUser(db, it.id);
  const itLogin = provider.account(TENANT, { roles: ['Handover.SocialWorker'], name: 'IT Person' });
  assert.equal((await signIn(itLogin)).res.statusCode, 200);
  const req = await db
    .selectFrom('sso_access_requests')
    .where('oid', '=', provider.accounts.get(itLogin)!.oid)
    .select('id')
    .executeTakeFirstOrThrow();
  const other = userByRole(org, 'exploitation_lead');
  await db
    .updateTable('users')
    .set({ roles: ['admin'] })
    .where('id', '=', other.id)
    .execute();
  await app.services.sso.admin.approve(adminUser, req.id, { user_id: other.id, roles: [], email: '' });
  assert.equal((await signIn(itLogin)).res.statusCode, 303);
  assert.deepEqual((await rolesOf(db, other.id)).sort(), ['admin', 'social_worker']);
});

test('a sign-in that adds any role alerts the security role, not only a case role', async () => {
  const user = userByRole(org, 'hub_manager');
  const login = provider.account(TENANT, { roles: ['Handover.Setting'] });
  await db
    .updateTable('users')
    .set({ external_id: provider.accounts.get(login)!.oid })
    .where('id', '=', user.id)
    .execute();
  const before = await alertCount();
  assert.equal((await signIn(login)).res.statusCode, 303);
  assert.deepEqual(await rolesOf(db, user.id), ['setting_user']);
  assert.equal(await alertCount(), before + 1, 'the added setting account role is alerted');
  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', user.id)
    .where('action', '=', 'user.roles_changed')
    .select('detail')
    .executeTakeFirstOrThrow();
  assert.equal((audit.detail as { alerted_role?: string }).alerted_role, 'service_manager');
});

test('a first sign-in links to a provisioned account only from the council’s tenant, never to an administrator or an outside organisation’s account', async () => {
  const worker = userByRole(org, 'ehcp_coordinator');
  const fromPartner = provider.account(OTHER_TENANT);
  await db
    .updateTable('users')
    .set({ external_id: provider.accounts.get(fromPartner)!.oid })
    .where('id', '=', worker.id)
    .execute();
  assert.equal((await signIn(fromPartner)).res.statusCode, 200, 'a request, not a session');
  assert.equal(await linkedTo(provider.accounts.get(fromPartner)!.oid), undefined);

  for (const holder of [userByRole(org, 'admin'), userByRole(org, 'advice_giver')]) {
    const login = provider.account(TENANT);
    const { oid } = provider.accounts.get(login)!;
    await db.updateTable('users').set({ external_id: oid }).where('id', '=', holder.id).execute();
    const { res } = await signIn(login);
    assert.equal(res.statusCode, 200, `${holder.role}: a request for an administrator`);
    assert.match(res.body, /Your request to use Handover has been sent/);
    assert.equal(await linkedTo(oid), undefined, `${holder.role} not linked`);
  }
});

test('removing a tenant ends its accounts’ sessions and links, audited; a refusal stays a refusal if it comes back', async () => {
  const tid = '33333333-2222-4333-8444-555555555555';
  const adminUser = await authUser(db, userByRole(org, 'admin').id);
  const tenantId = await app.services.sso.admin.addTenant(adminUser, {
    tid,
    label: 'School Trust',
    service_id: nhs.id,
  });
  await app.services.sso.admin.addMapping(adminUser, {
    tenant_id: tenantId,
    app_role: 'Handover.AdviceGiver',
    role: 'advice_giver',
  });
  const member = provider.account(tid, { roles: ['Handover.AdviceGiver'] });
  const refusedLogin = provider.account(tid, { name: 'Casey Refused' });
  for (const l of [member, refusedLogin]) assert.equal((await signIn(l)).res.statusCode, 200);
  const reqOf = async (l: string) =>
    (
      await db
        .selectFrom('sso_access_requests')
        .where('oid', '=', provider.accounts.get(l)!.oid)
        .select('id')
        .executeTakeFirstOrThrow()
    ).id;
  const userId = await app.services.sso.admin.approve(adminUser, await reqOf(member), {
    user_id: null,
    roles: ['advice_giver'],
    email: 'member@school.example',
  });
  await app.services.sso.admin.refuse(adminUser, await reqOf(refusedLogin));
  const { browser } = await signIn(member);
  assert.equal((await browser.get('/')).statusCode, 200);

  await app.services.sso.admin.removeTenant(adminUser, tenantId);
  assert.equal((await browser.get('/')).statusCode, 302, 'the session ended at once');
  assert.equal(await linkedTo(provider.accounts.get(member)!.oid), undefined);
  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', tenantId)
    .where('action', '=', 'sso.tenant_removed')
    .select('detail')
    .executeTakeFirstOrThrow();
  assert.deepEqual(audit.detail, { tid, identities_removed: 1, sessions_ended: 1 });
  assert.equal((await db.selectFrom('sessions').where('user_id', '=', userId).select('id_hash').execute()).length, 0);

  await app.services.sso.admin.addTenant(adminUser, { tid, label: 'School Trust', service_id: nhs.id });
  const again = await signIn(refusedLogin);
  assert.equal(again.res.statusCode, 403);
  assert.match(again.res.body, /Your request to use Handover was refused/);
});
