// The radar's SQL, and nothing else. Each list is a rule (ListSql: person ids with the list's date and a short
// reason), counted whole (`countOf`) and read by name only for the people the viewer's relationships open, a page at
// a time (`namedPage`).
import { expressionBuilder, type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Database, PersonTable } from '../../db/schema.ts';
import { relatedPeople, type Viewer } from '../access/repository.ts';

export interface Area {
  service: string | null;
  team: string | null;
  locality: string | null;
  hub: string | null;
}

export interface ListRow {
  person_id: string;
  on: string | null;
  detail: string;
}

/**
 * One list's rule as the parts of a statement over people `p` (and the list's own tables), so the same rule gives
 * its count (`countOf`, for everyone on the list) and a page of the rows the viewer may see by name (`namedPage`).
 * `select` gives person_id, on and detail; `order` is the list's order of rows.
 */
export interface ListSql {
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>;
  select: RawBuilder<unknown>;
  order: RawBuilder<unknown>;
}

/** The area filters as conditions on the young person `pid` (and people `p` for a locality). */
function inArea(a: Area, involved: boolean, pid: RawBuilder<unknown> = sql`p.id`): RawBuilder<unknown> {
  const team: RawBuilder<unknown>[] = [];
  if (a.team) team.push(sql`t.id = ${a.team}`);
  if (a.service) team.push(sql`t.service_id = ${a.service}`);
  if (a.hub) team.push(sql`t.hub_id = ${a.hub}`);
  const parts: RawBuilder<unknown>[] = [];
  // Without a team condition, "known to a service now" needs no team: one probe of the open involvements' index.
  if (team.length > 0)
    parts.push(sql`EXISTS (SELECT 1 FROM involvements i JOIN teams t ON t.id = i.team_id
      WHERE i.person_id = ${pid} AND i.end_date IS NULL AND ${sql.join(team, sql` AND `)})`);
  else if (involved)
    parts.push(sql`EXISTS (SELECT 1 FROM involvements i WHERE i.person_id = ${pid} AND i.end_date IS NULL)`);
  // A locality is the person's own or that of a team working with them now.
  if (a.locality)
    parts.push(sql`(p.locality_id = ${a.locality} OR EXISTS (SELECT 1 FROM involvements i JOIN teams t ON t.id = i.team_id
      WHERE i.person_id = ${pid} AND i.end_date IS NULL AND t.locality_id = ${a.locality}))`);
  return parts.length ? sql.join(parts, sql` AND `) : sql`true`;
}

const iso = (col: RawBuilder<unknown>) => sql`to_char(${col}, 'YYYY-MM-DD')`;

/** The 18th birthday of people `p`. */
export const EIGHTEENTH = sql`(p.date_of_birth + interval '18 years')::date`;

/** Turning 18 on a birthday in (today, horizon]: born after `bornAfter` and on or before `bornBy`. */
export function turning18(authorityId: string, bornAfter: string, bornBy: string, a: Area): ListSql {
  return {
    select: sql`p.id AS person_id, ${iso(EIGHTEENTH)} AS on,
      CASE WHEN pl.id IS NULL THEN 'No person-led plan'
        ELSE concat_ws('; ',
          CASE WHEN NOT pl.pathway_agreed THEN 'Pathway not agreed' END,
          CASE WHEN NOT pl.provision_in_place THEN 'Provision not in place' END) END AS detail`,
    from: sql`people p LEFT JOIN plans pl ON pl.person_id = p.id`,
    where: sql`p.authority_id = ${authorityId} AND p.date_of_birth > ${bornAfter} AND p.date_of_birth <= ${bornBy}
      AND (pl.id IS NULL OR NOT pl.pathway_agreed OR NOT pl.provision_in_place)
      AND ${inArea(a, true)}`,
    order: sql`p.date_of_birth, p.id`,
  };
}

