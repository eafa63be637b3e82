// An organisation's team inbox (issue 17 part 5): a coordinator addresses an EHCP advice request to the NHS trust's
// inbox; its lead holds it (deadline notices, escalation) while every member sees it and may open it — the request
// only, never the record — and no one else can (another organisation's member, another council, unrelated staff:
// not found). Taking it makes the member its giver and responsible person; the engine's step stays with the
// coordinator (a step owner would open the whole record). Deactivating the holder, by the lead or by the council,
// puts it back in the inbox with the lead.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '../src/modules/auth/service.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'inbox');
const other = await seedOrganisation(db, 'away');
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });

const coordinator = userByRole(org, 'ehcp_coordinator');
const fiona = userByRole(org, 'advice_giver'); // the NHS trust's lead
const dan = org.users.find((u) => u.name.startsWith('Dan'))!; // the police's lead
const nadia = userByRole(org, 'admin');
const socialWorker = userByRole(org, 'social_worker');
const awayGiver = userByRole(other, 'advice_giver');
const serviceOf = async (id: string) =>
  (await db.selectFrom('users').where('id', '=', id).select('service_id').executeTakeFirstOrThrow())
    .service_id as string;
const nhs = await serviceOf(fiona.id);
const police = await serviceOf(dan.id);
const send = await serviceOf(coordinator.id);

