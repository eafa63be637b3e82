// Consultation forums (issue 12 part 6): a worker books a consultation naming a young person they work with, and
// another without naming anyone; bad input names each field and writes nothing; the forum (the exploitation lead)
// records the advice and follow-ups with owners; a follow-up on the named consultation is chased by the
// consultation-follow-up protocol when overdue (the deadline sweep), and marking it done ends the chase; a named
// consultation is hidden from someone without a relationship, and lists name the young person only to those who work
// with them; the API answers under the same rules and is in the OpenAPI document.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { NAMED_CASE, seedConsultationsDemo } from '../src/modules/consultations/demo.ts';
import { registerAllTimers } from '../src/modules/timers/handlers.ts';
import { Browser, personInTeam, seedOrganisation, userByRole } from './helpers.ts';
import { notesSetup } from './notes-setup.ts';

const { db, app, org, clock, worker, stranger, person, workerApi, strangerApi } = await notesSetup('con');
const lead = userByRole(org, 'exploitation_lead');
// The deadline sweep fires protocol steps' ladders through the handlers the worker registers.
after(registerAllTimers(app.services));

async function signedIn(email: string) {
  const b = new Browser(app);
  await b.login(email);
  return b;
}
const count = async (table: 'consultations' | 'consultation_follow_ups') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const booking = (over: Record<string, string> = {}) => ({
  forum: 'Exploitation consultation forum',
  'forum_date-day': '1',
  'forum_date-month': '12',
  'forum_date-year': '2026',
  question: 'Seen with older males near the station after school. Is this a referral to the HREM?',
  ...over,
});
const followUp = (over: Record<string, string> = {}) => ({
  action: 'Ask the school for attendance since September',
  owner_user_id: worker.id,
  'due_date-day': '30',
  'due_date-month': '11',
  'due_date-year': '2026',
  ...over,
});
const openStep = (instanceId: string) =>
  db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirst();

let leadHeaders: Record<string, string> | null = null;
async function leadApi() {
  if (leadHeaders) return leadHeaders;
  const { randomBytes } = await import('node:crypto');
  const { sha256 } = await import('../src/modules/auth/service.ts');
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: lead.id, token_hash: sha256(token), label: 'test' })
    .execute();
  leadHeaders = { authorization: `Bearer ${token}` };
  return leadHeaders;
}

