// Exploitation screenings (issue 12 part 2) through the API and the pages: the instrument's rules, the age
// refusal writing nothing, confirming with and without a reason (both levels kept, the protocol moved on), an early
// re-screen re-planning the review to today, the significant incident's immediate referral, and access.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childExploitation } from '../src/screening/child-exploitation.ts';
import { userByRole } from './helpers.ts';
import { notesSetup } from './notes-setup.ts';

const { db, app, org, worker, workerApi, strangerApi } = await notesSetup('scr');
const { personInTeam } = await import('./helpers.ts');
const team = org.teams['dct-north'] as string;
const manager = userByRole(org, 'team_manager');

let serial = 0;
/** A young person allocated to the worker, born on `dob` (today is 23 November 2026). */
function youngPerson(dob: string) {
  serial++;
  return personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: worker.id,
    caseNumber: `S-${serial}`,
    givenName: 'Sami',
    familyName: `Screen${serial}`,
    dateOfBirth: dob,
  });
}

/** Every indicator answered no, except those given (answered yes with evidence in the last 3 months). */
function answers(yes: string[] = []) {
  const out: Record<string, unknown> = {};
  for (const d of childExploitation.domains)
    for (const i of d.indicators)
      out[i.id] = yes.includes(i.id)
        ? { answer: 'yes', evidence: 'Seen by the worker', basis: 'evidence', when: 'last_3_months' }
        : { answer: 'no' };
  return out;
}

const screen = (personId: string, over: Record<string, unknown> = {}, headers = workerApi) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/people/${personId}/screenings`,
    headers,
    payload: { instrument_id: 'child-exploitation', reason: 'first', answers: answers(), ...over },
  });

const row = (id: string) => db.selectFrom('screenings').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
const stepOf = (instanceId: string | null) =>
  db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId as string)
    .where('status', '=', 'open')
    .select(['step_key', 'due_date', 'owner_user_id'])
    .executeTakeFirst();

test('the rules: a 13-year-old with one high indicator is high; under 13 or SEND never below medium', async () => {
  const thirteen = await youngPerson('2013-05-01');
  const r = await screen(thirteen, { answers: answers(['missing_repeat']) });
  assert.equal(r.statusCode, 201, r.body);
  const s = await row(r.json().id);
  assert.equal(s.suggested_level, 'high');
  assert.equal(s.proposed_level, 'high');
  assert.equal(s.age_at_screening, 13);

  const twelve = await youngPerson('2014-05-01');
  const low = await screen(twelve, { answers: answers(['late_home']) });
  assert.equal((await row(low.json().id)).suggested_level, 'medium');

  const sixteen = await youngPerson('2010-05-01');
  const plain = await screen(sixteen, { answers: answers(['late_home']) });
  assert.equal((await row(plain.json().id)).suggested_level, 'low');
  const send = await screen(sixteen, { answers: answers(['late_home']), send_or_learning_disability: true });
  const sendRow = await row(send.json().id);
  assert.equal(sendRow.suggested_level, 'medium');
  // The new screening ended the earlier one's instance (rescreened).
  const earlier = await row(plain.json().id);
  const inst = await db
    .selectFrom('protocol_instances')
    .where('id', '=', earlier.protocol_instance_id as string)
    .select(['status', 'result'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(inst, { status: 'ended', result: 'rescreened' });
});

test('a young person aged 10 or 26 is refused with the instrument’s message; nothing is written', async () => {
  for (const dob of ['2016-01-01', '2000-01-01']) {
    const id = await youngPerson(dob);
    const r = await screen(id);
    assert.equal(r.statusCode, 400, r.body);
    assert.match(r.json().fields.instrument_id, /is for young people aged 11 to 25; this young person is (10|26)/);
    const n = await db.selectFrom('screenings').where('person_id', '=', id).select('id').execute();
    assert.equal(n.length, 0);
  }
});

test('a different proposed level needs a reason; evidence is needed for a yes', async () => {
  const id = await youngPerson('2010-05-01');
  const r = await screen(id, {
    proposed_level: 'high',
    answers: { ...answers(), late_home: { answer: 'yes' } },
  });
  assert.equal(r.statusCode, 400);
  const f = r.json().fields;
  assert.match(f.e_late_home, /Enter the evidence/);
  assert.match(f.proposed_reason, /Enter why you propose a different level/);
});

test('confirm: the same level without a reason, another level only with one; both kept; step moves on', async () => {
  const id = await youngPerson('2009-02-01');
  const s = (await screen(id, { answers: answers(['older_associates']) })).json().id as string;
  const before = await row(s);
  assert.equal((await stepOf(before.protocol_instance_id))?.step_key, 'confirm_level');
  assert.equal((await stepOf(before.protocol_instance_id))?.owner_user_id, manager.id);

  const { sha256 } = await import('../src/modules/auth/service.ts');
  const token = `hov_${'m'.repeat(32)}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: manager.id, token_hash: sha256(token), label: 't' })
    .execute();
  const managerApi = { authorization: `Bearer ${token}` };
  // The worker cannot confirm (no screening:confirm).
  const byWorker = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/screenings/${s}/confirm`,
    headers: workerApi,
    payload: { level: 'medium' },
  });
  assert.equal(byWorker.statusCode, 403);
  const noReason = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/screenings/${s}/confirm`,
    headers: managerApi,
    payload: { level: 'high' },
  });
  assert.equal(noReason.statusCode, 400, noReason.body);
  assert.match(noReason.json().fields.reason, /Enter why the level differs/);
  assert.equal((await row(s)).confirmed_level, null);
  const ok = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/screenings/${s}/confirm`,
    headers: managerApi,
    payload: { level: 'high', reason: 'Police intelligence of county lines' },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const after = await row(s);
  assert.equal(after.proposed_level, 'medium');
  assert.equal(after.confirmed_level, 'high');
  assert.equal(after.confirmed_by, manager.id);
  const step = await stepOf(after.protocol_instance_id);
  assert.equal(step?.step_key, 'review');
  assert.equal(step?.due_date, after.review_due);
  assert.equal(after.review_due, '2027-02-23');

  const id2 = await youngPerson('2009-02-01');
  const s2 = (await screen(id2, { answers: answers(['older_associates']) })).json().id as string;
  const same = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id2}/screenings/${s2}/confirm`,
    headers: managerApi,
    payload: { level: 'medium' },
  });
  assert.equal(same.statusCode, 200, same.body);
  assert.equal((await row(s2)).confirmed_reason, null);
  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', s2)
    .where('action', '=', 'screening.confirm')
    .select('seq')
    .execute();
  assert.equal(audit.length, 1);
});

