// The SQL of the CSV import: set-based, a chunk of rows per statement (arrays unnested), inside the file's one
// transaction. A row is matched by (authority, source_id): new rows are inserted (ON CONFLICT on the unique index,
// not an anti-join against the table being written, which planned as a scan per row), changed rows updated, unchanged
// rows left alone, so a re-run of the same file writes nothing. Each created or changed row gets its timeline line
// (people) and its audit row, the audit rows chained in bulk by audit_append_bulk (migration 2026_12_06_0300).
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { InvolvementRowT, PersonRowT, StatusRowT, TeamRowT } from './layouts.ts';

export interface Written {
  created: number;
  updated: number;
}
/** A problem found in the database: the row (its line number in the file), the column, and the fix. */
export interface RowProblem {
  line: number;
  field: string;
  message: string;
}

type Lined<T> = T & { line: number };
const col = <T, K extends keyof T>(rows: T[], k: K) => rows.map((r) => (r[k] ?? null) as T[K] | null);

/** What a write run records for each row it creates or changes: an audit row, and a timeline line when titled. */
interface Recorded {
  action: 'create' | 'update';
  entity: string;
  /** The file's kind, in each audit row's detail. */
  kind: string;
  /** The person's timeline line; none for rows that are no person's (teams) or changes that need none. */
  timeline?: string;
}

/**
 * One write run: `write` (an INSERT or UPDATE returning `id` and `person_id`) and, in the same statement, a timeline
 * line per row and the rows' audit entries chained in one audit_append_bulk call: one round trip, the ids never
 * leaving the database. Returns how many rows were written.
 */
async function run(tx: Executor, authorityId: string, write: RawBuilder<unknown>, r: Recorded): Promise<number> {
  const timeline = r.timeline
    ? sql`, line AS (INSERT INTO events (authority_id, person_id, kind, title, actor_id)
        SELECT ${authorityId}::uuid, w.person_id, 'import', ${r.timeline}, NULL FROM w)`
    : sql``;
  const res = await sql<{ n: string }>`WITH w AS (${write})${timeline}
    SELECT audit_append_bulk(${authorityId}::uuid, NULL, ${r.action}, ${r.entity}, array_agg(w.id::text),
      array_agg(w.person_id), array_fill(${JSON.stringify({ import: r.kind })}::jsonb, ARRAY[count(*)::int])) AS n
    FROM w`.execute(tx);
  return Number(res.rows[0]?.n ?? 0);
}

/** The changed rows' run, then the new rows' run. */
async function runs(
  tx: Executor,
  authorityId: string,
  update: RawBuilder<unknown> | null,
  insert: RawBuilder<unknown> | null,
  r: { entity: string; kind: string; created?: string; updated?: string },
): Promise<Written> {
  const at = { entity: r.entity, kind: r.kind };
  const updated = update ? await run(tx, authorityId, update, { ...at, action: 'update', timeline: r.updated }) : 0;
  const created = insert ? await run(tx, authorityId, insert, { ...at, action: 'create', timeline: r.created }) : 0;
  return { created, updated };
}

// ---- people ----

export async function checkPeople(tx: Executor, authorityId: string, rows: Lined<PersonRowT>[]): Promise<RowProblem[]> {
  // Two joins on the unique indexes (people_nhs_idx, people_upn_idx), not a scan of the council's people per row.
  const src = sql`unnest(${col(rows, 'line')}::int[], ${col(rows, 'source_id')}::text[], ${col(rows, 'nhs_number')}::text[],
    ${col(rows, 'upn')}::text[]) AS s(line, source_id, nhs, upn)`;
  const res = await sql<{ line: number; field: string }>`
    SELECT s.line, 'nhs_number' AS field FROM ${src}
    JOIN people p ON p.authority_id = ${authorityId} AND p.nhs_number = s.nhs AND p.source_id IS DISTINCT FROM s.source_id
    UNION ALL
    SELECT s.line, 'upn' FROM ${src}
    JOIN people p ON p.authority_id = ${authorityId} AND p.upn = s.upn AND p.source_id IS DISTINCT FROM s.source_id`.execute(
    tx,
  );
  return res.rows.map((r) => ({
    line: r.line,
    field: r.field,
    message: `Another record in Handover already has this ${r.field === 'upn' ? 'UPN' : 'NHS number'}: correct it, or give that record's source_id`,
  }));
}

