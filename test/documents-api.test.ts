// Documents (issue 11 capability 10) through the JSON API, for the advice giver, and under each scanner and storage
// setting: scanning off (taken, marked not scanned, the page says so), no scanner (refused), clamd not answering
// (refused), and the bytes in a directory (named by id, SHA-256 checked on download).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { documentsSetup, FILES, multipart, upload } from './documents-setup.ts';
import { Browser, userByRole } from './helpers.ts';

const { db, org, app, appWith, worker, giver, person, adviceRequest, workerApi, strangerApi, count } =
  await documentsSetup('dapi');

const post = (url: string, headers: Record<string, string>, fields: Record<string, string>, bytes?: Buffer) => {
  const body = multipart(fields, bytes ? [{ name: 'file', filename: 'upload.pdf', bytes }] : []);
  return app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
  });
};

test('API: upload (201), list, download; bad input names the field; an infected file is refused; no relationship → 403', async () => {
  const id = await person();
  const base = `/api/v1/people/${id}/documents`;
  const created = await post(base, workerApi, { title: 'Assessment' }, FILES.pdf);
  assert.equal(created.statusCode, 201, created.body);
  const docId = created.json().id as string;
  const list = await app.inject({ method: 'GET', url: base, headers: workerApi });
  assert.equal(list.statusCode, 200);
  const [item] = list.json().items;
  assert.equal(item.id, docId);
  assert.equal(item.title, 'Assessment');
  assert.equal(item.media_type, 'application/pdf');
  assert.equal(item.scan_result, 'clean');
  assert.equal(item.target_kind, 'person');
  assert.match(item.sha256, /^[0-9a-f]{64}$/);
  const down = await app.inject({ method: 'GET', url: `${base}/${docId}`, headers: workerApi });
  assert.equal(down.statusCode, 200);
  assert.deepEqual(down.rawPayload, FILES.pdf);
  assert.match(String(down.headers['content-disposition']), /^attachment; filename="document-[0-9a-f-]+\.pdf"$/);
  assert.equal(await count('access_log', { person_id: id, purpose: 'document', channel: 'api' }), 1);

  const none = await post(base, workerApi, { title: 'No file' });
  assert.equal(none.statusCode, 400);
  assert.equal(none.json().fields.file, 'Select a file to upload');
  const badTarget = await post(base, workerApi, { target_kind: 'transfer', target_id: 'not-an-id' }, FILES.pdf);
  assert.equal(badTarget.statusCode, 400);
  assert.match(badTarget.json().fields.target_id, /must be the id of the advice request/);
  const infected = await post(base, workerApi, {}, FILES.infectedPdf);
  assert.equal(infected.statusCode, 400);
  assert.match(infected.json().fields.file, /contains a virus/);
  assert.equal((await post(base, strangerApi, {}, FILES.pdf)).statusCode, 403);
  assert.equal((await app.inject({ method: 'GET', url: base, headers: strangerApi })).statusCode, 403);
  assert.equal(await count('documents', { person_id: id }), 1);

  const openapi = await app.inject({ method: 'GET', url: '/api/docs/json' });
  const paths = openapi.json().paths;
  assert.ok(paths['/api/v1/people/{personId}/documents'].post.requestBody.content['multipart/form-data']);
  assert.ok(paths['/api/v1/people/{personId}/documents/{documentId}'].get);
});

test('a document about an advice request must be about one on this record', async () => {
  const id = await person();
  const other = await person();
  const requestId = await adviceRequest(other);
  const base = `/api/v1/people/${id}/documents`;
  const wrong = await post(base, workerApi, { target_kind: 'advice_request', target_id: requestId }, FILES.pdf);
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json().fields.target_id, 'No ehcp advice request with that reference is on this record');
  const mine = await adviceRequest(id);
  const ok = await post(base, workerApi, { target_kind: 'advice_request', target_id: mine }, FILES.pdf);
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(await count('documents', { person_id: id, target_kind: 'advice_request' }), 1);
});

