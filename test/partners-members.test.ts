// Partner organisations (issue 17 part 5): an outside organisation's lead manages its members — invites them (an
// advice giver's account, emailed a link), makes one a lead, deactivates one (sessions and tokens end) — and reaches
// no one else (another organisation's account, another council's: not found; an account with council roles:
// refused). A member who is not a lead is refused (403); the council's administrator chooses the leads.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '../src/modules/auth/service.ts';
import { Browser, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'partners');
const other = await seedOrganisation(db, 'elsewhere');
const app = await testApp(db);

const fiona = userByRole(org, 'advice_giver'); // the NHS trust's lead in the demo
const raj = org.users.find((u) => u.name.startsWith('Raj'))!; // NHS trust, team_manager
const dan = org.users.find((u) => u.name.startsWith('Dan'))!; // the police's lead
const nadia = userByRole(org, 'admin');
const coordinator = userByRole(org, 'ehcp_coordinator');
const elsewhereGiver = userByRole(other, 'advice_giver');
const nhs = (await db.selectFrom('users').where('id', '=', fiona.id).select('service_id').executeTakeFirstOrThrow())
  .service_id as string;

async function token(userId: string) {
  const t = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(t), label: 'test' })
    .execute();
  return { authorization: `Bearer ${t}` };
}
/** Gives an invited account the demo password, as if they had followed their link. */
async function setPassword(userId: string) {
  const { password_hash } = await db
    .selectFrom('users')
    .where('id', '=', fiona.id)
    .select('password_hash')
    .executeTakeFirstOrThrow();
  await db.updateTable('users').set({ password_hash }).where('id', '=', userId).execute();
}
const userByEmail = (email: string) => db.selectFrom('users').where('email', '=', email).selectAll().executeTakeFirst();

let nia = '';

test('the lead sees the members and invites one; bad input names the field and writes nothing', async () => {
  const f = new Browser(app);
  await f.login(fiona.email);
  const page = await f.get('/organisation');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Demoshire Community Health NHS Trust/);
  assert.match(page.body, /Fiona Advice-Giver/);
  assert.match(page.body, /Raj Clinical-Lead/);
  assert.doesNotMatch(page.body, /Dan Police-Officer/, 'another organisation’s account is not listed');
  // Raj has council roles: the lead cannot change his account; nor their own.
  assert.doesNotMatch(page.body, new RegExp(`/organisation/members/${raj.id}/deactivate`));
  assert.doesNotMatch(page.body, new RegExp(`/organisation/members/${fiona.id}/deactivate`));

  const users = await db.selectFrom('users').select('id').execute();
  const bad = await f.post('/organisation/members', { display_name: '', email: 'not-an-email', job_title: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /govuk-error-summary/);
  assert.match(bad.body, /Enter the person’s full name/);
  assert.match(bad.body, /Enter an email address in the correct format/);
  assert.match(bad.body, /Enter their job title/);
  assert.match(bad.body, /value="not-an-email"/, 'what was typed is kept');
  assert.equal((await db.selectFrom('users').select('id').execute()).length, users.length, 'nothing written');

  const taken = await f.post('/organisation/members', {
    display_name: 'Someone',
    email: coordinator.email,
    job_title: 'Nurse',
  });
  assert.equal(taken.statusCode, 400);
  assert.match(taken.body, /already has a Handover account/);

  const sent = await f.post('/organisation/members', {
    display_name: 'Nia Nurse',
    email: 'Nia.Nurse@NHS.example',
    job_title: 'School Nurse',
  });
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 400));
  assert.equal(sent.headers.location, '/organisation?saved=invited');
  const after = await f.get('/organisation?saved=invited');
  assert.match(after.body, /govuk-notification-banner--success[\s\S]*Invitation sent/);
  assert.match(after.body, /Nia Nurse/);
  const u = await userByEmail('nia.nurse@nhs.example');
  assert.ok(u);
  nia = u.id;
  assert.deepEqual(u.roles, ['advice_giver'], 'never more than advice_giver');
  assert.equal(u.service_id, nhs);
  assert.equal(u.password_hash, null);
  const mail = (await db.selectFrom('outbox').selectAll().execute()).find((m) =>
    m.to_addresses.includes('nia.nurse@nhs.example'),
  );
  assert.ok(mail, 'the invitation is in the outbox');
  assert.match(mail.body, /\/invite\/[A-Za-z0-9_-]{40,}/);
  const invite = await db.selectFrom('user_invites').where('user_id', '=', nia).selectAll().executeTakeFirstOrThrow();
  assert.equal(invite.created_by, fiona.id);
  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', nia)
    .where('action', '=', 'invite')
    .select(['actor_id', 'detail'])
    .executeTakeFirstOrThrow();
  assert.equal(audit.actor_id, fiona.id);
  assert.doesNotMatch(JSON.stringify(audit.detail), /invite\/|token/i, 'no token in the audit');
});

