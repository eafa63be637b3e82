// The telephone advice log (issue 13 part 7): the hub's staff log calls from settings and parent carers, anonymous
// or linked to a young person whose record they may open (a linked call on the timeline, its page naming the young
// person only with an access-log row); every bad field is named with its fix and nothing is written; a follow-up is
// in its owner's My work until marked done; the log is counted by topic and by who called; another hub's staff get
// not found, and the log never names anyone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { personInTeam } from './helpers.ts';
import { hubsSetup } from './send-hubs-setup.ts';

const s = await hubsSetup('calls');
const { db, app, org, hub1, hub2, users, api } = s;

const hubTeam = await db.selectFrom('hubs').where('id', '=', hub1).select('team_id').executeTakeFirstOrThrow();
// A young person the Navigator works with (allocated in the hub's team), and one nobody in the hub works with.
const known = await personInTeam(db, {
  authorityId: org.authorityId,
  team: hubTeam.team_id as string,
  worker: users.navigator.id,
  caseNumber: 'CALL-001',
  givenName: 'Ellis',
  familyName: 'Marsh',
  dateOfBirth: '2015-06-01',
});
const stranger = await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'CALL-002',
    given_name: 'Rowan',
    family_name: 'Quill',
    date_of_birth: '2014-02-02',
  })
  .returning('id')
  .executeTakeFirstOrThrow();

const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
const countRows = async (table: 'advice_calls' | 'events') => {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
};

test('bad input names each field and the fix, and writes nothing', async () => {
  const before = await countRows('advice_calls');
  const res = await call('POST', `/api/v1/send/hubs/${hub1}/calls`, api.navigator, {
    caller_type: 'senco',
    called_on: '2026-11-30',
    topic: 'semh',
    advice: '',
    follow_up: 'Send the SEMH toolkit',
  });
  assert.equal(res.statusCode, 400);
  const fields = res.json().fields as Record<string, string>;
  assert.equal(fields.called_on, 'Date of the call must be today or in the past');
  assert.match(fields.advice ?? '', /Enter the advice given/);
  assert.equal(fields.follow_up_owner_id, 'Choose who owns the follow-up, or leave the follow-up empty');
  assert.match(fields.follow_up_due ?? '', /Enter the follow-up due date/);

  // A setting of another hub, an owner who is not the hub's staff, a record the caller may not open.
  const other = await db.selectFrom('settings').where('hub_id', '!=', hub1).select('id').executeTakeFirst();
  const res2 = await call('POST', `/api/v1/send/hubs/${hub1}/calls`, api.navigator, {
    caller_type: 'parent_carer',
    called_on: '2026-11-23',
    topic: 'transition',
    advice: 'Talked through the move to secondary school',
    setting_id: other?.id ?? '00000000-0000-4000-8000-000000000000',
    follow_up: 'Ring back after the transition meeting',
    follow_up_owner_id: users.coordinator.id,
    follow_up_due: '2026-11-30',
    person_id: stranger.id,
  });
  assert.equal(res2.statusCode, 400);
  assert.deepEqual(res2.json().fields, {
    setting_id: "Choose the setting from the hub's settings, or leave it out",
    follow_up_owner_id: "Choose the owner of the follow-up from the hub's staff",
    person_id: 'Choose a young person whose record you may open, or keep the call anonymous',
  });
  assert.equal(await countRows('advice_calls'), before);

  // A control character is refused by field, a field the call does not take is named.
  const res3 = await call('POST', `/api/v1/send/hubs/${hub1}/calls`, api.navigator, {
    caller_type: 'senco',
    called_on: '2026-11-23',
    topic: 'other',
    advice: 'Rang back\u0007',
  });
  assert.equal(res3.statusCode, 400);
  assert.match(JSON.stringify(res3.json()), /control character/);
  const res4 = await call('POST', `/api/v1/send/hubs/${hub1}/calls`, api.navigator, {
    caller_type: 'senco',
    called_on: '2026-11-23',
    topic: 'other',
    advice: 'Rang back',
    child_name: 'Someone',
  });
  assert.equal(res4.statusCode, 400);
  assert.match(JSON.stringify(res4.json()), /child_name/);
  assert.equal(await countRows('advice_calls'), before);

  // The page form: the error summary and each message by its field, what was typed kept.
  const b = await s.browser(users.navigator.email);
  await b.get(`/hubs/${hub1}/calls/new`);
  const page = await b.post(`/hubs/${hub1}/calls`, {
    caller_type: 'head',
    'called_on-day': '23',
    'called_on-month': '11',
    'called_on-year': '2026',
    topic: 'ehcp_process',
    advice: 'Explained the EHC needs assessment route',
  });
  assert.equal(page.statusCode, 400);
  assert.match(page.body, /There is a problem/);
  assert.match(page.body, /Choose the young person, or choose to keep the call anonymous/);
  assert.match(page.body, /Explained the EHC needs assessment route/);
  assert.equal(await countRows('advice_calls'), before);
});

