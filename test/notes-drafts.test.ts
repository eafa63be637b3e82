// Case note drafts (issue 11 capability 9, "drafts kept on session timeout"): a draft is kept for its writer as
// typed, by the button or by the page's script (JSON), survives the session ending, comes back in the add form after
// signing in again, and goes when the note is saved or the draft discarded. Nobody else sees it; the audit row
// names fields, never their text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser } from './helpers.ts';
import { notesSetup } from './notes-setup.ts';

const { db, app, org, clock, worker, person, noteForm, workerApi, strangerApi } = await notesSetup('ndr');
// The worker's team manager (same team) may write notes on the record too.
const colleague = org.users.find((u) => u.role === 'team_manager' && u.email.startsWith('team.manager'));

const drafts = (personId: string) =>
  db.selectFrom('case_note_drafts').where('person_id', '=', personId).selectAll().execute();

test('Save as draft keeps the half-written note for its writer only, and the form offers it back', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(`/people/${id}/notes/new`);
  const half = { note_type: 'visit', 'contact_date-day': '20', what_happened: 'Home visit. Saw Nadia; half-written' };
  const res = await b.post(`/people/${id}/notes/draft`, half);
  assert.equal(res.statusCode, 303, res.body.slice(0, 400));
  assert.equal(res.headers.location, `/people/${id}/notes/new?saved=draft`);
  const rows = await drafts(id);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0]?.fields, half);
  assert.equal(rows[0]?.user_id, worker.id);

  const form = await b.get(String(res.headers.location));
  assert.match(form.body, /govuk-notification-banner--success/);
  assert.match(form.body, /Draft saved/);
  assert.match(
    form.body,
    /This is your draft, last saved <time datetime="2026-11-23T10:00:00.000Z">23 November 2026, 10:00am<\/time>/,
  );
  assert.match(form.body, /Home visit. Saw Nadia; half-written<\/textarea>/);
  assert.match(form.body, /value="visit" checked/);
  assert.match(
    form.body,
    /id="contact_date-day" name="contact_date-day" type="text" value="20"|name="contact_date-day"[^>]*value="20"/,
  );
  // The notes list points at it.
  assert.match((await b.get(`/people/${id}/notes`)).body, /Carry on with your draft/);

  // The audit row names the fields kept, never what they say.
  const audit = await db
    .selectFrom('audit_log')
    .where('person_id', '=', id)
    .where('action', '=', 'save-draft')
    .select('detail')
    .execute();
  assert.equal(audit.length, 1);
  assert.deepEqual(audit[0]?.detail, { fields: ['note_type', 'contact_date-day', 'what_happened'] });
  assert.doesNotMatch(JSON.stringify(audit), /Nadia|half-written/);

  // A colleague who may write on the same record does not see it.
  assert.ok(colleague, 'the test council has the team manager');
  const c = new Browser(app);
  await c.login(colleague.email);
  const theirs = await c.get(`/people/${id}/notes/new`);
  assert.equal(theirs.statusCode, 200, 'the team manager may write notes on this record');
  assert.doesNotMatch(theirs.body, /half-written|This is your draft/);
});

test('the page script saves as JSON; after the session times out the draft comes back on signing in again', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(`/people/${id}/notes/new`);
  const typed = noteForm({ what_happened: 'Long visit write-up, typed before lunch' });
  const res = await b.post(`/people/${id}/notes/draft`, typed, { accept: 'application/json' });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { saved_at: '2026-11-23T10:00:00.000Z', saved_at_label: '10:00am' });

  // Lunch: the session ends; saving the note now sends the worker to sign in, and nothing is written.
  clock.advance(45 * 60_000);
  const late = await b.post(`/people/${id}/notes`, typed);
  assert.notEqual(late.statusCode, 303, 'a timed-out session cannot save');
  assert.equal((await db.selectFrom('case_notes').where('person_id', '=', id).selectAll().execute()).length, 0);

  const again = new Browser(app);
  await again.login(worker.email);
  const form = await again.get(`/people/${id}/notes/new`);
  assert.match(form.body, /Long visit write-up, typed before lunch<\/textarea>/);
  const saved = await again.post(`/people/${id}/notes`, typed);
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 400));
  assert.deepEqual(await drafts(id), [], 'saving the note removes the draft');
  assert.doesNotMatch((await again.get(`/people/${id}/notes/new`)).body, /This is your draft/);
});

test('a draft can be discarded; a field too long is refused by name and nothing is kept', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(`/people/${id}/notes/new`);
  await b.post(`/people/${id}/notes/draft`, { what_happened: 'to throw away' });
  const gone = await b.post(`/people/${id}/notes/draft/discard`, {});
  assert.equal(gone.headers.location, `/people/${id}/notes/new?saved=discarded`);
  assert.deepEqual(await drafts(id), []);
  assert.match((await b.get(String(gone.headers.location))).body, /Draft discarded/);

  const bad = await b.post(`/people/${id}/notes/draft`, { summary: 'x'.repeat(201), what_happened: 'kept?' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Summary of the significant event must be 200 characters or fewer/);
  assert.deepEqual(await drafts(id), []);
});

test('the API keeps, reads and discards the caller’s own draft; another user has none to read', async () => {
  const id = await person();
  const url = `/api/v1/people/${id}/notes/draft`;
  const put = await app.inject({ method: 'PUT', url, headers: workerApi, payload: { what_happened: 'API draft' } });
  assert.equal(put.statusCode, 200, put.body);
  const at = put.json().saved_at;
  assert.match(at, /^2026-11-23T/);
  const got = await app.inject({ method: 'GET', url, headers: workerApi });
  assert.deepEqual(got.json(), { fields: { what_happened: 'API draft' }, saved_at: at });
  const unknown = await app.inject({
    method: 'PUT',
    url,
    headers: workerApi,
    payload: { what_happened: 'x', nhs: '1' },
  });
  assert.equal(unknown.statusCode, 400, 'a field that is not the note’s is refused');
  // Someone with no relationship to the young person cannot reach the record at all.
  assert.equal((await app.inject({ method: 'GET', url, headers: strangerApi })).statusCode, 403);
  assert.equal((await app.inject({ method: 'DELETE', url, headers: workerApi })).statusCode, 204);
  const none = await app.inject({ method: 'GET', url, headers: workerApi });
  assert.equal(none.statusCode, 404);
  assert.match(none.json().message, /no draft/);
});
