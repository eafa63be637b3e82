// quality.md S6 (one access row per read, in the same transaction) and S7 (append-only, hash-chained audit).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { sql } from 'kysely';
import { appRoleProblems } from '../src/db/roles.ts';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { Browser, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

// `db` is the app's pool, connected as the app role (handover_app) like the running app (issue 9 finding 8).
const { db, url, ownerUrl, asOwner, asSuperuser } = await testDatabase();
const org = await seedOrganisation(db, 'aud');
const app = await testApp(db);
const worker = userByRole(org, 'social_worker');

async function personFor(workerId: string) {
  const p = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: `A-${Math.random()}`,
      given_name: 'Audit',
      family_name: 'Case',
      date_of_birth: '2011-02-03',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      team_id: org.teams['dct-north'] as string,
      worker_id: workerId,
      reason: 'audit',
      start_date: '2026-01-01',
    })
    .execute();
  return p.id;
}

const count = async (table: 'access_log' | 'audit_log', personId?: string) => {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (personId) q = q.where('person_id', '=', personId);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

test('every successful read of a record writes exactly one access row; refused reads write none', async () => {
  const personId = await personFor(worker.id);
  const b = new Browser(app);
  await b.login(worker.email);
  for (let i = 0; i < 5; i++) assert.equal((await b.get(`/people/${personId}`)).statusCode, 200);
  assert.equal(await count('access_log', personId), 5);
  await b.get(`/people/${personId}/access-log`);
  assert.equal(await count('access_log', personId), 6, 'reading who viewed is itself a read');

  const outsider = new Browser(app);
  await outsider.login(userByRole(org, 'ehcp_coordinator').email);
  assert.equal((await outsider.get(`/people/${personId}`)).statusCode, 403);
  assert.equal(await count('access_log', personId), 6, 'a refused read is not logged as a read');

  const page = await b.get(`/people/${personId}/access-log`);
  assert.match(page.body, /Sam Social-Worker/);
  assert.equal((page.body.match(/<td class="govuk-table__cell">page<\/td>/g) ?? []).length, 7);
});

const tamperings = () => [
  sql`UPDATE audit_log SET action = 'x'`,
  sql`DELETE FROM audit_log`,
  sql`TRUNCATE audit_log`,
  sql`UPDATE access_log SET purpose = 'x'`,
  sql`DELETE FROM access_log`,
  sql`TRUNCATE access_log`,
];

test('the app role cannot update, delete or truncate audit or access rows: it has no such privilege', async () => {
  await personFor(worker.id);
  const before = await count('audit_log');
  assert.ok(before > 0);
  for (const stmt of tamperings()) {
    await assert.rejects(stmt.execute(db), /permission denied for table (audit_log|access_log)/);
  }
  assert.equal(await count('audit_log'), before);
});

test('the owner role is refused too, by the append-only triggers (the second line of defence)', async () => {
  const owner = asOwner();
  for (const stmt of tamperings()) await assert.rejects(stmt.execute(owner), /append-only/);
});

test('the app role cannot switch the triggers off, nor move the chain head, nor own the log', async () => {
  await db.connection().execute(async (c) => {
    await assert.rejects(
      sql`SET session_replication_role = replica`.execute(c),
      /permission denied to set parameter "session_replication_role"/,
    );
    assert.equal(
      (await sql<{ r: string }>`SELECT current_setting('session_replication_role') AS r`.execute(c)).rows[0]?.r,
      'origin',
    );
  });
  await assert.rejects(sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(db), /must be owner of table audit_log/);
  await assert.rejects(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(db), /must be owner/);
  await assert.rejects(sql`DROP TABLE audit_log`.execute(db), /must be owner of table audit_log/);
  await assert.rejects(
    sql`UPDATE audit_chain_head SET seq = 0`.execute(db),
    /permission denied for table audit_chain_head/,
  );
  await assert.rejects(sql`DELETE FROM kysely_migration`.execute(db), /permission denied for table kysely_migration/);
  const role = await sql<{ user: string; superuser: boolean }>`
    SELECT current_user AS user, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`.execute(db);
  assert.deepEqual(role.rows[0], { user: 'handover_app', superuser: false });
  assert.deepEqual(await appRoleProblems(db), []);
  // The chain still advances for the app role's inserts (its trigger runs as the owner).
  await personFor(worker.id);
  assert.equal((await verifyAuditChain(db)).ok, true);
});

test('deleting a case, as the app role, deletes no audit rows', async () => {
  const personId = await personFor(worker.id);
  const b = new Browser(app);
  await b.login(worker.email);
  await b.post(`/people/${personId}/statuses`, { status: 'child_in_need' });
  const before = await count('audit_log');
  assert.ok((await count('audit_log', personId)) >= 1);
  await db.deleteFrom('people').where('id', '=', personId).execute();
  assert.equal(await count('audit_log'), before);
});

test('the hash chain detects a modified, deleted, inserted or reordered row, and the CLI names it', async () => {
  const b = new Browser(app);
  await b.login(worker.email);
  const personId = await personFor(worker.id);
  for (const s of ['child_in_need', 'disabled', 'sen_support'])
    await b.post(`/people/${personId}/statuses`, { status: s });
  const ok = await verifyAuditChain(db);
  assert.equal(ok.ok, true);

  const cli = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'audit', 'verify'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
  // The two roles as configured on a server: the app role, and the owner for migrations. Email is never sent by
  // `audit verify`, but the configuration needs a way to send it outside demo mode.
  const roles = { DATABASE_URL: url, DATABASE_OWNER_URL: ownerUrl, SMTP_URL: 'smtp://127.0.0.1:9' };
  const good = cli(roles);
  assert.equal(good.status, 0, good.stderr);
  assert.match(good.stdout, /Audit chain verified: \d+ rows/);

  // Tampering needs the triggers off (session_replication_role): only a database superuser can, never the app role.
  const superuser = asSuperuser();
  const mid =
    Number(
      (
        await db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('seq').as('m'))
          .executeTakeFirstOrThrow()
      ).m,
    ) - 1;

  const original = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '=', String(mid))
    .executeTakeFirstOrThrow();
  await superuser.connection().execute(async (c) => {
    await sql`SET session_replication_role = replica`.execute(c);
    await sql`UPDATE audit_log SET action = 'forged' WHERE seq = ${mid}`.execute(c);
    const r = await verifyAuditChain(db);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.firstBrokenSeq, mid);
      assert.match(r.reason, /changed/);
    }
    const bad = cli(roles);
    assert.equal(bad.status, 1, `${bad.stdout}\n${bad.stderr}`);
    assert.match(bad.stdout, new RegExp(`BROKEN at row ${mid}`));
    await sql`UPDATE audit_log SET action = ${original.action} WHERE seq = ${mid}`.execute(c);
    assert.equal((await verifyAuditChain(db)).ok, true, 'restored');

    // Copies kept in a temporary table so rows can be put back exactly (to the microsecond).
    await sql`CREATE TEMP TABLE saved AS SELECT * FROM audit_log WHERE seq IN (${mid}, ${mid + 1})`.execute(c);

    // Deleted row.
    await sql`DELETE FROM audit_log WHERE seq = ${mid}`.execute(c);
    const del = await verifyAuditChain(db);
    assert.equal(del.ok, false);
    if (!del.ok) assert.match(del.reason, new RegExp(`row ${mid} is missing`));
    await sql`INSERT INTO audit_log SELECT * FROM saved WHERE seq = ${mid}`.execute(c);
    assert.equal((await verifyAuditChain(db)).ok, true, 'restored after delete');

    // Reordered: the two rows swap places in the sequence.
    await sql`DELETE FROM audit_log WHERE seq IN (${mid}, ${mid + 1})`.execute(c);
    await sql`INSERT INTO audit_log SELECT CASE WHEN seq = ${mid}::bigint THEN ${mid + 1}::bigint ELSE ${mid}::bigint END, at, authority_id, actor_id, action, entity, entity_id, person_id, detail, prev_hash, hash FROM saved`.execute(
      c,
    );
    const reordered = await verifyAuditChain(db);
    assert.equal(reordered.ok, false);
    if (!reordered.ok) assert.equal(reordered.firstBrokenSeq, mid);
    await sql`DELETE FROM audit_log WHERE seq IN (${mid}, ${mid + 1})`.execute(c);
    await sql`INSERT INTO audit_log SELECT * FROM saved`.execute(c);
    assert.equal((await verifyAuditChain(db)).ok, true, 'restored after reorder');

    // A row slipped in after the head, bypassing the chain trigger.
    await sql`INSERT INTO audit_log (seq, action, entity, prev_hash, hash) VALUES (${mid + 1000}::bigint, 'forged', 'x', 'x', 'x')`.execute(
      c,
    );
    assert.equal((await verifyAuditChain(db)).ok, false);
    await sql`SET session_replication_role = origin`.execute(c);
  });
});
