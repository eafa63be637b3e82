// The audit hash chain written per statement (issue 16 part 6, quality.md S7 and P6, migration
// 2026_12_13_0500): batches chain exactly, concurrent writers interleave without a gap, a tampered row is still found,
// and a statement whose chaining settings were changed under it is refused whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { testDatabase } from './helpers.ts';

// `db` connects as the app role, like the running app.
const { db, asSuperuser } = await testDatabase();

const count = async () =>
  Number(
    (
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

// audit_chain_head is not in the app's typed schema (only the triggers and `audit verify` read it).
const head = async () =>
  (await sql<{ seq: string; hash: string }>`SELECT seq, hash FROM audit_chain_head`.execute(db)).rows[0];

/** One INSERT … SELECT of `n` audit rows, as the app writes a batch. */
const batch = (on: Db, n: number, tag: string) =>
  sql`INSERT INTO audit_log (action, entity, entity_id, detail)
    SELECT 'update', 'person', ${tag} || '-' || g, jsonb_build_object('batch', ${tag}::text, 'n', g)
    FROM generate_series(1, ${n}::int) g`.execute(on);

test('a batch of 20,000 rows in one statement chains exactly: seq without a gap, the head on its last row, verify clean', async () => {
  const before = await count();
  await batch(db, 20_000, 'big');
  assert.equal(await count(), before + 20_000);
  const last = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const h = await head();
  assert.equal(String(h?.seq), String(last.seq));
  assert.equal(h?.hash, last.hash);
  const verdict = await verifyAuditChain(db);
  assert.deepEqual(verdict, { ok: true, rows: before + 20_000 });
});

test('a row of a bulk-written stretch changed afterwards is still found by verify', async () => {
  await batch(db, 5_000, 'tamper');
  const mid = Number((await head())?.seq) - 2_500;
  const superuser = asSuperuser();
  await superuser.connection().execute(async (c) => {
    // Only a superuser with the triggers off can change a row; the app role cannot.
    await sql`SET session_replication_role = replica`.execute(c);
    try {
      await sql`UPDATE audit_log SET entity_id = 'forged' WHERE seq = ${mid}`.execute(c);
      const bad = await verifyAuditChain(db);
      assert.equal(bad.ok, false);
      if (!bad.ok) {
        assert.equal(bad.firstBrokenSeq, mid);
        assert.match(bad.reason, /changed after it was written/);
      }
      await sql`UPDATE audit_log SET entity_id = ${`tamper-${5_000 - 2_500}`} WHERE seq = ${mid}`.execute(c);
    } finally {
      await sql`SET session_replication_role = origin`.execute(c);
    }
  });
  assert.equal((await verifyAuditChain(db)).ok, true, 'restored, it verifies again');
});

test('concurrent single-row writers, batches and audit_append_bulk interleave; every row is chained once, verify clean', async () => {
  const before = await count();
  const writers = 6;
  const singles = 40;
  const single = async (w: number) => {
    for (let i = 0; i < singles; i++) {
      await db
        .insertInto('audit_log')
        .values({ action: 'create', entity: 'event', entity_id: `w${w}-${i}`, detail: JSON.stringify({ w, i }) })
        .execute();
    }
  };
  const bulk = (tag: string) =>
    sql`SELECT audit_append_bulk(NULL, NULL, 'import', 'person', array_agg(${tag} || g), array_agg(NULL::uuid),
      array_agg(jsonb_build_object('n', g))) FROM generate_series(1, 3000) g`.execute(db);
  // Each writer holds the head's lock only for its own transaction: a batch inside a transaction with other work.
  const batchInTransaction = (tag: string) =>
    db.transaction().execute(async (trx) => {
      await batch(trx, 4_000, `${tag}-a`);
      await trx.insertInto('audit_log').values({ action: 'decide', entity: 'plan', entity_id: tag }).execute();
      await batch(trx, 4_000, `${tag}-b`);
    });
  await Promise.all([
    ...Array.from({ length: writers }, (_, w) => single(w)),
    batch(db, 10_000, 'c1'),
    batchInTransaction('c2'),
    bulk('c3-'),
    batch(db, 250, 'c4'),
  ]);
  const expected = before + writers * singles + 10_000 + 8_001 + 3_000 + 250;
  assert.equal(await count(), expected);
  const verdict = await verifyAuditChain(db);
  assert.deepEqual(verdict, { ok: true, rows: expected });
});

test('savepoints: rows of a rolled-back savepoint leave no gap, the statements after it chain on', async () => {
  const before = await count();
  await db.connection().execute(async (c) => {
    await sql`BEGIN`.execute(c);
    await batch(c, 100, 'sp1');
    await sql`SAVEPOINT s`.execute(c);
    await batch(c, 100, 'sp2');
    await sql`ROLLBACK TO SAVEPOINT s`.execute(c);
    await batch(c, 100, 'sp3');
    await sql`COMMIT`.execute(c);
  });
  assert.equal(await count(), before + 200);
  assert.equal((await verifyAuditChain(db)).ok, true);
});

test('a statement that changes the chain settings under itself is refused whole, nothing written, the chain intact', async () => {
  const before = await count();
  const h = await head();
  // set_config in the SELECT list runs between the rows' triggers: a try to jump the seq and to fake a link.
  for (const forged of [
    sql`INSERT INTO audit_log (action, entity, detail)
      SELECT 'update', 'person', jsonb_build_object('x', CASE WHEN g = 2 THEN set_config('handover.audit_seq', '900000', true) END)
      FROM generate_series(1, 3) g`,
    sql`INSERT INTO audit_log (action, entity, detail)
      SELECT 'update', 'person', jsonb_build_object('x', set_config('handover.audit_hash', repeat('f', 64), true))
      FROM generate_series(1, 3)`,
  ]) {
    await assert.rejects(forged.execute(db), (e: Error & { code?: string }) => {
      assert.equal(e.code, '23514');
      assert.match(e.message, /does not follow row/);
      return true;
    });
  }
  assert.equal(await count(), before);
  assert.deepEqual(await head(), h);
  // Settings changed before a statement count for nothing: the statement starts from the locked head.
  await db.connection().execute(async (c) => {
    await sql`BEGIN`.execute(c);
    await sql`SELECT set_config('handover.audit_seq', '5', true), set_config('handover.audit_hash', 'x', true)`.execute(
      c,
    );
    await batch(c, 10, 'after-forge');
    await sql`COMMIT`.execute(c);
  });
  assert.equal(await count(), before + 10);
  assert.equal((await verifyAuditChain(db)).ok, true);
});

test('a statement of no rows leaves the head as it was', async () => {
  const h = await head();
  await sql`INSERT INTO audit_log (action, entity) SELECT 'x', 'y' WHERE false`.execute(db);
  assert.deepEqual(await head(), h);
});

test('two inserts into audit_log in one statement (data-modifying CTEs) chain one after the other', async () => {
  const before = await count();
  await sql`WITH first AS (
      INSERT INTO audit_log (action, entity, entity_id) SELECT 'create', 'event', 'cte-a-' || g FROM generate_series(1, 50) g
      RETURNING seq)
    INSERT INTO audit_log (action, entity, entity_id) SELECT 'update', 'event', 'cte-b-' || seq FROM first`.execute(db);
  assert.equal(await count(), before + 100);
  assert.equal((await verifyAuditChain(db)).ok, true);
});