test('bad bookings name each field and the fix; nothing is written', async () => {
  const id = await person();
  const before = await count('consultations');
  const w = await signedIn(worker.email);
  const empty = await w.post('/consultations', { forum: '', question: '' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /There is a problem/);
  for (const message of [
    'Enter the forum, for example Exploitation consultation forum',
    'Enter the date of the forum, for example 7 12 2026',
    'Choose the young person, or choose to ask without naming them',
    'Enter the question you want the forum’s advice on',
  ])
    assert.ok(empty.body.includes(message), message);
  // The summary links each message to its field, in the form's order.
  const hrefs = [...empty.body.matchAll(/govuk-error-summary__list[\s\S]*?<\/ul>/g)][0]?.[0] ?? '';
  assert.deepEqual(
    [...hrefs.matchAll(/href="([^"]+)"/g)].map((m) => m[1]),
    ['#forum', '#forum_date-day', '#person_id', '#question'],
  );
  const badDate = await w.post('/consultations', booking({ 'forum_date-day': '31', 'forum_date-month': '2' }));
  assert.equal(badDate.statusCode, 400);
  assert.match(badDate.body, /Forum date must be a real date, for example 7 12 2026/);
  // Someone who does not work with the young person cannot name them.
  const api = await app.inject({
    method: 'POST',
    url: '/api/v1/consultations',
    headers: strangerApi,
    payload: { forum: 'Exploitation consultation forum', forum_date: '2026-12-01', question: 'Advice?', person_id: id },
  });
  assert.equal(api.statusCode, 400, api.body);
  assert.deepEqual(api.json().fields, {
    person_id: 'Choose a young person you work with, or choose to ask without naming them',
  });
  const bad = await app.inject({
    method: 'POST',
    url: '/api/v1/consultations',
    headers: workerApi,
    payload: { forum: '', forum_date: '2026-02-30', question: 'Advice?', person_id: 'not-an-id' },
  });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.deepEqual(Object.keys(bad.json().fields).sort(), ['forum_date', 'person_id']);
  assert.equal(await count('consultations'), before);
});

test('named and unnamed bookings; advice and owned follow-ups; the chase, and done ends it', async (t) => {
  t.after(() => clock.set('2026-11-23T10:00:00Z'));
  const id = await person();
  const who = await db.selectFrom('people').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  const w = await signedIn(worker.email);

  // The record links to the form with ?person=<id>: the young person is chosen already.
  const form = await w.get(`/consultations/new?person=${id}`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, new RegExp(`value="${id}" checked`));
  assert.ok(form.body.includes(`${who.given_name} ${who.family_name}`));
  const named = await w.post('/consultations', booking({ person_id: id }));
  assert.equal(named.statusCode, 303, named.body);
  const namedId = /\/consultations\/([0-9a-f-]{36})\?saved=booked/.exec(named.headers.location as string)?.[1];
  assert.ok(namedId);
  const page = await w.get(named.headers.location as string);
  assert.match(page.body, /Consultation booked/);
  assert.ok(page.body.includes(`${who.given_name} ${who.family_name}`));
  const events = await db.selectFrom('events').where('person_id', '=', id).select('title').execute();
  assert.ok(events.some((e) => e.title === 'Consultation booked with a forum'));

  // Unnamed: no person stored, none shown.
  const unnamed = await w.post(
    '/consultations',
    booking({ person_id: 'unnamed', question: 'A 15-year-old is being given phones and cash. Next steps?' }),
  );
  assert.equal(unnamed.statusCode, 303, unnamed.body);
  const unnamedId = /\/consultations\/([0-9a-f-]{36})/.exec(unnamed.headers.location as string)?.[1] as string;
  const row = await db.selectFrom('consultations').where('id', '=', unnamedId).selectAll().executeTakeFirstOrThrow();
  assert.equal(row.person_id, null);
  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', unnamedId)
    .select(['action', 'person_id'])
    .execute();
  assert.deepEqual(audit, [{ action: 'create', person_id: null }]);
  assert.match((await w.get(`/consultations/${unnamedId}`)).body, /Not named/);

  // The forum: advice first (an empty one is refused and nothing written), then follow-ups.
  const b = await signedIn(lead.email);
  const early = await b.post(`/consultations/${namedId}/follow-ups`, followUp());
  assert.equal(early.statusCode, 400);
  assert.match(early.body, /Record the forum’s advice before adding follow-ups to it/);
  const noAdvice = await b.post(`/consultations/${namedId}/advice`, { advice: '' });
  assert.equal(noAdvice.statusCode, 400);
  assert.match(noAdvice.body, /Enter the advice the forum gave/);
  assert.equal(
    (await db.selectFrom('consultations').where('id', '=', namedId).select('advice').executeTakeFirstOrThrow()).advice,
    null,
  );
  const advised = await b.post(`/consultations/${namedId}/advice`, {
    advice: 'Screen for exploitation now; bring to the next HREM if medium or above.',
  });
  assert.equal(advised.statusCode, 303, advised.body);
  assert.match((await b.get(advised.headers.location as string)).body, /Advice recorded/);
  const again = await b.post(`/consultations/${namedId}/advice`, { advice: 'Second thoughts' });
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /The advice on this consultation is already recorded/);

  const before = await count('consultation_follow_ups');
  const noOwner = await b.post(
    `/consultations/${namedId}/follow-ups`,
    followUp({ owner_user_id: '', 'due_date-day': '', 'due_date-month': '', 'due_date-year': '' }),
  );
  assert.equal(noOwner.statusCode, 400);
  assert.match(noOwner.body, /Choose who owns the follow-up/);
  assert.match(noOwner.body, /Enter the due date of the follow-up, for example 14 12 2026/);
  assert.ok(noOwner.body.includes('Ask the school for attendance since September'), 'what was typed is kept');
  const past = await b.post(`/consultations/${namedId}/follow-ups`, followUp({ 'due_date-day': '20' }));
  assert.equal(past.statusCode, 400);
  assert.match(past.body, /Due date must be today or in the future/);
  assert.equal(await count('consultation_follow_ups'), before);

  const added = await b.post(`/consultations/${namedId}/follow-ups`, followUp());
  assert.equal(added.statusCode, 303, added.body);
  assert.match((await b.get(added.headers.location as string)).body, /Follow-up added/);
  const second = await b.post(
    `/consultations/${namedId}/follow-ups`,
    followUp({ action: 'Complete the exploitation screening', 'due_date-day': '2', 'due_date-month': '12' }),
  );
  assert.equal(second.statusCode, 303, second.body);
  const ups = await db
    .selectFrom('consultation_follow_ups')
    .where('consultation_id', '=', namedId)
    .where('owner_user_id', '=', worker.id)
    .orderBy('due_on')
    .selectAll()
    .execute();
  assert.deepEqual(
    ups.map((f) => [f.action, f.due_on, f.person_id]),
    [
      ['Ask the school for attendance since September', '2026-11-30', id],
      ['Complete the exploitation screening', '2026-12-02', id],
    ],
  );
  const [school, screening] = ups as [(typeof ups)[0], (typeof ups)[0]];
  const step = await openStep(school.protocol_instance_id as string);
  assert.equal(step?.step_key, 'follow_up');
  assert.equal(step?.owner_user_id, worker.id);
  assert.equal(step?.due_date, '2026-11-30');

  // The unnamed consultation's follow-up is listed, not chased.
  assert.equal((await b.post(`/consultations/${unnamedId}/advice`, { advice: 'Refer to the MASH.' })).statusCode, 303);
  assert.equal((await b.post(`/consultations/${unnamedId}/follow-ups`, followUp())).statusCode, 303);
  const loose = await db
    .selectFrom('consultation_follow_ups')
    .where('consultation_id', '=', unnamedId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(loose.protocol_instance_id, null);
  assert.equal(loose.person_id, null);

  // The worker marks the screening follow-up done before it is due: its chase ends.
  const done = await w.post(`/consultations/${namedId}/follow-ups/${screening.id}/done`, {});
  assert.equal(done.statusCode, 303, done.body);
  assert.match((await w.get(done.headers.location as string)).body, /Follow-up marked done/);
  const ended = await db
    .selectFrom('protocol_instances')
    .where('id', '=', screening.protocol_instance_id as string)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(ended.status, 'ended');
  assert.equal(ended.result, 'done');

  // Overdue: the sweep reminds the owner of the school follow-up; 5 working days on, the exploitation lead is told.
  const told = async (userId: string, instanceId: string) => {
    const steps = await db.selectFrom('protocol_steps').where('instance_id', '=', instanceId).select('id').execute();
    const notes = await db.selectFrom('notifications').where('user_id', '=', userId).selectAll().execute();
    return notes.filter((n) => steps.some((s) => s.id === n.subject_id));
  };
  const beforeSweep = (await told(worker.id, school.protocol_instance_id as string)).length;
  clock.set('2026-12-02T09:00:00Z');
  await sweepDue(db, clock.now());
  const reminded = await told(worker.id, school.protocol_instance_id as string);
  assert.ok(reminded.length > beforeSweep, JSON.stringify(reminded.map((n) => n.message)));
  clock.set('2026-12-09T09:00:00Z');
  await sweepDue(db, clock.now());
  const escalated = await told(lead.id, school.protocol_instance_id as string);
  assert.ok(escalated.length >= 1, 'the exploitation lead is told 5 working days after the due date');
  // Nothing was sent about the follow-up marked done.
  assert.equal((await told(lead.id, screening.protocol_instance_id as string)).length, 0);
  const screeningSteps = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', screening.protocol_instance_id as string)
    .select('id')
    .execute();
  const aboutDone = await db
    .selectFrom('notifications')
    .where(
      'subject_id',
      'in',
      screeningSteps.map((s) => s.id),
    )
    .selectAll()
    .execute();
  assert.deepEqual(
    aboutDone.map((n) => n.message),
    ['A step is waiting for you: Do the consultation follow-up'],
    'only the notice that it was assigned',
  );

  // Done by the owner through the API ends the chase of the overdue one too.
  const apiDone = await app.inject({
    method: 'POST',
    url: `/api/v1/consultations/${namedId}/follow-ups/${school.id}/done`,
    headers: workerApi,
  });
  assert.equal(apiDone.statusCode, 204, apiDone.body);
  assert.equal(await openStep(school.protocol_instance_id as string), undefined);
});

test('a named consultation is hidden from someone without a relationship; lists name only those you work with', async () => {
  const id = await person();
  const who = await db.selectFrom('people').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  const name = `${who.given_name} ${who.family_name}`;
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/consultations',
    headers: workerApi,
    payload: {
      forum: 'Transitions consultation forum',
      forum_date: '2026-12-03',
      question: 'Turning 18 in March; who should hold the case?',
      person_id: id,
    },
  });
  assert.equal(r.statusCode, 201, r.body);
  const namedId = r.json().id as string;
  const u = await app.inject({
    method: 'POST',
    url: '/api/v1/consultations',
    headers: workerApi,
    payload: { forum: 'Transitions consultation forum', forum_date: '2026-12-03', question: 'A general question' },
  });
  assert.equal(u.statusCode, 201, u.body);
  const unnamedId = u.json().id as string;

  // The stranger (records, no relationship): not found, by page or API, and not on their list.
  const s = await signedIn(stranger.email);
  assert.equal((await s.get(`/consultations/${namedId}`)).statusCode, 404);
  assert.equal((await s.get(`/consultations/${unnamedId}`)).statusCode, 404);
  const strangerGet = await app.inject({
    method: 'GET',
    url: `/api/v1/consultations/${namedId}`,
    headers: strangerApi,
  });
  assert.equal(strangerGet.statusCode, 404);
  const strangerList = await s.get('/consultations');
  assert.equal(strangerList.statusCode, 200);
  assert.ok(!strangerList.body.includes(namedId) && !strangerList.body.includes(name));
  const strangerDone = await app.inject({
    method: 'POST',
    url: `/api/v1/consultations/${namedId}/follow-ups/${namedId}/done`,
    headers: strangerApi,
  });
  assert.equal(strangerDone.statusCode, 404);

  // The worker's list names the young person.
  const w = await signedIn(worker.email);
  const mine = await w.get('/consultations');
  assert.ok(mine.body.includes(name) && mine.body.includes(namedId));

  // The forum (no relationship) sees every consultation, but its list does not name the young person; the
  // consultation's page does (as the board reaches a case), and that read is logged on the record.
  const b = await signedIn(lead.email);
  const forumList = await b.get('/consultations');
  assert.ok(forumList.body.includes(namedId) && forumList.body.includes(unnamedId));
  assert.ok(!forumList.body.includes(name), 'the forum’s list does not name someone the lead does not work with');
  assert.ok(!forumList.body.includes(who.case_number));
  assert.match(forumList.body, /Named: a young person you do not work with/);
  const listApi = await app.inject({ method: 'GET', url: '/api/v1/consultations', headers: await leadApi() });
  assert.equal(listApi.statusCode, 200, listApi.body);
  const item = (listApi.json().items as { id: string; young_person: unknown }[]).find((i) => i.id === namedId);
  assert.deepEqual(item?.young_person, { named: true, you_work_with_them: false, name: null, case_number: null });
  assert.ok(!listApi.body.includes(name));
  const logged = async () =>
    (
      await db
        .selectFrom('access_log')
        .where('person_id', '=', id)
        .where('user_id', '=', lead.id)
        .where('purpose', '=', 'consultation')
        .select('channel')
        .execute()
    ).map((x) => x.channel);
  assert.deepEqual(await logged(), []);
  const forumPage = await b.get(`/consultations/${namedId}`);
  assert.equal(forumPage.statusCode, 200);
  assert.ok(forumPage.body.includes(name));
  assert.deepEqual(await logged(), ['page']);

  // A follow-up owned by the stranger on the unnamed consultation opens it to them (and lets them mark it done).
  assert.equal((await b.post(`/consultations/${unnamedId}/advice`, { advice: 'Speak to the lead.' })).statusCode, 303);
  assert.equal(
    (await b.post(`/consultations/${unnamedId}/follow-ups`, followUp({ owner_user_id: stranger.id }))).statusCode,
    303,
  );
  const theirs = await s.get(`/consultations/${unnamedId}`);
  assert.equal(theirs.statusCode, 200);
  assert.match(theirs.body, /Mark done/);
  assert.equal((await s.get(`/consultations/${namedId}`)).statusCode, 404, 'still not the named one');
});

