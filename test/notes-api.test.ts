// Case notes (issue 11 capability 9) through the API, the chronology and its filter, pagination and OpenAPI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser } from './helpers.ts';
import { notesSetup } from './notes-setup.ts';

const { app, worker, person, workerApi, noteBody, count, accessRows } = await notesSetup('nta');

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

test('what a worker types is shown as text, never as markup, with its line breaks', async () => {
  const id = await person();
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/notes`,
    headers: workerApi,
    payload: noteBody({
      what_happened: 'Line one <img src=x onerror=alert(1)>\nLine two',
      voice: '"Fine" & <b>ok</b>',
    }),
  });
  assert.equal(res.statusCode, 201);
  const b = new Browser(app);
  await b.login(worker.email);
  const page = await b.get(`/people/${id}/notes/${res.json().id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Line one &lt;img src=x onerror=alert\(1\)&gt;<br \/>\s*Line two/);
  assert.match(page.body, /&quot;Fine&quot; &amp; &lt;b&gt;ok&lt;\/b&gt;/);
  assert.doesNotMatch(page.body, /<img src=x|<b>ok/);
  const list = await b.get(`/people/${id}/notes`);
  assert.match(list.body, /Line one &lt;img src=x onerror=alert\(1\)&gt;<br \/>\s*Line two/);
});
