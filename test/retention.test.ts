// Retention and legal hold (issue 15 item 11, quality.md R8): a record due, one not due and one under a legal hold;
// the dry run lists only the due one; the purge removes it entirely — checked by queries of their own over every
// table that names a person, and over every table's text — keeps the others, writes its audit row (no personal
// data) and leaves the audit chain verifying.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { sql } from 'kysely';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { DEMO_AUTHORITY_CODE, ensureDemo } from '../src/modules/demo/seed.ts';
import { runRetention } from '../src/modules/retention/purge.ts';
import { Browser, fixedClock, testApp, testConfig, testDatabase } from './helpers.ts';
import {
  closeRecord,
  documentsDir,
  idsOfRowsNaming,
  pointersAt,
  richestPerson,
  rowsNaming,
  tablesMentioning,
} from './retention-setup.ts';

const t = await testDatabase({ demo: true });
const { db } = t;
const owner = t.asOwner();
const now = new Date('2026-11-23T10:00:00Z');
const demo = await ensureDemo(db, { config: testConfig(), now: fixedClock().now });
const authority = await db
  .selectFrom('authorities')
  .where('code', '=', DEMO_AUTHORITY_CODE)
  .select('id')
  .executeTakeFirstOrThrow();
const org = { authorityId: authority.id, users: demo.users };
const userByRole = (o: typeof org, role: string) => {
  const u = o.users.find((x) => x.role === role);
  if (!u) throw new Error(`no ${role} in the demo`);
  return u;
};
const app = await testApp(db, { now: () => now, config: { documents: { ...testConfigDocuments() } } });
const admin = new Browser(app);
await admin.login(userByRole(org, 'admin').email);

function testConfigDocuments() {
  return { scanning: 'off' as const, clamd: null, dir: documentsDir(), maxBytes: 10_000_000 };
}

const caseNumber = async (id: string) =>
  (await db.selectFrom('people').where('id', '=', id).select('case_number').executeTakeFirstOrThrow()).case_number;

// The due one: the fullest record in the demo council, closed in 2010 (born 1990: 25 in 2015).
const due = await richestPerson(db, org.authorityId);
// Not due: closed in 2025 (kept until 2032). Held: closed in 2010, but under a legal hold.
const notDue = await richestPerson(db, org.authorityId, [due]);
const held = await richestPerson(db, org.authorityId, [due, notDue]);
const dueCanary = await closeRecord(owner, due, '2010-01-01');
await closeRecord(owner, notDue, '2025-06-01');
await closeRecord(owner, held, '2010-01-01');
const uploader = userByRole(org, 'social_worker').id;
const stored = await pointersAt(db, org.authorityId, due, uploader, notDue);
const dueCase = await caseNumber(due);
const heldCase = await caseNumber(held);