test('a member who is not a lead, and council staff, are refused (403) on every lead route', async () => {
  await setPassword(nia);
  const n = new Browser(app);
  await n.login('nia.nurse@nhs.example');
  assert.equal((await n.get('/organisation')).statusCode, 403);
  const inv = await n.post('/organisation/members', { display_name: 'X', email: 'x@nhs.example', job_title: 'Y' });
  assert.equal(inv.statusCode, 403);
  assert.equal(await userByEmail('x@nhs.example'), undefined);
  assert.equal((await n.post(`/organisation/members/${raj.id}/lead`, {})).statusCode, 403);
  const c = new Browser(app);
  await c.login(coordinator.email);
  assert.equal((await c.get('/organisation')).statusCode, 403);
  const api = await app.inject({ method: 'GET', url: '/api/v1/organisation', headers: await token(coordinator.id) });
  assert.equal(api.statusCode, 403);
  // The nav offers every advice giver their organisation's inbox.
  assert.match(
    (await n.get('/organisation/inbox')).body,
    /href="\/organisation\/inbox"[^>]*>[\s\S]{0,200}My organisation/,
  );
});

test('the lead reaches only their own organisation: another organisation’s or council’s account is not found', async () => {
  const f = new Browser(app);
  await f.login(fiona.email);
  for (const id of [dan.id, elsewhereGiver.id, coordinator.id]) {
    for (const action of ['deactivate', 'lead']) {
      const res = await f.post(`/organisation/members/${id}/${action}`, {});
      assert.equal(res.statusCode, 404, `${action} ${id}`);
    }
  }
  // In the organisation, but with council roles (Raj) or themselves: refused.
  assert.equal((await f.post(`/organisation/members/${raj.id}/deactivate`, {})).statusCode, 403);
  assert.equal((await f.post(`/organisation/members/${fiona.id}/deactivate`, {})).statusCode, 403);
  const still = await db
    .selectFrom('users')
    .where('id', 'in', [dan.id, elsewhereGiver.id, coordinator.id, raj.id, fiona.id])
    .select('active')
    .execute();
  assert.ok(still.every((u) => u.active));
  const api = await app.inject({
    method: 'POST',
    url: `/api/v1/organisation/members/${dan.id}/deactivate`,
    headers: await token(fiona.id),
    payload: {},
  });
  assert.equal(api.statusCode, 404);
});