const PERSON_COLUMNS = [
  'source_id',
  'given_name',
  'family_name',
  'preferred_name',
  'date_of_birth',
  'gender',
  'nhs_number',
  'upn',
  'address',
  'postcode',
  'school',
] as const;

/** The rows as one unnest: an array per column, parsed once by the statement that reads them. */
function personSource(rows: Lined<PersonRowT>[]) {
  const arrays = PERSON_COLUMNS.map((c) => sql`${col(rows, c)}::${sql.raw(c === 'date_of_birth' ? 'date' : 'text')}[]`);
  return sql`unnest(${sql.join(arrays)}) AS s(${sql.raw(PERSON_COLUMNS.join(', '))})`;
}

export async function writePeople(tx: Executor, authorityId: string, rows: Lined<PersonRowT>[]): Promise<Written> {
  // Which rows the council already has (by source_id, on people_source_idx): those are updated when changed, the
  // others inserted, so each row's values go to one statement only.
  // A join, not `= ANY(array)`: the plan of the prepared statement must not scan the council's people per row.
  const known = await sql<{ source_id: string }>`SELECT p.source_id
    FROM unnest(${col(rows, 'source_id')}::text[]) AS s(source_id)
    JOIN people p ON p.authority_id = ${authorityId} AND p.source_id = s.source_id`.execute(tx);
  const have = new Set(known.rows.map((r) => r.source_id));
  const old = rows.filter((r) => have.has(r.source_id));
  const fresh = have.size ? rows.filter((r) => !have.has(r.source_id)) : rows;
  const update = old.length
    ? sql`UPDATE people p SET given_name = s.given_name, family_name = s.family_name, preferred_name = s.preferred_name,
      date_of_birth = s.date_of_birth, gender = s.gender, nhs_number = s.nhs_number, upn = s.upn,
      upn_unknown = CASE WHEN s.upn IS NULL THEN p.upn_unknown END,
      address = s.address, postcode = s.postcode, school = s.school, version = p.version + 1, updated_at = now()
    FROM ${personSource(old)}
    WHERE p.authority_id = ${authorityId} AND p.source_id = s.source_id
      AND (p.given_name, p.family_name, p.preferred_name, p.date_of_birth, p.gender, p.nhs_number, p.upn, p.address,
           p.postcode, p.school)
      IS DISTINCT FROM (s.given_name, s.family_name, s.preferred_name, s.date_of_birth, s.gender, s.nhs_number, s.upn,
           s.address, s.postcode, s.school)
    RETURNING p.id, p.id AS person_id`
    : null;
  // Case numbers continue the council's HO sequence, under the same lock as a record made on the page. The last
  // number is read once, not joined into the INSERT: as a prepared statement's generic plan that join was
  // rescanned for every row.
  let base = 0;
  if (fresh.length) {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`case-number:${authorityId}`}))`.execute(tx);
    const last = await sql<{ n: number }>`SELECT coalesce(max(substring(case_number from 3)::int), 100000) AS n
      FROM people WHERE authority_id = ${authorityId} AND case_number ~ '^HO[0-9]+$'`.execute(tx);
    base = Number(last.rows[0]?.n);
  }
  // ON CONFLICT: a row another import has just made is left alone, as on a re-run.
  const insert = fresh.length
    ? sql`INSERT INTO people (authority_id, case_number, ${sql.raw(PERSON_COLUMNS.join(', '))})
    SELECT ${authorityId}, 'HO' || (${base}::int + row_number() OVER ()), s.*
    FROM ${personSource(fresh)}
    ON CONFLICT (authority_id, source_id) WHERE source_id IS NOT NULL DO NOTHING
    RETURNING id, id AS person_id`
    : null;
  return runs(tx, authorityId, update, insert, {
    entity: 'person',
    kind: 'people',
    created: 'Record imported',
    updated: 'Details updated by an import',
  });
}

// ---- teams ----

export async function checkTeams(tx: Executor, authorityId: string, rows: Lined<TeamRowT>[]): Promise<RowProblem[]> {
  const res = await sql<{ line: number; field: string }>`
    SELECT s.line, 'service' AS field FROM unnest(${col(rows, 'line')}::int[], ${col(rows, 'service')}::text[]) s(line, service)
    WHERE NOT EXISTS (SELECT 1 FROM services v WHERE v.authority_id = ${authorityId} AND lower(v.name) = lower(s.service))
    UNION ALL
    SELECT s.line, 'name' FROM unnest(${col(rows, 'line')}::int[], ${col(rows, 'name')}::text[], ${col(rows, 'source_id')}::text[]) s(line, name, source_id)
    WHERE EXISTS (SELECT 1 FROM teams t WHERE t.authority_id = ${authorityId} AND t.name = s.name
      AND t.source_id IS DISTINCT FROM s.source_id)`.execute(tx);
  return res.rows.map((r) => ({
    line: r.line,
    field: r.field,
    message:
      r.field === 'service'
        ? 'No service has this name: use the name of a service on the Set up pages'
        : 'Another team already has this name: give that team’s source_id, or another name',
  }));
}

export async function writeTeams(tx: Executor, authorityId: string, rows: Lined<TeamRowT>[]): Promise<Written> {
  const src = sql`(SELECT s.source_id, s.name, v.id AS service_id, coalesce(s.min_age, 0) AS min_age,
      coalesce(s.max_age, 25) AS max_age
    FROM unnest(${col(rows, 'source_id')}::text[], ${col(rows, 'name')}::text[], ${col(rows, 'service')}::text[],
      ${col(rows, 'min_age')}::int[], ${col(rows, 'max_age')}::int[]) AS s(source_id, name, service, min_age, max_age)
    JOIN services v ON v.authority_id = ${authorityId} AND lower(v.name) = lower(s.service)) s`;
  return runs(
    tx,
    authorityId,
    sql`UPDATE teams t SET name = s.name, service_id = s.service_id, remit_min_age = s.min_age, remit_max_age = s.max_age
    FROM ${src}
    WHERE t.authority_id = ${authorityId} AND t.source_id = s.source_id
      AND (t.name, t.service_id, t.remit_min_age, t.remit_max_age) IS DISTINCT FROM (s.name, s.service_id, s.min_age, s.max_age)
    RETURNING t.id, NULL::uuid AS person_id`,
    sql`INSERT INTO teams (authority_id, source_id, name, service_id, remit_min_age, remit_max_age)
    SELECT ${authorityId}, s.source_id, s.name, s.service_id, s.min_age, s.max_age FROM ${src}
    ON CONFLICT (authority_id, source_id) WHERE source_id IS NOT NULL DO NOTHING
    RETURNING id, NULL::uuid AS person_id`,
    { entity: 'team', kind: 'teams' },
  );
}

// ---- involvements ----

const involvementSrc = (authorityId: string, rows: Lined<InvolvementRowT>[]) => sql`(SELECT s.line, s.source_id,
      p.id AS person_id, t.id AS team_id, w.id AS worker_id, s.reason, s.start_date, s.end_date, s.worker_email
    FROM unnest(${col(rows, 'line')}::int[], ${col(rows, 'source_id')}::text[], ${col(rows, 'person_source_id')}::text[],
      ${col(rows, 'team')}::text[], ${col(rows, 'worker_email')}::text[], ${col(rows, 'reason')}::text[],
      ${col(rows, 'start_date')}::date[], ${col(rows, 'end_date')}::date[])
      AS s(line, source_id, person_source_id, team, worker_email, reason, start_date, end_date)
    LEFT JOIN people p ON p.authority_id = ${authorityId} AND p.source_id = s.person_source_id
    LEFT JOIN LATERAL (SELECT id FROM teams t WHERE t.authority_id = ${authorityId}
      AND (t.source_id = s.team OR t.name = s.team) ORDER BY (t.source_id = s.team) DESC NULLS LAST LIMIT 1) t ON true
    LEFT JOIN users w ON w.authority_id = ${authorityId} AND w.email = s.worker_email AND w.active
      AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND m.user_id = w.id)) s`;

export async function checkInvolvements(
  tx: Executor,
  authorityId: string,
  rows: Lined<InvolvementRowT>[],
): Promise<RowProblem[]> {
  const res = await sql<{ line: number; person_id: string | null; team_id: string | null; bad_worker: boolean }>`
    SELECT s.line, s.person_id, s.team_id, (s.worker_email IS NOT NULL AND s.worker_id IS NULL) AS bad_worker
    FROM ${involvementSrc(authorityId, rows)}
    WHERE s.person_id IS NULL OR s.team_id IS NULL OR (s.worker_email IS NOT NULL AND s.worker_id IS NULL)`.execute(tx);
  return res.rows.flatMap((r) => [
    ...(r.person_id
      ? []
      : [
          {
            line: r.line,
            field: 'person_source_id',
            message: 'No imported person has this source_id: import the people file first',
          },
        ]),
    ...(r.team_id
      ? []
      : [
          {
            line: r.line,
            field: 'team',
            message: 'No team has this source_id or name: import the teams file first, or set the team up',
          },
        ]),
    ...(r.team_id && r.bad_worker
      ? [
          {
            line: r.line,
            field: 'worker_email',
            message: 'No active member of that team has this email: add them to the team first, or leave it empty',
          },
        ]
      : []),
  ]);
}

export async function writeInvolvements(
  tx: Executor,
  authorityId: string,
  rows: Lined<InvolvementRowT>[],
): Promise<Written> {
  const src = involvementSrc(authorityId, rows);
  return runs(
    tx,
    authorityId,
    sql`UPDATE involvements i SET person_id = s.person_id, team_id = s.team_id, worker_id = s.worker_id, reason = s.reason,
      start_date = s.start_date, end_date = s.end_date, version = i.version + 1
    FROM ${src}
    WHERE i.authority_id = ${authorityId} AND i.source_id = s.source_id
      AND (i.person_id, i.team_id, i.worker_id, i.reason, i.start_date, i.end_date)
      IS DISTINCT FROM (s.person_id, s.team_id, s.worker_id, s.reason, s.start_date, s.end_date)
    RETURNING i.id, i.person_id`,
    sql`INSERT INTO involvements (authority_id, source_id, person_id, team_id, worker_id, reason, start_date, end_date)
    SELECT ${authorityId}, s.source_id, s.person_id, s.team_id, s.worker_id, s.reason, s.start_date, s.end_date FROM ${src}
    ON CONFLICT (authority_id, source_id) WHERE source_id IS NOT NULL DO NOTHING
    RETURNING id, person_id`,
    { entity: 'involvement', kind: 'involvements', created: 'Team involvement imported' },
  );
}

// ---- statuses ----

const statusSrc = (
  authorityId: string,
  rows: Lined<StatusRowT>[],
) => sql`(SELECT s.line, s.source_id, p.id AS person_id,
      s.status, s.start_date, s.end_date, s.end_reason
    FROM unnest(${col(rows, 'line')}::int[], ${col(rows, 'source_id')}::text[], ${col(rows, 'person_source_id')}::text[],
      ${col(rows, 'status')}::text[], ${col(rows, 'start_date')}::date[], ${col(rows, 'end_date')}::date[],
      ${col(rows, 'end_reason')}::text[]) AS s(line, source_id, person_source_id, status, start_date, end_date, end_reason)
    LEFT JOIN people p ON p.authority_id = ${authorityId} AND p.source_id = s.person_source_id) s`;

export async function checkStatuses(
  tx: Executor,
  authorityId: string,
  rows: Lined<StatusRowT>[],
): Promise<RowProblem[]> {
  const res = await sql<{
    line: number;
  }>`SELECT s.line FROM ${statusSrc(authorityId, rows)} WHERE s.person_id IS NULL`.execute(tx);
  return res.rows.map((r) => ({
    line: r.line,
    field: 'person_source_id',
    message: 'No imported person has this source_id: import the people file first',
  }));
}

export async function writeStatuses(tx: Executor, authorityId: string, rows: Lined<StatusRowT>[]): Promise<Written> {
  const src = statusSrc(authorityId, rows);
  return runs(
    tx,
    authorityId,
    sql`UPDATE person_statuses x SET person_id = s.person_id, status = s.status, start_date = s.start_date,
      end_date = s.end_date, end_reason = s.end_reason
    FROM ${src}
    WHERE x.authority_id = ${authorityId} AND x.source_id = s.source_id
      AND (x.person_id, x.status, x.start_date, x.end_date, x.end_reason)
      IS DISTINCT FROM (s.person_id, s.status, s.start_date, s.end_date, s.end_reason)
    RETURNING x.id, x.person_id`,
    sql`INSERT INTO person_statuses (authority_id, source_id, person_id, status, start_date, end_date, end_reason)
    SELECT ${authorityId}, s.source_id, s.person_id, s.status, s.start_date, s.end_date, s.end_reason FROM ${src}
    ON CONFLICT (authority_id, source_id) WHERE source_id IS NOT NULL DO NOTHING
    RETURNING id, person_id`,
    { entity: 'person_status', kind: 'statuses', created: 'Status imported' },
  );
}
