// Case notes (issue 11 capability 9) through the pages: add, read, correct, refused without a relationship.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { parseTime } from '../src/modules/notes/schemas.ts';
import { timeLabel } from '../src/modules/notes/service.ts';
import { Browser } from './helpers.ts';
import { notesSetup } from './notes-setup.ts';

const { db, app, worker, stranger, person, strangerApi, noteForm, noteBody, count, accessRows } =
  await notesSetup('ntp');

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
