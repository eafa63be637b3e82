// Documents on a transfer, a referral and a young person's item on a panel meeting (issue 11 capability 10): the
// panel on each page, upload, list, download (access-logged), the record's list saying what each is attached to,
// access refused to whoever may not see the target (and upload to whoever may see but not act), EICAR refused with
// nothing half-written, and the same through the JSON API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capabilitiesOf } from '../src/domain/roles.ts';
import type { AuthUser } from '../src/http/types.ts';
import { ReferralInput } from '../src/modules/transitions/schemas.ts';
import { documentsSetup, FILES, multipart, upload } from './documents-setup.ts';
import { Browser, userByRole } from './helpers.ts';

const { db, org, app, worker, stranger, person, count, workerApi, strangerApi } = await documentsSetup('dtg');
const team = org.teams['dct-north'] as string;
const chair = userByRole(org, 'forum_chair');

const manager = userByRole(org, 'team_manager');

function authUser(u: { id: string; role: string }, teamIds: string[]): AuthUser {
  return {
    id: u.id,
    authorityId: org.authorityId,
    email: 'x@example.com',
    displayName: u.role,
    roles: [u.role],
    caps: capabilitiesOf([u.role]),
    teamIds,
  };
}

async function transferOf(personId: string) {
  const inv = await db
    .selectFrom('involvements')
    .where('person_id', '=', personId)
    .select('id')
    .executeTakeFirstOrThrow();
  const other = Object.values(org.teams).find((t) => t !== team) as string;
  return app.services.transfers.request(authUser(manager, [team]), personId, {
    involvement_id: inv.id,
    to_team_id: other,
    reason: 'Moving to the other team',
  });
}

async function referralOf(personId: string) {
  const input = ReferralInput.parse(
    { to_user_id: manager.id, reason: 'Needs a housing assessment', basis: 'consent', basis_detail: 'Verbal consent' },
    { today: '2026-11-23' },
  );
  return app.services.transitions.refer(authUser(worker, [team]), personId, input);
}