/** The first day of a young person's Year 9: 1 September, 14 years after the start of their birth's school year. */
const YEAR9_START = sql`make_date(extract(year FROM p.date_of_birth - interval '8 months')::int + 14, 9, 1)`;

/**
 * Final plans of young people in Year 9 or above (born on or before `year9BornBy`) whose latest review meeting held
 * since the start of Year 9 lacks preparing for adulthood, or with none held although 12 months have passed since.
 */
export function pfaMissing(authorityId: string, year9BornBy: string, yearAgo: string, a: Area): ListSql {
  // Each plan's latest meeting held since the start of Year 9, looked up per plan through an index on the reviews
  // (ehc_reviews_person). One DISTINCT ON pass over all the council's reviews replaced an earlier per-plan look-up
  // (6.5 s over 10,000 plans, before the reviews had these indexes), but over 500,000 people that pass reads every
  // person to date each review: 770 ms, against 520 ms for this (EXPLAIN ANALYZE on bench/national-db.ts, same rows).
  return {
    select: sql`p.id AS person_id, ${iso(sql`rv.meeting_held_date`)} AS on,
      CASE WHEN rv.id IS NULL THEN 'No review held since the start of Year 9'
        ELSE 'Latest review has no preparing for adulthood' END AS detail`,
    from: sql`ehc_plans e
      JOIN people p ON p.id = e.person_id
      LEFT JOIN LATERAL (
        SELECT r.id, r.meeting_held_date, r.pfa FROM ehc_reviews r
        WHERE r.plan_id = e.id AND r.authority_id = ${authorityId} AND r.person_id = p.id
          AND r.meeting_held_date >= ${YEAR9_START}
        ORDER BY r.meeting_held_date DESC, r.created_at DESC LIMIT 1) rv ON true`,
    where: sql`e.authority_id = ${authorityId} AND e.status = 'final' AND p.date_of_birth <= ${year9BornBy}
      AND (CASE WHEN rv.id IS NULL THEN ${YEAR9_START} <= ${yearAgo}::date
        ELSE btrim(coalesce(rv.pfa, '')) = '' END)
      AND ${inArea(a, false)}`,
    order: sql`rv.meeting_held_date NULLS FIRST, p.date_of_birth, p.id`,
  };
}

/**
 * Final plans whose review due date is before today (s.44). Counted without the people table when no locality is
 * asked for (`person` false): the plan holds the person's id, and that saves a probe of people per plan.
 */
export function reviewOverdue(authorityId: string, today: string, a: Area, person = true): ListSql {
  const withPerson = person || a.locality !== null;
  return {
    select: sql`e.person_id AS person_id, ${iso(sql`e.review_due_date`)} AS on,
      CASE WHEN e.last_review_date IS NOT NULL THEN 'Last reviewed ' || ${iso(sql`e.last_review_date`)}
        ELSE 'Not reviewed since the plan was made' END AS detail`,
    from: withPerson ? sql`ehc_plans e JOIN people p ON p.id = e.person_id` : sql`ehc_plans e`,
    where: sql`e.authority_id = ${authorityId} AND e.status = 'final' AND e.review_due_date < ${today}
      AND ${inArea(a, false, sql`e.person_id`)}`,
    order: sql`e.review_due_date, e.person_id`,
  };
}

export interface Cohort {
  label: string;
  from: string;
  to: string;
  windowStart: string;
  deadline: string;
}

/**
 * Final plans of children in this year's phase-transfer cohorts (each born from `from` to `to`), cohort by cohort,
 * with neither a review decided to maintain or cease the plan, nor the plan issued again, between `windowStart` and
 * the deadline.
 */