test('a missing episode re-plans the open review to today; with no screening it makes a re-screen task', async () => {
  const id = await youngPerson('2009-02-01');
  const s = (await screen(id)).json().id as string;
  const { confirmScreeningLevel } = await import('../src/modules/safeguarding/confirm.ts');
  const ctx = app.services.safeguarding.ctx;
  const mgr = {
    id: manager.id,
    authorityId: org.authorityId,
    email: '',
    displayName: '',
    roles: ['team_manager'],
    caps: new Set(['screening:confirm' as const]),
    teamIds: [team],
  };
  await db.transaction().execute((tx) => confirmScreeningLevel(tx, ctx, mgr, s, { level: 'low' }));
  const inst = (await row(s)).protocol_instance_id;
  assert.equal((await stepOf(inst))?.due_date, '2027-02-23');
  const ev = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/risk-events`,
    headers: workerApi,
    payload: {
      kind: 'missing_episode',
      occurred_on: '2026-11-21',
      returned_on: '2026-11-22',
      return_interview: 'offered_accepted',
      details: 'Missing overnight, found in another town',
    },
  });
  assert.equal(ev.statusCode, 201, ev.body);
  const step = await stepOf(inst);
  assert.deepEqual([step?.step_key, step?.due_date, step?.owner_user_id], ['review', '2026-11-23', worker.id]);
  const told = await db
    .selectFrom('notifications')
    .where('user_id', '=', worker.id)
    .where('message', 'like', 'An early exploitation re-screen%')
    .select('id')
    .execute();
  assert.ok(told.length >= 1);

  const fresh = await youngPerson('2009-02-01');
  const ev2 = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${fresh}/risk-events`,
    headers: workerApi,
    payload: { kind: 'new_intelligence', occurred_on: '2026-11-23', details: 'Police intelligence' },
  });
  assert.equal(ev2.statusCode, 201, ev2.body);
  const task = await db
    .selectFrom('protocol_instances as i')
    .innerJoin('protocol_steps as s', 's.instance_id', 'i.id')
    .where('i.person_id', '=', fresh)
    .where('i.protocol_id', '=', 'exploitation-rescreen')
    .select(['s.step_key', 's.due_date', 's.owner_user_id', 'i.status'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(task, { step_key: 'rescreen', due_date: '2026-11-23', owner_user_id: worker.id, status: 'open' });
  // Screening them ends the task.
  await screen(fresh);
  const ended = await db
    .selectFrom('protocol_instances')
    .where('person_id', '=', fresh)
    .where('protocol_id', '=', 'exploitation-rescreen')
    .select('result')
    .executeTakeFirstOrThrow();
  assert.equal(ended.result, 'rescreened');
});

