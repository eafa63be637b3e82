// Finding and opening a young person's record, creating and changing it: pages and API.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '../src/modules/auth/service.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'ppl');
const other = await seedOrganisation(db, 'oth');
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
const worker = userByRole(org, 'social_worker');
const team = org.teams['dct-north'] as string;

async function tokenFor(userId: string) {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(token), label: 'test' })
    .execute();
  return token;
}

const newPersonForm = (over: Record<string, string> = {}) => ({
  given_name: 'Orla',
  family_name: 'Thistlewood',
  'date_of_birth-day': '14',
  'date_of_birth-month': '9',
  'date_of_birth-year': '2012',
  nhs_number: '943 476 5919',
  upn: 'M801200112001',
  team_id: team,
  reason: 'Child in need assessment',
  allocate_to_me: 'yes',
  ...over,
});

test('a worker adds a person, finds them by name, date of birth, NHS number and UPN, and opens the record', async () => {
  const b = new Browser(app);
  await b.login(worker.email);
  const created = await b.post('/people', newPersonForm());
  assert.equal(created.statusCode, 303, created.body.slice(0, 300));
  const id = String(created.headers.location).split('?')[0]!.split('/').pop()!;

  const forms: Record<string, string>[] = [
    { name: 'orla thistle' },
    { 'date_of_birth-day': '14', 'date_of_birth-month': '09', 'date_of_birth-year': '2012' },
    { nhs_number: '9434765919' },
    { upn: 'm801200112001' },
  ];
  for (const form of forms) {
    const res = await b.post('/people/search', form);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(`href="/people/${id}"`), JSON.stringify(form));
  }
  const record = await b.get(`/people/${id}`);
  assert.equal(record.statusCode, 200);
  // Born 14 September 2012: 4 in September 2016, Reception from September 2017, so Year 9 in 2026/27.
  assert.match(record.body, /14 years old/);
  assert.match(record.body, /Year 9/);
  assert.match(record.body, /943 476 5919/);
  assert.match(record.body, /M801200112001/);
  assert.match(record.body, /Disabled Children&#39;s Team North/);
  assert.match(record.body, /Sam Social-Worker/);
  assert.match(record.body, /moj-timeline/);
  assert.match(record.body, /Record created/);
  assert.match(record.body, /Who has viewed this record/);
});

test('search shows nobody the worker does not work with, and names never appear in URLs', async () => {
  await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: 'X1',
      given_name: 'Hidden',
      family_name: 'Stranger',
      date_of_birth: '2010-01-01',
      nhs_number: '4010232137',
    })
    .execute();
  const b = new Browser(app);
  await b.login(worker.email);
  const byName = await b.post('/people/search', { name: 'Hidden' });
  assert.match(byName.body, /0 people found/);
  const byNhs = await b.post('/people/search', { nhs_number: '4010232137' });
  assert.match(byNhs.body, /0 people found/);
  const form = await b.get('/people');
  assert.match(form.body, /<form method="post" action="\/people\/search"/);
});

