// The SQL of retention and legal hold, and nothing else: schedules, the automatic purge setting, holds, what is due,
// and the purge of one young person's whole record (docs/decisions.md "Retention and legal hold").
import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import type { RetentionRecordType } from '../../db/schema.ts';

/** Tables that keep a purged person's id and nothing about them: the audit chain and the access log (append-only). */
export const KEPT_LOGS = ['audit_log', 'access_log'] as const;

export function schedules(db: Executor, authorityId: string) {
  return db
    .selectFrom('retention_schedules as s')
    .innerJoin('users as u', 'u.id', 's.updated_by')
    .where('s.authority_id', '=', authorityId)
    .select(['s.record_type', 's.years', 's.minimum_age', 's.version', 's.updated_at', 'u.display_name as updated_by'])
    .execute();
}

export function settings(db: Executor, authorityId: string) {
  return db
    .selectFrom('retention_settings as s')
    .innerJoin('users as u', 'u.id', 's.updated_by')
    .where('s.authority_id', '=', authorityId)
    .select(['s.automatic_purge', 's.version', 's.updated_at', 'u.display_name as updated_by'])
    .executeTakeFirst();
}

/** Sets a schedule; returns false when `version` is not the one stored (someone else changed it first). */
export async function saveSchedule(
  db: Executor,
  s: { authorityId: string; recordType: RetentionRecordType; years: number; minimumAge: number | null; by: string },
  version: number | null,
): Promise<boolean> {
  const r = await sql<{ ok: number }>`
    INSERT INTO retention_schedules AS s (authority_id, record_type, years, minimum_age, updated_by)
    VALUES (${s.authorityId}, ${s.recordType}, ${s.years}, ${s.minimumAge}, ${s.by})
    ON CONFLICT (authority_id, record_type) DO UPDATE
      SET years = excluded.years, minimum_age = excluded.minimum_age, updated_by = excluded.updated_by,
          updated_at = now(), version = s.version + 1
      WHERE ${version}::int IS NULL OR s.version = ${version}::int
    RETURNING 1 AS ok`.execute(db);
  return r.rows.length === 1;
}

export async function saveSettings(
  db: Executor,
  s: { authorityId: string; automaticPurge: boolean; by: string },
  version: number | null,
): Promise<boolean> {
  const r = await sql<{ ok: number }>`
    INSERT INTO retention_settings AS s (authority_id, automatic_purge, updated_by)
    VALUES (${s.authorityId}, ${s.automaticPurge}, ${s.by})
    ON CONFLICT (authority_id) DO UPDATE
      SET automatic_purge = excluded.automatic_purge, updated_by = excluded.updated_by, updated_at = now(),
          version = s.version + 1
      WHERE ${version}::int IS NULL OR s.version = ${version}::int
    RETURNING 1 AS ok`.execute(db);
  return r.rows.length === 1;
}

// ---- legal holds

export function holds(db: Executor, authorityId: string) {
  return db
    .selectFrom('legal_holds as h')
    .innerJoin('people as p', 'p.id', 'h.person_id')
    .innerJoin('users as s', 's.id', 'h.set_by')
    .leftJoin('users as r', 'r.id', 'h.released_by')
    .where('h.authority_id', '=', authorityId)
    .orderBy('h.released_at', (o) => o.desc().nullsFirst())
    .orderBy('h.set_at', 'desc')
    .select([
      'h.id',
      'p.case_number',
      'h.reason',
      'h.set_at',
      's.display_name as set_by',
      'h.released_at',
      'r.display_name as released_by',
      'h.release_reason',
    ])
    .execute();
}

export function hold(db: Executor, authorityId: string, holdId: string) {
  return db
    .selectFrom('legal_holds as h')
    .innerJoin('people as p', 'p.id', 'h.person_id')
    .innerJoin('users as s', 's.id', 'h.set_by')
    .where('h.authority_id', '=', authorityId)
    .where('h.id', '=', holdId)
    .select([
      'h.id',
      'h.person_id',
      'p.case_number',
      'h.reason',
      'h.set_at',
      's.display_name as set_by',
      'h.released_at',
    ])
    .executeTakeFirst();
}

/** The person with this case number in this council (locked, so a purge cannot remove it meanwhile). */
export function personByCaseNumber(db: Executor, authorityId: string, caseNumber: string) {
  return db
    .selectFrom('people')
    .where('authority_id', '=', authorityId)
    .where(sql`lower(case_number)`, '=', caseNumber.toLowerCase())
    .select(['id', 'case_number'])
    .forShare()
    .executeTakeFirst();
}

export async function openHoldOf(db: Executor, personId: string) {
  return db
    .selectFrom('legal_holds')
    .where('person_id', '=', personId)
    .where('released_at', 'is', null)
    .select('id')
    .executeTakeFirst();
}