/** A meeting of a panel the chair runs (one of each kind), with the young person's item on its agenda. */
async function meetingItemOf(personId: string, pseudonymised = false) {
  const panel = await db
    .insertInto('panels')
    .values({
      authority_id: org.authorityId,
      kind: pseudonymised ? 'governance' : 'forum',
      name: pseudonymised ? 'Transitions Governance Group' : 'Transitions Forum',
      pseudonymised,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const meeting = await db
    .insertInto('panel_meetings')
    .values({ authority_id: org.authorityId, panel_id: panel.id, meeting_date: '2026-11-20' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const item = await db
    .insertInto('panel_items')
    .values({
      authority_id: org.authorityId,
      panel_id: panel.id,
      meeting_id: meeting.id,
      person_id: personId,
      source: 'referral_form',
      question: 'Who commissions supported living?',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { meetingId: meeting.id, itemId: item.id };
}

const pdf = (filename = 'Notes.pdf') => ({ name: 'file', filename, bytes: FILES.pdf, type: 'application/pdf' });
const infected = { name: 'file', filename: 'Notes.pdf', bytes: FILES.infectedPdf, type: 'application/pdf' };

test('transfer: the panel on its page, upload with a success banner, listed, downloaded (logged), on the record’s list', async () => {
  const id = await person();
  const transferId = await transferOf(id);
  const base = `/people/${id}/transfers/${transferId}`;
  const b = new Browser(app);
  await b.login(worker.email);
  const page = await b.get(base);
  assert.equal(page.statusCode, 200, page.body.slice(0, 300));
  assert.match(page.body, /id="documents"/);
  assert.match(page.body, /No documents are attached yet/);
  assert.match(page.body, new RegExp(`action="${base}/documents" enctype="multipart/form-data"`));

  const res = await upload(b, `${base}/documents`, pdf('Handover meeting notes.pdf'));
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  assert.equal(res.headers.location, `${base}?saved=document`);
  const after = await b.get(`${base}?saved=document`);
  assert.match(after.body, /govuk-notification-banner--success[\s\S]*Document attached to the transfer/);
  assert.match(after.body, /Handover meeting notes/);

  const doc = await db.selectFrom('documents').where('person_id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(doc.target_kind, 'transfer');
  assert.equal(doc.target_id, transferId);
  const before = await count('access_log', { person_id: id, purpose: 'document' });
  const dl = await b.get(`${base}/documents/${doc.id}`);
  assert.equal(dl.statusCode, 200);
  assert.deepEqual(dl.rawPayload, FILES.pdf);
  assert.equal(dl.headers['content-disposition'], `attachment; filename="document-${doc.id}.pdf"`);
  assert.equal(await count('access_log', { person_id: id, purpose: 'document' }), before + 1);

  const own = await b.get(`${base}/documents`);
  assert.equal(own.statusCode, 200);
  assert.match(own.body, /Documents on the transfer/);
  assert.equal(await count('access_log', { person_id: id, purpose: 'transfer-documents' }), 1);

  const list = await b.get(`/people/${id}/documents`);
  assert.match(list.body, new RegExp(`<a class="govuk-link" href="${base}">Transfer requested 23 November 2026</a>`));
});

test('transfer: someone with no relationship is refused the list, the download and the upload; nothing stored', async () => {
  const id = await person();
  const transferId = await transferOf(id);
  const base = `/people/${id}/transfers/${transferId}`;
  const w = new Browser(app);
  await w.login(worker.email);
  await w.get(base);
  await upload(w, `${base}/documents`, pdf());
  const doc = await db.selectFrom('documents').where('person_id', '=', id).select('id').executeTakeFirstOrThrow();

  const s = new Browser(app);
  await s.login(stranger.email);
  await s.get('/');
  assert.equal((await s.get(`${base}/documents`)).statusCode, 403);
  assert.equal((await s.get(`${base}/documents/${doc.id}`)).statusCode, 403);
  const refused = await upload(s, `${base}/documents`, pdf());
  assert.equal(refused.statusCode, 403);
  assert.equal(await count('documents', { person_id: id }), 1);
  // A document of another transfer is not reached through this one.
  const otherId = await person();
  const otherTransfer = await transferOf(otherId);
  const wrong = await w.get(`/people/${otherId}/transfers/${otherTransfer}/documents/${doc.id}`);
  assert.equal(wrong.statusCode, 404);
});

test('EICAR on a transfer: refused with the message, audited, no document row and no bytes', async () => {
  const id = await person();
  const transferId = await transferOf(id);
  const base = `/people/${id}/transfers/${transferId}`;
  const b = new Browser(app);
  await b.login(worker.email);
  await b.get(base);
  const contentsBefore = await count('document_contents');
  const res = await upload(b, `${base}/documents`, infected, { title: 'Kept title' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /govuk-error-summary/);
  assert.match(res.body, /The selected file contains a virus, so it was not uploaded/);
  assert.match(res.body, /value="Kept title"/);
  assert.match(res.body, new RegExp(`href="${base}"`), 'a way back to the transfer');
  assert.equal(await count('documents', { person_id: id }), 0);
  assert.equal(await count('document_contents'), contentsBefore);
  const audit = await db
    .selectFrom('audit_log')
    .where('person_id', '=', id)
    .where('action', '=', 'refuse-infected')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal((audit.detail as { target: string }).target, 'transfer');
});

test('referral: the panel on its page, upload, listed; the record’s list names the referral', async () => {
  const id = await person();
  const referralId = await referralOf(id);
  const base = `/people/${id}/referrals/${referralId}`;
  const b = new Browser(app);
  await b.login(worker.email);
  const page = await b.get(base);
  assert.equal(page.statusCode, 200, page.body.slice(0, 300));
  assert.match(page.body, /id="documents"/);
  const res = await upload(b, `${base}/documents`, pdf('Referral letter.pdf'));
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  assert.equal(res.headers.location, `${base}?saved=document`);
  const after = await b.get(`${base}?saved=document`);
  assert.match(after.body, /govuk-notification-banner--success[\s\S]*Document attached/);
  assert.match(after.body, /Referral letter/);
  const doc = await db.selectFrom('documents').where('person_id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(doc.target_kind, 'referral');
  assert.equal((await b.get(`${base}/documents/${doc.id}`)).statusCode, 200);
  const list = await b.get(`/people/${id}/documents`);
  assert.match(list.body, /Referral to [^<]+, sent 23 November 2026/);

  const s = new Browser(app);
  await s.login(stranger.email);
  await s.get('/');
  assert.equal((await s.get(`${base}/documents`)).statusCode, 403);
  assert.equal((await upload(s, `${base}/documents`, pdf())).statusCode, 403);
  assert.equal((await upload(b, `${base}/documents`, infected)).statusCode, 400);
  assert.equal(await count('documents', { person_id: id }), 1);
});

test('meeting: the chair attaches to a young person’s item; the meeting page lists it; others are refused', async () => {
  const id = await person();
  const { meetingId, itemId } = await meetingItemOf(id);
  const base = `/panels/meetings/${meetingId}/items/${itemId}`;
  const c = new Browser(app);
  await c.login(chair.email);
  const page = await c.get(`/panels/meetings/${meetingId}`);
  assert.equal(page.statusCode, 200, page.body.slice(0, 300));
  assert.match(page.body, new RegExp(`id="documents-${itemId}"`));
  assert.match(page.body, new RegExp(`id="file-${itemId}"`));
  const res = await upload(c, `${base}/documents`, pdf('Forum paper.pdf'));
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  assert.equal(res.headers.location, `/panels/meetings/${meetingId}?saved=document`);
  const after = await c.get(`/panels/meetings/${meetingId}?saved=document`);
  assert.match(after.body, /Document attached/);
  assert.match(after.body, /Forum paper/);
  const doc = await db.selectFrom('documents').where('person_id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(doc.target_kind, 'meeting');
  assert.equal(doc.target_id, itemId);
  const before = await count('access_log', { person_id: id, purpose: 'document' });
  assert.equal((await c.get(`${base}/documents/${doc.id}`)).statusCode, 200);
  assert.equal(await count('access_log', { person_id: id, purpose: 'document' }), before + 1);

  // The young person's record lists it, saying which meeting.
  const w = new Browser(app);
  await w.login(worker.email);
  assert.match((await w.get(`/people/${id}/documents`)).body, /Transitions Forum meeting, 20 November 2026/);
  // A worker without panel access, and a manager with panel access who does not sit on this panel, are refused.
  assert.equal((await w.get(`${base}/documents`)).statusCode, 403);
  const m = new Browser(app);
  await m.login(manager.email);
  await m.get('/');
  assert.equal((await m.get(`${base}/documents`)).statusCode, 403);
  assert.equal((await m.get(`${base}/documents/${doc.id}`)).statusCode, 403);
  assert.equal((await upload(m, `${base}/documents`, pdf())).statusCode, 403);
  // EICAR: refused, nothing more stored.
  assert.equal((await upload(c, `${base}/documents`, infected)).statusCode, 400);
  assert.equal(await count('documents', { person_id: id }), 1);
});

test('a pseudonymised panel’s items take no documents: no panel on the page, 404 on the address', async () => {
  const id = await person();
  const { meetingId, itemId } = await meetingItemOf(id, true);
  const c = new Browser(app);
  await c.login(chair.email);
  const page = await c.get(`/panels/meetings/${meetingId}`);
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /id="documents-/);
  await c.get('/');
  const res = await upload(c, `/panels/meetings/${meetingId}/items/${itemId}/documents`, pdf());
  assert.equal(res.statusCode, 404);
  assert.equal(await count('documents', { person_id: id }), 0);
});

test('API: upload (201), list and download on a transfer and a referral; no relationship → 403', async () => {
  const id = await person();
  const transferId = await transferOf(id);
  const referralId = await referralOf(id);
  for (const path of [`transfers/${transferId}`, `referrals/${referralId}`]) {
    const url = `/api/v1/people/${id}/${path}/documents`;
    const body = multipart({ title: 'From the API' }, [pdf()]);
    const made = await app.inject({
      method: 'POST',
      url,
      headers: { ...workerApi, 'content-type': body.contentType },
      payload: body.payload,
    });
    assert.equal(made.statusCode, 201, made.body);
    const docId = made.json().id as string;
    const list = await app.inject({ method: 'GET', url, headers: workerApi });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json().items.map((d: { id: string; title: string }) => [d.id, d.title]),
      [[docId, 'From the API']],
    );
    const dl = await app.inject({ method: 'GET', url: `${url}/${docId}`, headers: workerApi });
    assert.equal(dl.statusCode, 200);
    assert.deepEqual(dl.rawPayload, FILES.pdf);
    assert.equal((await app.inject({ method: 'GET', url, headers: strangerApi })).statusCode, 403);
    const bad = multipart({}, [{ name: 'file', filename: 'x.pdf', bytes: FILES.text }]);
    const refused = await app.inject({
      method: 'POST',
      url,
      headers: { ...workerApi, 'content-type': bad.contentType },
      payload: bad.payload,
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /file/);
  }
  assert.equal(await count('documents', { person_id: id }), 2);
});