test('an anonymous call stores no person and is on no timeline; its follow-up is in the owner’s My work until done', async () => {
  const events = await countRows('events');
  const res = await call('POST', `/api/v1/send/hubs/${hub1}/calls`, api.navigator, {
    caller_type: 'parent_carer',
    called_on: '2026-11-23',
    topic: 'exclusion_attendance',
    advice: 'Explained part-time timetables and who to talk to at the school',
    signposted_to: 'SENDIASS',
    follow_up: 'Send the parent carer the attendance guidance',
    follow_up_owner_id: users.hubManager.id,
    follow_up_due: '2026-11-27',
    person_id: null,
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as string;
  const row = await db.selectFrom('advice_calls').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(row.person_id, null);
  assert.equal(row.follow_up_owner_id, users.hubManager.id);
  assert.equal(await countRows('events'), events);
  const audit = await db
    .selectFrom('audit_log')
    .where('entity', '=', 'advice_call')
    .where('entity_id', '=', id)
    .select(['action', 'person_id'])
    .execute();
  assert.deepEqual(audit, [{ action: 'create', person_id: null }]);

  const work = async () =>
    (await call('GET', '/api/v1/my-work', api.hubManager)).json().items as {
      kind: string;
      what: string;
      due: string;
      link: string;
      name: string | null;
    }[];
  const item = (await work()).find((w) => w.link === `/hubs/${hub1}/calls/${id}`);
  assert.ok(item, 'the follow-up is in its owner’s My work');
  assert.equal(item.kind, 'advice_call');
  assert.equal(item.due, '2026-11-27');
  assert.equal(item.what, 'Follow up an advice call (exclusion and attendance)');
  assert.equal(item.name, null);

  const done = await call('POST', `/api/v1/send/hubs/${hub1}/calls/${id}/follow-up-done`, api.hubManager);
  assert.equal(done.statusCode, 204);
  const after = await db.selectFrom('advice_calls').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(after.follow_up_done_on, '2026-11-23');
  assert.ok(!(await work()).some((w) => w.link === `/hubs/${hub1}/calls/${id}`), 'gone from My work when done');
});

test('a linked call goes on the young person’s timeline; its page names them only with a logged read', async () => {
  const res = await call('POST', `/api/v1/send/hubs/${hub1}/calls`, api.navigator, {
    caller_type: 'senco',
    setting_id: org.settings.northgate,
    called_on: '2026-11-20',
    topic: 'communication_interaction',
    advice: 'Suggested a communication passport and visual timetable',
    person_id: known,
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as string;
  const event = await db
    .selectFrom('events')
    .where('person_id', '=', known)
    .select(['title', 'kind'])
    .orderBy('at', 'desc')
    .executeTakeFirstOrThrow();
  assert.equal(event.title, 'SEND hub advice call (senco): communication and interaction');

  const reads = () =>
    db
      .selectFrom('access_log')
      .where('person_id', '=', known)
      .where('purpose', '=', 'send-hub advice call')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const b = await s.browser(users.navigator.email);
  const page = await b.get(`/hubs/${hub1}/calls/${id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Ellis Marsh/);
  assert.equal(await reads(), 1);

  // The locality manager works in the hub but not with this young person: the call says it is linked, not who.
  const m = await call('GET', `/api/v1/send/hubs/${hub1}/calls/${id}`, api.localityManager);
  assert.equal(m.statusCode, 200);
  assert.equal(m.json().linked_to_a_record, true);
  assert.equal(m.json().person, null);
  assert.equal(await reads(), 1);

  // The log names nobody.
  const log = await b.get(`/hubs/${hub1}/calls`);
  assert.equal(log.statusCode, 200);
  assert.doesNotMatch(log.body, /Ellis|Marsh/);
  assert.match(log.body, /Linked to a young person’s record/);
});

test('the form links a young person by a POST search or keeps the call anonymous, then shows the saved banner', async () => {
  const b = await s.browser(users.navigator.email);
  const form = await b.get(`/hubs/${hub1}/calls/new`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Ellis Marsh/, 'a short list of the young people the Navigator works with');
  assert.doesNotMatch(form.body, /Rowan Quill/);
  const res = await b.post(`/hubs/${hub1}/calls`, {
    caller_type: 'teacher',
    setting_id: org.settings.riverside,
    'called_on-day': '23',
    'called_on-month': '11',
    'called_on-year': '2026',
    topic: 'graduated_response',
    advice: 'Walked through the graduated response tool',
    follow_up: 'Email the tool and the APDR template',
    follow_up_owner_id: users.navigator.id,
    'follow_up_due-day': '25',
    'follow_up_due-month': '11',
    'follow_up_due-year': '2026',
    person_id: 'anonymous',
  });
  assert.equal(res.statusCode, 303, res.body);
  const location = String(res.headers.location);
  assert.match(location, /^\/hubs\/[0-9a-f-]+\/calls\/[0-9a-f-]+\?saved=logged$/);
  const shown = await b.get(location);
  assert.match(shown.body, /Advice call logged/);
  assert.match(shown.body, /Anonymous: no young person is linked/);
  const done = await b.post(`${location.split('?')[0]}/follow-up-done`, {});
  assert.equal(done.statusCode, 303);
  assert.match((await b.get(String(done.headers.location))).body, /Follow-up marked done/);
});

test('the log counts by topic and by who called, for the month chosen; a bad filter is named', async () => {
  for (const [topic, caller, on] of [
    ['sensory_physical', 'head', '2026-10-05'],
    ['sensory_physical', 'parent_carer', '2026-10-06'],
    ['transition', 'parent_carer', '2026-10-07'],
  ] as const)
    assert.equal(
      (
        await call('POST', `/api/v1/send/hubs/${hub1}/calls`, api.hubManager, {
          caller_type: caller,
          called_on: on,
          topic,
          advice: 'Advice given on the phone',
        })
      ).statusCode,
      201,
    );
  const res = await call('GET', `/api/v1/send/hubs/${hub1}/calls?month=2026-10`, api.hubManager);
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.total, 3);
  const count = (list: { key: string; count: number }[], key: string) => list.find((c) => c.key === key)?.count;
  assert.equal(count(body.by_topic, 'sensory_physical'), 2);
  assert.equal(count(body.by_topic, 'transition'), 1);
  assert.equal(count(body.by_topic, 'semh'), 0);
  assert.equal(count(body.by_caller_type, 'parent_carer'), 2);
  assert.equal(count(body.by_caller_type, 'head'), 1);
  assert.deepEqual(
    body.items.map((i: { called_on: string }) => i.called_on),
    ['2026-10-07', '2026-10-06', '2026-10-05'],
    'newest first',
  );
  const parents = await call(
    'GET',
    `/api/v1/send/hubs/${hub1}/calls?month=2026-10&caller_type=parent_carer`,
    api.hubManager,
  );
  assert.equal(parents.json().total, 2);

  const bad = await call('GET', `/api/v1/send/hubs/${hub1}/calls?month=October`, api.hubManager);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().fields.month, 'Month must be in the form YYYY-MM, for example 2026-11');
  const b = await s.browser(users.hubManager.email);
  const page = await b.get(`/hubs/${hub1}/calls?month=2026-10&topic=sensory_physical`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /2 calls match/);
});

test('staff of another hub get not found; a setting account is refused', async () => {
  const mine = await call('POST', `/api/v1/send/hubs/${hub1}/calls`, api.navigator, {
    caller_type: 'senco',
    called_on: '2026-11-23',
    topic: 'other',
    advice: 'General advice',
  });
  const id = mine.json().id as string;
  // The Navigator works in hub 1 only.
  assert.equal((await call('GET', `/api/v1/send/hubs/${hub2}/calls`, api.navigator)).statusCode, 404);
  assert.equal((await call('GET', `/api/v1/send/hubs/${hub2}/calls/${id}`, api.navigator)).statusCode, 404);
  // The call belongs to hub 1: asking for it under hub 2 is not found even for the manager of both.
  assert.equal((await call('GET', `/api/v1/send/hubs/${hub2}/calls/${id}`, api.hubManager)).statusCode, 404);
  const b = await s.browser(users.navigator.email);
  assert.equal((await b.get(`/hubs/${hub2}/calls`)).statusCode, 404);
  assert.equal((await call('GET', `/api/v1/send/hubs/${hub1}/calls`, api.senco)).statusCode, 403);
});
