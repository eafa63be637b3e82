import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { NewPerson } from '../../db/schema.ts';

export async function findPerson(db: Executor, authorityId: string, id: string) {
  return db
    .selectFrom('people as p')
    .leftJoin('localities as l', 'l.id', 'p.locality_id')
    .where('p.id', '=', id)
    .where('p.authority_id', '=', authorityId)
    .selectAll('p')
    .select('l.name as locality_name')
    .executeTakeFirst();
}

export async function statusesOf(db: Executor, personId: string) {
  return db
    .selectFrom('person_statuses')
    .where('person_id', '=', personId)
    .orderBy('end_date', (ob) => ob.desc().nullsFirst())
    .orderBy('start_date', 'desc')
    .select(['id', 'status', 'start_date', 'end_date', 'end_reason'])
    .execute();
}

export async function contactsOf(db: Executor, personId: string) {
  return db
    .selectFrom('contacts')
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .select(['id', 'name', 'relationship', 'phone', 'email', 'address', 'parental_responsibility'])
    .execute();
}

export async function involvementsOf(db: Executor, personId: string) {
  return db
    .selectFrom('involvements as i')
    .innerJoin('teams as t', 't.id', 'i.team_id')
    .innerJoin('services as s', 's.id', 't.service_id')
    .leftJoin('users as w', 'w.id', 'i.worker_id')
    .where('i.person_id', '=', personId)
    .orderBy('i.end_date', (ob) => ob.desc().nullsFirst())
    .orderBy('i.start_date', 'desc')
    .select([
      'i.id',
      'i.team_id',
      'i.worker_id',
      'i.reason',
      'i.start_date',
      'i.end_date',
      'i.version',
      't.name as team_name',
      's.name as service_name',
      's.kind as service_kind',
      'w.display_name as worker_name',
      'w.email as worker_email',
      'w.phone as worker_phone',
    ])
    .execute();
}

