// The request for SEND support in the browser (issue 13 parts 2 and 3): the SENCO's form with two APDR cycles, a
// confirmation with the reference and the status page; bad input named field by field with nothing written; a
// request without consent held, the setting's inbox told without the child's name, then consent recorded and off to
// triage; another setting's account refused; hub staff log a phone request, see it on the hub page and its clocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hubsSetup, TWO_CYCLES } from './send-hubs-setup.ts';

const s = await hubsSetup('requests');

/** The form as the SENCO fills it in: the child, two cycles, the plan, consent given today. */
function form(o: { given: string; consent?: 'given' | 'not_yet' }): Record<string, string | string[]> {
  const f: Record<string, string | string[]> = {
    cycle_count: '2',
    contact_name: 'Sara SENCO',
    given_name: o.given,
    family_name: 'Formfield',
    'date_of_birth-day': '14',
    'date_of_birth-month': '3',
    'date_of_birth-year': '2018',
    year_group: 'Year 3',
    areas_of_need: ['communication_interaction', 'semh'],
    current_plan: 'Language targets and visual supports',
    asking_for: 'A speech and language assessment',
    parent_views: 'Worried about mornings',
    consent: o.consent ?? 'given',
  };
  if ((o.consent ?? 'given') === 'given')
    Object.assign(f, { 'consent_on-day': '20', 'consent_on-month': '11', 'consent_on-year': '2026' });
  TWO_CYCLES.forEach((c, i) => {
    const n = i + 1;
    const [fy, fm, fd] = c.from.split('-');
    const [ty, tm, td] = c.to.split('-');
    Object.assign(f, {
      [`cycle${n}_from_date-day`]: fd,
      [`cycle${n}_from_date-month`]: fm,
      [`cycle${n}_from_date-year`]: fy,
      [`cycle${n}_to_date-day`]: td,
      [`cycle${n}_to_date-month`]: tm,
      [`cycle${n}_to_date-year`]: ty,
      [`cycle${n}_assess`]: c.assess,
      [`cycle${n}_plan`]: c.plan,
      [`cycle${n}_do`]: c.do,
      [`cycle${n}_review`]: c.review,
    });
  });
  return f;
}

const requestsNamed = (given: string) =>
  s.db
    .selectFrom('support_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .where('p.given_name', '=', given)
    .selectAll('r')
    .execute();

test('the SENCO sends a request with two APDR cycles: confirmation with the reference, then its status', async () => {
  const b = await s.browser(s.users.senco.email);
  const page = await b.get('/setting/requests/new');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Cycle 2/);
  assert.doesNotMatch(page.body, /Cycle 3/);
  const added = await b.post('/setting/requests', { ...form({ given: 'Ava' }), add_cycle: '1' });
  assert.equal(added.statusCode, 200);
  assert.match(added.body, /Cycle 3/);
  assert.match(added.body, /value="Ava"/);
  assert.equal((await requestsNamed('Ava')).length, 0, 'adding a cycle writes nothing');

  const res = await b.post('/setting/requests', form({ given: 'Ava' }));
  assert.equal(res.statusCode, 303);
  const [row] = await requestsNamed('Ava');
  assert.ok(row);
  assert.equal(res.headers.location, `/setting/requests/${row.id}/confirmation`);
  assert.equal(row.status, 'waiting');
  assert.equal(row.received_via, 'online');
  assert.equal(row.apdr_cycles.length, 2);
  assert.equal(row.apdr_cycles[1]?.review, TWO_CYCLES[1]?.review);
  assert.deepEqual(row.areas_of_need, ['communication_interaction', 'semh']);
  const done = await b.get(res.headers.location as string);
  assert.match(done.body, /Request sent/);
  assert.match(done.body, new RegExp(row.reference));
  const status = await b.get(`/setting/requests/${row.id}`);
  assert.equal(status.statusCode, 200);
  assert.match(status.body, /Waiting for the hub’s triage/);
  assert.match(status.body, /Triage by/);
  assert.doesNotMatch(status.body, /language assessment/, 'the status page shows no more than the status');
  const list = await b.get('/setting');
  assert.match(list.body, new RegExp(`${row.reference}`));
  assert.match(list.body, /Ava Formfield/);
});

test('missing fields are each named with their fix, and nothing is written', async () => {
  const b = await s.browser(s.users.senco.email);
  await b.get('/setting/requests/new');
  const f = form({ given: 'Ben' });
  for (const k of ['family_name', 'asking_for', 'cycle2_review', 'date_of_birth-day', 'date_of_birth-month'])
    delete f[k];
  delete f.areas_of_need;
  f.consent = 'given';
  delete f['consent_on-day'];
  delete f['consent_on-month'];
  delete f['consent_on-year'];
  const res = await b.post('/setting/requests', f);
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /There is a problem/);
  assert.match(res.body, /Enter the child’s last name/);
  assert.match(res.body, /Choose at least one area of need/);
  assert.match(res.body, /Enter what the setting is asking the hub for/);
  assert.match(res.body, /Enter what changed at the review in cycle 2/);
  assert.match(res.body, /Date of birth must be a real date/);
  assert.match(res.body, /Enter the date the parent carer consented/);
  assert.match(res.body, /href="#consent_on-day"/);
  assert.match(res.body, /href="#cycle2_review"/);
  assert.match(res.body, /value="Ben"/, 'what was typed is kept');
  assert.equal((await requestsNamed('Ben')).length, 0);
});