export function phaseTransfer(authorityId: string, cohorts: Cohort[], today: string, a: Area): ListSql {
  const rows = cohorts.map(
    (c, n) =>
      sql`(${n}::int, ${c.label}::text, ${c.from}::date, ${c.to}::date, ${c.windowStart}::date, ${c.deadline}::date)`,
  );
  return {
    select: sql`p.id AS person_id, c.deadline::text AS on,
      c.label || CASE WHEN c.deadline < ${today}::date THEN ': deadline missed' ELSE ': not done yet' END AS detail`,
    from: sql`(VALUES ${sql.join(rows)}) c(n, label, born_from, born_to, window_start, deadline)
      JOIN people p ON p.date_of_birth >= c.born_from AND p.date_of_birth <= c.born_to
      JOIN ehc_plans e ON e.person_id = p.id`,
    where: sql`p.authority_id = ${authorityId} AND e.authority_id = ${authorityId} AND e.status = 'final'
      AND NOT (e.last_issued_date IS NOT NULL AND e.last_issued_date >= c.window_start
        AND e.last_issued_date <= c.deadline)
      AND NOT EXISTS (SELECT 1 FROM ehc_reviews r WHERE r.plan_id = e.id AND r.decision IN ('maintain', 'cease')
        AND r.decision_date >= c.window_start AND r.decision_date <= c.deadline)
      AND ${inArea(a, false)}`,
    order: sql`c.n, p.date_of_birth, p.id`,
  };
}

/** 31 July of the academic year of the 25th birthday (as ehc-plan-changes/dates.ts endOfAcademicYearOf25th). */
const END_AT_25 = sql`make_date(extract(year FROM p.date_of_birth)::int + 25
  + CASE WHEN extract(month FROM p.date_of_birth) >= 8 THEN 1 ELSE 0 END, 7, 31)`;

/**
 * The latest birth date whose plan ends by law (END_AT_25) on or before `horizon`: the end grows with the birth date,
 * so the rule is also a range of birth dates the index on people reads instead of dating every person of the council.
 */
export function bornByForEndAt25(horizon: string): string {
  const y = Number(horizon.slice(0, 4));
  const lastEnd = horizon.slice(5) >= '07-31' ? y : y - 1;
  return `${lastEnd - 25}-07-31`;
}

/** Final plans that end by law (the academic year of the 25th birthday) on or before `horizon`. */
export function age25(authorityId: string, horizon: string, a: Area): ListSql {
  return {
    select: sql`p.id AS person_id, ${iso(END_AT_25)} AS on,
      CASE WHEN EXISTS (SELECT 1 FROM ehc_plan_cessations c WHERE c.plan_id = e.id AND c.outcome IS NULL)
        THEN 'Cessation under way' ELSE 'No cessation started yet' END AS detail`,
    from: sql`ehc_plans e JOIN people p ON p.id = e.person_id`,
    where: sql`e.authority_id = ${authorityId} AND e.status = 'final' AND p.authority_id = ${authorityId}
      AND p.date_of_birth <= ${bornByForEndAt25(horizon)} AND ${END_AT_25} <= ${horizon}::date
      AND ${inArea(a, false)}`,
    order: sql`${END_AT_25}, p.id`,
  };
}

/** Open joint transition plans (exploitation cohort) with no post-18 owner and no decision to end without one. */
export function post18Owner(authorityId: string, today: string, a: Area): ListSql {
  return {
    select: sql`p.id AS person_id, ${iso(sql`(p.date_of_birth + interval '210 months')::date`)} AS on,
      CASE WHEN (p.date_of_birth + interval '210 months')::date < ${today}::date THEN 'Owner overdue'
        ELSE 'No owner named yet' END AS detail`,
    from: sql`transition_plans tp
      JOIN protocol_instances pi ON pi.id = tp.protocol_instance_id AND pi.status = 'open'
      JOIN people p ON p.id = tp.person_id`,
    where: sql`tp.authority_id = ${authorityId} AND tp.post18_owner_id IS NULL AND tp.no_owner_decision IS NULL
      AND ${inArea(a, false)}`,
    order: sql`p.date_of_birth, p.id`,
  };
}

/**
 * How many rows the list holds (named or not), and as many more counts as `also` names, each the rows meeting its
 * condition (the headline's windows): one statement over the rule, no row leaves the database.
 */