test('the API: book, read, advise, add a follow-up; documented in OpenAPI', async () => {
  const id = await person();
  const headers = await leadApi();
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/consultations',
    headers: workerApi,
    payload: { forum: 'Exploitation consultation forum', forum_date: '2026-12-10', question: 'Q?', person_id: id },
  });
  assert.equal(r.statusCode, 201, r.body);
  const cid = r.json().id as string;
  const badAdvice = await app.inject({
    method: 'POST',
    url: `/api/v1/consultations/${cid}/advice`,
    headers,
    payload: { advice: '' },
  });
  assert.equal(badAdvice.statusCode, 400);
  assert.deepEqual(badAdvice.json().fields, { advice: 'Enter the advice the forum gave' });
  const workerAdvice = await app.inject({
    method: 'POST',
    url: `/api/v1/consultations/${cid}/advice`,
    headers: workerApi,
    payload: { advice: 'Mine' },
  });
  assert.equal(workerAdvice.statusCode, 403, 'only the forum gives advice');
  const advice = await app.inject({
    method: 'POST',
    url: `/api/v1/consultations/${cid}/advice`,
    headers,
    payload: { advice: 'Screen now.' },
  });
  assert.equal(advice.statusCode, 204, advice.body);
  const badFollow = await app.inject({
    method: 'POST',
    url: `/api/v1/consultations/${cid}/follow-ups`,
    headers,
    payload: { action: 'Screen', owner_user_id: worker.id, due_date: '2026-11-01' },
  });
  assert.equal(badFollow.statusCode, 400);
  assert.deepEqual(badFollow.json().fields, { due_date: 'Due date must be today or in the future' });
  const f = await app.inject({
    method: 'POST',
    url: `/api/v1/consultations/${cid}/follow-ups`,
    headers,
    payload: { action: 'Screen', owner_user_id: worker.id, due_date: '2026-12-14' },
  });
  assert.equal(f.statusCode, 201, f.body);
  const got = await app.inject({ method: 'GET', url: `/api/v1/consultations/${cid}`, headers: workerApi });
  assert.equal(got.statusCode, 200, got.body);
  const body = got.json();
  assert.equal(body.advice, 'Screen now.');
  assert.equal(body.person.id, id);
  assert.deepEqual(
    body.follow_ups.map((x: { action: string; due_on: string; chased: boolean; done_on: null }) => [
      x.action,
      x.due_on,
      x.chased,
      x.done_on,
    ]),
    [['Screen', '2026-12-14', true, null]],
  );
  const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  for (const [path, method] of [
    ['/api/v1/consultations', 'get'],
    ['/api/v1/consultations', 'post'],
    ['/api/v1/consultations/{id}', 'get'],
    ['/api/v1/consultations/{id}/advice', 'post'],
    ['/api/v1/consultations/{id}/follow-ups', 'post'],
    ['/api/v1/consultations/{id}/follow-ups/{followUpId}/done', 'post'],
  ] as const)
    assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
});

