// The CSV import (issue 11 capability 15): the happy path for each kind, a report of bad rows (line, source_id,
// column, fix; never a cell's value), all or nothing by default, --partial, idempotent re-runs, the audit chain still
// verifying after the bulk audit rows, and the command line with its exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { ImportService, reportLines } from '../src/modules/import/service.ts';
import { seedOrganisation, testDatabase, userByRole } from './helpers.ts';

const t = await testDatabase();
const { db } = t;
const org = await seedOrganisation(db, 'imp');
const service = new ImportService(db, () => '2026-11-23');
const run = (kind: 'people' | 'teams' | 'involvements' | 'statuses', text: string, partial = false) =>
  service.run(org.authorityId, kind, text, { partial });
const worker = userByRole(org, 'social_worker');

const PEOPLE = `source_id,given_name,family_name,date_of_birth,nhs_number,upn,postcode
MOS-1,Ada,Quill,2012-03-04,9434765919,,EX1 1AA
MOS-2,Bo,Rook,04/05/2015,,,
MOS-3,"Cy, Jr",Starling,2009-12-31,,,
`;

const count = async (table: 'people' | 'audit_log' | 'events' | 'involvements' | 'person_statuses' | 'teams') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('people: imported with case numbers, a timeline line and an audit row each; a re-run changes nothing', async () => {
  const audit = await count('audit_log');
  const r = await run('people', PEOPLE);
  assert.deepEqual(r.problems, []);
  assert.deepEqual([r.rows, r.created, r.updated, r.unchanged, r.written], [3, 3, 0, 0, true]);
  const bo = await db.selectFrom('people').where('source_id', '=', 'MOS-2').selectAll().executeTakeFirstOrThrow();
  assert.equal(bo.date_of_birth, '2015-05-04');
  assert.match(bo.case_number, /^HO\d+$/);
  const cy = await db.selectFrom('people').where('source_id', '=', 'MOS-3').selectAll().executeTakeFirstOrThrow();
  assert.equal(cy.given_name, 'Cy, Jr');
  assert.equal(await count('audit_log'), audit + 3);
  const events = await db.selectFrom('events').where('person_id', '=', bo.id).select('title').execute();
  assert.deepEqual(events, [{ title: 'Record imported' }]);
  assert.equal((await verifyAuditChain(db)).ok, true, 'the bulk-chained rows verify');

  const again = await run('people', PEOPLE);
  assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 3]);
  assert.equal(await count('audit_log'), audit + 3, 'a re-run writes no audit rows');
  // A changed row is updated, once.
  const changed = await run('people', PEOPLE.replace('MOS-2,Bo,Rook', 'MOS-2,Bo,Rookwood'));
  assert.deepEqual([changed.created, changed.updated, changed.unchanged], [0, 1, 2]);
  assert.equal(await count('audit_log'), audit + 4);
  assert.equal((await verifyAuditChain(db)).ok, true);
});

test('people: a UPN from the import replaces a recorded reason it was not known (never both), and no UPN keeps it', async () => {
  const rows = `source_id,given_name,family_name,date_of_birth,nhs_number,upn,postcode
MOS-U,Ula,Quince,2013-06-07,,,
`;
  await run('people', rows);
  await db.updateTable('people').set({ upn_unknown: 'UN2' }).where('source_id', '=', 'MOS-U').execute();
  const same = await run('people', rows.replace('Ula,', 'Ulla,'));
  assert.deepEqual([same.updated, same.written], [1, true]);
  const kept = await db.selectFrom('people').where('source_id', '=', 'MOS-U').selectAll().executeTakeFirstOrThrow();
  assert.deepEqual([kept.upn, kept.upn_unknown], [null, 'UN2'], 'no UPN in the file: the reason stays');
  const withUpn = await run('people', rows.replace('2013-06-07,,,', '2013-06-07,,M801200112001,'));
  assert.deepEqual(withUpn.problems, []);
  assert.deepEqual([withUpn.updated, withUpn.written], [1, true]);
  const got = await db.selectFrom('people').where('source_id', '=', 'MOS-U').selectAll().executeTakeFirstOrThrow();
  assert.deepEqual([got.upn, got.upn_unknown], ['M801200112001', null]);
});

test('bad rows: each named by line, source_id, column and fix, no cell quoted; all or nothing by default', async () => {
  const before = await count('people');
  const bad = `source_id,given_name,family_name,date_of_birth,nhs_number
NEW-1,Dee,Lark,2011-01-01,
NEW-2,,Wren,2011-02-30,
NEW-3,Eve,Finch,2010-01-01,9434765918
NEW-1,Fay,Heron,2010-01-01,
NEW-5,Gus,Teal,2010-01-01,9434765919
`;
  const r = await run('people', bad);
  assert.equal(r.written, false);
  assert.equal(await count('people'), before, 'nothing written');
  const lines = reportLines(r, false);
  assert.match(lines[1] as string, /Nothing was imported: the file is imported whole or not at all/);
  const got = r.problems.map((p) => `${p.line} ${p.sourceId} ${p.field}`);
  assert.deepEqual(got, [
    '3 NEW-2 given_name',
    '3 NEW-2 date_of_birth',
    '4 NEW-3 nhs_number',
    '5 NEW-1 source_id',
    '6 NEW-5 nhs_number',
  ]);
  assert.match(r.problems[0]?.message as string, /Enter the first name/);
  assert.match(r.problems[4]?.message as string, /Another record in Handover already has this NHS number/);
  for (const l of lines) assert.doesNotMatch(l, /Wren|Finch|Heron|Teal|9434765918|2011-02-30/);

  // --partial: the good row goes in, the others are reported.
  const partial = await run('people', bad, true);
  assert.deepEqual([partial.created, partial.skipped, partial.written], [1, 4, true]);
  assert.equal(await count('people'), before + 1);
});

