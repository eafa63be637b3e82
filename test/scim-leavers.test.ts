// Leavers by SCIM (issue 17 parts 3 and 6): the directory closes Sam's account (PATCH active "False", as Entra sends
// it; or DELETE) and at once Sam's browser session and API token stop working, Sam's cases stay allocated to Sam
// (never unallocated), and the line manager — or, with none, the team's managers — is told in-app and by email how
// much work needs moving, with a link to the reallocation page and no young person's details.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authUser } from '../src/modules/demo/journeys.ts';
import { Browser } from './helpers.ts';
import { reallocationSetup } from './reallocation-setup.ts';
import { ENTERPRISE, PATCH_OP } from './scim-kit.ts';

const { db, org, app, team, manager, sam, admin, coordinator, person, actionFor, stepFor, tokenFor } =
  await reallocationSetup('scl');
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const origin = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
const adminUser = await authUser(db, admin.id);
const { secret } = await app.services.scimAdmin.createSecret(adminUser, { label: 'Entra ID provisioning' });
// The seeded staff existed before provisioning: an administrator hands them to the directory (F2 of the review).
await app.services.scimAdmin.takeOverExistingStaff(adminUser);

async function scim(method: string, path: string, body?: unknown) {
  const res = await fetch(`${origin}/scim/v2${path}`, {
    method,
    headers: {
      authorization: `Bearer ${secret}`,
      accept: 'application/scim+json',
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const notificationsOf = (userId: string) =>
  db.selectFrom('notifications').where('user_id', '=', userId).select(['message', 'link']).execute();
const workerOf = async (involvementId: string) =>
  (await db.selectFrom('involvements').where('id', '=', involvementId).select('worker_id').executeTakeFirstOrThrow())
    .worker_id;

test('PATCH active "False" ends the leaver’s session and token at once and tells the line manager what to move', async () => {
  const a = await person({ protected: true });
  const b = await person();
  await stepFor(a.id);
  await actionFor(b.id);
  const samBrowser = new Browser(app);
  await samBrowser.login(sam.email);
  assert.equal((await samBrowser.get('/')).statusCode, 200);
  const token = await tokenFor(sam.id);
  const apiBefore = await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: token });
  assert.equal(apiBefore.statusCode, 200);
  const before = await notificationsOf(manager.id);

  const res = await scim('PATCH', `/Users/${sam.id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.active, false);

  // At once: the old session is sent to sign in, the token refused.
  const page = await samBrowser.get('/');
  assert.equal(page.statusCode, 302);
  assert.equal(page.headers.location, '/login');
  assert.equal((await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: token })).statusCode, 401);
  assert.equal((await db.selectFrom('sessions').where('user_id', '=', sam.id).select('id_hash').execute()).length, 0);

  // The work stays with Sam until a manager moves it (never unallocated).
  assert.equal(await workerOf(a.involvementId), sam.id);
  assert.equal(await workerOf(b.involvementId), sam.id);

  // Marcus (Sam's line manager, who manages the team) is told the counts, with the reallocation page's link.
  const told = (await notificationsOf(manager.id)).slice(before.length);
  assert.equal(told.length, 1);
  assert.match(
    told[0]?.message ?? '',
    /Sam Social-Worker has left and their account is closed: 2 cases, 1 protocol step and 1 plan action in .+ need reallocating/,
  );
  assert.equal(told[0]?.link, `/teams/${team}/workers/${sam.id}/reallocate`);
  const email = await db
    .selectFrom('outbox')
    .where((eb) => eb(eb.val(manager.email), '=', eb.fn.any('to_addresses')))
    .orderBy('created_at', 'desc')
    .select(['subject', 'body'])
    .executeTakeFirstOrThrow();
  assert.match(email.body, new RegExp(`/teams/${team}/workers/${sam.id}/reallocate`));
  // Counts only: no young person's name or case number.
  for (const text of [email.subject, email.body, told[0]?.message ?? '']) {
    assert.doesNotMatch(text, /Robin|Moved\d|R-scl-/);
  }

  // The audit: the deactivation (sessions ended, tokens revoked) and the work listed, both from the directory.
  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', sam.id)
    .orderBy('seq')
    .select(['action', 'actor_id', 'detail'])
    .execute();
  const deactivate = audit.find((r) => r.action === 'deactivate');
  assert.ok(deactivate);
  assert.equal(deactivate.actor_id, null);
  const detail = deactivate.detail as { via: string; sessions_ended: number; tokens_revoked: number };
  assert.equal(detail.via, 'scim');
  assert.equal(detail.sessions_ended, 1);
  assert.equal(detail.tokens_revoked, 1);
  const listed = audit.find((r) => r.action === 'leaver_work_listed');
  assert.deepEqual((listed?.detail as { teams?: unknown[] } | undefined)?.teams, [
    { team_id: team, cases: 2, steps: 1, actions: 1, told: [manager.id] },
  ]);

  // Marcus sees Sam as closed on /caseload and opens the list to move it.
  const marcus = new Browser(app);
  await marcus.login(manager.email);
  const caseload = await marcus.get('/caseload');
  assert.match(
    caseload.body,
    /Sam Social-Worker<span class="govuk-visually-hidden">: move their cases<\/span><\/a> \(account closed\)/,
  );
  // And in My work, with the link to move them.
  const myWork = await marcus.get('/?kind=leaver');
  assert.match(myWork.body, /Move 2 cases of Sam Social-Worker \(account closed\) in /);
  assert.match(myWork.body, new RegExp(`href="/teams/${team}/workers/${sam.id}/reallocate"`));
  const list = await marcus.get(`/teams/${team}/workers/${sam.id}/reallocate`);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, new RegExp(`value="${a.involvementId}"`));

  // Closing an already closed account again tells nobody twice.
  const again = await scim('PATCH', `/Users/${sam.id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: 'Replace', value: { active: false } }],
  });
  assert.equal(again.status, 200);
  assert.equal((await notificationsOf(manager.id)).length, before.length + 1);
});