test('a significant incident starts an immediate referral due the next working day, recorded on the page', async () => {
  const id = await youngPerson('2008-03-01');
  const s = (await screen(id, { answers: answers(['trap_house']) })).json().id as string;
  assert.equal((await row(s)).significant_incidents.length, 1);
  const inst = await db
    .selectFrom('protocol_instances as i')
    .innerJoin('protocol_steps as st', 'st.instance_id', 'i.id')
    .where('i.person_id', '=', id)
    .where('i.protocol_id', '=', 'exploitation-immediate-referral')
    .select(['i.id', 'st.due_date', 'st.owner_user_id'])
    .executeTakeFirstOrThrow();
  assert.equal(inst.due_date, '2026-11-24');
  assert.equal(inst.owner_user_id, worker.id);
  const got = await app.inject({ method: 'GET', url: `/api/v1/people/${id}/screenings/${s}`, headers: workerApi });
  assert.equal(got.statusCode, 200);
  assert.equal(got.json().referral.step, 'refer');
});

test('access: a worker with no relationship gets 403 or 404 and nothing; the read is logged', async () => {
  const id = await youngPerson('2009-02-01');
  const s = (await screen(id)).json().id as string;
  const list = await app.inject({ method: 'GET', url: `/api/v1/people/${id}/screenings`, headers: strangerApi });
  assert.ok([403, 404].includes(list.statusCode), String(list.statusCode));
  const one = await app.inject({ method: 'GET', url: `/api/v1/people/${id}/screenings/${s}`, headers: strangerApi });
  assert.ok([403, 404].includes(one.statusCode));
  const post = await screen(id, {}, strangerApi);
  assert.ok([403, 404].includes(post.statusCode));
  const mine = await app.inject({ method: 'GET', url: `/api/v1/people/${id}/screenings`, headers: workerApi });
  assert.equal(mine.statusCode, 200);
  assert.equal(mine.json().items.length, 1);
  const logged = await db
    .selectFrom('access_log')
    .where('person_id', '=', id)
    .where('purpose', '=', 'screenings')
    .select('id')
    .execute();
  assert.equal(logged.length, 1);
  const instruments = await app.inject({ method: 'GET', url: '/api/v1/screening-instruments', headers: workerApi });
  assert.equal(instruments.json().items[0].id, 'child-exploitation');
});

test('the page: the check answers page names the suggested level before anything is saved', async () => {
  const { Browser } = await import('./helpers.ts');
  const id = await youngPerson('2010-05-01');
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(`/people/${id}/screenings/new`);
  const form: Record<string, string> = { instrument_id: 'child-exploitation', reason: 'first' };
  for (const d of childExploitation.domains) for (const i of d.indicators) form[`a_${i.id}`] = 'no';
  Object.assign(form, { a_missing_repeat: 'yes', e_missing_repeat: 'Seen', b_missing_repeat: 'evidence' });
  form.w_missing_repeat = 'last_3_months';
  const check = await b.post(`/people/${id}/screenings/check`, form);
  assert.equal(check.statusCode, 200, check.body.slice(0, 200));
  assert.match(check.body, /Suggested level: High<\/h2>/);
  assert.equal((await db.selectFrom('screenings').where('person_id', '=', id).execute()).length, 0);
});