test('the demo: a named consultation with overdue, done and later follow-ups, an unnamed one; a second run adds none', async (t) => {
  t.after(() => clock.set('2026-11-23T10:00:00Z'));
  const other = await seedOrganisation(db, 'cdemo');
  const sam = userByRole(other, 'social_worker');
  const personId = await personInTeam(db, {
    authorityId: other.authorityId,
    team: other.teams['dct-north'] as string,
    worker: sam.id,
    caseNumber: NAMED_CASE,
    givenName: 'Demo',
    familyName: 'Cohort',
    dateOfBirth: '2012-03-04',
  });
  const demoClock = {
    now: clock.now,
    on: (day: string) => clock.set(`${day}T10:00:00Z`),
    reset: () => clock.set('2026-11-23T10:00:00Z'),
  };
  const svc = app.services.consultations;
  assert.equal(await seedConsultationsDemo(db, svc, demoClock, other.authorityId), 2);
  assert.equal(await seedConsultationsDemo(db, svc, demoClock, other.authorityId), 0, 'a second run adds nothing');
  const rows = await db
    .selectFrom('consultations')
    .where('authority_id', '=', other.authorityId)
    .orderBy('person_id')
    .selectAll()
    .execute();
  assert.deepEqual(
    rows.map((r) => [r.person_id, r.forum_date, r.advice !== null]),
    [
      [personId, '2026-11-16', true],
      [null, '2026-11-16', true],
    ],
  );
  const ups = await db
    .selectFrom('consultation_follow_ups')
    .where('authority_id', '=', other.authorityId)
    .orderBy('due_on')
    .selectAll()
    .execute();
  assert.deepEqual(
    ups.map((f) => [f.due_on, f.done_on, f.person_id, f.protocol_instance_id !== null]),
    [
      ['2026-11-20', null, personId, true],
      ['2026-11-22', '2026-11-21', personId, true],
      ['2026-11-30', null, personId, true],
      ['2026-12-03', null, null, false],
    ],
  );
  const open = await db
    .selectFrom('protocol_steps')
    .where('person_id', '=', personId)
    .where('status', '=', 'open')
    .select(['due_date', 'owner_user_id'])
    .orderBy('due_date')
    .execute();
  assert.deepEqual(open, [
    { due_date: '2026-11-20', owner_user_id: sam.id },
    { due_date: '2026-11-30', owner_user_id: sam.id },
  ]);
});

