// Advice givers upload their advice instead of typing "see attached" (issue 11 capability 10): on the advice form
// the giver attaches the advice as a document; the typed advice is then optional; sending it is advice received, the
// engine moves as it does for typed advice, in one transaction with the document; the coordinator's view lists the
// document with a download link. A virus refuses the whole submission: nothing half-written.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 as tokenHash } from '../src/modules/auth/service.ts';
import { documentsSetup, FILES, multipart, upload } from './documents-setup.ts';
import { Browser, personInTeam, userByRole } from './helpers.ts';

const { db, org, app, giver, count } = await documentsSetup('dadv');
const coordinator = userByRole(org, 'ehcp_coordinator');
const dateParts = (field: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${field}-day`]: d as string, [`${field}-month`]: m as string, [`${field}-year`]: y as string };
};

let serial = 0;
/** A young person with the coordinator's team involved, an assessment agreed, advice asked of the giver. */
async function adviceAsked() {
  serial++;
  const p = {
    id: await personInTeam(db, {
      authorityId: org.authorityId,
      team: org.teams['send-statutory'] as string,
      worker: coordinator.id,
      caseNumber: `ADV-${serial}`,
      givenName: 'Ada',
      familyName: `Advice${serial}`,
      dateOfBirth: '2016-04-02',
      reason: 'EHC needs assessment',
      start: '2026-09-01',
    }),
  };
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  await jo.get(`/people/${p.id}/ehcp`);
  const made = await jo.post(`/people/${p.id}/ehcp`, {
    ...dateParts('request_date', '2026-09-07'),
    requested_by: 'parent',
  });
  assert.equal(made.statusCode, 303, made.body.slice(0, 300));
  const assessmentUrl = String(made.headers.location).split('?')[0] as string;
  const decided = await jo.post(`${assessmentUrl}/decision`, {
    decision: 'assess',
    ...dateParts('decision_date', '2026-10-12'),
  });
  assert.equal(decided.statusCode, 303, decided.body.slice(0, 300));
  const sent = await jo.post(`${assessmentUrl}/advice/new`, {
    kind: 'health',
    giver_user_id: giver.id,
    question: 'Please describe the health needs relevant to education.',
    ...dateParts('requested_date', '2026-10-12'),
  });
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 300));
  const r = await db
    .selectFrom('ehcp_advice_requests')
    .where('person_id', '=', p.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  return { personId: p.id, assessmentUrl, request: r, jo };
}

const openStep = (instanceId: string) =>
  db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .select('step_key')
    .executeTakeFirst();

test('the giver sends their advice as a document with no typed advice: received, the engine moves, the coordinator downloads it', async () => {
  const { personId, assessmentUrl, request, jo } = await adviceAsked();
  assert.equal((await openStep(request.protocol_instance_id as string))?.step_key, 'advice_due');
  const f = new Browser(app);
  await f.login(giver.email);
  const page = await f.get(`/advice/${request.id}`);
  assert.match(page.body, new RegExp(`action="/advice/${request.id}/advice" enctype="multipart/form-data"`));
  assert.match(page.body, /Attach the advice as a document \(optional\)/);

  const res = await upload(
    f,
    `/advice/${request.id}/advice`,
    { name: 'file', filename: 'Health advice.pdf', bytes: FILES.pdf, type: 'application/pdf' },
    { advice: '', summary_needs: 'Mobility' },
  );
  assert.equal(res.statusCode, 303, res.body.slice(0, 600));
  assert.equal(res.headers.location, `/advice/${request.id}?sent=advice`);

  const after = await db
    .selectFrom('ehcp_advice_requests')
    .where('id', '=', request.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(after.status, 'received');
  assert.equal(after.received_date, '2026-11-23');
  assert.notEqual((await openStep(request.protocol_instance_id as string))?.step_key, 'advice_due');
  const sub = await db
    .selectFrom('ehcp_advice_submissions')
    .where('request_id', '=', request.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(sub.body, '');
  assert.equal(sub.kind, 'advice');
  assert.deepEqual(sub.summary, { needs: 'Mobility' });
  const doc = await db
    .selectFrom('documents')
    .where('id', '=', sub.document_id as string)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(doc.target_kind, 'advice_request');
  assert.equal(doc.target_id, request.id);
  assert.equal(doc.title, 'Health advice');

  const mine = await f.get(`/advice/${request.id}?sent=advice`);
  assert.match(mine.body, /Your advice has been sent to the EHCP coordinator/);
  assert.match(mine.body, new RegExp(`href="/advice/${request.id}/documents/${doc.id}"`));

  const view = await jo.get(`${assessmentUrl}/advice/${request.id}`);
  assert.equal(view.statusCode, 200);
  assert.match(view.body, /Advice sent as a document/);
  assert.match(view.body, new RegExp(`href="/people/${personId}/documents/${doc.id}"`));
  const dl = await jo.get(`/people/${personId}/documents/${doc.id}`);
  assert.equal(dl.statusCode, 200);
  assert.deepEqual(dl.rawPayload, FILES.pdf);
});

test('neither typed advice nor a document: refused naming the field; a virus refuses the whole submission', async () => {
  const { request } = await adviceAsked();
  const f = new Browser(app);
  await f.login(giver.email);
  await f.get(`/advice/${request.id}`);
  const empty = await upload(f, `/advice/${request.id}/advice`, null, { advice: '', summary_needs: 'Kept' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Enter your advice, or attach it as a document/);
  assert.match(empty.body, /href="#advice"/);
  assert.match(empty.body, />Kept</, 'what was typed is kept');

  const documentsBefore = await count('documents');
  const infected = await upload(
    f,
    `/advice/${request.id}/advice`,
    { name: 'file', filename: 'advice.pdf', bytes: FILES.infectedPdf, type: 'application/pdf' },
    { advice: 'Typed too' },
  );
  assert.equal(infected.statusCode, 400);
  assert.match(infected.body, /The selected file contains a virus/);
  assert.match(infected.body, /href="#file"/);
  assert.equal(await count('documents'), documentsBefore);
  const r = await db
    .selectFrom('ehcp_advice_requests')
    .where('id', '=', request.id)
    .select('status')
    .executeTakeFirstOrThrow();
  assert.equal(r.status, 'requested', 'no advice received');
  assert.equal(
    (await db.selectFrom('ehcp_advice_submissions').where('request_id', '=', request.id).selectAll().execute()).length,
    0,
  );
  assert.equal((await openStep(request.protocol_instance_id as string))?.step_key, 'advice_due');

  // Typed advice alone still works as before (the form is multipart now).
  const typed = await upload(f, `/advice/${request.id}/advice`, null, { advice: 'Needs daily physiotherapy.' });
  assert.equal(typed.statusCode, 303, typed.body.slice(0, 300));
  const sub = await db
    .selectFrom('ehcp_advice_submissions')
    .where('request_id', '=', request.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(sub.body, 'Needs daily physiotherapy.');
  assert.equal(sub.document_id, null);
});

// ---- the same through the JSON API (POST /api/v1/advice-requests/:requestId/advice takes JSON or multipart)

async function apiToken(userId: string) {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: tokenHash(token), label: 'test' })
    .execute();
  return { authorization: `Bearer ${token}` };
}
const giverApi = await apiToken(giver.id);
const coordinatorApi = await apiToken(coordinator.id);
const otherApi = await apiToken(userByRole(org, 'team_manager').id);

/** A multipart POST through the API: text fields, and the file part when given. */
const postMultipart = (url: string, headers: Record<string, string>, fields: Record<string, string>, file?: Buffer) => {
  const body = multipart(fields, file ? [{ name: 'file', filename: 'Therapy advice.pdf', bytes: file }] : []);
  return app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
  });
};
const requestRow = (id: string) =>
  db.selectFrom('ehcp_advice_requests').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
const submissions = (id: string) =>
  db.selectFrom('ehcp_advice_submissions').where('request_id', '=', id).selectAll().execute();

test('API: the giver sends advice as a document with no typed advice (201): received, the engine moves; the giver lists and downloads it, the coordinator downloads it from the record', async () => {
  const { personId, request } = await adviceAsked();
  const base = `/api/v1/advice-requests/${request.id}`;
  const res = await postMultipart(`${base}/advice`, giverApi, { summary_needs: 'Mobility' }, FILES.pdf);
  assert.equal(res.statusCode, 201, res.body);
  const { kind, document_id: documentId } = res.json();
  assert.equal(kind, 'advice');
  assert.match(documentId, /^[0-9a-f-]{36}$/);

  const after = await requestRow(request.id);
  assert.equal(after.status, 'received');
  assert.equal(after.received_date, '2026-11-23');
  assert.notEqual((await openStep(request.protocol_instance_id as string))?.step_key, 'advice_due');
  const [sub, ...more] = await submissions(request.id);
  assert.equal(more.length, 0);
  assert.equal(sub?.body, '');
  assert.equal(sub?.document_id, documentId);
  assert.deepEqual(sub?.summary, { needs: 'Mobility' });

  const list = await app.inject({ method: 'GET', url: `${base}/documents`, headers: giverApi });
  assert.equal(list.statusCode, 200, list.body);
  const [item] = list.json().items;
  assert.equal(item.id, documentId);
  assert.equal(item.title, 'Therapy advice');
  assert.equal(item.target_kind, 'advice_request');
  assert.equal(item.target_id, request.id);
  assert.equal(item.scan_result, 'clean');
  const down = await app.inject({ method: 'GET', url: `${base}/documents/${documentId}`, headers: giverApi });
  assert.equal(down.statusCode, 200);
  assert.deepEqual(down.rawPayload, FILES.pdf);
  assert.match(String(down.headers['content-disposition']), /^attachment; filename="document-[0-9a-f-]+\.pdf"$/);
  assert.equal(await count('access_log', { person_id: personId, purpose: 'advice-document', channel: 'api' }), 1);

  // The coordinator finds it on the record's documents (about the advice request) and downloads it.
  const record = `/api/v1/people/${personId}/documents`;
  const onRecord = await app.inject({ method: 'GET', url: record, headers: coordinatorApi });
  assert.equal(onRecord.statusCode, 200, onRecord.body);
  assert.ok(
    onRecord
      .json()
      .items.some(
        (d: { id: string; target_kind: string; target_id: string }) =>
          d.id === documentId && d.target_kind === 'advice_request' && d.target_id === request.id,
      ),
  );
  const coordDown = await app.inject({ method: 'GET', url: `${record}/${documentId}`, headers: coordinatorApi });
  assert.equal(coordDown.statusCode, 200);
  assert.deepEqual(coordDown.rawPayload, FILES.pdf);

  // Updated advice as JSON, as before: no document.
  const json = await app.inject({
    method: 'POST',
    url: `${base}/advice`,
    headers: giverApi,
    payload: { advice: 'Also needs a lift pass.' },
  });
  assert.equal(json.statusCode, 201, json.body);
  assert.equal(json.json().document_id, null);
  assert.equal((await submissions(request.id)).length, 2);

  const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
  const op = doc.paths['/api/v1/advice-requests/{requestId}/advice'].post;
  assert.ok(op.requestBody.content['multipart/form-data'].schema.properties.file);
  assert.ok(op.requestBody.content['application/json'].schema.properties.advice);
  for (const status of ['201', '400', '401', '403', '404']) assert.ok(op.responses[status], `declares ${status}`);
  assert.ok(doc.paths['/api/v1/advice-requests/{requestId}/documents'].get.responses['200']);
  assert.ok(doc.paths['/api/v1/advice-requests/{requestId}/documents/{documentId}'].get.responses['404']);
});

test('API: a virus, no file and no advice, or bad input write nothing and name the field; another user’s request is refused', async () => {
  const { personId, request } = await adviceAsked();
  const base = `/api/v1/advice-requests/${request.id}`;
  const documentsBefore = await count('documents');
  const nothingWritten = async () => {
    assert.equal(await count('documents'), documentsBefore);
    assert.equal((await requestRow(request.id)).status, 'requested');
    assert.equal((await submissions(request.id)).length, 0);
    assert.equal((await openStep(request.protocol_instance_id as string))?.step_key, 'advice_due');
  };

  const infected = await postMultipart(`${base}/advice`, giverApi, { advice: 'Typed too' }, FILES.infectedPdf);
  assert.equal(infected.statusCode, 400);
  assert.match(infected.json().fields.file, /contains a virus/);
  await nothingWritten();

  const empty = await postMultipart(`${base}/advice`, giverApi, { summary_needs: 'Kept' });
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.json().fields.advice, 'Enter your advice, or attach it as a document');
  const notAType = await postMultipart(`${base}/advice`, giverApi, {}, FILES.text);
  assert.equal(notAType.statusCode, 400);
  assert.match(notAType.json().fields.file, /The selected file must be/);
  const emptyJson = await app.inject({ method: 'POST', url: `${base}/advice`, headers: giverApi, payload: {} });
  assert.equal(emptyJson.statusCode, 400);
  assert.equal(emptyJson.json().fields.advice, 'Enter your advice, or attach it as a document');
  const wrongJson = await app.inject({
    method: 'POST',
    url: `${base}/advice`,
    headers: giverApi,
    payload: { advice: 'Fine', file: 'not a file' },
  });
  assert.equal(wrongJson.statusCode, 400, 'JSON is checked against its schema: nothing else accepted');
  await nothingWritten();

  // Someone the request is not addressed to: neither sends advice nor reads its documents.
  const other = await postMultipart(`${base}/advice`, otherApi, { advice: 'Not mine' }, FILES.pdf);
  assert.ok([403, 404].includes(other.statusCode), `got ${other.statusCode}`);
  await nothingWritten();
  const theirs = await app.inject({ method: 'GET', url: `${base}/documents`, headers: otherApi });
  assert.ok([403, 404].includes(theirs.statusCode), `got ${theirs.statusCode}`);

  // A document on the record itself, not on the request, is never the giver's to download.
  const recordDoc = await postMultipart(`/api/v1/people/${personId}/documents`, coordinatorApi, {}, FILES.pdf);
  assert.equal(recordDoc.statusCode, 201, recordDoc.body);
  const notTheirs = await app.inject({
    method: 'GET',
    url: `${base}/documents/${recordDoc.json().id}`,
    headers: giverApi,
  });
  assert.equal(notTheirs.statusCode, 404);
  assert.equal(
    (await app.inject({ method: 'GET', url: `${base}/documents`, headers: giverApi })).json().items.length,
    0,
  );
});
