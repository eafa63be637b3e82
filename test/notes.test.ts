// Case notes and the chronology (issue 11 capability 9): pages and API, access rules, logging, corrections.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sql } from 'kysely';
import { sha256 } from '../src/modules/auth/service.ts';
import { parseTime } from '../src/modules/notes/schemas.ts';
import { timeLabel } from '../src/modules/notes/service.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'nts');
// Monday 23 November 2026, 10:00 in London.
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
const worker = userByRole(org, 'social_worker');
// Can read and edit records, but has no relationship with these young people.
const stranger = userByRole(org, 'ehcp_coordinator');
const team = org.teams['dct-north'] as string;

let serial = 0;
/** A young person allocated to the worker. */
async function person() {
  serial++;
  const { id } = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: `N-${serial}`,
      given_name: 'Nadia',
      family_name: `Notes${serial}`,
      date_of_birth: '2011-04-02',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: id,
      team_id: team,
      worker_id: worker.id,
      reason: 'Child in need',
      start_date: '2026-01-05',
    })
    .execute();
  return id;
}

async function tokenFor(userId: string) {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(token), label: 'test' })
    .execute();
  return { authorization: `Bearer ${token}` };
}
const workerApi = await tokenFor(worker.id);
const strangerApi = await tokenFor(stranger.id);

const noteForm = (over: Record<string, string> = {}) => ({
  note_type: 'visit',
  'contact_date-day': '20',
  'contact_date-month': '11',
  'contact_date-year': '2026',
  contact_time: '2:30pm',
  present: 'Mother, the young person',
  what_happened: 'Home visit. Saw Nadia in her bedroom; the room was tidy.',
  voice: 'Said she feels safer at home since the new routine.',
  significant: 'no',
  summary: '',
  ...over,
});
const noteBody = (over: Record<string, unknown> = {}) => ({
  note_type: 'phone_call',
  contact_date: '2026-11-21',
  contact_time: '09:15',
  present: null,
  what_happened: 'Phoned school about attendance.',
  voice: null,
  significant: false,
  summary: null,
  ...over,
});