export async function insertHold(
  db: Executor,
  h: { authorityId: string; personId: string; reason: string; by: string },
): Promise<string> {
  const row = await db
    .insertInto('legal_holds')
    .values({ authority_id: h.authorityId, person_id: h.personId, reason: h.reason, set_by: h.by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Releases an open hold; false when it was already released. */
export async function releaseHold(
  db: Executor,
  r: { authorityId: string; holdId: string; reason: string; by: string; at: Date },
): Promise<{ person_id: string } | undefined> {
  return db
    .updateTable('legal_holds')
    .set({ released_at: r.at, released_by: r.by, release_reason: r.reason })
    .where('authority_id', '=', r.authorityId)
    .where('id', '=', r.holdId)
    .where('released_at', 'is', null)
    .returning('person_id')
    .executeTakeFirst();
}

// ---- what is due

export interface DueRecord {
  person_id: string;
  case_number: string;
  closed_on: string;
  due_on: string;
  held: boolean;
}

/**
 * Young people of this council whose record is closed (no open involvement, status or protocol) and whose schedule
 * has run out by `today`: closed on the day the last involvement ended (or the record was made, if it never had
 * one), kept `years` after that and, when the schedule says so, until the `minimumAge` birthday. Held ones are
 * listed with `held` and never purged.
 */
export async function dueRecords(
  db: Executor,
  authorityId: string,
  schedule: { years: number; minimumAge: number | null },
  today: string,
  only: string | null = null,
): Promise<DueRecord[]> {
  const r = await sql<DueRecord>`
    WITH closed AS (
      SELECT p.id, p.case_number, p.date_of_birth,
        coalesce((SELECT max(i.end_date) FROM involvements i WHERE i.person_id = p.id),
                 (p.created_at AT TIME ZONE 'Europe/London')::date) AS closed_on
      FROM people p
      WHERE p.authority_id = ${authorityId} AND (${only}::uuid IS NULL OR p.id = ${only}::uuid)
        AND NOT EXISTS (SELECT 1 FROM involvements i WHERE i.person_id = p.id AND i.end_date IS NULL)
        AND NOT EXISTS (SELECT 1 FROM person_statuses s WHERE s.person_id = p.id AND s.end_date IS NULL)
        AND NOT EXISTS (SELECT 1 FROM protocol_instances x WHERE x.person_id = p.id AND x.status = 'open')
    ), dated AS (
      SELECT c.*, greatest((c.closed_on + make_interval(years => ${schedule.years}))::date,
        CASE WHEN ${schedule.minimumAge}::int IS NULL THEN NULL
             ELSE (c.date_of_birth + make_interval(years => ${schedule.minimumAge}::int))::date END) AS due_on
      FROM closed c
    )
    SELECT d.id AS person_id, d.case_number, d.closed_on::text AS closed_on, d.due_on::text AS due_on,
      EXISTS (SELECT 1 FROM legal_holds h WHERE h.person_id = d.id AND h.released_at IS NULL) AS held
    FROM dated d
    WHERE d.due_on <= ${today}::date
    ORDER BY d.due_on, d.case_number`.execute(db);
  return r.rows;
}

/** Notifications read or resolved more than `years` ago, except those about a held record. */
export async function dueNotifications(db: Executor, authorityId: string, years: number, today: string) {
  const r = await sql<{ id: string }>`
    SELECT n.id FROM notifications n
    WHERE n.authority_id = ${authorityId}
      AND coalesce(n.read_at, n.resolved_at) IS NOT NULL
      AND (coalesce(n.read_at, n.resolved_at) AT TIME ZONE 'Europe/London')::date
          < (${today}::date - make_interval(years => ${years}))::date
      AND NOT EXISTS (
        SELECT 1 FROM legal_holds h WHERE h.authority_id = n.authority_id AND h.released_at IS NULL
          AND (n.link LIKE '%' || h.person_id::text || '%'
            OR n.subject_id IN (SELECT s.id FROM protocol_steps s WHERE s.person_id = h.person_id)))`.execute(db);
  return r.rows.map((x) => x.id);
}

export async function deleteNotifications(db: Executor, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db.deleteFrom('notifications').where('id', 'in', ids).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// ---- the purge of one record

/** Every table of the app's schema with a person_id column (a new table is found without a change here). */
/** A table with a person_id column, and whether it also has a uuid id (links elsewhere may point at its rows). */
export interface PersonTable {
  table: string;
  hasId: boolean;
}

/** Every table of the app's schema with a person_id column: read once per retention run, from the catalogue. */
export async function personTables(db: Executor): Promise<PersonTable[]> {
  const r = await sql<{ table: string; has_id: boolean }>`
    SELECT cl.relname AS table,
      EXISTS (SELECT 1 FROM pg_attribute i WHERE i.attrelid = cl.oid AND i.attname = 'id'
        AND i.atttypid = 'uuid'::regtype AND NOT i.attisdropped) AS has_id
    FROM pg_class cl
    JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = 'public'
    JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attname = 'person_id' AND NOT a.attisdropped
    WHERE cl.relkind IN ('r', 'p')
    ORDER BY 1`.execute(db);
  return r.rows.map((x) => ({ table: x.table, hasId: x.has_id }));
}

/** The person, locked for the purge, and whether a hold is open on them. */
export async function lockPerson(db: Executor, personId: string) {
  const p = await db
    .selectFrom('people')
    .where('id', '=', personId)
    .select(['id', 'authority_id'])
    .forUpdate()
    .executeTakeFirst();
  if (!p) return undefined;
  return { ...p, held: (await openHoldOf(db, personId)) !== undefined };
}

/** The ids of the rows about the person in every table that has an id and a person_id (links point at them). */
export async function idsAbout(db: Executor, tables: PersonTable[], personId: string): Promise<string[]> {
  const ids: string[] = [personId];
  for (const { table, hasId } of tables) {
    if ((KEPT_LOGS as readonly string[]).includes(table) || table === 'events' || !hasId) continue;
    const r = await sql<{
      id: string;
    }>`SELECT id::text AS id FROM ${sql.table(table)} WHERE person_id = ${personId}`.execute(db);
    for (const row of r.rows) ids.push(row.id);
  }
  return ids;
}

/** The documents whose bytes are kept as files (deleted after the purge commits). */
export function storedFiles(db: Executor, personId: string) {
  return db
    .selectFrom('documents')
    .where('person_id', '=', personId)
    .where('storage', '=', 'directory')
    .select('id')
    .execute();
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * Deletes the person and everything about them: what points at their rows without a cascade first (messages and
 * timers that link to them, another council's transfer pointing at this copy, advice that holds a document), then
 * the person, whose foreign keys cascade to the rest, then the emails their notices were sent by. Returns the rows
 * deleted per table (for the audit row: counts only).
 */
export async function purgePerson(
  db: Executor,
  personId: string,
  ids: string[],
  withPersonId: PersonTable[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const count = (t: string, n: number | bigint | undefined) => {
    if (n) counts[t] = (counts[t] ?? 0) + Number(n);
  };
  const mentions = (column: string) =>
    sql`EXISTS (SELECT 1 FROM regexp_matches(lower(${sql.ref(column)}), ${UUID}, 'g') m WHERE m[1] = ANY(${ids}::text[]))`;
  const notices = await sql<{ outbox_id: string }>`
    SELECT outbox_id FROM ehcp_delay_notices WHERE person_id = ${personId} AND outbox_id IS NOT NULL
    UNION SELECT n.outbox_id FROM transfer_notices n JOIN transfers t ON t.id = n.transfer_id
      WHERE t.person_id = ${personId} AND n.outbox_id IS NOT NULL`.execute(db);
  const outboxIds = notices.rows.map((r) => r.outbox_id);

  count(
    'deadlines',
    (await sql`DELETE FROM deadlines WHERE subject_id::text = ANY(${ids}::text[])`.execute(db)).numAffectedRows,
  );
  count(
    'notifications',
    (
      await sql`DELETE FROM notifications WHERE subject_id::text = ANY(${ids}::text[]) OR ${mentions('link')}`.execute(
        db,
      )
    ).numAffectedRows,
  );
  count('alerts', (await sql`DELETE FROM alerts WHERE ${mentions('link')}`.execute(db)).numAffectedRows);
  count(
    'transfers (link to this copy)',
    (await sql`UPDATE transfers SET to_person_id = NULL WHERE to_person_id = ${personId}`.execute(db)).numAffectedRows,
  );
  count(
    'ehcp_advice_submissions',
    (await sql`DELETE FROM ehcp_advice_submissions WHERE person_id = ${personId}`.execute(db)).numAffectedRows,
  );
  count(
    'legal_holds',
    (await sql`DELETE FROM legal_holds WHERE person_id = ${personId} AND released_at IS NOT NULL`.execute(db))
      .numAffectedRows,
  );
  const tables = withPersonId.map((t) => t.table).filter((t) => !(KEPT_LOGS as readonly string[]).includes(t));
  for (const t of tables) {
    if (t === 'legal_holds') continue;
    const r = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM ${sql.table(t)} WHERE person_id = ${personId}`.execute(db);
    count(t, r.rows[0]?.n);
  }
  count('people', (await sql`DELETE FROM people WHERE id = ${personId}`.execute(db)).numAffectedRows);
  // A table that names the person without a foreign key (none today) is cleared too; one with a key that does not
  // cascade has already refused the delete above, so the record is kept and the run says so.
  for (const t of tables) {
    await sql`DELETE FROM ${sql.table(t)} WHERE person_id = ${personId}`.execute(db);
  }
  count(
    'outbox',
    (
      await sql`DELETE FROM outbox WHERE id::text = ANY(${outboxIds}::text[]) OR ${mentions('body')} OR ${mentions('subject')}`.execute(
        db,
      )
    ).numAffectedRows,
  );
  return counts;
}

export function authorities(db: Db) {
  return db.selectFrom('authorities').select(['id', 'code']).orderBy('code').execute();
}

export async function allSchedules(db: Executor, authorityId: string) {
  return db
    .selectFrom('retention_schedules')
    .where('authority_id', '=', authorityId)
    .select(['record_type', 'years', 'minimum_age'])
    .execute();
}