test('without consent the request is held, the inbox told without the name; consent recorded sends it to triage', async () => {
  const b = await s.browser(s.users.senco.email);
  await b.get('/setting/requests/new');
  const res = await b.post('/setting/requests', form({ given: 'Cleo', consent: 'not_yet' }));
  assert.equal(res.statusCode, 303);
  const [row] = await requestsNamed('Cleo');
  assert.ok(row);
  assert.equal(row.status, 'held');
  const done = await b.get(res.headers.location as string);
  assert.match(done.body, /Parent carer consent missing/);
  assert.match(done.body, /held, not lost/);

  const mail = await s.db
    .selectFrom('outbox')
    .where('reference', '=', row.reference)
    .select(['to_addresses', 'subject', 'body'])
    .execute();
  const inbox = mail.find((m) => m.to_addresses.some((a) => a.startsWith('send.northgate@')));
  assert.ok(inbox, 'the setting’s team inbox gets an email');
  assert.match(inbox.subject, /consent is missing/);
  assert.match(inbox.body, new RegExp(`/setting/requests/${row.id}`));
  for (const m of mail) {
    assert.doesNotMatch(`${m.subject} ${m.body}`, /Cleo|Formfield/, 'no name in an email');
  }
  const notes = await s.db
    .selectFrom('notifications')
    .where('reference', '=', row.reference)
    .where('user_id', 'in', [s.users.senco.id, s.users.head.id])
    .select(['user_id', 'message', 'link'])
    .execute();
  assert.equal(notes.filter((n) => /consent is missing/.test(n.message)).length, 2, 'each account is told');
  assert.ok(notes.every((n) => n.link === `/setting/requests/${row.id}` && !/Cleo/.test(n.message)));

  const bad = await b.post(`/setting/requests/${row.id}/consent`, {});
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Enter the date consent was given/);
  const ok = await b.post(`/setting/requests/${row.id}/consent`, {
    'consent_on-day': '23',
    'consent_on-month': '11',
    'consent_on-year': '2026',
    parent_views: 'Happy for the hub to help',
  });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, `/setting/requests/${row.id}?saved=consent`);
  const after = (await requestsNamed('Cleo'))[0];
  assert.equal(after?.status, 'waiting');
  assert.equal(after?.consent, 'given');
  const page = await b.get(ok.headers.location as string);
  assert.match(page.body, /Consent recorded/);
  const told = await s.db
    .selectFrom('outbox')
    .where('reference', '=', row.reference)
    .where('subject', 'like', '%waiting for the hub%')
    .select('id')
    .execute();
  assert.equal(told.length, 1, 'the inbox is told it is waiting for triage');
});

test('Riverside’s SENCO gets 404 on Northgate’s request and 403 on a record', async () => {
  const r = await s.newRequest({ given: 'Dan' });
  const b = await s.browser(s.users.sencoRiverside.email);
  assert.equal((await b.get(`/setting/requests/${r.id}`)).statusCode, 404);
  assert.equal((await b.get(`/setting/requests/${r.id}/consent`)).statusCode, 404);
  assert.equal((await b.get(`/people/${r.personId}`)).statusCode, 403);
  assert.equal((await b.get(`/hubs/${s.hub1}`)).statusCode, 403);
  const list = await b.get('/setting');
  assert.doesNotMatch(list.body, new RegExp(r.reference));
  assert.doesNotMatch(list.body, /Dan Testington/);
});

