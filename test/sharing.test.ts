// Information-sharing decisions (issue 12 part 10) through the API: bad input names each field and writes nothing,
// an entry is recorded with a timeline line and an audit row of ids only, the table refuses an edit, a correction
// names an entry on the same record, and the council's CSV for the data protection officer is formula-safe.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sql } from 'kysely';
import { sha256 } from '../src/modules/auth/service.ts';
import { csvCell as cell } from '../src/modules/kit/csv.ts';
import { Browser, userByRole } from './helpers.ts';
import { notesSetup } from './notes-setup.ts';

const { db, app, org, worker, person, workerApi, strangerApi } = await notesSetup('shr');

async function tokenFor(userId: string) {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(token), label: 'test' })
    .execute();
  return { authorization: `Bearer ${token}` };
}

const entry = (over: Record<string, unknown> = {}) => ({
  decision: 'share',
  what: 'Attendance and the last two case notes',
  recipient_organisation: '=HYPERLINK("http://x")',
  recipient_role: 'Designated safeguarding lead',
  recipient_name: 'A. Teacher',
  decided_on: '2026-11-20',
  purpose: 'Safety plan for school',
  necessity: 'The school needs it to keep her safe; only attendance shared',
  lawful_basis: 'public_task',
  special_category: true,
  art9_condition: 'substantial_public_interest',
  schedule1_condition: 'para_18',
  consent: 'without_consent',
  views: 'She did not want her mother told',
  person_told: false,
  not_told_reason: 'Telling would put her at risk',
  reasoning: 'Risk of harm outweighs the wish not to share',
  ...over,
});

const rows = async (personId: string) =>
  db.selectFrom('sharing_records').where('person_id', '=', personId).selectAll().execute();

test('bad input names each field and the fix; nothing is written', async () => {
  const id = await person();
  const bad = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/sharing`,
    headers: workerApi,
    payload: entry({
      what: '',
      decided_on: '2026-12-30',
      art9_condition: null,
      schedule1_condition: 'not_needed',
      not_told_reason: null,
    }),
  });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.deepEqual(bad.json().fields, {
    what: 'Enter what information was shared or asked for: the items or categories',
    decided_on: 'Date of the decision must be today or in the past',
    art9_condition: 'Choose the Article 9 condition for the special category data',
    not_told_reason: 'Enter why the young person or their family was not told about the decision',
  });
  const wrongSchedule = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/sharing`,
    headers: workerApi,
    payload: entry({ schedule1_condition: 'not_needed' }),
  });
  assert.equal(wrongSchedule.statusCode, 400);
  assert.match(wrongSchedule.json().fields.schedule1_condition, /needs one/);
  assert.equal((await rows(id)).length, 0);
});

