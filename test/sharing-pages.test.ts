// Information sharing, issue 12 part 10 (the rest): the register page with its filters for the data protection
// officer; correcting an entry from its page (prefilled, a reason, the current version with its history); the
// Art 9 / Schedule 1 block that only special category reveals; date error borders; the form opened from a
// screening's or a meeting's decision, prefilled and recording its source.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser, userByRole } from './helpers.ts';
import { notesSetup } from './notes-setup.ts';

const { db, app, org, worker, person, workerApi } = await notesSetup('shp');
const A = org.authorityId;
const manager = userByRole(org, 'service_manager');

const form = (over: Record<string, string> = {}) => ({
  decision: 'share',
  what: 'School attendance',
  recipient_organisation: 'Trowbridge College',
  'decided_on-day': '20',
  'decided_on-month': '11',
  'decided_on-year': '2026',
  purpose: 'Safety plan',
  necessity: 'Needed to keep her safe',
  lawful_basis: 'public_task',
  special_category: 'no',
  consent: 'with_consent',
  person_told: 'yes',
  reasoning: 'Agreed at the meeting',
  ...over,
});
const rows = (personId: string) =>
  db.selectFrom('sharing_records').where('person_id', '=', personId).selectAll().orderBy('recorded_at').execute();

test('correct an entry from its page: prefilled, a reason needed, then the current version with its history', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  assert.equal((await b.post(`/people/${id}/sharing`, form())).statusCode, 303);
  const [first] = await rows(id);
  const list = await b.get(`/people/${id}/sharing`);
  assert.match(list.body, new RegExp(`href="/people/${id}/sharing/${first?.id}/correct"`));
  const correct = await b.get(`/people/${id}/sharing/${first?.id}/correct`);
  assert.equal(correct.statusCode, 200);
  assert.match(correct.body, /Correct a sharing decision/);
  assert.match(correct.body, /value="Trowbridge College"/);
  assert.match(correct.body, new RegExp(`name="corrects_id" value="${first?.id}"`));
  assert.match(correct.body, /name="decided_on-day"[^>]*value="20"|value="20"[^>]*name="decided_on-day"/);
  const fixed = form({ recipient_organisation: 'Wiltshire College', corrects_id: String(first?.id) });
  const noReason = await b.post(`/people/${id}/sharing`, fixed);
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /Enter why the entry is corrected/);
  assert.equal((await rows(id)).length, 1);
  const saved = await b.post(`/people/${id}/sharing`, { ...fixed, correction_reason: 'Wrong college recorded' });
  assert.equal(saved.headers.location, `/people/${id}/sharing?saved=corrected`);
  const after = await b.get(String(saved.headers.location));
  assert.match(after.body, /Sharing decision corrected/);
  assert.match(after.body, /<h2[^>]*>Share: Wiltshire College, 20 November 2026<\/h2>/);
  assert.doesNotMatch(after.body, /<h2[^>]*>Share: Trowbridge College/);
  assert.match(after.body, /Earlier versions \(1\)/);
  assert.match(after.body, /correcting an earlier entry: Wrong college recorded/);
  assert.equal((await b.get(`/people/${id}/sharing/00000000-0000-4000-8000-000000000000/correct`)).statusCode, 404);
});

