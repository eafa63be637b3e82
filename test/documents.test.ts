// Documents (issue 11 capability 10) through the pages: upload to a record with the GOV.UK file upload form, the
// type read from the content, the size limit, the virus scan by a real clamd (EICAR refused, audited, nothing
// stored), downloads as attachments with their access-log rows, access by relationship, and the scanner settings.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { documentsSetup, FILES, upload } from './documents-setup.ts';
import { Browser } from './helpers.ts';

const { db, app, worker, stranger, person, count } = await documentsSetup('doc');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('a worker uploads a PDF to the record: success banner, listed, stored with its SHA-256, on the timeline', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  const page = await b.get(`/people/${id}/documents`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /enctype="multipart\/form-data"/);
  assert.match(page.body, /No documents have been uploaded yet/);
  assert.doesNotMatch(page.body, /Virus scanning is turned off/);

  const res = await upload(
    b,
    `/people/${id}/documents`,
    { name: 'file', filename: 'School report.pdf', bytes: FILES.pdf, type: 'application/pdf' },
    { title: 'School report, autumn term' },
  );
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  assert.equal(res.headers.location, `/people/${id}/documents?saved=uploaded`);
  const list = await b.get(res.headers.location as string);
  assert.match(list.body, /govuk-notification-banner--success/);
  assert.match(list.body, /Document uploaded/);
  assert.match(list.body, /School report, autumn term/);
  assert.match(list.body, /Scanned/);

  const doc = await db.selectFrom('documents').where('person_id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(doc.media_type, 'application/pdf');
  assert.equal(doc.sha256, sha(FILES.pdf));
  assert.equal(doc.size_bytes, FILES.pdf.length);
  assert.equal(doc.scan_result, 'clean');
  assert.match(doc.scanned_with ?? '', /^ClamAV /);
  assert.equal(doc.storage, 'database');
  assert.equal(doc.uploaded_by, worker.id);
  const event = await db
    .selectFrom('events')
    .where('person_id', '=', id)
    .where('kind', '=', 'document')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(event.title, 'Document uploaded (PDF)', 'the timeline line never holds the title');
  const audit = await db
    .selectFrom('audit_log')
    .where('entity', '=', 'document')
    .where('entity_id', '=', doc.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(audit.action, 'create');
  assert.equal((audit.detail as { sha256: string }).sha256, doc.sha256);
});

test('download: the bytes as an attachment named by id, its content type, nosniff, one access-log row', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(`/people/${id}/documents`);
  await upload(b, `/people/${id}/documents`, { name: 'file', filename: 'Dana Docs plan.pdf', bytes: FILES.pdf });
  const doc = await db
    .selectFrom('documents')
    .where('person_id', '=', id)
    .select(['id', 'title'])
    .executeTakeFirstOrThrow();
  assert.equal(doc.title, 'Dana Docs plan', 'the title defaults to the file name');
  const before = await count('access_log', { person_id: id, purpose: 'document' });
  const res = await b.get(`/people/${id}/documents/${doc.id}`);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.equal(res.headers['content-disposition'], `attachment; filename="document-${doc.id}.pdf"`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.match(String(res.headers['cache-control']), /no-store/);
  assert.deepEqual(res.rawPayload, FILES.pdf);
  assert.equal(await count('access_log', { person_id: id, purpose: 'document' }), before + 1);
  assert.doesNotMatch(String(res.headers['content-disposition']), /Dana|Docs/, 'no personal data in the file name');
});

test('the type is read from the content, not the name: text called .pdf is refused, a PNG called .pdf is a PNG', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(`/people/${id}/documents`);
  const bad = await upload(
    b,
    `/people/${id}/documents`,
    { name: 'file', filename: 'report.pdf', bytes: FILES.text, type: 'application/pdf' },
    { title: 'Kept title' },
  );
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /govuk-error-summary/);
  assert.match(bad.body, /href="#file"/);
  assert.match(
    bad.body,
    /The selected file must be a PDF, a Word document \(DOCX or DOC\), or a PNG, JPEG, GIF or TIFF image/,
  );
  assert.match(bad.body, /value="Kept title"/, 'what was typed is kept');
  assert.equal(await count('documents', { person_id: id }), 0);

  const png = await upload(b, `/people/${id}/documents`, {
    name: 'file',
    filename: 'photo.pdf',
    bytes: FILES.png,
    type: 'application/pdf',
  });
  assert.equal(png.statusCode, 303, png.body.slice(0, 300));
  const doc = await db.selectFrom('documents').where('person_id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(doc.media_type, 'image/png');
  assert.equal(doc.extension, 'png');
});