test('DELETE closes a leaver with no line manager (never deletes the account), and the team’s managers are told', async () => {
  await app.services.scimAdmin.saveMapping(adminUser, { department: 'Disabled Children North', team_id: team });
  const made = await scim('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    userName: `quinn.${org.authorityId.slice(0, 6)}@example.test`,
    externalId: 'oid-quinn',
    displayName: 'Quinn Short-Stay',
    [ENTERPRISE]: { department: 'Disabled Children North' },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const quinn = made.body.id as string;
  // A case allocated to Quinn in the team (an administrator gave them a role meanwhile).
  await db
    .updateTable('users')
    .set({ roles: ['social_worker'] })
    .where('id', '=', quinn)
    .execute();
  const { id: personId } = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: 'Q-scl-1',
      given_name: 'Pat',
      family_name: 'Quinncase',
      date_of_birth: '2010-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      team_id: team,
      worker_id: quinn,
      reason: 'Child in need',
      start_date: '2026-01-05',
    })
    .execute();
  const before = await notificationsOf(manager.id);

  const res = await fetch(`${origin}/scim/v2/Users/${quinn}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${secret}` },
  });
  assert.equal(res.status, 204);
  const row = await db.selectFrom('users').where('id', '=', quinn).select(['active']).executeTakeFirstOrThrow();
  assert.equal(row.active, false);
  const got = await scim('GET', `/Users/${quinn}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.active, false);

  const told = (await notificationsOf(manager.id)).slice(before.length);
  assert.equal(told.length, 1);
  assert.match(
    told[0]?.message ?? '',
    /Quinn Short-Stay has left and their account is closed: 1 case in .+ need reallocating/,
  );
  assert.equal(told[0]?.link, `/teams/${team}/workers/${quinn}/reallocate`);
});

test('a line manager who does not manage the leaver’s team is told, and so are the team’s managers', async () => {
  // The mapping to the team was saved by the test before.
  const made = await scim('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    userName: `robin.${org.authorityId.slice(0, 6)}@example.test`,
    displayName: 'Robin Cross-Team',
    [ENTERPRISE]: { department: 'Disabled Children North', manager: { value: coordinator.id } },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const robin = made.body.id as string;
  const { id: personId } = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: 'Q-scl-2',
      given_name: 'Lee',
      family_name: 'Crosscase',
      date_of_birth: '2010-02-02',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      team_id: team,
      worker_id: robin,
      reason: 'Child in need',
      start_date: '2026-01-05',
    })
    .execute();
  const before = { coordinator: await notificationsOf(coordinator.id), manager: await notificationsOf(manager.id) };
  const res = await scim('PATCH', `/Users/${robin}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
  });
  assert.equal(res.status, 200);
  for (const [who, id] of [
    ['coordinator', coordinator.id],
    ['manager', manager.id],
  ] as const) {
    const told = (await notificationsOf(id)).slice(before[who].length);
    assert.equal(told.length, 1, who);
    assert.match(told[0]?.message ?? '', /Robin Cross-Team has left and their account is closed: 1 case in /);
  }
});