test('the Art 9 and Schedule 1 block is a conditional reveal; a bad date marks each part', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  const page = await b.get(`/people/${id}/sharing/new`);
  assert.match(page.body, /<div class="govuk-radios__conditional app-special-conditions" id="special-conditions">/);
  const block = page.body.slice(page.body.indexOf('id="special-conditions"'));
  assert.ok(block.indexOf('name="art9_condition"') < block.indexOf('name="consent"'));
  assert.match(page.body, /<script type="module" nonce="[^"]+">[\s\S]*special-conditions/);
  const bad = await b.post(`/people/${id}/sharing`, form({ 'decided_on-day': '31', 'decided_on-month': '2' }));
  assert.equal(bad.statusCode, 400);
  assert.equal((bad.body.match(/govuk-date-input__input[^"]*govuk-input--error/g) ?? []).length, 3);
});

test('the form opens from a screening or a meeting decision, prefilled, and the entry records its source', async () => {
  const id = await person();
  const screening = await db
    .insertInto('screenings')
    .values({
      authority_id: A,
      person_id: id,
      instrument_id: 'child-exploitation',
      instrument_version: 1,
      screened_on: '2026-11-19',
      age_at_screening: 15,
      send_or_learning_disability: false,
      answers: JSON.stringify({}),
      suggested_level: 'high',
      proposed_level: 'high',
      proposed_rank: 2,
      proposed_by: worker.id,
      confirmed_level: 'high',
      confirmed_rank: 2,
      confirmed_by: worker.id,
      confirmed_reason: 'Seen with adults of concern twice',
      review_due: '2027-02-19',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const b = new Browser(app);
  await b.login(worker.email);
  const page = await b.get(`/people/${id}/sharing/new?source=screening&sourceId=${screening.id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Opened from the screening’s level decision/);
  assert.match(page.body, /Exploitation screening of 2026-11-19: level high \(confirmed\)/);
  assert.match(page.body, /Seen with adults of concern twice/);
  assert.match(page.body, new RegExp(`name="source_id" value="${screening.id}"`));
  const saved = await b.post(
    `/people/${id}/sharing`,
    form({ source_kind: 'screening', source_id: screening.id, reasoning: 'Seen with adults of concern twice' }),
  );
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
  const [entry] = await rows(id);
  assert.equal(entry?.source_kind, 'screening');
  assert.equal(entry?.source_id, screening.id);
  assert.match((await b.get(`/people/${id}/sharing`)).body, /The screening’s level decision/);

  // Someone else's screening, or a meeting decision that is not about this young person: refused.
  const other = await person();
  assert.equal((await b.get(`/people/${other}/sharing/new?source=screening&sourceId=${screening.id}`)).statusCode, 404);
  const api = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${other}/sharing`,
    headers: workerApi,
    payload: {
      decision: 'share',
      what: 'x',
      recipient_organisation: 'Police',
      decided_on: '2026-11-20',
      purpose: 'p',
      necessity: 'n',
      lawful_basis: 'public_task',
      special_category: false,
      consent: 'without_consent',
      person_told: true,
      reasoning: 'r',
      source_kind: 'meeting',
      source_id: screening.id,
    },
  });
  assert.equal(api.statusCode, 400);
  assert.match(api.json().fields.source_id, /on this record/);
});

test('the register page: filters by date, decision, lawful basis and organisation, for the data protection officer', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  await b.post(`/people/${id}/sharing`, form({ recipient_organisation: 'Filter Police HQ', decision: 'not_share' }));
  await b.post(`/people/${id}/sharing`, form({ recipient_organisation: 'Filter Youth Club', lawful_basis: 'consent' }));
  assert.equal((await b.get('/sharing')).statusCode, 403);
  assert.doesNotMatch((await b.get('/')).body, /href="\/sharing"/);

  const dpo = new Browser(app);
  await dpo.login(manager.email);
  assert.match((await dpo.get('/')).body, /href="\/sharing"/);
  const all = await dpo.get('/sharing?organisation=filter');
  assert.equal(all.statusCode, 200);
  assert.match(all.body, /Filter Police HQ/);
  assert.match(all.body, /Filter Youth Club/);
  assert.doesNotMatch(all.body, /Nadia/, 'case numbers only, no names');
  const notShare = await dpo.get('/sharing?organisation=filter&decision=not_share');
  assert.match(notShare.body, /Not share: Filter Police HQ/);
  assert.doesNotMatch(notShare.body, /Filter Youth Club/);
  assert.match(notShare.body, /href="\/sharing\/register.csv\?organisation=filter&amp;decision=not_share"/);
  const consent = await dpo.get('/sharing?organisation=filter&lawful_basis=consent');
  assert.match(consent.body, /Filter Youth Club/);
  assert.doesNotMatch(consent.body, /Filter Police HQ/);
  const later = await dpo.get('/sharing?organisation=filter&from_date-day=21&from_date-month=11&from_date-year=2026');
  assert.match(later.body, /0 entries/);
  const bad = await dpo.get('/sharing?from_date-day=40&from_date-month=11&from_date-year=2026&decision=maybe');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /There is a problem/);
  assert.match(bad.body, /From must be a real date/);
  assert.match(bad.body, /Choose a decision from the list, or any/);
  const json = await dpo.get('/api/v1/sharing?organisation=Filter%20Youth&lawful_basis=consent');
  assert.equal(json.statusCode, 200, json.body);
  assert.deepEqual(
    json.json().items.map((r: { recipient_organisation: string }) => r.recipient_organisation),
    ['Filter Youth Club'],
  );
});