test('a file with a virus (EICAR) is refused with a clear message, audited, and nothing is stored', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(`/people/${id}/documents`);
  const res = await upload(b, `/people/${id}/documents`, {
    name: 'file',
    filename: 'minutes.pdf',
    bytes: FILES.infectedPdf,
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /The selected file contains a virus, so it was not uploaded/);
  assert.equal(await count('documents', { person_id: id }), 0);
  assert.equal(await count('document_contents'), await count('documents'));
  const audit = await db
    .selectFrom('audit_log')
    .where('person_id', '=', id)
    .where('action', '=', 'refuse-infected')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(audit.actor_id, worker.id);
  assert.equal((audit.detail as { sha256: string }).sha256, sha(FILES.infectedPdf));
  assert.match((audit.detail as { signature: string }).signature, /^Handover\.Test\.EICAR/, 'the signature is audited');
  assert.equal(await db.selectFrom('events').where('person_id', '=', id).select('id').executeTakeFirst(), undefined);
});

test('bad input names the field: no file, an empty file, a file over the limit, a title too long', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(`/people/${id}/documents`);
  const none = await upload(b, `/people/${id}/documents`, null, { title: 'Nothing' });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Select a file to upload/);
  const empty = await upload(b, `/people/${id}/documents`, {
    name: 'file',
    filename: 'empty.pdf',
    bytes: Buffer.alloc(0),
  });
  assert.match(empty.body, /The selected file is empty/);
  const big = Buffer.concat([FILES.pdf, Buffer.alloc(1024 * 1024 + 10, 32)]);
  const large = await upload(b, `/people/${id}/documents`, { name: 'file', filename: 'big.pdf', bytes: big });
  assert.equal(large.statusCode, 400);
  assert.match(large.body, /The selected file must be smaller than 1 MB/);
  const long = await upload(
    b,
    `/people/${id}/documents`,
    { name: 'file', filename: 'a.pdf', bytes: FILES.pdf },
    { title: 'x'.repeat(201) },
  );
  assert.equal(long.statusCode, 400);
  assert.match(long.body, /href="#title"/);
  assert.equal(await count('documents', { person_id: id }), 0);
});

test('access: no relationship → 403 on the list, the download and the upload; no CSRF token → 403; nothing stored', async () => {
  const id = await person();
  const w = new Browser(app);
  await w.login(worker.email);
  await w.get(`/people/${id}/documents`);
  await upload(w, `/people/${id}/documents`, { name: 'file', filename: 'a.pdf', bytes: FILES.pdf });
  const doc = await db.selectFrom('documents').where('person_id', '=', id).select('id').executeTakeFirstOrThrow();

  const s = new Browser(app);
  await s.login(stranger.email);
  assert.equal((await s.get(`/people/${id}/documents`)).statusCode, 403);
  assert.equal((await s.get(`/people/${id}/documents/${doc.id}`)).statusCode, 403);
  const refused = await upload(s, `/people/${id}/documents`, { name: 'file', filename: 'b.pdf', bytes: FILES.pdf });
  assert.equal(refused.statusCode, 403);
  const forged = await upload(
    w,
    `/people/${id}/documents`,
    { name: 'file', filename: 'c.pdf', bytes: FILES.pdf },
    {},
    { csrf: null },
  );
  assert.equal(forged.statusCode, 403);
  assert.equal(await count('documents', { person_id: id }), 1);
  // A document of another record is not found through this one.
  const other = await person();
  assert.equal((await w.get(`/people/${other}/documents/${doc.id}`)).statusCode, 404);
});

test('the record page lists the documents (one access-log row for the page), and links to upload', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(`/people/${id}/documents`);
  await upload(
    b,
    `/people/${id}/documents`,
    { name: 'file', filename: 'x.pdf', bytes: FILES.pdf },
    { title: 'Care plan' },
  );
  const before = await count('access_log', { person_id: id });
  const record = await b.get(`/people/${id}`);
  assert.equal(record.statusCode, 200);
  assert.equal(await count('access_log', { person_id: id }), before + 1);
  assert.match(record.body, /<h2 class="govuk-heading-m" id="documents">Documents<\/h2>/);
  assert.match(record.body, /Care plan/);
  assert.match(record.body, new RegExp(`href="/people/${id}/documents#upload"`));
});