test('an entry is recorded, listed, audited with ids only, and never edited; a correction names it', async () => {
  const id = await person();
  const url = `/api/v1/people/${id}/sharing`;
  const created = await app.inject({ method: 'POST', url, headers: workerApi, payload: entry() });
  assert.equal(created.statusCode, 201, created.body);
  const entryId = created.json().id as string;
  const audit = await db
    .selectFrom('audit_log')
    .where('entity', '=', 'sharing_record')
    .where('entity_id', '=', entryId)
    .select(['action', 'detail'])
    .execute();
  assert.deepEqual(audit, [{ action: 'create', detail: {} }]);

  const list = await app.inject({ method: 'GET', url, headers: workerApi });
  assert.equal(list.statusCode, 200);
  assert.equal(list.json().items[0].id, entryId);
  assert.equal(list.json().items[0].schedule1_condition, 'para_18');
  assert.equal((await app.inject({ method: 'GET', url, headers: strangerApi })).statusCode, 403);

  await assert.rejects(
    sql`UPDATE sharing_records SET what = 'changed' WHERE id = ${entryId}`.execute(db),
    /refuse|not allowed|cannot|append/i,
  );

  const other = await person();
  const foreign = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${other}/sharing`,
    headers: workerApi,
    payload: entry({ corrects_id: entryId, correction_reason: 'Wrong organisation' }),
  });
  assert.equal(foreign.statusCode, 400);
  assert.match(foreign.json().fields.corrects_id, /earlier entry on this record/);
  const fix = await app.inject({
    method: 'POST',
    url,
    headers: workerApi,
    payload: entry({ special_category: false, art9_condition: null, schedule1_condition: null, corrects_id: entryId }),
  });
  assert.equal(fix.statusCode, 400, 'a correction needs its reason');
  assert.match(fix.json().fields.correction_reason, /Enter why the entry is corrected/);
  const fixed = await app.inject({
    method: 'POST',
    url,
    headers: workerApi,
    payload: entry({
      special_category: false,
      art9_condition: null,
      schedule1_condition: null,
      corrects_id: entryId,
      correction_reason: 'No health data was shared',
    }),
  });
  assert.equal(fixed.statusCode, 201, fixed.body);
  const stored = await rows(id);
  assert.equal(stored.length, 2);
  const correction = stored.find((r) => r.id === fixed.json().id);
  assert.equal(correction?.corrects_id, entryId);
  assert.equal(correction?.correction_reason, 'No health data was shared');
});

test('the council register: JSON and a formula-safe CSV for the service manager only', async () => {
  const id = await person();
  await app.inject({ method: 'POST', url: `/api/v1/people/${id}/sharing`, headers: workerApi, payload: entry() });
  const manager = await tokenFor(userByRole(org, 'service_manager').id);
  assert.equal((await app.inject({ method: 'GET', url: '/api/v1/sharing', headers: workerApi })).statusCode, 403);
  const json = await app.inject({ method: 'GET', url: '/api/v1/sharing', headers: manager });
  assert.equal(json.statusCode, 200, json.body);
  assert.ok(json.json().items.some((r: { person_id: string }) => r.person_id === id));
  const csv = await app.inject({ method: 'GET', url: '/sharing/register.csv', headers: manager });
  assert.equal(csv.statusCode, 200, csv.body);
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  assert.ok(csv.body.includes(`"'=HYPERLINK(""http://x"")"`));
  assert.ok(!csv.body.includes(',"=HYPERLINK'));
  for (const v of ['=1+1', '+1', '-1', '@SUM(A1)']) assert.equal(cell(v), `"'${v}"`);
  assert.equal(cell('plain'), '"plain"');
});

test('the pages: the form again with each message and nothing written, then a save, a banner and the entry', async () => {
  const id = await person();
  const b = new Browser(app);
  await b.login(worker.email);
  const form = await b.get(`/people/${id}/sharing/new`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Record a sharing decision/);
  const fields = {
    decision: 'not_share',
    what: 'Health assessment',
    recipient_organisation: 'Youth club',
    'decided_on-day': '20',
    'decided_on-month': '11',
    'decided_on-year': '2026',
    purpose: 'They asked for it',
    necessity: 'Not necessary for their purpose',
    lawful_basis: 'public_task',
    special_category: 'yes',
    art9_condition: 'health_social_care',
    schedule1_condition: 'para_2',
    consent: 'without_consent',
    person_told: 'yes',
    reasoning: 'No need to share',
  };
  const bad = await b.post(`/people/${id}/sharing`, { ...fields, reasoning: '', special_category: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /There is a problem/);
  assert.match(bad.body, /Enter the reasoning for the decision/);
  assert.match(bad.body, /Choose yes if the information includes special category data/);
  assert.match(bad.body, /value="Youth club"/);
  assert.equal((await rows(id)).length, 0);
  const saved = await b.post(`/people/${id}/sharing`, fields);
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
  assert.equal(saved.headers.location, `/people/${id}/sharing?saved=added`);
  const list = await b.get(String(saved.headers.location));
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /govuk-notification-banner--success/);
  assert.match(list.body, /Sharing decision recorded/);
  assert.match(list.body, /Not share: Youth club, 20 November 2026/);
  assert.match(list.body, /Paragraph 2: health or social care purposes/);
});
