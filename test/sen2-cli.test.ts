// `npx handover sen2` as a child process, as on a server (the app role's DATABASE_URL): a bad census date refused
// with the valid ones listed; the counts, 20-week timeliness and validation report printed by case reference, never
// by name; --out writes the XML and one CSV per module, with one access-log row per young person naming --by.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { seedOrganisation, testDatabase, userByRole } from './helpers.ts';
import { seedSen2Council } from './sen2-setup.ts';

const t = await testDatabase();
const { db } = t;
const org = await seedOrganisation(db, 'sen2cli');
const s = await seedSen2Council(db, org, 'SC');
const manager = userByRole(org, 'send_manager');
const code = (
  await db.selectFrom('authorities').where('id', '=', org.authorityId).select('code').executeTakeFirstOrThrow()
).code;

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'sen2', ...args], {
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

test('a census date that is not an SEN2 census date is refused in one line, naming the valid ones', () => {
  const r = cli(['--census', '2027-01-20', '--council', code]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /2027-01-20 is not an SEN2 census date\. Enter one of: 2026-01-15, 2027-01-21/);
  const noBy = cli(['--census', '2027-01-21', '--council', code, '--out', tmpdir()]);
  assert.equal(noBy.status, 2);
  assert.match(noBy.stderr, /--by <email>/);
});

test('the return is built and its validation report printed by case reference; --out writes it and logs it', async () => {
  const r = cli(['--census', '2027-01-21', '--council', code]);
  assert.equal(r.status, 1, 'a return that would fail exits 1');
  assert.match(r.stdout, /collection year 2026-01-01 to 2026-12-31/);
  assert.match(r.stdout, /Young people: 5/);
  assert.match(r.stdout, /Plans issued in the year: 3, within 20 weeks: 1/);
  assert.match(r.stdout, /Excluding assessments with exceptions: 2, within 20 weeks: 1/);
  assert.doesNotMatch(r.stdout, /SC-[A-Z]/, 'no case references without a named reader');
  assert.match(r.stdout, /--by <email> to list them/);
  assert.doesNotMatch(r.stdout, /GivenB|FamilyB/, 'no names');
  // Named: the problems by case reference, each young person listed a logged read by that SEND manager.
  const named = cli(['--census', '2027-01-21', '--council', code, '--by', manager.email]);
  assert.equal(named.status, 1);
  assert.match(named.stdout, new RegExp(`SC-B  Person\\.UPN: .*\\(fix at /people/${s.b.personId}/edit#upn\\)`));
  assert.doesNotMatch(named.stdout, /GivenB|FamilyB/, 'no names');
  const reads = await db
    .selectFrom('access_log')
    .where('purpose', '=', 'sen2-validation')
    .select(['person_id', 'user_id', 'channel'])
    .execute();
  assert.ok(reads.some((x) => x.person_id === s.b.personId));
  assert.ok(reads.every((x) => x.user_id === manager.id && x.channel === 'export'));

  const dir = mkdtempSync(join(tmpdir(), 'sen2-'));
  const w = cli(['--census', '2027-01-21', '--council', code, '--out', dir, '--by', manager.email]);
  assert.equal(w.status, 1);
  const files = readdirSync(dir).sort();
  assert.equal(files.length, 9, files.join(', '));
  assert.ok(files.includes(`sen2-${code}-2027-01-21.xml`));
  assert.match(readFileSync(join(dir, `sen2-${code}-2027-01-21-Requests.csv`), 'utf8'), /"SC-D",/);
  const rows = await db
    .selectFrom('access_log')
    .where('purpose', '=', 'sen2-return')
    .select(['person_id', 'user_id'])
    .execute();
  assert.equal(rows.length, 5, 'one row per young person for the whole export');
  assert.ok(rows.every((x) => x.user_id === manager.id));
  const other = cli([
    '--census',
    '2027-01-21',
    '--council',
    code,
    '--out',
    dir,
    '--by',
    userByRole(org, 'social_worker').email,
  ]);
  assert.equal(other.status, 2);
  assert.match(other.stderr, /may not export the SEN2 return/);
  // Never into files already there (a shared directory): refused, naming the file.
  const again = cli(['--census', '2027-01-21', '--council', code, '--out', dir, '--by', manager.email]);
  assert.equal(again.status, 2, again.stderr);
  assert.match(again.stderr, /already exists: choose an empty directory/);
});
