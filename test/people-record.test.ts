// The record page a worker reads all day (issue 11): a status ends with a date and a reason after a confirmation
// (defect 7), dates a person can read and a paginated timeline (defect 4), and a success banner after every save.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '../src/modules/auth/service.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'rec');
// 10:05 in London on Saturday 5 December 2026 (GMT).
const clock = fixedClock('2026-12-05T10:05:00Z');
const app = await testApp(db, { now: clock.now });
const manager = userByRole(org, 'team_manager');
const team = org.teams['dct-north'] as string;

let n = 0;
/** A new record, allocated to the signed-in team manager; answers its id. */
async function newPerson(b: Browser, over: Record<string, string> = {}) {
  n++;
  const res = await b.post('/people', {
    given_name: 'Wren',
    family_name: `Ashcombe${n}`,
    'date_of_birth-day': '3',
    'date_of_birth-month': '4',
    'date_of_birth-year': '2013',
    team_id: team,
    reason: 'Child in need assessment',
    allocate_to_me: 'yes',
    // Wren Ashcombe1, Ashcombe2…: the same birthday and alike names, past the duplicate warning on purpose.
    create_anyway: 'yes',
    ...over,
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  return String(res.headers.location).split('?')[0]!.split('/').pop()!;
}

async function signedIn() {
  const b = new Browser(app);
  await b.login(manager.email);
  return b;
}

const statusOf = (personId: string, status: string) =>
  db
    .selectFrom('person_statuses')
    .where('person_id', '=', personId)
    .where('status', '=', status)
    .selectAll()
    .executeTakeFirstOrThrow();

test('a status ends after a confirmation page asking for the end date and a reason; bad input writes nothing', async () => {
  const b = await signedIn();
  const id = await newPerson(b);
  assert.equal(
    (
      await b.post(`/people/${id}/statuses`, {
        status: 'child_in_need',
        'start_date-day': '1',
        'start_date-month': '9',
        'start_date-year': '2026',
      })
    ).statusCode,
    303,
  );
  const cin = await statusOf(id, 'child_in_need');
  const url = `/people/${id}/statuses/${cin.id}/end`;

  // The record links to the confirmation page; it no longer ends anything in one click.
  const record = await b.get(`/people/${id}`);
  assert.match(record.body, new RegExp(`<a class="govuk-link" href="${url}">End`));
  assert.doesNotMatch(record.body, new RegExp(`action="${url}"`));
  const page = await b.get(url);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /End a status: Child in need/);
  assert.match(page.body, /name="end_date-day"[^>]*value="5"/, 'today by default');
  assert.match(page.body, /name="end_date-year"[^>]*value="2026"/);
  assert.match(page.body, /started on 1 September 2026/);

  const refusals: [Record<string, string>, string, RegExp][] = [
    [
      { 'end_date-day': '5', 'end_date-month': '12', 'end_date-year': '2026' },
      'reason',
      /Enter why the status is ending/,
    ],
    [
      { 'end_date-day': '6', 'end_date-month': '12', 'end_date-year': '2026', reason: 'Plan closed' },
      'end_date',
      /End date must be today or in the past/,
    ],
    [
      { 'end_date-day': '31', 'end_date-month': '8', 'end_date-year': '2026', reason: 'Plan closed' },
      'end_date',
      /End date must be on or after 1 September 2026, when child in need started/,
    ],
    [
      { 'end_date-day': '31', 'end_date-month': '11', 'end_date-year': '2026', reason: 'Plan closed' },
      'end_date',
      /End date must be a real date/,
    ],
  ];
  for (const [form, field, message] of refusals) {
    const res = await b.post(url, form);
    assert.equal(res.statusCode, 400, JSON.stringify(form));
    assert.match(res.body, message);
    assert.match(res.body, new RegExp(`href="#${field}`));
    assert.equal((await statusOf(id, 'child_in_need')).end_date, null, 'nothing written');
  }

  const ended = await b.post(url, {
    'end_date-day': '4',
    'end_date-month': '12',
    'end_date-year': '2026',
    reason: 'Child in need plan closed at review',
  });
  assert.equal(ended.statusCode, 303);
  assert.equal(ended.headers.location, `/people/${id}?saved=status-ended`);
  const row = await statusOf(id, 'child_in_need');
  assert.equal(row.end_date, '2026-12-04');
  assert.equal(row.end_reason, 'Child in need plan closed at review');
  const after = await b.get(`/people/${id}?saved=status-ended`);
  assert.match(after.body, /Child in need ended on 4 December 2026/);
  assert.match(after.body, /Child in need plan closed at review/);
  assert.match(after.body, /govuk-notification-banner--success/);
  // Ended already: the confirmation page is gone.
  assert.equal((await b.get(url)).statusCode, 404);
});

test('API: a status ends with a date and a reason; bad input names the field', async () => {
  const b = await signedIn();
  const id = await newPerson(b);
  assert.equal((await b.post(`/people/${id}/statuses`, { status: 'ehcp' })).statusCode, 303);
  const ehcp = await statusOf(id, 'ehcp');
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: manager.id, token_hash: sha256(token), label: 'test' })
    .execute();
  const end = (payload: object, statusId = ehcp.id) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/people/${id}/statuses/${statusId}/end`,
      headers: { authorization: `Bearer ${token}` },
      payload,
    });
  const noReason = await end({ end_date: '2026-12-05' });
  assert.equal(noReason.statusCode, 400);
  assert.match(JSON.stringify(noReason.json()), /reason/);
  const future = await end({ end_date: '2027-01-01', reason: 'Plan ceased' });
  assert.equal(future.statusCode, 400);
  assert.match(future.json().fields.end_date, /today or in the past/);
  assert.equal((await statusOf(id, 'ehcp')).end_date, null);

  assert.equal((await end({ reason: 'Plan ceased' })).statusCode, 204);
  assert.equal((await statusOf(id, 'ehcp')).end_date, '2026-12-05', 'today by default');
  assert.equal((await end({ reason: 'Again' })).statusCode, 404, 'already ended');

  const read = await app.inject({
    method: 'GET',
    url: `/api/v1/people/${id}`,
    headers: { authorization: `Bearer ${token}` },
  });
  const status = read.json().statuses.find((s: { id: string }) => s.id === ehcp.id);
  assert.equal(status.end_reason, 'Plan ceased');
  assert.equal(read.json().timeline[0].title, 'EHC plan ended on 5 December 2026');
});

test('ending a status never leaves a child still on a plan or in care without an allocated worker', async () => {
  const b = await signedIn();
  // A record that arrived whole (as an import does): in care and on a plan, with nobody allocated.
  const id = await db.transaction().execute(async (tx) => {
    const p = await tx
      .insertInto('people')
      .values({
        authority_id: org.authorityId,
        case_number: 'IMP1',
        given_name: 'Imported',
        family_name: 'Child',
        date_of_birth: '2014-02-02',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('involvements')
      .values({
        authority_id: org.authorityId,
        person_id: p.id,
        team_id: team,
        reason: 'Import',
        start_date: '2026-01-01',
      })
      .execute();
    await tx
      .insertInto('person_statuses')
      .values([
        { authority_id: org.authorityId, person_id: p.id, status: 'child_in_care', start_date: '2026-01-01' },
        { authority_id: org.authorityId, person_id: p.id, status: 'child_protection_plan', start_date: '2026-01-01' },
      ])
      .execute();
    return p.id;
  });
  const cp = await statusOf(id, 'child_protection_plan');
  const res = await b.post(`/people/${id}/statuses/${cp.id}/end`, { reason: 'Plan ended at conference' });
  assert.equal(res.statusCode, 400, res.body.slice(0, 300));
  assert.match(res.body, /would still be on a child protection plan or in care with no allocated worker/);
  assert.equal((await statusOf(id, 'child_protection_plan')).end_date, null);
});

test('the record shows dates a person can read, ISO values in <time datetime>, and a timeline 25 a page', async () => {
  const b = await signedIn();
  const id = await newPerson(b);
  // The record was created at 10:05 (the database stamps the real time: set it to the test's clock), then 30 more
  // events, a minute apart, the newest last.
  await db.updateTable('events').set({ at: clock.now() }).where('person_id', '=', id).execute();
  await db
    .insertInto('events')
    .values(
      Array.from({ length: 30 }, (_, i) => ({
        authority_id: org.authorityId,
        person_id: id,
        kind: 'record',
        title: i === 29 ? 'Step 6: Escalate to the service lead: now due 2026-12-09' : `Event ${i + 1}`,
        detail: i === 29 ? 'With the service lead; due 2026-12-09 (10 working days)' : null,
        actor_id: manager.id,
        at: new Date(Date.parse('2026-12-05T10:06:00Z') + i * 60_000),
      })),
    )
    .execute();
  const first = await b.get(`/people/${id}`);
  assert.equal(first.statusCode, 200);
  assert.doesNotMatch(first.body, /(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d/);
  assert.doesNotMatch(first.body, /GMT|Coordinated Universal Time|British Summer Time/);
  const datetimes = [...first.body.matchAll(/<time datetime="([^"]*)"/g)].map((m) => m[1]!);
  assert.equal(datetimes.length, 25, 'one page of the timeline');
  for (const v of datetimes) assert.match(v, /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{3})?Z)?$/, v);
  // Newest first; the time as people write it.
  // Event text other modules wrote with ISO dates reads as people write dates.
  assert.match(first.body, /Step 6: Escalate to the service lead: now due 9 December 2026/);
  assert.match(first.body, /With the service lead; due 9 December 2026 \(10 working days\)/);
  assert.doesNotMatch(first.body, />[^<]*\d{4}-\d{2}-\d{2}[^<]*</, 'no ISO date in the text of the page');
  assert.match(first.body, /5 December 2026, 10:35am/);
  assert.doesNotMatch(first.body, /Record created/);
  assert.match(first.body, /Page 1 of 2 \(31 events, newest first\)/);
  assert.match(first.body, new RegExp(`href="/people/${id}\\?page=2#timeline"`));

  const second = await b.get(`/people/${id}?page=2`);
  const titles = [...second.body.matchAll(/class="moj-timeline__title">([^<]*)</g)].map((m) => m[1]);
  assert.deepEqual(titles, ['Event 5', 'Event 4', 'Event 3', 'Event 2', 'Event 1', 'Record created']);
  assert.match(second.body, /5 December 2026, 10:05am/);
  // A page past the end, or not a number, is the first or an empty page, never an error.
  assert.equal((await b.get(`/people/${id}?page=x`)).statusCode, 200);
});

test('every save on the people pages lands on the record with a success banner saying what was saved', async () => {
  const b = await signedIn();
  const banner = async (location: string | undefined, text: string) => {
    assert.ok(location, 'redirected');
    const page = await b.get(location);
    assert.equal(page.statusCode, 200);
    const m =
      /<div class="govuk-notification-banner govuk-notification-banner--success"[^>]*>([\s\S]*?)<\/div>\s*<\/div>/.exec(
        page.body,
      );
    assert.ok(m, `banner after ${text}`);
    assert.match(m[0], /role="alert"/);
    assert.match(m[0], /data-module="govuk-notification-banner"/);
    assert.match(m[1]!, new RegExp(text));
  };
  const created = await b.post('/people', {
    given_name: 'Bram',
    family_name: 'Tellisford',
    'date_of_birth-day': '1',
    'date_of_birth-month': '1',
    'date_of_birth-year': '2012',
    team_id: team,
    reason: 'Child in need assessment',
    allocate_to_me: 'yes',
  });
  await banner(created.headers.location as string, 'Record created');
  const id = String(created.headers.location).split('?')[0]!.split('/').pop()!;
  // No banner without a save, and an unknown flag shows nothing.
  assert.doesNotMatch((await b.get(`/people/${id}`)).body, /govuk-notification-banner/);
  assert.doesNotMatch((await b.get(`/people/${id}?saved=%3Cscript%3E`)).body, /govuk-notification-banner/);

  const person = await db.selectFrom('people').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  const edit = await b.post(`/people/${id}/edit`, {
    given_name: 'Bram',
    family_name: 'Tellisford',
    'date_of_birth-day': '1',
    'date_of_birth-month': '1',
    'date_of_birth-year': '2012',
    school: 'Exeter Academy',
    version: String(person.version),
  });
  await banner(edit.headers.location as string, 'Details saved');
  await banner(
    (await b.post(`/people/${id}/statuses`, { status: 'child_in_need' })).headers.location as string,
    'Status added',
  );
  const cin = await statusOf(id, 'child_in_need');
  await banner(
    (await b.post(`/people/${id}/statuses/${cin.id}/end`, { reason: 'Closed at review' })).headers.location as string,
    'Status ended',
  );
  await banner(
    (await b.post(`/people/${id}/contacts`, { name: 'Lee Tellisford', relationship: 'Father' })).headers
      .location as string,
    'Contact added',
  );
  const other = org.teams['dct-south'] as string;
  await banner(
    (await b.post(`/people/${id}/involvements`, { team_id: other, reason: 'Short breaks' })).headers.location as string,
    'Team involvement added',
  );
  const inv = await db
    .selectFrom('involvements')
    .where('person_id', '=', id)
    .where('team_id', '=', team)
    .selectAll()
    .executeTakeFirstOrThrow();
  const worker = userByRole(org, 'social_worker');
  const alloc = await b.post(`/people/${id}/involvements/${inv.id}/allocate`, {
    worker_id: worker.id,
    version: String(inv.version),
  });
  await banner(alloc.headers.location as string, 'Allocation saved');
});
