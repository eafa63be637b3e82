// The audit history, set-based in SQL in chunks of 20,000 rows: each statement goes through the hash-chain
// triggers, which chain its rows in one pass (migration 2026_12_13_0500).
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

// The chain's cost is linear in a statement's rows now; a chunk holds the chain head's lock for its statement (about
// a second here), so a live council's own audit writes wait no longer than that while the demo is built.
const AUDIT_CHUNK = 20_000;

/**
 * `count` audit events of a representative history: staff creating, updating and deciding on the county's records
 * (people, timeline, plans, protocol steps, involvements), in statements of 20,000 rows on one connection. The
 * triggers chain each statement's rows.
 */
export async function insertAuditHistory(
  db: Db,
  authorityId: string,
  count: number,
  onProgress: (done: number) => void,
): Promise<void> {
  await db.connection().execute(async (conn) => {
    // Numbered people and staff to draw from, on this connection only.
    await sql`CREATE TEMP TABLE demo_audit_people ON COMMIT PRESERVE ROWS AS
      SELECT (row_number() OVER (ORDER BY case_number) - 1)::int AS n, id FROM people
      WHERE authority_id = ${authorityId}`.execute(conn);
    await sql`CREATE TEMP TABLE demo_audit_staff ON COMMIT PRESERVE ROWS AS
      SELECT (row_number() OVER (ORDER BY email) - 1)::int AS n, id FROM users
      WHERE authority_id = ${authorityId}`.execute(conn);
    await sql`ALTER TABLE demo_audit_people ADD PRIMARY KEY (n)`.execute(conn);
    await sql`ALTER TABLE demo_audit_staff ADD PRIMARY KEY (n)`.execute(conn);
    await sql`ANALYZE demo_audit_people, demo_audit_staff`.execute(conn);
    const sizes = await sql<{ p: number; u: number }>`
      SELECT (SELECT count(*) FROM demo_audit_people)::int AS p, (SELECT count(*) FROM demo_audit_staff)::int AS u`.execute(
      conn,
    );
    const { p: np, u: nu } = sizes.rows[0] as { p: number; u: number };
    try {
      for (let from = 1; from <= count; from += AUDIT_CHUNK) {
        const to = Math.min(count, from + AUDIT_CHUNK - 1);
        await sql`
          INSERT INTO audit_log (authority_id, actor_id, action, entity, entity_id, person_id, detail)
          SELECT ${authorityId}::uuid, u.id,
            (ARRAY['update', 'create', 'update', 'decide', 'allocate', 'update', 'create', 'update', 'create',
              'update'])[1 + g % 10],
            (ARRAY['person', 'event', 'plan_action', 'protocol_step', 'involvement', 'contact', 'plan_action',
              'plan', 'referral', 'person'])[1 + g % 10],
            p.id::text, p.id, jsonb_build_object('demo', 'county', 'n', g)
          FROM generate_series(${from}::bigint, ${to}::bigint) g
          JOIN demo_audit_people p ON p.n = (g * 104729) % ${np}
          JOIN demo_audit_staff u ON u.n = (g * 7919) % ${nu}
          ORDER BY g`.execute(conn);
        onProgress(to);
      }
    } finally {
      await sql`DROP TABLE IF EXISTS demo_audit_people, demo_audit_staff`.execute(conn);
    }
  });
}