const count = async (table: 'case_notes' | 'case_note_versions', personId: string) =>
  Number(
    (
      await db
        .selectFrom(table)
        .where('person_id', '=', personId)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const accessRows = (personId: string, purpose: string) =>
  db
    .selectFrom('access_log')
    .where('person_id', '=', personId)
    .where('purpose', '=', purpose)
    .select(['user_id', 'channel'])
    .execute();

test('times: typed as people write them, shown as GOV.UK writes them', () => {
  assert.equal(parseTime('14:30'), '14:30');
  assert.equal(parseTime('9.05'), '09:05');
  assert.equal(parseTime('2:30pm'), '14:30');
  assert.equal(parseTime('2 PM'), '14:00');
  assert.equal(parseTime('12am'), '00:00');
  assert.equal(parseTime('12:15 p.m.'), '12:15');
  for (const bad of ['14', '25:00', '13pm', '10:60', 'noon', '']) assert.equal(parseTime(bad), null, bad);
  assert.equal(timeLabel('14:30'), '2:30pm');
  assert.equal(timeLabel('09:00'), '9am');
  assert.equal(timeLabel('12:00'), 'midday');
  assert.equal(timeLabel('00:00'), 'midnight');
});

test('a worker adds a note from the pages: a banner, the note on the list, a timeline line without its text, audit and access rows', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  const form = await b.get(`/people/${id}/notes/new`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Add a case note/);
  const saved = await b.post(`/people/${id}/notes`, noteForm());
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
  assert.equal(saved.headers.location, `/people/${id}/notes?saved=added`);

  const list = await b.get(String(saved.headers.location));
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /govuk-notification-banner--success/);
  assert.match(list.body, /Case note added/);
  assert.match(list.body, /Visit, <time datetime="2026-11-20T14:30">20 November 2026 at 2:30pm<\/time>/);
  assert.match(list.body, /Saw Nadia in her bedroom/);
  assert.match(list.body, /Written by Sam Social-Worker/);
  // Without the flag (a reload, a link) there is no banner.
  assert.doesNotMatch((await b.get(`/people/${id}/notes`)).body, /Case note added/);

  const note = await db.selectFrom('case_notes').where('person_id', '=', id).selectAll().executeTakeFirstOrThrow();
  const version = await db
    .selectFrom('case_note_versions')
    .where('note_id', '=', note.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(version.version, 1);
  assert.equal(version.contact_date, '2026-11-20');
  assert.equal(version.contact_time, '14:30:00');
  assert.equal(version.voice, 'Said she feels safer at home since the new routine.');
  assert.equal(version.correction_reason, null);

  const events = await db.selectFrom('events').where('person_id', '=', id).select(['title', 'detail']).execute();
  assert.deepEqual(events, [{ title: 'Case note added (visit)', detail: null }]);
  const audit = await db
    .selectFrom('audit_log')
    .where('person_id', '=', id)
    .select(['action', 'entity', 'entity_id', 'actor_id', 'detail'])
    .execute();
  assert.equal(audit.length, 1);
  assert.deepEqual(
    { ...audit[0], detail: undefined },
    { action: 'create', entity: 'case_note', entity_id: note.id, actor_id: worker.id, detail: undefined },
  );
  assert.deepEqual(audit[0]?.detail, { version: 1, version_id: version.id });
  assert.doesNotMatch(JSON.stringify(audit), /Nadia|bedroom|safer/);

  // Every page that shows notes wrote an access-log row: the form, the list twice.
  assert.equal((await accessRows(id, 'case-note-form')).length, 1);
  assert.deepEqual(await accessRows(id, 'case-notes'), [
    { user_id: worker.id, channel: 'page' },
    { user_id: worker.id, channel: 'page' },
  ]);
  const record = await b.get(`/people/${id}`);
  assert.match(record.body, new RegExp(`href="/people/${id}/notes"`));
  assert.match(record.body, new RegExp(`href="/people/${id}/chronology"`));
});

test('bad input names each field and writes nothing (pages)', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(`/people/${id}/notes/new`);
  const res = await b.post(
    `/people/${id}/notes`,
    noteForm({
      note_type: '',
      'contact_date-day': '24',
      contact_time: 'teatime',
      what_happened: '   ',
      significant: 'yes',
      summary: '',
    }),
  );
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Error: Add a case note/);
  for (const [href, message] of [
    ['#note_type', 'Choose the type of note: visit, phone call, meeting, observation or direct work'],
    ['#contact_date-day', 'Date of the contact must be today or in the past'],
    ['#contact_time', 'Time of the contact must be a real time, for example 14:30 or 2:30pm'],
    ['#what_happened', 'Enter what happened: what you saw, heard and did'],
    ['#summary', 'Enter a one-line summary of the significant event for the chronology'],
  ])
    assert.match(res.body, new RegExp(`href="${href}">${message}</a>`), message);
  // What was typed is shown again.
  assert.match(res.body, /value="teatime"/);
  assert.match(res.body, /Said she feels safer at home/);

  // Today, but later than now (10:00).
  const later = await b.post(
    `/people/${id}/notes`,
    noteForm({ 'contact_date-day': '23', contact_time: '11:00', significant: 'no' }),
  );
  assert.equal(later.statusCode, 400);
  assert.match(later.body, /Time of the contact must be now or earlier: it is 10:00 now/);
  assert.equal(await count('case_notes', id), 0);
  assert.equal(await count('case_note_versions', id), 0);
  assert.equal((await db.selectFrom('events').where('person_id', '=', id).select('id').execute()).length, 0);
});