test('the advice giver uploads their advice as a document on their request, and reads only that request’s documents', async () => {
  const id = await person();
  const requestId = await adviceRequest(id);
  // A document on the record itself, not on the request: never the advice giver's to read.
  const recordDoc = (await post(`/api/v1/people/${id}/documents`, workerApi, {}, FILES.pdf)).json().id as string;

  const g = new Browser(app);
  await g.login(giver.email);
  const page = await g.get(`/advice/${requestId}/documents`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Upload your advice as a document/);
  const res = await upload(g, `/advice/${requestId}/documents`, {
    name: 'file',
    filename: 'SALT advice.pdf',
    bytes: FILES.pdf,
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 400));
  assert.equal(res.headers.location, `/advice/${requestId}/documents?saved=uploaded`);
  const after_ = await g.get(res.headers.location as string);
  assert.match(after_.body, /govuk-notification-banner--success/);
  assert.match(after_.body, /SALT advice/);
  const doc = await db.selectFrom('documents').where('target_id', '=', requestId).selectAll().executeTakeFirstOrThrow();
  assert.equal(doc.target_kind, 'advice_request');
  assert.equal(doc.person_id, id);
  assert.equal(doc.uploaded_by, giver.id);
  const down = await g.get(`/advice/${requestId}/documents/${doc.id}`);
  assert.equal(down.statusCode, 200);
  assert.equal(await count('access_log', { person_id: id, user_id: giver.id, purpose: 'advice-document' }), 1);
  assert.equal((await g.get(`/advice/${requestId}/documents/${recordDoc}`)).statusCode, 404);
  assert.equal((await g.get(`/people/${id}/documents`)).statusCode, 403, 'never the record');

  // The worker on the case sees the advice on the record's documents, as about the advice request.
  const w = new Browser(app);
  await w.login(worker.email);
  const list = await w.get(`/people/${id}/documents`);
  assert.match(list.body, /SALT advice/);
  assert.match(list.body, /EHCP advice request/);

  // Someone the request is not addressed to cannot open its documents.
  const other = new Browser(app);
  await other.login(userByRole(org, 'team_manager').email);
  assert.equal((await other.get(`/advice/${requestId}/documents`)).statusCode, 404);
});

test('scanning off: the upload page says so, and the file is taken marked not scanned', async () => {
  const off = await appWith({ scanning: 'off', clamd: null });
  const id = await person();
  const b = new Browser(off);
  await b.login(worker.email);
  const page = await b.get(`/people/${id}/documents`);
  assert.match(page.body, /Virus scanning is turned off: files uploaded here are not checked for viruses/);
  const res = await upload(b, `/people/${id}/documents`, { name: 'file', filename: 'a.pdf', bytes: FILES.pdf });
  assert.equal(res.statusCode, 303);
  const doc = await db.selectFrom('documents').where('person_id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(doc.scan_result, 'not_scanned');
  assert.equal(doc.scanned_with, null);
  assert.match((await b.get(`/people/${id}/documents`)).body, /Not scanned/);
});

test('no scanner set up (outside demo mode): uploading is turned off and says who can fix it', async () => {
  const none = await appWith({ scanning: 'unavailable', clamd: null });
  const id = await person();
  const b = new Browser(none);
  await b.login(worker.email);
  const page = await b.get(`/people/${id}/documents`);
  assert.match(page.body, /Uploading is turned off: no virus scanner is set up/);
  assert.doesNotMatch(page.body, /enctype="multipart\/form-data"/);
  const res = await upload(b, `/people/${id}/documents`, { name: 'file', filename: 'a.pdf', bytes: FILES.pdf });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Uploads are turned off: no virus scanner is set up/);
  assert.equal(await count('documents', { person_id: id }), 0);
});

test('clamd not answering: the upload is refused (never taken unscanned)', async () => {
  const dead = await appWith({ clamd: { socket: path.join(tmpdir(), 'handover-no-clamd.sock') } });
  const id = await person();
  const b = new Browser(dead);
  await b.login(worker.email);
  await b.get(`/people/${id}/documents`);
  const res = await upload(b, `/people/${id}/documents`, { name: 'file', filename: 'a.pdf', bytes: FILES.pdf });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /could not be checked for viruses just now, so it was not uploaded/);
  assert.equal(await count('documents', { person_id: id }), 0);
});

test('DOCUMENTS_DIR: the bytes in a file named by id, not in PostgreSQL; a changed file is refused', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'handover-docs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const inDir = await appWith({ dir });
  const id = await person();
  const b = new Browser(inDir);
  await b.login(worker.email);
  await b.get(`/people/${id}/documents`);
  const res = await upload(b, `/people/${id}/documents`, { name: 'file', filename: 'Dana.pdf', bytes: FILES.pdf });
  assert.equal(res.statusCode, 303);
  const doc = await db.selectFrom('documents').where('person_id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(doc.storage, 'directory');
  assert.deepEqual(readdirSync(dir), [doc.id]);
  assert.equal(await count('document_contents', { document_id: doc.id }), 0);
  const down = await b.get(`/people/${id}/documents/${doc.id}`);
  assert.deepEqual(down.rawPayload, FILES.pdf);
  writeFileSync(path.join(dir, doc.id), Buffer.concat([FILES.pdf, Buffer.from('changed')]));
  assert.notEqual((await b.get(`/people/${id}/documents/${doc.id}`)).statusCode, 200);
});

test('the advice giver’s request page offers uploading their advice as a document', async () => {
  const id = await person();
  const requestId = await adviceRequest(id);
  const g = new Browser(app);
  await g.login(giver.email);
  const page = await g.get(`/advice/${requestId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`href="/advice/${requestId}/documents"`));
  assert.match(page.body, /Attach the advice as a document/);
});