test('a long file is read in slices cut outside quotes: line numbers stay true, a bad CSV late on refuses it whole', async () => {
  const before = await count('people');
  const rows = Array.from({ length: 5002 }, (_, i) => `SL-${i},Ada,Quill,2010-01-01,`);
  // Line 5000 opens a quoted address that ends on line 5001, where the first slice would otherwise be cut.
  rows[4998] = 'SL-4998,Ada,Quill,2010-01-01,"1 High Street\nTown"';
  rows[5001] = 'SL-5001,Ada,Quill,2010-02-30,';
  const head = 'source_id,given_name,family_name,date_of_birth,address\n';
  const r = await run('people', `${head}${rows.join('\n')}\n`);
  assert.equal(r.rows, 5002);
  assert.deepEqual(
    r.problems.map((p) => `${p.line} ${p.sourceId} ${p.field}`),
    ['5004 SL-5001 date_of_birth'],
  );
  rows[5001] = 'SL-5001,Ada,"Quill,2010-01-01,';
  const broken = await run('people', `${head}${rows.join('\n')}\n`, true);
  assert.deepEqual([broken.written, broken.problems.map((p) => p.field)], [false, ['file']]);
  assert.equal(await count('people'), before, 'nothing written, even with --partial');
});

test('a file that is not the layout is refused whole, naming the columns', async () => {
  const r = await run('people', 'id,first,family_name\n1,A,B\n');
  assert.equal(r.written, false);
  assert.match(
    r.problems[0]?.message as string,
    /add the columns source_id, given_name, date_of_birth; remove or rename id, first/,
  );
  const unclosed = await run('people', 'source_id,given_name,family_name,date_of_birth\n1,"A,B,2010-01-01\n');
  assert.match(unclosed.problems[0]?.message as string, /Not a CSV file this import can read/);
});

test('teams, involvements and statuses: references checked, then imported and idempotent', async () => {
  const teams = await run(
    'teams',
    "source_id,name,service,min_age,max_age\nT-1,Imported Team,Children's Social Care,0,17\nT-2,Ghost Team,No Such Service,,\n",
    true,
  );
  assert.deepEqual([teams.created, teams.problems.map((p) => `${p.line} ${p.field}`)], [1, ['3 service']]);
  const inv = `source_id,person_source_id,team,worker_email,reason,start_date
I-1,MOS-1,dct-north-does-not-exist,,Assessment,2026-01-05
`;
  const missingTeam = await run('involvements', inv);
  assert.deepEqual(
    missingTeam.problems.map((p) => p.field),
    ['team'],
  );
  const good = `source_id,person_source_id,team,worker_email,reason,start_date
I-1,MOS-1,Disabled Children's Team North,${worker.email},Assessment,2026-01-05
I-2,MOS-2,T-1,,Referral,2026-02-01
I-3,NOBODY,T-1,,Referral,2026-02-01
I-4,MOS-3,T-1,${worker.email},Referral,2026-02-01
`;
  const bad = await run('involvements', good);
  assert.deepEqual(
    bad.problems.map((p) => `${p.line} ${p.field}`),
    ['4 person_source_id', '5 worker_email'],
  );
  const ok = await run('involvements', good.split('\n').slice(0, 3).join('\n'));
  assert.deepEqual([ok.created, ok.problems.length], [2, 0]);
  const i1 = await db
    .selectFrom('involvements')
    .where('source_id', '=', 'I-1')
    .select('worker_id')
    .executeTakeFirstOrThrow();
  assert.equal(i1.worker_id, worker.id);
  const statuses = `source_id,person_source_id,status,start_date,end_date,end_reason
S-1,MOS-1,child_protection_plan,2026-01-05,,
S-2,MOS-2,child_in_need,2026-01-05,2026-03-01,Closed
S-3,MOS-2,asleep,2026-01-05,,
`;
  const s = await run('statuses', statuses, true);
  assert.deepEqual([s.created, s.problems.map((p) => `${p.line} ${p.field}`)], [2, ['4 status']]);
  const again = await run('statuses', statuses, true);
  assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 2]);
  assert.equal((await verifyAuditChain(db)).ok, true);
});

test('the command line: npx handover import people FILE.csv, its report and exit codes', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handover-import-'));
  const file = path.join(dir, 'people.csv');
  // MOS-4 is new; MOS-2 is back to its first name after the first test changed it; MOS-1 is as it was.
  writeFileSync(file, PEOPLE.replace('MOS-3', 'MOS-4'));
  const env = {
    ...process.env,
    DATABASE_URL: t.url,
    DATABASE_OWNER_URL: t.ownerUrl,
    LOG_LEVEL: 'silent',
    MAIL_TRANSPORT: 'off',
  };
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'import', ...args], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
  const ok = cli(['people', file, '--council', `Timp1`]);
  assert.equal(ok.status, 0, ok.stderr + ok.stdout);
  assert.match(ok.stdout, /people: 3 rows read; 1 created, 1 updated, 1 unchanged, 0 not imported\./);
  const bad = cli(['persons', file]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /kind: "persons" is not one of people, teams, involvements, statuses/);
});
