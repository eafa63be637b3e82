// `npx handover retention run`: a dry run lists the due record by case number and deletes nothing; --purge deletes
// it and keeps the held one; an unknown council is refused in one line. As on a server: the app role's DATABASE_URL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { personInTeam, seedOrganisation, testDatabase, userByRole } from './helpers.ts';
import { closeRecord } from './retention-setup.ts';

const t = await testDatabase();
const { db } = t;
const org = await seedOrganisation(db, 'cli');
const admin = userByRole(org, 'admin');
const team = Object.values(org.teams)[0] as string;
const person = (caseNumber: string) =>
  personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: null,
    caseNumber,
    givenName: 'Cli',
    familyName: 'Retention',
    dateOfBirth: '1990-01-01',
    start: '2005-01-01',
  });
const due = await person('RCLI-DUE');
const kept = await person('RCLI-OPEN');
const held = await person('RCLI-HELD');
await closeRecord(t.asOwner(), due, '2010-01-01');
await closeRecord(t.asOwner(), held, '2010-01-01');
await db
  .insertInto('retention_schedules')
  .values({ authority_id: org.authorityId, record_type: 'person', years: 7, minimum_age: 25, updated_by: admin.id })
  .execute();
await db
  .insertInto('legal_holds')
  .values({ authority_id: org.authorityId, person_id: held, reason: 'Inquiry', set_by: admin.id })
  .execute();

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'retention', 'run', ...args], {
    env: {
      ...process.env,
      LOG_LEVEL: 'silent',
      MAIL_TRANSPORT: 'off',
      DATABASE_URL: t.url,
      DATABASE_OWNER_URL: t.ownerUrl,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
}
const exists = async (id: string) =>
  Boolean(await db.selectFrom('people').where('id', '=', id).select('id').executeTakeFirst());
const code = (
  await db.selectFrom('authorities').where('id', '=', org.authorityId).select('code').executeTakeFirstOrThrow()
).code;

test('a dry run lists the due record and the held one, and deletes nothing', () => {
  const r = cli(['--council', code]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Due: 1\n\s+RCLI-DUE\s+closed 2010-01-01, due since 2017-01-01/);
  assert.match(r.stdout, /Due but kept under a legal hold: 1\n\s+RCLI-HELD/);
  assert.doesNotMatch(r.stdout, /RCLI-OPEN|Cli|Retention,/);
  assert.match(r.stdout, /Dry run: nothing was deleted/);
});

test('--purge deletes the due record only; the audit chain verifies', async () => {
  assert.ok(await exists(due));
  const r = cli(['--purge', '--council', code]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Purged: 1 records/);
  assert.equal(await exists(due), false);
  assert.ok(await exists(kept));
  assert.ok(await exists(held));
  assert.equal((await verifyAuditChain(db)).ok, true);
});

test('an unknown council is refused in one line naming the codes', () => {
  const r = cli(['--council', 'NOPE']);
  assert.equal(r.status, 2);
  assert.match(r.stderr.trim(), new RegExp(`^No council has the code NOPE: the codes are .*${code}`));
});