test('the administrator sets the schedule and a legal hold on the pages, each with a success banner', async () => {
  let res = await admin.post('/admin/retention/schedules/person', { years: 'seven', minimum_age: '25' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Years kept after closure must be a whole number from 0 to 150/);
  res = await admin.post('/admin/retention/schedules/person', { years: '7', minimum_age: '25' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/admin/retention?saved=schedule');
  res = await admin.get('/admin/retention?saved=schedule');
  assert.match(res.body, /Retention schedule saved/);
  assert.match(res.body, /7 years after closure, and until at least age 25/);
  assert.ok(res.body.includes(dueCase), 'the due record is listed by case number');
  assert.ok(!res.body.includes(dueCanary.canary), 'no name on the administrator’s page');

  res = await admin.post('/admin/retention/holds', { case_number: 'NO-SUCH-CASE', reason: 'Claim 2026/17 pending' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /No young person in your council has case number NO-SUCH-CASE/);
  res = await admin.post('/admin/retention/holds', { case_number: heldCase, reason: 'Claim 2026/17 pending' });
  assert.equal(res.statusCode, 303);
  res = await admin.get('/admin/retention/holds?saved=hold');
  assert.match(res.body, /Legal hold placed/);
  assert.ok(res.body.includes(heldCase) && res.body.includes('Claim 2026/17 pending'));
  res = await admin.post('/admin/retention/holds', { case_number: heldCase, reason: 'Second hold' });
  assert.equal(res.statusCode, 400, 'one open hold per record');
});

test('a social worker cannot reach the retention pages', async () => {
  const worker = new Browser(app);
  await worker.login(userByRole(org, 'social_worker').email);
  assert.equal((await worker.get('/admin/retention')).statusCode, 403);
});

test('the dry run lists only the due record and changes nothing; the purge removes it entirely', async () => {
  const before = {
    due: await rowsNaming(db, due),
    notDue: await rowsNaming(db, notDue),
    held: await rowsNaming(db, held),
  };
  const dueIds = await idsOfRowsNaming(db, due);
  const tablesOfDue = Object.keys(before.due).map((k) => k.split('.')[0]);
  for (const table of ['involvements', 'events', 'documents'])
    assert.ok(tablesOfDue.includes(table), `the due record has ${table} (it has ${tablesOfDue.join(', ')})`);

  console.log(
    `The due record: ${Object.values(before.due).reduce((a, b) => a + b, 0)} rows in ${tablesOfDue.length} tables (${tablesOfDue.join(', ')})`,
  );
  const dry = await runRetention(db, documentsDir(), now, { purge: false, trigger: 'cli' });
  const ours = dry.authorities.find((a) => a.code === DEMO_AUTHORITY_CODE)!;
  assert.deepEqual(
    ours.due.map((d) => d.case_number),
    [dueCase],
  );
  assert.deepEqual(
    ours.held.map((d) => d.case_number),
    [heldCase],
  );
  assert.deepEqual(await rowsNaming(db, due), before.due, 'a dry run deletes nothing');

  const run = await runRetention(db, documentsDir(), now, { purge: true, trigger: 'cli' });
  const result = run.authorities.find((a) => a.code === ours.code)!;
  assert.deepEqual(result.failed, []);
  assert.deepEqual(result.purged, [dueCase]);

  // Independently: no table that names a person (by column name or foreign key to people) names them, but the two
  // append-only logs, which keep the id and nothing about them.
  const left = await rowsNaming(db, due);
  assert.deepEqual(
    Object.keys(left).filter((k) => !k.startsWith('audit_log.') && !k.startsWith('access_log.')),
    [],
  );
  // No row of any table holds the id of anything that was theirs (links in notifications, alerts, emails, timers).
  assert.deepEqual(await tablesMentioning(db, dueIds, ['audit_log', 'access_log']), {});
  // Their name and NHS number are nowhere, the logs included.
  assert.deepEqual(await tablesMentioning(db, [dueCanary.canary, dueCanary.nhs]), {});
  assert.equal(existsSync(stored.file), false, 'the stored file is deleted');

  assert.deepEqual(await rowsNaming(db, notDue), before.notDue, 'the record not due is untouched');
  assert.deepEqual(await rowsNaming(db, held), before.held, 'the held record is untouched');
  const transfer = await db.selectFrom('transfers').where('person_id', '=', notDue).select('to_person_id').execute();
  assert.ok(
    transfer.every((x) => x.to_person_id === null),
    'the other record’s link to the purged copy is cleared',
  );

  const verdict = await verifyAuditChain(db);
  assert.equal(verdict.ok, true, 'the audit chain verifies after the purge');
  const rows = await db
    .selectFrom('audit_log')
    .where('action', '=', 'purge')
    .where('entity', '=', 'person')
    .where('entity_id', '=', due)
    .selectAll()
    .execute();
  assert.equal(rows.length, 1, 'one audit row records the purge');
  const detail = JSON.stringify(rows[0]?.detail);
  assert.match(detail, /"involvements":\d+/);
  for (const personal of [dueCanary.canary, dueCanary.nhs, dueCase, '1990-01-01'])
    assert.ok(!detail.includes(personal), `the purge's audit row holds no ${personal}`);
});

test('the database refuses to delete a held record whatever the code does', async () => {
  await assert.rejects(sql`DELETE FROM people WHERE id = ${held}`.execute(db), /legal_holds/);
});

test('the nightly job purges only once automatic purge is on; releasing a hold lets the record go', async () => {
  // Keep records 0 years: the record closed in 2025 is due now.
  const stale = await admin.post('/admin/retention/schedules/person', { years: '0', minimum_age: '', version: '7' });
  assert.equal(stale.statusCode, 400, 'a stale version is refused on the form');
  assert.match(stale.body, /Someone else changed this setting/);
  const saved = await admin.post('/admin/retention/schedules/person', { years: '0', minimum_age: '', version: '1' });
  assert.equal(saved.statusCode, 303);
  const job = () => runRetention(db, documentsDir(), now, { purge: true, trigger: 'schedule' });
  const off = (await job()).authorities.find((a) => a.code === DEMO_AUTHORITY_CODE)!;
  assert.equal(off.purging, false);
  assert.deepEqual(off.purged, []);
  assert.ok(await db.selectFrom('people').where('id', '=', notDue).select('id').executeTakeFirst());

  let res = await admin.post('/admin/retention/settings', { automatic_purge: 'yes' });
  assert.equal(res.statusCode, 303);
  assert.match((await admin.get(res.headers.location as string)).body, /Automatic purge setting saved/);
  const on = (await job()).authorities.find((a) => a.code === DEMO_AUTHORITY_CODE)!;
  assert.deepEqual(on.purged, [await caseNumberOr(notDue)]);
  assert.deepEqual(
    on.held.map((h) => h.case_number),
    [heldCase],
  );

  const hold = await db.selectFrom('legal_holds').where('person_id', '=', held).select('id').executeTakeFirstOrThrow();
  res = await admin.post(`/admin/retention/holds/${hold.id}/release`, { release_reason: '' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Enter the reason for releasing the hold/);
  res = await admin.post(`/admin/retention/holds/${hold.id}/release`, { release_reason: 'Claim settled' });
  assert.equal(res.statusCode, 303);
  assert.match((await admin.get('/admin/retention/holds?saved=released')).body, /Legal hold released/);
  const after = (await job()).authorities.find((a) => a.code === DEMO_AUTHORITY_CODE)!;
  assert.deepEqual(after.purged, [heldCase]);
  const heldLeft = Object.keys(await rowsNaming(db, held)).filter((k) => !/^(audit|access)_log\./.test(k));
  assert.deepEqual(heldLeft, [], 'released hold rows go with the record');
  assert.equal((await verifyAuditChain(db)).ok, true);
});

let notDueCase: string | null = null;
async function caseNumberOr(id: string) {
  notDueCase ??= await caseNumber(id);
  return notDueCase;
}
await caseNumberOr(notDue);

test('every other record of the demo council, closed and purged: no table keeps anything of theirs', async () => {
  const people = await db.selectFrom('people').where('authority_id', '=', org.authorityId).select('id').execute();
  assert.ok(people.length > 50, `the demo has ${people.length} young people`);
  for (const p of people) await closeRecord(owner, p.id, '2010-01-01');
  const everyone = people.map((p) => p.id);
  const ids = await idsOfRowsNaming(db, everyone);
  const tables = new Set(Object.keys(await rowsNaming(db, everyone)).map((k) => k.split('.')[0] as string));
  // The whole record: notes, documents, plans, transfers, referrals, protocols, meeting items, EHCP work.
  for (const table of [
    'case_notes',
    'documents',
    'plans',
    'transfers',
    'referrals',
    'protocol_instances',
    'panel_items',
    'ehcp_assessments',
  ])
    assert.ok(tables.has(table), `the demo records have ${table}`);
  const started = performance.now();
  const run = (await runRetention(db, documentsDir(), now, { purge: true, trigger: 'cli' })).authorities.find(
    (a) => a.code === DEMO_AUTHORITY_CODE,
  )!;
  assert.deepEqual(run.failed, []);
  assert.equal(run.purged.length, people.length);
  const ms = performance.now() - started;
  console.log(
    `Purged ${people.length} records in ${Math.round(ms)} ms (${Math.round(ms / people.length)} ms a record)`,
  );
  const left = Object.keys(await rowsNaming(db, everyone)).filter((k) => !/^(audit|access)_log\./.test(k));
  assert.deepEqual(left, []);
  assert.deepEqual(await tablesMentioning(db, ids, ['audit_log', 'access_log']), {});
  assert.equal((await verifyAuditChain(db)).ok, true);
});