test('a long caseload: the booking form searches the young people the worker works with, by a POST', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 26; i++) ids.push(await person());
  const last = await db
    .selectFrom('people')
    .where('id', '=', ids[25] as string)
    .selectAll()
    .executeTakeFirstOrThrow();
  const w = await signedIn(worker.email);
  const form = await w.get('/consultations/new');
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Find a young person you work with/);
  assert.ok(!form.body.includes(`value="${ids[0]}"`), 'a long list is searched, not shown whole');
  const found = await w.post('/consultations', {
    find: '1',
    who: last.family_name,
    forum: 'Exploitation consultation forum',
  });
  assert.equal(found.statusCode, 200);
  assert.ok(found.body.includes(`value="${last.id}"`));
  assert.ok(!found.body.includes(`value="${ids[0]}"`));
  assert.ok(found.body.includes('value="Exploitation consultation forum"'), 'what was typed is kept');
  const byCase = await w.post('/consultations', { find: '1', who: last.case_number });
  assert.ok(byCase.body.includes(`value="${last.id}"`));
  // ?person= keeps the young person on offer even though the list is long; a stranger's is not offered.
  const pre = await w.get(`/consultations/new?person=${ids[3]}`);
  assert.match(pre.body, new RegExp(`value="${ids[3]}" checked`));
  const s = await signedIn(stranger.email);
  const theirs = await s.get(`/consultations/new?person=${ids[3]}`);
  assert.ok(!theirs.body.includes(`value="${ids[3]}"`));
});
