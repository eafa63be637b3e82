// Issue 18 part 6: the schema stays ready to be distributed by authority_id (Citus; docs/national-scale.md). Reads
// the catalogue of the migrated test database: every table holding a council's data has a NOT NULL authority_id and
// a primary key or unique constraint that includes it. The tables that are not a council's are listed once, below,
// with the reason; a listed table that is gone, or that now passes the rule, fails too, so the list stays true.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { seedOrganisation, testDatabase } from './helpers.ts';

/** Tables not distributed by authority_id, and why (docs/national-scale.md says what each becomes on Citus). */
export const NOT_A_COUNCILS: Record<string, { kind: 'reference' | 'coordinator' | 'by its own key'; why: string }> = {
  authorities: { kind: 'reference', why: 'the councils themselves: every council’s rows name one' },
  protocol_versions: {
    kind: 'reference',
    why: 'protocol definitions, shared by every council; a running instance names the version it started on',
  },
  kysely_migration: { kind: 'coordinator', why: 'which migrations have run: the schema’s, not a council’s' },
  kysely_migration_lock: { kind: 'coordinator', why: 'the migrator’s lock row' },
  audit_log: {
    kind: 'coordinator',
    why: 'one tamper-evident hash chain for the installation (seq); rows of no council (a failed sign-in of an unknown account, system jobs) have no authority_id',
  },
  audit_chain_head: { kind: 'coordinator', why: 'the head of that one chain' },
  sessions: {
    kind: 'by its own key',
    why: 'found by the cookie’s hash before the council is known; distributed by id_hash, not co-located',
  },
  api_tokens: {
    kind: 'by its own key',
    why: 'found by the bearer token’s hash before the council is known; distributed by token_hash',
  },
  oidc_logins: {
    kind: 'by its own key',
    why: 'a single sign-on in flight, found by its state’s hash before the tenant (and so the council) is known',
  },
  login_throttle: {
    kind: 'by its own key',
    why: 'counts failed sign-ins per address and account key before any council is known; holds no council’s data',
  },
};

const { db, asOwner } = await testDatabase();

interface TableFacts {
  table: string;
  /** null: no authority_id column; otherwise whether it is NOT NULL. */
  authorityNotNull: boolean | null;
  /** Each primary key and unique constraint, as its column names. */
  keys: string[][];
}

/** Every ordinary or partitioned table of `schema` (the migrated database's: current_schema()). */
async function tables(schema: string | null = null): Promise<TableFacts[]> {
  const r = await sql<{ table: string; not_null: boolean | null; keys: string[][] | null }>`
    SELECT c.relname AS table,
      (SELECT a.attnotnull FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attname = 'authority_id' AND NOT a.attisdropped) AS not_null,
      (SELECT json_agg((SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY AS k(n, i)
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.n) ORDER BY con.conname)
        FROM pg_constraint con WHERE con.conrelid = c.oid AND con.contype IN ('p', 'u')) AS keys
    FROM pg_class c
    WHERE c.relnamespace = coalesce(${schema}, current_schema())::regnamespace AND c.relkind IN ('r', 'p')
      AND NOT c.relispartition
    ORDER BY c.relname`.execute(db);
  return r.rows.map((row) => ({ table: row.table, authorityNotNull: row.not_null, keys: row.keys ?? [] }));
}

/** What keeps this table from being distributed by authority_id; null when nothing does. */
function problem(t: TableFacts): string | null {
  if (t.authorityNotNull === null) return 'has no authority_id column';
  if (!t.authorityNotNull) return 'has authority_id but it may be NULL';
  if (!t.keys.some((k) => k.includes('authority_id'))) {
    const keys = t.keys.map((k) => `(${k.join(', ')})`).join(' ') || 'none';
    return `has no primary key or unique constraint including authority_id (keys: ${keys})`;
  }
  return null;
}

test('every table holding a council’s data has NOT NULL authority_id and a key including it', async () => {
  const all = await tables();
  assert.ok(all.length > 50, `the migrated database has its tables (found ${all.length})`);
  const wrong = all
    .filter((t) => !(t.table in NOT_A_COUNCILS))
    .map((t) => [t.table, problem(t)] as const)
    .filter(([, p]) => p !== null)
    .map(([table, p]) => `${table} ${p}`);
  assert.deepEqual(
    wrong,
    [],
    'Give a council’s table authority_id NOT NULL and UNIQUE (authority_id, id); or, if it is truly not a council’s, list it in NOT_A_COUNCILS with the reason (docs/national-scale.md).',
  );
});

test('every table listed as not a council’s still exists and still needs listing', async () => {
  const all = new Map((await tables()).map((t) => [t.table, t]));
  const stale = Object.keys(NOT_A_COUNCILS).flatMap((name) => {
    const t = all.get(name);
    if (!t) return [`${name} no longer exists`];
    if (problem(t) === null) return [`${name} now has authority_id and a key including it: it is a council’s table`];
    return [];
  });
  assert.deepEqual(stale, [], 'Remove these from NOT_A_COUNCILS in test/citus-readiness.test.ts.');
});

test('the rule finds a table without authority_id, with it nullable, or without a key including it', async () => {
  // The same reading of the catalogue, on tables made for this test in a schema of their own: it can fail.
  const owner = asOwner();
  await sql`CREATE SCHEMA readiness_probe`.execute(owner);
  await sql`
    CREATE TABLE readiness_probe.no_authority (id uuid PRIMARY KEY, person_id uuid);
    CREATE TABLE readiness_probe.id_key_only (id uuid PRIMARY KEY, authority_id uuid NOT NULL);
    CREATE TABLE readiness_probe.nullable_authority (id uuid PRIMARY KEY, authority_id uuid, UNIQUE (authority_id, id));
    CREATE TABLE readiness_probe.ready (id uuid PRIMARY KEY, authority_id uuid NOT NULL, UNIQUE (authority_id, id));
  `.execute(owner);
  const found = Object.fromEntries((await tables('readiness_probe')).map((t) => [t.table, problem(t)]));
  assert.deepEqual(found, {
    id_key_only: 'has no primary key or unique constraint including authority_id (keys: (id))',
    no_authority: 'has no authority_id column',
    nullable_authority: 'has authority_id but it may be NULL',
    ready: null,
  });
});

test('a membership row left without authority_id takes its team’s, and cannot name another council', async () => {
  const a = await seedOrganisation(db, 'ra');
  const b = await seedOrganisation(db, 'rb');
  const teamId = Object.values(a.teams)[0] as string;
  const user = a.users[0]?.id as string;
  const other = a.users[1]?.id as string;
  await db.deleteFrom('team_members').where('team_id', '=', teamId).where('user_id', 'in', [user, other]).execute();
  await db.insertInto('team_members').values({ team_id: teamId, user_id: user }).execute();
  const row = await db
    .selectFrom('team_members')
    .where('team_id', '=', teamId)
    .where('user_id', '=', user)
    .select('authority_id')
    .executeTakeFirst();
  assert.equal(row?.authority_id, a.authorityId);
  await assert.rejects(
    db.insertInto('team_members').values({ authority_id: b.authorityId, team_id: teamId, user_id: other }).execute(),
    /violates foreign key constraint/,
  );
});
