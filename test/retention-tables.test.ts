// A table added later that names a young person: without a foreign key its rows go with the purged record; with a
// key that does not cascade the database refuses, the record is kept whole and the run names the constraint (never
// anything of the record). Either way nothing is half-deleted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { runRetention } from '../src/modules/retention/purge.ts';
import { personInTeam, seedOrganisation, testDatabase, userByRole } from './helpers.ts';
import { closeRecord, rowsNaming } from './retention-setup.ts';

const t = await testDatabase();
const { db } = t;
const owner = t.asOwner();
const org = await seedOrganisation(db, 'tables');
const admin = userByRole(org, 'admin');
const closed = async (caseNumber: string) => {
  const id = await personInTeam(db, {
    authorityId: org.authorityId,
    team: Object.values(org.teams)[0] as string,
    worker: null,
    caseNumber,
    givenName: 'Later',
    familyName: 'Table',
    dateOfBirth: '1990-01-01',
    start: '2005-01-01',
  });
  await closeRecord(owner, id, '2010-01-01');
  return id;
};
await db
  .insertInto('retention_schedules')
  .values({ authority_id: org.authorityId, record_type: 'person', years: 7, minimum_age: null, updated_by: admin.id })
  .execute();
const code = (
  await db.selectFrom('authorities').where('id', '=', org.authorityId).select('code').executeTakeFirstOrThrow()
).code;
const purge = async () =>
  (await runRetention(db, null, new Date('2026-11-23T10:00:00Z'), { purge: true, trigger: 'cli', authorityCode: code }))
    .authorities[0]!;

test('rows of a table with a person_id and no foreign key go with the record', async () => {
  await sql`CREATE TABLE later_notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), person_id uuid NOT NULL, body text)`.execute(
    owner,
  );
  const id = await closed('LATER-1');
  await sql`INSERT INTO later_notes (person_id, body) VALUES (${id}, 'about them')`.execute(db);
  const run = await purge();
  assert.deepEqual(run.failed, []);
  assert.deepEqual(run.purged, ['LATER-1']);
  assert.deepEqual(
    Object.keys(await rowsNaming(db, id)).filter((k) => !/^(audit|access)_log\./.test(k)),
    [],
  );
});

test('a table whose key does not cascade makes the purge refuse, and the record is kept whole', async () => {
  await sql`CREATE TABLE later_links (person_id uuid NOT NULL REFERENCES people(id))`.execute(owner);
  const id = await closed('LATER-2');
  await sql`INSERT INTO later_links (person_id) VALUES (${id})`.execute(db);
  const before = await rowsNaming(db, id);
  const run = await purge();
  assert.deepEqual(run.purged, []);
  assert.equal(run.failed.length, 1);
  assert.match(run.failed[0]!.reason, /^the database refused it \(23503, later_links_person_id_fkey\)/);
  assert.ok(!run.failed[0]!.reason.includes(id));
  const after = await rowsNaming(db, id);
  delete after['audit_log.person_id'];
  delete before['audit_log.person_id'];
  assert.deepEqual(after, before, 'nothing of the record was deleted');
});
