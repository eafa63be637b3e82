// The SQL of the transitional safeguarding cohort and the system blocks register, and nothing else. Every query here
// returns counts or the council's own records: never a young person's name, date of birth or identifier.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { SystemBlockKind } from '../../db/schema.ts';
import { AGE_BANDS, type CohortFilter } from './schemas.ts';

const ACTIVE = (asOf: string) => sql`ps.person_id = p.id AND ps.start_date <= ${asOf}
  AND (ps.end_date IS NULL OR ps.end_date > ${asOf})`;
const has = (asOf: string, statuses: string[], yes: boolean) =>
  sql`${sql.raw(yes ? '' : 'NOT')} EXISTS (SELECT 1 FROM person_statuses ps WHERE ${ACTIVE(asOf)}
    AND ps.status IN (${sql.join(statuses)}))`;

/**
 * Counts by level of the cohort as at a date: each young person's latest screening on or before it (the level
 * confirmed by then, else the one proposed), with the filters. `current` also requires the screening to be open (its
 * protocol instance open); history counts the latest screening as it stood.
 */
export async function countsByLevel(
  db: Executor,
  authorityId: string,
  asOf: string,
  filter: Partial<CohortFilter>,
  current: boolean,
) {
  const where = [sql`true`];
  if (current) where.push(sql`(pi.id IS NULL OR pi.status = 'open')`);
  if (filter.age_band) {
    const [lo, hi] = AGE_BANDS[filter.age_band];
    where.push(sql`date_part('year', age(${asOf}::date, p.date_of_birth)) BETWEEN ${lo} AND ${hi}`);
  } else where.push(sql`date_part('year', age(${asOf}::date, p.date_of_birth)) BETWEEN 11 AND 25`);
  if (filter.level) where.push(sql`l.level = ${filter.level}`);
  if (filter.send) where.push(has(asOf, ['ehcp', 'sen_support'], filter.send === 'yes'));
  if (filter.care) where.push(has(asOf, [filter.care], true));
  if (filter.wellbeing) where.push(has(asOf, ['emotional_wellbeing'], filter.wellbeing === 'yes'));
  const r = await sql<{ level: string; rank: number; n: number }>`
    WITH latest AS (
      SELECT DISTINCT ON (s.person_id) s.person_id, s.protocol_instance_id,
        CASE WHEN s.confirmed_at IS NOT NULL AND s.confirmed_at::date <= ${asOf}::date
          THEN s.confirmed_level ELSE s.proposed_level END AS level,
        CASE WHEN s.confirmed_at IS NOT NULL AND s.confirmed_at::date <= ${asOf}::date
          THEN s.confirmed_rank ELSE s.proposed_rank END AS rank
      FROM screenings s
      WHERE s.authority_id = ${authorityId} AND s.screened_on <= ${asOf}
      ORDER BY s.person_id, s.screened_on DESC, s.created_at DESC
    )
    SELECT l.level, max(l.rank)::int AS rank, count(*)::int AS n
    FROM latest l
    JOIN people p ON p.id = l.person_id AND p.authority_id = ${authorityId}
    LEFT JOIN protocol_instances pi ON pi.id = l.protocol_instance_id
    WHERE ${sql.join(where, sql` AND `)}
    GROUP BY l.level ORDER BY 2`.execute(db);
  return r.rows;
}

/** Every level the council's screenings use, lowest first. */
export async function levels(db: Executor, authorityId: string) {
  const r = await sql<{ level: string; rank: number }>`
    SELECT level, max(rank)::int AS rank FROM (
      SELECT proposed_level AS level, proposed_rank AS rank FROM screenings WHERE authority_id = ${authorityId}
      UNION ALL
      SELECT confirmed_level, confirmed_rank FROM screenings WHERE authority_id = ${authorityId} AND confirmed_level IS NOT NULL
    ) x GROUP BY level ORDER BY 2`.execute(db);
  return r.rows;
}

export async function blocks(db: Executor, authorityId: string) {
  const r = await sql<{
    id: string;
    kind: SystemBlockKind;
    description: string;
    raised_by_name: string;
    raised_on: string;
    status: 'open' | 'resolved';
    what_changed: string | null;
    resolved_on: string | null;
    version: number;
    cases: number;
  }>`
    SELECT b.id, b.kind, b.description, u.display_name AS raised_by_name, b.raised_on::text AS raised_on, b.status,
      b.what_changed, b.resolved_on::text AS resolved_on, b.version,
      (SELECT count(*)::int FROM system_block_cases c WHERE c.block_id = b.id) AS cases
    FROM system_blocks b JOIN users u ON u.id = b.raised_by
    WHERE b.authority_id = ${authorityId}
    ORDER BY b.status, b.raised_on DESC, b.created_at DESC`.execute(db);
  return r.rows;
}

export async function insertBlock(
  db: Executor,
  v: { authority_id: string; kind: SystemBlockKind; description: string; raised_by: string; raised_on: string },
) {
  const r = await db.insertInto('system_blocks').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function resolveBlock(
  db: Executor,
  authorityId: string,
  id: string,
  version: number,
  v: { what_changed: string; resolved_on: string },
) {
  const r = await db
    .updateTable('system_blocks')
    .set((eb) => ({ ...v, status: 'resolved', version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .where('authority_id', '=', authorityId)
    .where('version', '=', version)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function findBlock(db: Executor, authorityId: string, id: string) {
  return db
    .selectFrom('system_blocks')
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .select(['id', 'kind', 'status'])
    .executeTakeFirst();
}

export async function linkCase(
  db: Executor,
  v: { authority_id: string; block_id: string; person_id: string; note: string | null; linked_by: string },
) {
  await db
    .insertInto('system_block_cases')
    .values(v)
    .onConflict((oc) => oc.columns(['block_id', 'person_id']).doUpdateSet({ note: v.note }))
    .execute();
}

export function blocksOfPerson(db: Executor, authorityId: string, personId: string) {
  return db
    .selectFrom('system_block_cases as c')
    .innerJoin('system_blocks as b', 'b.id', 'c.block_id')
    .where('c.authority_id', '=', authorityId)
    .where('c.person_id', '=', personId)
    .select(['b.id', 'b.kind', 'b.description', 'b.status', 'c.note'])
    .orderBy('c.linked_at', 'desc')
    .execute();
}