test('the lead makes a member a lead, then deactivates another: sessions and tokens end at once', async () => {
  const f = new Browser(app);
  await f.login(fiona.email);
  const made = await f.post(`/organisation/members/${nia}/lead`, {});
  assert.equal(made.statusCode, 303);
  assert.match(
    (await f.get(String(made.headers.location))).body,
    /govuk-notification-banner--success[\s\S]*Lead added/,
  );
  const again = await f.post(`/organisation/members/${nia}/lead`, {});
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /Nia Nurse is already a lead/);
  assert.match(again.body, /href="#members"/);
  const n = new Browser(app);
  await n.login('nia.nurse@nhs.example');
  assert.equal((await n.get('/organisation')).statusCode, 200, 'a lead now');

  // Omar, invited through the API, signs in and has a token; Nia (now a lead) deactivates him.
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/organisation/members',
    headers: await token(fiona.id),
    payload: { display_name: 'Omar Therapist', email: 'omar@nhs.example', job_title: 'Speech and language therapist' },
  });
  assert.equal(created.statusCode, 201, created.body);
  const omar = created.json().id as string;
  const badApi = await app.inject({
    method: 'POST',
    url: '/api/v1/organisation/members',
    headers: await token(fiona.id),
    payload: { display_name: 'Q', email: 'nope', job_title: 'T' },
  });
  assert.equal(badApi.statusCode, 400);
  assert.match(badApi.body, /email/);
  await setPassword(omar);
  const o = new Browser(app);
  await o.login('omar@nhs.example');
  const omarToken = await token(omar);
  assert.equal((await o.get('/organisation/inbox')).statusCode, 200);

  const gone = await n.post(`/organisation/members/${omar}/deactivate`, {});
  assert.equal(gone.statusCode, 303);
  assert.match((await n.get(String(gone.headers.location))).body, /Member deactivated/);
  assert.equal((await userByEmail('omar@nhs.example'))?.active, false);
  assert.equal((await o.get('/organisation/inbox')).statusCode, 302, 'the session has ended');
  const byToken = await app.inject({ method: 'GET', url: '/api/v1/organisation/inbox', headers: omarToken });
  assert.equal(byToken.statusCode, 401, 'the token is revoked');
  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', omar)
    .where('action', '=', 'deactivate')
    .select('actor_id')
    .executeTakeFirstOrThrow();
  assert.equal(audit.actor_id, nia);
  const list = await app.inject({ method: 'GET', url: '/api/v1/organisation', headers: await token(fiona.id) });
  assert.equal(list.statusCode, 200);
  const names = (list.json().members as { display_name: string; is_lead: boolean }[]).map(
    (m) => `${m.display_name}${m.is_lead ? ' (lead)' : ''}`,
  );
  assert.deepEqual(names, ['Fiona Advice-Giver (lead)', 'Nia Nurse (lead)', 'Raj Clinical-Lead']);
});

test('the council’s administrator chooses an outside organisation’s leads', async () => {
  const a = new Browser(app);
  await a.login(nadia.email);
  assert.match((await a.get('/admin/services')).body, new RegExp(`/admin/services/${nhs}/leads`));
  const page = await a.get(`/admin/services/${nhs}/leads`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Organisation leads/);
  assert.match(page.body, /Fiona Advice-Giver/);
  const empty = await a.post(`/admin/services/${nhs}/leads`, { user_id: '' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Choose the person to make a lead/);
  const wrong = await a.post(`/admin/services/${nhs}/leads`, { user_id: dan.id });
  assert.equal(wrong.statusCode, 400, 'Dan is not one of the trust’s accounts');
  const added = await a.post(`/admin/services/${nhs}/leads`, { user_id: raj.id });
  assert.equal(added.statusCode, 303);
  assert.match((await a.get(String(added.headers.location))).body, /govuk-notification-banner--success/);
  const removed = await a.post(`/admin/services/${nhs}/leads/${raj.id}/remove`, {});
  assert.equal(removed.statusCode, 303);
  const api = await app.inject({ method: 'GET', url: `/api/v1/services/${nhs}/leads`, headers: await token(nadia.id) });
  assert.deepEqual(
    (api.json().items as { display_name: string }[]).map((l) => l.display_name),
    ['Fiona Advice-Giver', 'Nia Nurse'],
  );
  const rows = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', nhs)
    .where('action', 'in', ['add-lead', 'remove-lead'])
    .select('action')
    .execute();
  assert.ok(rows.length >= 3);
  // Another council's service is not found.
  const otherService = (
    await db.selectFrom('users').where('id', '=', elsewhereGiver.id).select('service_id').executeTakeFirstOrThrow()
  ).service_id as string;
  assert.equal((await a.get(`/admin/services/${otherService}/leads`)).statusCode, 404);
});