test('hub staff log a phone request; the hub page lists it with its due date; the request page shows the clocks', async () => {
  const b = await s.browser(s.users.navigator.email);
  const page = await b.get(`/hubs/${s.hub1}/requests/new`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Northgate Primary School/);
  const f = form({ given: 'Evie' });
  const missingVia = await b.post(`/hubs/${s.hub1}/requests`, { ...f, setting_id: s.org.settings.northgate });
  assert.equal(missingVia.statusCode, 400);
  assert.match(missingVia.body, /Choose whether the request came by phone or email/);
  const res = await b.post(`/hubs/${s.hub1}/requests`, {
    ...f,
    setting_id: s.org.settings.northgate,
    received_via: 'phone',
    'received_on-day': '20',
    'received_on-month': '11',
    'received_on-year': '2026',
  });
  assert.equal(res.statusCode, 303);
  const [row] = await requestsNamed('Evie');
  assert.ok(row);
  assert.equal(row.received_via, 'phone');
  assert.equal(row.received_on, '2026-11-20');
  assert.equal(res.headers.location, `/hubs/${s.hub1}/requests/${row.id}?saved=logged`);

  const before = await s.db
    .selectFrom('access_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const home = await b.get(`/hubs/${s.hub1}`);
  assert.equal(home.statusCode, 200);
  assert.match(home.body, new RegExp(row.reference));
  assert.match(home.body, /Evie Formfield/);
  assert.match(home.body, /Waiting for triage/);
  const logged = await s.db
    .selectFrom('access_log')
    .where('person_id', '=', row.person_id)
    .where('user_id', '=', s.users.navigator.id)
    .select('id')
    .execute();
  assert.ok(logged.length >= 1, 'the named young person’s read is logged');
  const afterCount = await s.db
    .selectFrom('access_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.ok(Number(afterCount.n) > Number(before.n));

  const detail = await b.get(res.headers.location as string);
  assert.equal(detail.statusCode, 200);
  assert.match(detail.body, /Request logged/);
  assert.match(detail.body, /First response due/);
  // Consent on 20 November; the first response is due 10 working days later (4 December).
  assert.match(detail.body, /4 December 2026/);
  assert.match(detail.body, /Cycle 2/);
  assert.match(detail.body, /Record the triage outcome/);
  assert.match(detail.body, new RegExp(TWO_CYCLES[0]?.plan as string));
});

test('an overdue request shows by how many working days; another hub’s request is not found', async () => {
  const r = await s.newRequest({ given: 'Finn', receivedOn: '2026-11-02' });
  const b = await s.browser(s.users.navigator.email);
  const detail = await b.get(`/hubs/${s.hub1}/requests/${r.id}`);
  // Complete 2 November, due 16 November; today 23 November is 5 working days late.
  assert.match(detail.body, /Overdue by 5 working days/);
  assert.equal((await b.get(`/hubs/${s.hub2}/requests/${r.id}`)).statusCode, 404);
});

test('hub staff record consent on a held request: it goes to triage', async () => {
  const r = await s.newRequest({ given: 'Gus', consent: 'not_yet' });
  const b = await s.browser(s.users.hubManager.email);
  const page = await b.get(`/hubs/${s.hub1}/requests/${r.id}`);
  assert.match(page.body, /Record the parent carer’s consent/);
  const bad = await b.post(`/hubs/${s.hub1}/requests/${r.id}/consent`, { 'consent_on-day': '40' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /must be a real date/);
  const ok = await b.post(`/hubs/${s.hub1}/requests/${r.id}/consent`, {
    'consent_on-day': '23',
    'consent_on-month': '11',
    'consent_on-year': '2026',
  });
  assert.equal(ok.statusCode, 303);
  const row = await s.db
    .selectFrom('support_requests')
    .where('id', '=', r.id)
    .select('status')
    .executeTakeFirstOrThrow();
  assert.equal(row.status, 'waiting');
});

test('a status change at triage tells the setting: the inbox and each account, reference and link only', async () => {
  const r = await s.newRequest({ given: 'Hal', family: 'Noticeson' });
  await s.db.transaction().execute((tx) => s.ctx.flow.advance(tx, r.instanceId, 'more_info', s.users.hubManager.id));
  const mail = await s.db
    .selectFrom('outbox')
    .where('reference', '=', r.reference)
    .select(['to_addresses', 'subject', 'body'])
    .execute();
  const more = mail.filter((m) => /needs more information/.test(m.subject));
  assert.equal(more.length, 1);
  assert.ok(more[0]?.to_addresses.some((a) => a.startsWith('send.northgate@')));
  assert.ok(mail.every((m) => !/Hal|Noticeson/.test(`${m.subject} ${m.body}`)));
  const notes = await s.db
    .selectFrom('notifications')
    .where('reference', '=', r.reference)
    .where('message', 'like', '%needs more information%')
    .select(['user_id', 'link'])
    .execute();
  assert.deepEqual(new Set(notes.map((n) => n.user_id)), new Set([s.users.senco.id, s.users.head.id]));
  assert.ok(notes.every((n) => n.link === `/setting/requests/${r.id}`));
  const b = await s.browser(s.users.senco.email);
  const page = await b.get(`/setting/requests/${r.id}`);
  assert.match(page.body, /More information asked for by the hub/);
  assert.match(page.body, /More information needed|The hub needs more information/);
});

test('the request page notes likely duplicate records by case number only', async () => {
  const first = await s.newRequest({ given: 'Isla', family: 'Dupont', dob: '2016-06-06' });
  const second = await s.newRequest({ given: 'Isla', family: 'Du Pont', dob: '2016-06-06' });
  assert.notEqual(first.personId, second.personId);
  const caseNumber = (
    await s.db.selectFrom('people').where('id', '=', first.personId).select('case_number').executeTakeFirstOrThrow()
  ).case_number;
  const b = await s.browser(s.users.navigator.email);
  const page = await b.get(`/hubs/${s.hub1}/requests/${second.id}`);
  assert.match(page.body, new RegExp(`Possible duplicate records: case ${caseNumber}`));
  const other = await b.get(
    `/hubs/${s.hub1}/requests/${(await s.newRequest({ given: 'Solo', dob: '2015-01-01' })).id}`,
  );
  assert.doesNotMatch(other.body, /Possible duplicate records/);
});
