// Advice givers upload their advice instead of typing "see attached" (issue 11 capability 10): on the advice form
// the giver attaches the advice as a document; the typed advice is then optional; sending it is advice received, the
// engine moves as it does for typed advice, in one transaction with the document; the coordinator's view lists the
// document with a download link. A virus refuses the whole submission: nothing half-written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentsSetup, FILES, upload } from './documents-setup.ts';
import { Browser, userByRole } from './helpers.ts';

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
  const p = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: `ADV-${serial}`,
      given_name: 'Ada',
      family_name: `Advice${serial}`,
      date_of_birth: '2016-04-02',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      team_id: org.teams['send-statutory'] as string,
      worker_id: coordinator.id,
      reason: 'EHC needs assessment',
      start_date: '2026-09-01',
    })
    .execute();
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