export async function countOf(db: Executor, q: ListSql, also: Record<string, RawBuilder<unknown>>) {
  const extra = Object.entries<RawBuilder<unknown>>(also).map(
    ([k, cond]) => sql`count(*) FILTER (WHERE ${cond})::int AS ${sql.ref(k)}`,
  );
  const r = await sql<Record<string, number>>`
    SELECT ${sql.join([sql`count(*)::int AS total`, ...extra])} FROM ${q.from} WHERE ${q.where}`.execute(db);
  return r.rows[0] ?? { total: 0 };
}

export interface NamedRow extends ListRow {
  given_name: string;
  family_name: string;
  case_number: string;
}

/**
 * The rows of the list the viewer's relationships open (`relatedPeople`, the union form, so the database starts from
 * the viewer's caseload), in the list's order: `limit` of them from `offset` (all of them when `limit` is null), and
 * how many there are in all.
 */
export async function namedPage(
  db: Executor,
  q: ListSql,
  user: Viewer,
  page: { limit: number | null; offset: number },
): Promise<{ rows: NamedRow[]; named: number }> {
  const related = relatedPeople(expressionBuilder<Database & { p: PersonTable }, 'p'>(), user);
  // The page is chosen on the rule's own columns (index-only where the list's indexes cover them); names are read
  // for the page's rows only, in the page's order.
  const r = await sql<NamedRow & { named: number }>`
    SELECT x.person_id, x.on, x.detail, x.named, n.given_name, n.family_name, n.case_number
    FROM (
      SELECT ${q.select}, count(*) OVER ()::int AS named, row_number() OVER (ORDER BY ${q.order}) AS rn
      FROM ${q.from} WHERE ${q.where} AND ${related}
      ORDER BY ${q.order}
      ${page.limit === null ? sql`` : sql`LIMIT ${page.limit}`} OFFSET ${page.offset}) x
    JOIN people n ON n.id = x.person_id AND n.authority_id = ${user.authorityId}
    ORDER BY x.rn`.execute(db);
  if (r.rows.length > 0 || page.offset === 0) return { rows: r.rows, named: r.rows[0]?.named ?? 0 };
  // Past the last page: still say how many there are.
  const all = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM ${q.from} WHERE ${q.where} AND ${related}`.execute(db);
  return { rows: [], named: all.rows[0]?.n ?? 0 };
}

/** Whether each id is a service, team, locality or hub of the council (the filters' check). */
export async function areaKnown(db: Executor, authorityId: string, a: Area) {
  const r = await sql<{ service: boolean; team: boolean; locality: boolean; hub: boolean }>`
    SELECT
      ${a.service}::uuid IS NULL OR EXISTS (SELECT 1 FROM services WHERE id = ${a.service}::uuid AND authority_id = ${authorityId}) AS service,
      ${a.team}::uuid IS NULL OR EXISTS (SELECT 1 FROM teams WHERE id = ${a.team}::uuid AND authority_id = ${authorityId}) AS team,
      ${a.locality}::uuid IS NULL OR EXISTS (SELECT 1 FROM localities WHERE id = ${a.locality}::uuid AND authority_id = ${authorityId}) AS locality,
      ${a.hub}::uuid IS NULL OR EXISTS (SELECT 1 FROM hubs WHERE id = ${a.hub}::uuid AND authority_id = ${authorityId}) AS hub`.execute(
    db,
  );
  return r.rows[0] ?? { service: true, team: true, locality: true, hub: true };
}

/** The council's services, teams, localities and hubs, for the filters' lists. */
export async function areas(db: Executor, authorityId: string) {
  const of = (t: 'services' | 'teams' | 'localities' | 'hubs') =>
    db.selectFrom(t).where('authority_id', '=', authorityId).select(['id', 'name']).orderBy('name').execute();
  return {
    services: await of('services'),
    teams: await of('teams'),
    localities: await of('localities'),
    hubs: await of('hubs'),
  };
}