async function token(userId: string) {
  const t = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(t), label: 'test' })
    .execute();
  return { authorization: `Bearer ${t}` };
}
/** An active member of the trust with the demo password (as if they had taken up their invitation). */
async function member(name: string, local: string) {
  const { password_hash } = await db
    .selectFrom('users')
    .where('id', '=', fiona.id)
    .select('password_hash')
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto('users')
    .values({
      authority_id: org.authorityId,
      email: `${local}@nhs.example`,
      display_name: name,
      job_title: 'Community nurse',
      roles: ['advice_giver'],
      service_id: nhs,
      password_hash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, email: `${local}@nhs.example` };
}
const nia = await member('Nia Nurse', 'nia.nurse');
const omar = await member('Omar Therapist', 'omar');
const dateParts = (field: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${field}-day`]: d as string, [`${field}-month`]: m as string, [`${field}-year`]: y as string };
};
const request = (id: string) =>
  db
    .selectFrom('ehcp_advice_requests as r')
    .innerJoin('advice_inbox_requests as i', 'i.request_id', 'r.id')
    .where('r.id', '=', id)
    .select(['r.giver_user_id', 'r.responsible_user_id', 'r.service_id', 'r.protocol_instance_id', 'i.taken_by'])
    .executeTakeFirstOrThrow();
const stepOwners = async (instanceId: string | null) =>
  (
    await db
      .selectFrom('protocol_steps')
      .where('instance_id', '=', instanceId as string)
      .where('status', '=', 'open')
      .select('owner_user_id')
      .execute()
  ).map((s) => s.owner_user_id);

const person = await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'HO770001',
    given_name: 'Ravi',
    family_name: 'Inboxson',
    date_of_birth: '2017-05-05',
    school: 'Demoton Primary',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('involvements')
  .values({
    authority_id: org.authorityId,
    person_id: person.id,
    team_id: org.teams['send-statutory'] as string,
    worker_id: coordinator.id,
    reason: 'EHC needs assessment',
    start_date: '2026-09-01',
  })
  .execute();

let assessmentUrl = '';
let requestId = '';

test('a coordinator asks the trust’s team inbox; the lead holds it, the step stays with the coordinator', async () => {
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const made = await jo.post(`/people/${person.id}/ehcp`, {
    ...dateParts('request_date', '2026-09-07'),
    requested_by: 'parent',
  });
  assert.equal(made.statusCode, 303, made.body.slice(0, 300));
  assessmentUrl = String(made.headers.location).split('?')[0] as string;
  await jo.post(`${assessmentUrl}/decision`, { decision: 'assess', ...dateParts('decision_date', '2026-10-12') });

  const form = await jo.get(`${assessmentUrl}/advice/new`);
  assert.match(form.body, /An organisation’s team inbox/);
  assert.match(form.body, /<option value="[^"]+">Demoshire Community Health NHS Trust<\/option>/);
  const base = { kind: 'health', question: 'Health needs relevant to education, please.' };
  const missing = await jo.post(`${assessmentUrl}/advice/new`, { ...base, giver_user_id: 'inbox' });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /Choose the organisation whose team inbox to ask/);
  const council = await jo.post(`${assessmentUrl}/advice/new`, {
    ...base,
    giver_user_id: 'inbox',
    inbox_service_id: send,
  });
  assert.equal(council.statusCode, 400, 'a council service has no inbox');
  assert.match(council.body, /Choose an organisation from the list of organisations with a team inbox/);
  assert.equal((await db.selectFrom('ehcp_advice_requests').select('id').execute()).length, 0, 'nothing written');

  const sent = await jo.post(`${assessmentUrl}/advice/new`, {
    ...base,
    giver_user_id: 'inbox',
    inbox_service_id: nhs,
    ...dateParts('requested_date', '2026-10-12'),
  });
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 400));
  const row = await db.selectFrom('ehcp_advice_requests').select('id').executeTakeFirstOrThrow();
  requestId = row.id;
  const r = await request(requestId);
  assert.equal(r.giver_user_id, fiona.id, 'the lead holds it');
  assert.equal(r.responsible_user_id, fiona.id);
  assert.equal(r.service_id, nhs);
  assert.equal(r.taken_by, null);
  assert.deepEqual(await stepOwners(r.protocol_instance_id), [coordinator.id], 'the step stays with the coordinator');
  // Every member is told in Handover (by reference only); the lead by email too.
  const told = await db
    .selectFrom('notifications')
    .where('link', 'in', ['/organisation/inbox', `/advice/${requestId}`])
    .select(['user_id', 'message', 'reference'])
    .execute();
  assert.deepEqual(
    new Set(told.map((n) => n.user_id)),
    new Set([fiona.id, nia.id, omar.id, org.users.find((u) => u.name.startsWith('Raj'))!.id]),
  );
  for (const n of told) assert.doesNotMatch(`${n.message} ${n.reference}`, /Ravi|Inboxson|2017-05-05/);
  const timeline = await jo.get(assessmentUrl);
  assert.match(timeline.body, /Demoshire Community Health NHS Trust/);
});

test('every member sees it and may open the request, never the record; no one else can', async () => {
  for (const who of [nia, omar, { id: fiona.id, email: fiona.email }]) {
    const b = new Browser(app);
    await b.login(who.email);
    const inbox = await b.get('/organisation/inbox');
    assert.equal(inbox.statusCode, 200);
    assert.match(inbox.body, /HO770001\/advice-/);
    assert.match(inbox.body, /12 October 2026|23 November 2026/, 'the due date');
    assert.match(inbox.body, /Waiting for advice/);
    assert.match(inbox.body, /Take this request/);
    assert.doesNotMatch(inbox.body, /Ravi|Inboxson/, 'a reference, never the name, in the list');
    assert.equal((await b.get(`/advice/${requestId}`)).statusCode, 200, who.email);
    assert.equal((await b.get(`/people/${person.id}`)).statusCode, 403, 'never the record');
  }
  for (const who of [dan.email, awayGiver.email, socialWorker.email]) {
    const b = new Browser(app);
    await b.login(who);
    assert.equal((await b.get(`/advice/${requestId}`)).statusCode, 404, who);
    assert.doesNotMatch((await b.get('/organisation/inbox')).body, /HO770001/, who);
    assert.equal((await b.post(`/organisation/inbox/${requestId}/take`, {})).statusCode, 404, who);
  }
  const api = await app.inject({ method: 'GET', url: '/api/v1/organisation/inbox', headers: await token(nia.id) });
  assert.equal(api.statusCode, 200);
  const body = api.json();
  assert.equal(body.organisation.name, 'Demoshire Community Health NHS Trust');
  assert.equal(body.items.length, 1);
  assert.equal(body.items[0].due_date, '2026-11-23');
  const policeApi = await app.inject({
    method: 'GET',
    url: '/api/v1/organisation/inbox',
    headers: await token(dan.id),
  });
  assert.deepEqual(policeApi.json().items, []);
});

test('a member takes it: they become its giver and responsible person; a second taker is told who has it', async () => {
  const n = new Browser(app);
  await n.login(nia.email);
  await n.get('/organisation/inbox');
  const took = await n.post(`/organisation/inbox/${requestId}/take`, {});
  assert.equal(took.statusCode, 303);
  const page = await n.get(String(took.headers.location));
  assert.match(page.body, /govuk-notification-banner--success[\s\S]*Request taken/);
  assert.match(page.body, /Nia Nurse/);
  const r = await request(requestId);
  assert.equal(r.giver_user_id, nia.id);
  assert.equal(r.responsible_user_id, nia.id);
  assert.equal(r.taken_by, nia.id);
  assert.deepEqual(await stepOwners(r.protocol_instance_id), [coordinator.id]);
  assert.equal((await n.get(`/people/${person.id}`)).statusCode, 403, 'taking it opens no record');
  const mine = await n.get('/advice');
  assert.match(mine.body, /HO770001\/advice-/, 'now in their own advice requests');
  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', requestId)
    .where('action', '=', 'take')
    .select(['actor_id', 'detail'])
    .executeTakeFirstOrThrow();
  assert.equal(audit.actor_id, nia.id);

  const o = new Browser(app);
  await o.login(omar.email);
  await o.get('/organisation/inbox');
  const second = await o.post(`/organisation/inbox/${requestId}/take`, {});
  assert.equal(second.statusCode, 400);
  assert.match(second.body, /Nia Nurse has already taken this request/);
  assert.match(second.body, /govuk-error-summary/);
  const api = await app.inject({
    method: 'POST',
    url: `/api/v1/organisation/inbox/${requestId}/take`,
    headers: await token(omar.id),
    payload: {},
  });
  assert.equal(api.statusCode, 400);
  assert.equal((await request(requestId)).taken_by, nia.id, 'unchanged');

  // Only who took it, or a lead, can put it back in the inbox; then it can be taken again.
  const notTheirs = await o.post(`/organisation/inbox/${requestId}/return`, {});
  assert.equal(notTheirs.statusCode, 403);
  assert.equal((await request(requestId)).taken_by, nia.id);
  const back = await n.post(`/organisation/inbox/${requestId}/return`, {});
  assert.equal(back.statusCode, 303);
  assert.match((await n.get(String(back.headers.location))).body, /Request put back in the inbox/);
  let again = await request(requestId);
  assert.equal(again.taken_by, null);
  assert.equal(again.responsible_user_id, fiona.id, 'the lead holds it again');
  const twice = await n.post(`/organisation/inbox/${requestId}/return`, {});
  assert.equal(twice.statusCode, 400);
  assert.match(twice.body, /already in the inbox/);
  assert.equal((await n.post(`/organisation/inbox/${requestId}/take`, {})).statusCode, 303);
  again = await request(requestId);
  assert.equal(again.taken_by, nia.id);
});

test('deactivating the taker returns it to the inbox with the lead; so does the council deactivating them', async () => {
  const f = new Browser(app);
  await f.login(fiona.email);
  await f.get('/organisation');
  const gone = await f.post(`/organisation/members/${nia.id}/deactivate`, {});
  assert.equal(gone.statusCode, 303);
  let r = await request(requestId);
  assert.equal(r.taken_by, null, 'back in the inbox');
  assert.equal(r.giver_user_id, fiona.id);
  assert.equal(r.responsible_user_id, fiona.id);
  const back = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', requestId)
    .where('action', '=', 'return-to-inbox')
    .select('detail')
    .executeTakeFirstOrThrow();
  assert.deepEqual(back.detail, { from: nia.id, to: fiona.id, service_id: nhs });
  const deactivation = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', nia.id)
    .where('action', '=', 'deactivate')
    .select('detail')
    .executeTakeFirstOrThrow();
  assert.equal((deactivation.detail as { inbox_requests_returned?: number }).inbox_requests_returned, 1);
  assert.match((await f.get('/organisation/inbox')).body, /Take this request/);

  // Omar takes it through the API; the council's administrator deactivates him (organisations' own route).
  const took = await app.inject({
    method: 'POST',
    url: `/api/v1/organisation/inbox/${requestId}/take`,
    headers: await token(omar.id),
    payload: {},
  });
  assert.equal(took.statusCode, 200, took.body);
  assert.equal((await request(requestId)).taken_by, omar.id);
  const a = new Browser(app);
  await a.login(nadia.email);
  await a.get(`/admin/users/${omar.id}`);
  const off = await a.post(`/admin/users/${omar.id}/deactivate`, {});
  assert.equal(off.statusCode, 303, off.body.slice(0, 300));
  r = await request(requestId);
  assert.equal(r.taken_by, null);
  assert.equal(r.responsible_user_id, fiona.id);
  assert.deepEqual(await stepOwners(r.protocol_instance_id), [coordinator.id]);

  // The only lead cannot be taken off while the inbox holds a request they hold.
  const refused = await a.post(`/admin/services/${nhs}/leads/${fiona.id}/remove`, {});
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /only lead and its inbox holds 1 request: make someone else a lead first/);
  // With a second lead, taking Fiona off passes her request to him.
  const raj = org.users.find((u) => u.name.startsWith('Raj'))!;
  assert.equal((await a.post(`/admin/services/${nhs}/leads`, { user_id: raj.id })).statusCode, 303);
  assert.equal((await a.post(`/admin/services/${nhs}/leads/${fiona.id}/remove`, {})).statusCode, 303);
  r = await request(requestId);
  assert.equal(r.responsible_user_id, raj.id);
  assert.equal(r.giver_user_id, raj.id);
  // Police is untouched.
  assert.ok(police);
});