test('correcting a note adds version 2 with its reason; version 1 stays readable and cannot be changed', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(`/people/${id}/notes/new`);
  await b.post(`/people/${id}/notes`, noteForm());
  const { id: noteId } = await db
    .selectFrom('case_notes')
    .where('person_id', '=', id)
    .select('id')
    .executeTakeFirstOrThrow();

  const form = await b.get(`/people/${id}/notes/${noteId}/correct`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Correct this note/);
  assert.match(form.body, /name="version" value="1"/);
  assert.match(form.body, /value="14:30"/);

  // Nothing changed, or no reason: refused, nothing written.
  const same = await b.post(`/people/${id}/notes/${noteId}/corrections`, {
    ...noteForm({ contact_time: '14:30' }),
    reason: 'Checking',
    version: '1',
  });
  assert.equal(same.statusCode, 400);
  assert.match(same.body, /Nothing in the note has changed/);
  const noReason = await b.post(`/people/${id}/notes/${noteId}/corrections`, {
    ...noteForm({ 'contact_date-day': '19' }),
    reason: '',
    version: '1',
  });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /href="#reason">Enter why the note is being corrected/);
  assert.equal(await count('case_note_versions', id), 1);

  const saved = await b.post(`/people/${id}/notes/${noteId}/corrections`, {
    ...noteForm({ 'contact_date-day': '19', what_happened: 'Home visit on the Thursday, not the Friday.' }),
    reason: 'Wrong date recorded',
    version: '1',
  });
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
  assert.equal(saved.headers.location, `/people/${id}/notes/${noteId}?saved=corrected`);
  const page = await b.get(String(saved.headers.location));
  assert.match(page.body, /Note corrected: this is version 2/);
  assert.match(page.body, /Corrected/);
  assert.match(page.body, /Reason: Wrong date recorded/);
  assert.match(page.body, /Home visit on the Thursday, not the Friday./);
  assert.match(page.body, /Earlier versions/);
  assert.match(page.body, /Version 1, written by Sam Social-Worker/);
  assert.match(page.body, /Saw Nadia in her bedroom/);

  // A correction from a stale form (someone corrected it since): 409, nothing written.
  const stale = await b.post(`/people/${id}/notes/${noteId}/corrections`, {
    ...noteForm({ what_happened: 'Another change' }),
    reason: 'Typo',
    version: '1',
  });
  assert.equal(stale.statusCode, 409);
  const versions = await db
    .selectFrom('case_note_versions')
    .where('note_id', '=', noteId)
    .select(['version', 'contact_date', 'what_happened', 'correction_reason'])
    .orderBy('version')
    .execute();
  assert.deepEqual(versions, [
    {
      version: 1,
      contact_date: '2026-11-20',
      what_happened: 'Home visit. Saw Nadia in her bedroom; the room was tidy.',
      correction_reason: null,
    },
    {
      version: 2,
      contact_date: '2026-11-19',
      what_happened: 'Home visit on the Thursday, not the Friday.',
      correction_reason: 'Wrong date recorded',
    },
  ]);
  const titles = await db.selectFrom('events').where('person_id', '=', id).select('title').orderBy('id').execute();
  assert.deepEqual(
    titles.map((t) => t.title),
    ['Case note added (visit)', 'Case note corrected (visit)'],
  );
  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', noteId)
    .select(['action', 'detail'])
    .orderBy('seq')
    .execute();
  assert.deepEqual(
    audit.map((a) => [a.action, (a.detail as { version: number }).version]),
    [
      ['create', 1],
      ['correct', 2],
    ],
  );
  // Never a silent edit: the app's own database role cannot change a version.
  await assert.rejects(
    sql`UPDATE case_note_versions SET what_happened = 'silent' WHERE note_id = ${noteId}`.execute(db),
    /append-only/,
  );
});

