// What the directory may reach (issue 17, the attacker's review F2–F4): only the accounts it manages — those it
// created, those carrying a directory id, and existing staff an administrator handed to it — never an administrator,
// a setting's account or an outside organisation's member; a directory id set once; an account a person closed stays
// closed; and a line manager from the council's own staff, by SCIM and on the administrator's form alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from './helpers.ts';
import { ENTERPRISE, scimSetup } from './scim-kit.ts';

const { db, org, app, admin, call, entraUser, patch } = await scimSetup('scs');

const row = (id: string) =>
  db
    .selectFrom('users')
    .where('id', '=', id)
    .select(['external_id', 'active', 'display_name', 'line_manager_id', 'version'])
    .executeTakeFirstOrThrow();
const byUserName = async (email: string) =>
  (await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`)).body.totalResults as number;
const userWith = (role: string) => org.users.find((u) => u.role === role);

const adminUser = userByRole(org, 'admin');
const worker = userByRole(org, 'social_worker');
const police = userByRole(org, 'panel_member');
const setting = userWith('setting_user');

test('an account the directory does not manage is not there: not found, not listed, not changed', async () => {
  for (const u of [adminUser, worker]) {
    assert.equal((await call('GET', `/Users/${u.id}`)).status, 404);
    assert.equal(await byUserName(u.email), 0, `${u.email} is not listed`);
    const res = await call(
      'PATCH',
      `/Users/${u.id}`,
      patch({ op: 'Replace', path: 'externalId', value: 'oid-attacker' }),
    );
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.equal(res.body.status, '404');
    assert.equal((await row(u.id)).external_id, null);
  }
  // Entra then tries to create the existing person: refused, and told how the administrator hands accounts over.
  const again = await call('POST', '/Users', entraUser('x', { userName: worker.email }));
  assert.equal(again.status, 409);
  assert.match(again.body.detail, /\/admin\/provisioning/);
});

test('existing staff handed over by an administrator are found and linked once; administrators and outsiders never', async () => {
  const handed = await app.services.scimAdmin.takeOverExistingStaff(admin);
  assert.ok(handed > 0);
  assert.equal(await byUserName(worker.email), 1);
  const linked = await call(
    'PATCH',
    `/Users/${worker.id}`,
    patch({ op: 'Replace', path: 'externalId', value: 'oid-w' }),
  );
  assert.equal(linked.status, 200, JSON.stringify(linked.body));
  assert.equal((await row(worker.id)).external_id, 'oid-w');
  // Set once: another value is refused, naming externalId, and nothing changes.
  const moved = await call(
    'PATCH',
    `/Users/${worker.id}`,
    patch({ op: 'Replace', path: 'externalId', value: 'oid-x' }),
  );
  assert.equal(moved.status, 400);
  assert.equal(moved.body.scimType, 'mutability');
  assert.match(moved.body.detail, /^externalId: /);
  assert.equal((await row(worker.id)).external_id, 'oid-w');
  // A PUT without externalId keeps it (only an administrator changes it).
  const put = await call('PUT', `/Users/${worker.id}`, { userName: worker.email, displayName: 'Sam Put' });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal((await row(worker.id)).external_id, 'oid-w');

  const outOfReach = [adminUser, police, ...(setting ? [setting] : [])];
  for (const u of outOfReach) {
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', patch({ op: 'Replace', path: 'externalId', value: `oid-${u.id}` })],
      ['PUT', { userName: u.email, displayName: 'Taken Over', externalId: `oid-${u.id}` }],
      ['DELETE', undefined],
    ] as const) {
      const res = await call(method, `/Users/${u.id}`, body);
      assert.equal(res.status, 404, `${u.role} ${method}: ${JSON.stringify(res.body)}`);
    }
    assert.equal(await byUserName(u.email), 0);
    const r = await row(u.id);
    assert.equal(r.external_id, null);
    assert.equal(r.active, true);
  }
  // Even carrying a directory id (an administrator's single sign-on approval), an administrator stays out of reach.
  await db.updateTable('users').set({ external_id: 'oid-admin' }).where('id', '=', adminUser.id).execute();
  assert.equal((await call('GET', `/Users/${adminUser.id}`)).status, 404);
});

test('an account already linked to a single sign-on identity never gets its directory id from SCIM', async () => {
  const { body } = await call('POST', '/Users', entraUser('iris', { externalId: undefined }));
  const id = body.id as string;
  await db
    .insertInto('user_identities')
    .values({ authority_id: org.authorityId, user_id: id, tid: 'tenant-1', oid: 'oid-real' })
    .execute();
  const res = await call('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'externalId', value: 'oid-attacker' }));
  assert.equal(res.status, 400);
  assert.equal(res.body.scimType, 'mutability');
  assert.match(res.body.detail, /^externalId: .*single sign-on/);
  assert.equal((await row(id)).external_id, null);
});

test('the directory reopens only an account it closed itself; one an administrator closed stays closed', async () => {
  const { body } = await call('POST', '/Users', entraUser('kit'));
  const id = body.id as string;
  await app.services.organisations.setActive(admin, id, false);
  const refused = await call('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'True' }));
  assert.equal(refused.status, 400, JSON.stringify(refused.body));
  assert.equal(refused.body.scimType, 'mutability');
  assert.match(refused.body.detail, /^active: .*An administrator must reactivate it/);
  assert.equal((await row(id)).active, false);
  // Closed by the directory after an administrator reopened it: the directory may open it again.
  await app.services.organisations.setActive(admin, id, true);
  assert.equal((await call('DELETE', `/Users/${id}`)).status, 204);
  const reopened = await call('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'True' }));
  assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
  assert.equal((await row(id)).active, true);
  const alert = await db
    .selectFrom('alerts')
    .where('authority_id', '=', org.authorityId)
    .where('kind', '=', 'account-reactivated')
    .where('message', 'like', '%Kit Joiner%')
    .select('message')
    .executeTakeFirst();
  assert.ok(alert, 'the security role is alerted');
});

test('a line manager must be council staff: refused by SCIM and on the administrator’s form', async () => {
  const { body } = await call('POST', '/Users', entraUser('lee'));
  const id = body.id as string;
  const res = await call(
    'PATCH',
    `/Users/${id}`,
    patch({ op: 'Add', path: `${ENTERPRISE}:manager`, value: police.id }),
  );
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.match(res.body.detail, /^manager: Choose a line manager from the council’s own staff/);
  assert.equal((await row(id)).line_manager_id, null);
  const joiner = await call('POST', '/Users', entraUser('lou', { [ENTERPRISE]: { manager: { value: police.id } } }));
  assert.equal(joiner.status, 400);

  // The administrator's form: an outside organisation's member, or someone with only outside agencies' roles.
  const outsider = userByRole(org, 'advice_giver');
  const onlyOutsideRoles = userByRole(org, 'forum_chair');
  await db
    .updateTable('users')
    .set({ roles: ['commissioner'] })
    .where('id', '=', onlyOutsideRoles.id)
    .execute();
  for (const m of [police, outsider, onlyOutsideRoles]) {
    const { version } = await row(worker.id);
    await assert.rejects(
      app.services.organisations.updateUser(admin, worker.id, {
        input: { line_manager_id: m.id, version },
        errors: {},
      }),
      (e: { fields?: Record<string, string> }) =>
        /^Choose a line manager from the council’s own staff/.test(e.fields?.line_manager_id ?? ''),
    );
  }
  // Council staff still can.
  const { version } = await row(worker.id);
  const tm = userByRole(org, 'service_manager');
  await app.services.organisations.updateUser(admin, worker.id, {
    input: { line_manager_id: tm.id, version },
    errors: {},
  });
  assert.equal((await row(worker.id)).line_manager_id, tm.id);
});