test('bad input names the field and the fix, and writes nothing', async () => {
  const b = new Browser(app);
  await b.login(worker.email);
  const before = Number(
    (
      await db
        .selectFrom('people')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const res = await b.post(
    '/people',
    newPersonForm({
      given_name: '',
      'date_of_birth-day': '31',
      'date_of_birth-month': '2',
      nhs_number: '9434765918',
      upn: 'A801200112001',
      postcode: 'nonsense',
    }),
  );
  assert.equal(res.statusCode, 400);
  for (const [field, msg] of [
    ['given_name', 'Enter the first name'],
    ['date_of_birth', 'Date of birth must be a real date'],
    ['nhs_number', 'NHS number is not valid'],
    ['upn', 'UPN is not valid'],
    ['postcode', 'Enter a real postcode'],
  ]) {
    assert.match(res.body, new RegExp(`href="#${field}${field === 'date_of_birth' ? '-day' : ''}">${msg}`), field);
  }
  assert.match(res.body, /govuk-error-summary/);
  assert.match(res.body, /value="Thistlewood"/, 'what was typed is kept');
  const after = Number(
    (
      await db
        .selectFrom('people')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  assert.equal(after, before);

  const token = await tokenFor(worker.id);
  const api = await app.inject({
    method: 'POST',
    url: '/api/v1/people',
    headers: { authorization: `Bearer ${token}` },
    payload: { given_name: 'A', family_name: 'B', date_of_birth: '2030-01-01', team_id: team },
  });
  assert.equal(api.statusCode, 400);
  assert.match(api.json().fields.date_of_birth, /today or in the past/);
  const schema = await app.inject({
    method: 'POST',
    url: '/api/v1/people',
    headers: { authorization: `Bearer ${token}` },
    payload: { given_name: 'A', team_id: team, colour: 'blue' },
  });
  assert.equal(schema.statusCode, 400);
  assert.ok(schema.json().fields.family_name || schema.json().fields.date_of_birth, JSON.stringify(schema.json()));
});

test('two people editing the same record: one wins, the other is told (409), nothing silently overwritten', async () => {
  const token = await tokenFor(worker.id);
  const auth = { authorization: `Bearer ${token}` };
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/people',
    headers: auth,
    payload: {
      given_name: 'Rosa',
      family_name: 'Pellow',
      date_of_birth: '2009-04-04',
      team_id: team,
      allocate_to_me: true,
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id;
  const read = await app.inject({ method: 'GET', url: `/api/v1/people/${id}`, headers: auth });
  assert.equal(read.statusCode, 200);
  const { person } = read.json();
  const edit = (school: string) =>
    app.inject({
      method: 'PUT',
      url: `/api/v1/people/${id}`,
      headers: auth,
      payload: {
        given_name: person.given_name,
        family_name: person.family_name,
        date_of_birth: person.date_of_birth,
        school,
        version: person.version,
      },
    });
  const results = await Promise.all([edit('First School'), edit('Second School')]);
  assert.deepEqual(results.map((r) => r.statusCode).sort(), [204, 409]);
  const after = (await app.inject({ method: 'GET', url: `/api/v1/people/${id}`, headers: auth })).json();
  const winner = results[0]!.statusCode === 204 ? 'First School' : 'Second School';
  assert.equal(after.person.school, winner);
  assert.equal(after.person.version, person.version + 1);
});

test('API: the same relationship rules as the pages, and another authority is invisible', async () => {
  const token = await tokenFor(worker.id);
  const auth = { authorization: `Bearer ${token}` };
  const list = await app.inject({ method: 'GET', url: '/api/v1/people', headers: auth });
  assert.equal(list.statusCode, 200);
  assert.ok(list.json().items.every((p: { family_name: string }) => p.family_name !== 'Stranger'));
  const theirs = await db
    .insertInto('people')
    .values({
      authority_id: other.authorityId,
      case_number: 'O1',
      given_name: 'Other',
      family_name: 'Council',
      date_of_birth: '2010-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const res = await app.inject({ method: 'GET', url: `/api/v1/people/${theirs.id}`, headers: auth });
  assert.equal(res.statusCode, 404);
  const noToken = await app.inject({ method: 'GET', url: '/api/v1/people' });
  assert.equal(noToken.statusCode, 401);
  const badToken = await app.inject({
    method: 'GET',
    url: '/api/v1/people',
    headers: { authorization: 'Bearer nonsense' },
  });
  assert.equal(badToken.statusCode, 401);
});

test('break-glass: a reason is required; access is granted for a limited time, alerts the service manager, and is audited', async () => {
  const stranger = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: 'BG1',
      given_name: 'Glass',
      family_name: 'Case',
      date_of_birth: '2011-06-06',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const coordinator = userByRole(org, 'ehcp_coordinator');
  const b = new Browser(app);
  await b.login(coordinator.email);
  const refused = await b.get(`/people/${stranger.id}`);
  assert.equal(refused.statusCode, 403);
  assert.match(refused.body, new RegExp(`/people/${stranger.id}/break-glass`));
  await b.get(`/people/${stranger.id}/break-glass`);
  const noReason = await b.post(`/people/${stranger.id}/break-glass`, { reason: 'urgent' });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /href="#reason">Explain why you need this record now/);
  // Invisible characters, dots and symbols are not a reason (issue 9): refused with the same message, nothing granted.
  for (const junk of [
    '\u200B'.repeat(30),
    '.'.repeat(30),
    '\u200B.\u200C.\u200D.\u2060.\uFEFF.\u00AD.',
    '- - - - - - - -',
  ]) {
    const refused = await b.post(`/people/${stranger.id}/break-glass`, { reason: junk });
    assert.equal(refused.statusCode, 400, JSON.stringify(junk));
    assert.match(refused.body, /href="#reason">Explain why you need this record now: a reason in words/);
  }
  assert.equal(
    (await db.selectFrom('break_glass').where('person_id', '=', stranger.id).select('id').execute()).length,
    0,
    'no grant from a reason without words',
  );
  const granted = await b.post(`/people/${stranger.id}/break-glass`, {
    reason: 'Police called about a missing child; worker unreachable',
  });
  assert.equal(granted.statusCode, 303);
  const page = await b.get(`/people/${stranger.id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /break-glass access/);
  const row = await db
    .selectFrom('access_log')
    .where('person_id', '=', stranger.id)
    .select(['purpose', 'break_glass_id'])
    .executeTakeFirstOrThrow();
  assert.equal(row.purpose, 'break-glass');
  assert.ok(row.break_glass_id);
  const audit = await db
    .selectFrom('audit_log')
    .where('person_id', '=', stranger.id)
    .where('action', '=', 'break-glass')
    .select('detail')
    .executeTakeFirstOrThrow();
  assert.equal((audit.detail as { alerted_role: string }).alerted_role, 'service_manager');

  const manager = new Browser(app);
  await manager.login(userByRole(org, 'service_manager').email);
  const home = await manager.get('/');
  assert.match(home.body, /Jo EHCP-Coordinator used break-glass access to case BG1/);
  assert.doesNotMatch(home.body, /Glass Case/, 'the alert names the case, not the child');

  clock.advance(61 * 60_000);
  const expired = await b.get(`/people/${stranger.id}`);
  // Signed out by the idle timeout or refused once the grant expired: either way, no record.
  assert.notEqual(expired.statusCode, 200);
  const again = new Browser(app);
  await again.login(coordinator.email);
  assert.equal((await again.get(`/people/${stranger.id}`)).statusCode, 403);
});

test('statuses, contacts, involvements and allocation through the pages, each on the timeline', async () => {
  const b = new Browser(app);
  await b.login(userByRole(org, 'team_manager').email);
  const created = await b.post(
    '/people',
    // Allocated from the start: a child protection plan needs an allocated worker (never unallocated).
    newPersonForm({ nhs_number: '', upn: '', given_name: 'Theo', family_name: 'Ingleby', allocate_to_me: 'yes' }),
  );
  const id = String(created.headers.location).split('?')[0]!.split('/').pop()!;
  assert.equal((await b.post(`/people/${id}/statuses`, { status: 'child_protection_plan' })).statusCode, 303);
  assert.equal(
    (await b.post(`/people/${id}/statuses`, { status: 'child_protection_plan' })).statusCode,
    400,
    'no duplicate open status',
  );
  assert.equal(
    (
      await b.post(`/people/${id}/contacts`, {
        name: 'Kim Ingleby',
        relationship: 'Mother',
        parental_responsibility: 'yes',
      })
    ).statusCode,
    303,
  );
  const inv = await db
    .selectFrom('involvements')
    .where('person_id', '=', id)
    .select(['id', 'version'])
    .executeTakeFirstOrThrow();
  const alloc = await b.post(`/people/${id}/involvements/${inv.id}/allocate`, {
    worker_id: worker.id,
    version: String(inv.version),
  });
  assert.equal(alloc.statusCode, 303);
  const stale = await b.post(`/people/${id}/involvements/${inv.id}/allocate`, {
    worker_id: 'remove',
    reason: 'Worker left',
    version: String(inv.version),
  });
  assert.equal(stale.statusCode, 409);
  const outsider = userByRole(org, 'advice_giver');
  const notMember = await b.post(`/people/${id}/involvements/${inv.id}/allocate`, {
    worker_id: outsider.id,
    version: String(inv.version + 1),
  });
  assert.equal(notMember.statusCode, 400);
  const record = await b.get(`/people/${id}`);
  for (const text of [
    'Child protection plan started',
    'Contact added: Mother',
    'Allocated to Sam Social-Worker',
    'Kim Ingleby',
  ])
    assert.match(record.body, new RegExp(text));
});

test('allocation: the page shows who holds the case; saving without a choice never unallocates; removing needs a reason and is refused for a child on a protection plan', async () => {
  const b = new Browser(app);
  const manager = userByRole(org, 'team_manager');
  await b.login(manager.email);
  const created = await b.post(
    '/people',
    newPersonForm({ nhs_number: '', upn: '', given_name: 'Ada', family_name: 'Penhallow', allocate_to_me: 'yes' }),
  );
  const id = String(created.headers.location).split('?')[0]!.split('/').pop()!;
  const involvement = () =>
    db.selectFrom('involvements').where('person_id', '=', id).selectAll().executeTakeFirstOrThrow();
  const inv = await involvement();
  const url = `/people/${id}/involvements/${inv.id}/allocate`;

  // The current worker is chosen already, so Save with no change keeps them (and records nothing).
  const page = await b.get(url);
  assert.match(page.body, new RegExp(`value="${manager.id}" checked`));
  const events = async () =>
    (await db.selectFrom('events').where('person_id', '=', id).select('title').execute()).length;
  const before = await events();
  assert.equal((await b.post(url, { worker_id: manager.id, version: String(inv.version) })).statusCode, 303);
  assert.equal((await involvement()).worker_id, manager.id);
  assert.equal(await events(), before, 'no change, nothing on the timeline');

  // Nothing chosen at all: refused with a message on the field, still allocated.
  const none = await b.post(url, { version: String(inv.version) });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Choose the allocated worker, or choose Remove the allocated worker/);
  assert.match(none.body, /href="#worker_id"/);
  assert.equal((await involvement()).worker_id, manager.id);

  // Remove without a reason: refused; with one: done and on the timeline with the reason.
  const noReason = await b.post(url, { worker_id: 'remove', version: String(inv.version) });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /Enter why nobody will be allocated/);
  assert.equal((await involvement()).worker_id, manager.id);

  // On a child protection plan the page explains the rule (no 500, nothing changed).
  assert.equal((await b.post(`/people/${id}/statuses`, { status: 'child_protection_plan' })).statusCode, 303);
  const v = (await involvement()).version;
  const protectedChild = await b.post(url, { worker_id: 'remove', reason: 'Worker left', version: String(v) });
  assert.equal(protectedChild.statusCode, 400);
  assert.match(protectedChild.body, /must always have an allocated worker/);
  assert.equal((await involvement()).worker_id, manager.id);

  const status = await db
    .selectFrom('person_statuses')
    .where('person_id', '=', id)
    .select('id')
    .executeTakeFirstOrThrow();
  // Ending the plan takes a reason (defect 7); the plan ended, nobody need hold the case.
  const endPlan = await b.post(`/people/${id}/statuses/${status.id}/end`, {
    reason: 'Plan ended at review conference',
  });
  assert.equal(endPlan.statusCode, 303);
  const removed = await b.post(url, {
    worker_id: 'remove',
    reason: 'Worker left; manager holds the case',
    version: String(v),
  });
  assert.equal(removed.statusCode, 303);
  assert.equal((await involvement()).worker_id, null);
  const record = await b.get(`/people/${id}`);
  assert.match(record.body, /Allocated worker removed in/);
  assert.match(record.body, /Worker left; manager holds the case/);

  // The API: remove needs a reason too; worker_id null alone is refused, naming the field.
  const token = await tokenFor(manager.id);
  const api = (body: object) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/people/${id}/involvements/${inv.id}/allocation`,
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });
  const now = (await involvement()).version;
  const bare = await api({ worker_id: null, version: now });
  assert.equal(bare.statusCode, 400);
  assert.match(bare.json().fields.worker_id, /Choose the allocated worker/);
  assert.equal((await api({ worker_id: manager.id, version: now })).statusCode, 204);
  assert.equal((await involvement()).worker_id, manager.id);
});