test('a worker without a relationship is refused the notes, pages and API, and nothing is written', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(stranger.email);
  for (const url of [`/people/${id}/notes`, `/people/${id}/notes/new`, `/people/${id}/chronology`])
    assert.equal((await b.get(url)).statusCode, 403, url);
  assert.equal((await b.post(`/people/${id}/notes`, noteForm())).statusCode, 403);
  for (const url of [`/api/v1/people/${id}/notes`, `/api/v1/people/${id}/chronology`])
    assert.equal((await app.inject({ method: 'GET', url, headers: strangerApi })).statusCode, 403, url);
  const post = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/notes`,
    headers: strangerApi,
    payload: noteBody(),
  });
  assert.equal(post.statusCode, 403);
  assert.equal(await count('case_notes', id), 0);
  assert.equal((await db.selectFrom('access_log').where('person_id', '=', id).select('id').execute()).length, 0);
});

test('API: add, list, read, correct (409 when stale); bad input names the field and writes nothing', async () => {
  const id = await person();
  const base = `/api/v1/people/${id}/notes`;
  const bad = await app.inject({
    method: 'POST',
    url: base,
    headers: workerApi,
    payload: noteBody({ what_happened: '', contact_date: '2026-12-01', significant: true }),
  });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json().fields, {
    contact_date: 'Date of the contact must be today or in the past',
    what_happened: 'Enter what happened: what you saw, heard and did',
    summary: 'Enter a one-line summary of the significant event for the chronology',
  });
  const unknownField = await app.inject({
    method: 'POST',
    url: base,
    headers: workerApi,
    payload: { ...noteBody(), mood: 'fine' },
  });
  assert.equal(unknownField.statusCode, 400);
  assert.equal(await count('case_notes', id), 0);

  const created = await app.inject({ method: 'POST', url: base, headers: workerApi, payload: noteBody() });
  assert.equal(created.statusCode, 201, created.body);
  const noteId = created.json().id as string;
  const list = await app.inject({ method: 'GET', url: base, headers: workerApi });
  assert.equal(list.statusCode, 200);
  const body = list.json();
  assert.equal(body.total, 1);
  assert.equal(body.items[0].id, noteId);
  assert.equal(body.items[0].current.contact_time, '09:15');
  assert.equal(body.items[0].current.written_by, 'Sam Social-Worker');

  const fix = await app.inject({
    method: 'POST',
    url: `${base}/${noteId}/corrections`,
    headers: workerApi,
    payload: { ...noteBody({ contact_time: '09:45' }), reason: 'Wrong time', version: 1 },
  });
  assert.equal(fix.statusCode, 201, fix.body);
  assert.deepEqual(fix.json(), { id: noteId, version: 2 });
  const stale = await app.inject({
    method: 'POST',
    url: `${base}/${noteId}/corrections`,
    headers: workerApi,
    payload: { ...noteBody({ contact_time: '10:00' }), reason: 'Wrong time again', version: 1 },
  });
  assert.equal(stale.statusCode, 409);
  const read = await app.inject({ method: 'GET', url: `${base}/${noteId}`, headers: workerApi });
  assert.equal(read.statusCode, 200);
  const note = read.json();
  assert.equal(note.version, 2);
  assert.equal(note.current.contact_time, '09:45');
  assert.equal(note.current.correction_reason, 'Wrong time');
  assert.deepEqual(
    note.earlier.map((v: { version: number; contact_time: string }) => [v.version, v.contact_time]),
    [[1, '09:15']],
  );
  const missing = await app.inject({
    method: 'GET',
    url: `${base}/00000000-0000-4000-8000-000000000000`,
    headers: workerApi,
  });
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(await accessRows(id, 'case-notes'), [{ user_id: worker.id, channel: 'api' }]);
  assert.deepEqual(await accessRows(id, 'case-note'), [{ user_id: worker.id, channel: 'api' }]);
});

test('the chronology lists significant events only, filters by date range and type (page and API), and prints', async () => {
  const id = await person();
  const add = (over: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/v1/people/${id}/notes`, headers: workerApi, payload: noteBody(over) });
  for (const over of [
    { note_type: 'visit', contact_date: '2026-09-02', significant: true, summary: 'Moved to foster placement' },
    { note_type: 'meeting', contact_date: '2026-10-14', significant: true, summary: 'Strategy meeting held' },
    { note_type: 'visit', contact_date: '2026-11-20', significant: true, summary: 'Disclosed bullying at school' },
    { note_type: 'visit', contact_date: '2026-11-21', significant: false },
  ])
    assert.equal((await add(over)).statusCode, 201);

  const api = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/people/${id}/chronology${query}`, headers: workerApi });
    return { status: res.statusCode, json: res.json() };
  };
  const summaries = (r: { json: { items: { summary: string }[] } }) => r.json.items.map((e) => e.summary);
  assert.deepEqual(summaries(await api('')), [
    'Moved to foster placement',
    'Strategy meeting held',
    'Disclosed bullying at school',
  ]);
  assert.deepEqual(summaries(await api('?from_date=2026-10-01&to_date=2026-11-20')), [
    'Strategy meeting held',
    'Disclosed bullying at school',
  ]);
  assert.deepEqual(summaries(await api('?note_type=visit')), [
    'Moved to foster placement',
    'Disclosed bullying at school',
  ]);
  const backwards = await api('?from_date=2026-11-01&to_date=2026-10-01');
  assert.equal(backwards.status, 400);
  assert.deepEqual(backwards.json.fields, { to_date: 'To must be the same as or after From' });

  const b = new Browser(app);
  await b.login(worker.email);
  const all = await b.get(`/people/${id}/chronology`);
  assert.equal(all.statusCode, 200);
  assert.match(all.body, /Moved to foster placement/);
  assert.doesNotMatch(all.body, /Phoned school/, 'the notes themselves are not on the chronology');
  const filtered = await b.get(
    `/people/${id}/chronology?from_date-day=1&from_date-month=10&from_date-year=2026&to_date-day=&to_date-month=&to_date-year=&note_type=visit`,
  );
  assert.equal(filtered.statusCode, 200);
  assert.match(filtered.body, /Disclosed bullying at school/);
  assert.doesNotMatch(filtered.body, /Moved to foster placement|Strategy meeting held/);
  assert.match(filtered.body, /Filtered: from 1 October 2026, visit only/);
  const wrong = await b.get(`/people/${id}/chronology?from_date-day=31&from_date-month=2&from_date-year=2026`);
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /href="#from_date-day">From must be a real date/);

  // The print stylesheet is linked and hides everything but the events.
  assert.match(all.body, /<link rel="stylesheet" href="\/assets\/notes.css">/);
  const css = await app.inject({ method: 'GET', url: '/assets/notes.css' });
  assert.equal(css.statusCode, 200);
  assert.match(css.body, /@media print \{[^@]*\.govuk-service-navigation[^@]*\.app-no-print/);
  assert.equal((await accessRows(id, 'chronology')).length, 6);
});

test('the notes list is newest first, 20 a page, with pagination', async () => {
  const id = await person();
  for (let day = 1; day <= 23; day++) {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/people/${id}/notes`,
      headers: workerApi,
      payload: noteBody({ contact_date: `2026-10-${String(day).padStart(2, '0')}`, what_happened: `Note day ${day}` }),
    });
    assert.equal(res.statusCode, 201);
  }
  const b = new Browser(app);
  await b.login(worker.email);
  const first = await b.get(`/people/${id}/notes`);
  const days = (html: string) => [...html.matchAll(/Note day (\d+)/g)].map((m) => Number(m[1]));
  assert.deepEqual(days(first.body), [23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
  assert.match(first.body, /govuk-pagination/);
  assert.match(first.body, new RegExp(`href="/people/${id}/notes\\?page=2"`));
  const second = await b.get(`/people/${id}/notes?page=2`);
  assert.deepEqual(days(second.body), [3, 2, 1]);
  assert.match(second.body, /Case notes \(page 2 of 2\)/);
  const api = await app.inject({ method: 'GET', url: `/api/v1/people/${id}/notes?page=2`, headers: workerApi });
  assert.equal(api.statusCode, 200, api.body);
  assert.deepEqual([api.json().page, api.json().pages, api.json().total, api.json().items.length], [2, 2, 23, 3]);
});

test('the OpenAPI document describes the notes API and its inputs', async () => {
  const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
  const doc = res.json() as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
  };
  for (const path of [
    '/api/v1/people/{personId}/notes',
    '/api/v1/people/{personId}/notes/{noteId}',
    '/api/v1/people/{personId}/notes/{noteId}/corrections',
    '/api/v1/people/{personId}/chronology',
  ])
    assert.ok(doc.paths[path], `${path} is documented`);
  const body = JSON.stringify(doc.paths['/api/v1/people/{personId}/notes']?.post?.requestBody);
  for (const field of ['note_type', 'contact_date', 'contact_time', 'what_happened', 'voice', 'significant', 'summary'])
    assert.match(body, new RegExp(`"${field}"`), field);
  const correction = JSON.stringify(
    doc.paths['/api/v1/people/{personId}/notes/{noteId}/corrections']?.post?.requestBody,
  );
  assert.match(correction, /"reason"/);
  assert.match(correction, /"version"/);
});