export async function eventsOf(db: Executor, personId: string, limit: number) {
  return db
    .selectFrom('events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .where('e.person_id', '=', personId)
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .select(['e.id', 'e.at', 'e.kind', 'e.title', 'e.detail', 'u.display_name as actor_name'])
    .execute();
}

export async function insertPerson(db: Executor, row: NewPerson) {
  return db.insertInto('people').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function nextCaseNumber(db: Executor, authorityId: string): Promise<string> {
  // Advisory lock per authority: two people created at once never get the same number.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`case-number:${authorityId}`}))`.execute(db);
  const row = await db
    .selectFrom('people')
    .where('authority_id', '=', authorityId)
    .where('case_number', '~', '^HO[0-9]+$')
    .select(sql<number>`coalesce(max(substring(case_number from 3)::int), 100000)`.as('max'))
    .executeTakeFirstOrThrow();
  return `HO${Number(row.max) + 1}`;
}

export async function identifierTaken(
  db: Executor,
  authorityId: string,
  field: 'nhs_number' | 'upn',
  value: string,
  exceptId?: string,
) {
  let q = db.selectFrom('people').where('authority_id', '=', authorityId).where(field, '=', value);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return Boolean(await q.select('id').executeTakeFirst());
}

export async function insertEvent(
  db: Executor,
  e: {
    authority_id: string;
    person_id: string;
    kind: string;
    title: string;
    detail?: string | null;
    actor_id: string | null;
  },
) {
  await db
    .insertInto('events')
    .values({ ...e, detail: e.detail ?? null })
    .execute();
}

type Row<T extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<T>>;

/**
 * The record's columns over `people p LEFT JOIN localities l`: the person and each of its lists as one JSON value
 * (one row whatever the record holds). Shared by readRecordLogged and the record page's one statement (record-read.ts).
 */
export function recordColumns(events: unknown, offset: unknown) {
  return sql`
      to_jsonb(p) || jsonb_build_object('locality_name', l.name) AS person,
      (SELECT coalesce(jsonb_agg(x ORDER BY x.end_date DESC NULLS FIRST, x.start_date DESC), '[]')
         FROM (SELECT id, status, start_date, end_date, end_reason FROM person_statuses WHERE person_id = p.id) x) AS statuses,
      (SELECT coalesce(jsonb_agg(x ORDER BY x.created_at), '[]')
         FROM (SELECT id, name, relationship, phone, email, address, parental_responsibility, created_at FROM contacts WHERE person_id = p.id) x) AS contacts,
      (SELECT coalesce(jsonb_agg(x ORDER BY x.end_date DESC NULLS FIRST, x.start_date DESC), '[]')
         FROM (SELECT i.id, i.team_id, i.worker_id, i.reason, i.start_date, i.end_date, i.version,
                      t.name AS team_name, s.name AS service_name, s.kind AS service_kind,
                      w.display_name AS worker_name, w.email AS worker_email, w.phone AS worker_phone
                 FROM involvements i JOIN teams t ON t.id = i.team_id JOIN services s ON s.id = t.service_id
                 LEFT JOIN users w ON w.id = i.worker_id WHERE i.person_id = p.id) x) AS involvements,
      (SELECT coalesce(jsonb_agg(x ORDER BY x.at DESC, x.id DESC), '[]')
         FROM (SELECT e.id, e.at, e.kind, e.title, e.detail, u.display_name AS actor_name
                 FROM events e LEFT JOIN users u ON u.id = e.actor_id
                WHERE e.person_id = p.id ORDER BY e.at DESC, e.id DESC
                LIMIT ${events} OFFSET ${offset}) x) AS events,
      (SELECT count(*) FROM events e WHERE e.person_id = p.id) AS event_count`;
}

/** The JSON row recordColumns reads, as the pg driver hands it back. */
export interface RecordRow {
  person: Record<string, unknown>;
  statuses: Row<typeof statusesOf>;
  contacts: Row<typeof contactsOf>;
  involvements: Row<typeof involvementsOf>;
  events: (Omit<Row<typeof eventsOf>[number], 'at'> & { at: string })[];
  event_count: string;
}

/** A row of recordColumns as the service takes it: the person typed, the timeline's times as dates. */
export function recordFromRow(row: RecordRow) {
  return {
    person: row.person as Row<typeof findPerson> & object,
    statuses: row.statuses,
    contacts: row.contacts,
    involvements: row.involvements,
    events: row.events.map((e) => ({ ...e, at: new Date(e.at) })),
    eventCount: Number(row.event_count),
  };
}

/**
 * The whole record and its access-log row in ONE statement (a data-modifying CTE): atomic like a transaction,
 * one round trip instead of eight. Returns undefined when the person is not in the authority (nothing logged).
 */
export async function readRecordLogged(
  db: Executor,
  a: {
    authorityId: string;
    personId: string;
    userId: string;
    channel: string;
    purpose: string;
    breakGlassId: string | null;
    events: number;
    /** Timeline events to skip (a later page of the timeline), newest first. */
    eventsOffset?: number;
  },
) {
  const res = await sql<RecordRow>`
    WITH logged AS (
      INSERT INTO access_log (authority_id, person_id, user_id, channel, purpose, break_glass_id)
      SELECT p.authority_id, p.id, ${a.userId}, ${a.channel}, ${a.purpose}, ${a.breakGlassId}
      FROM people p WHERE p.id = ${a.personId} AND p.authority_id = ${a.authorityId}
      RETURNING 1
    )
    SELECT ${recordColumns(a.events, a.eventsOffset ?? 0)},
      (SELECT count(*) FROM logged) AS logged
    FROM people p LEFT JOIN localities l ON l.id = p.locality_id
    WHERE p.id = ${a.personId} AND p.authority_id = ${a.authorityId}`.execute(db);
  const row = res.rows[0];
  return row ? recordFromRow(row) : undefined;
}

/** Whether the record has an open (not ended) status of this kind, or involvement of this team. */
export async function hasOpen(
  db: Executor,
  personId: string,
  what: { table: 'person_statuses'; status: string } | { table: 'involvements'; team_id: string },
): Promise<boolean> {
  const [column, value] = what.table === 'involvements' ? ['team_id', what.team_id] : ['status', what.status];
  const { rows } = await sql`SELECT 1 FROM ${sql.table(what.table)}
    WHERE person_id = ${personId} AND end_date IS NULL AND ${sql.ref(column)} = ${value} LIMIT 1`.execute(db);
  return rows.length > 0;
}
