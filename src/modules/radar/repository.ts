// The radar's SQL, and nothing else. Each list returns person ids with the list's date and a short reason: no
// names. Names are read afterwards, and only for the people the viewer's relationships open (`named`).
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
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

/** The area filters as conditions on people `p`: an open involvement with a team matching them. */
function inArea(a: Area, involved: boolean): RawBuilder<unknown> {
  const team: RawBuilder<unknown>[] = [];
  if (a.team) team.push(sql`t.id = ${a.team}`);
  if (a.service) team.push(sql`t.service_id = ${a.service}`);
  if (a.hub) team.push(sql`t.hub_id = ${a.hub}`);
  const parts: RawBuilder<unknown>[] = [];
  if (team.length > 0 || involved)
    parts.push(sql`EXISTS (SELECT 1 FROM involvements i JOIN teams t ON t.id = i.team_id
      WHERE i.person_id = p.id AND i.end_date IS NULL ${team.length ? sql`AND ${sql.join(team, sql` AND `)}` : sql``})`);
  // A locality is the person's own or that of a team working with them now.
  if (a.locality)
    parts.push(sql`(p.locality_id = ${a.locality} OR EXISTS (SELECT 1 FROM involvements i JOIN teams t ON t.id = i.team_id
      WHERE i.person_id = p.id AND i.end_date IS NULL AND t.locality_id = ${a.locality}))`);
  return parts.length ? sql.join(parts, sql` AND `) : sql`true`;
}

const iso = (col: RawBuilder<unknown>) => sql`to_char(${col}, 'YYYY-MM-DD')`;

/** Turning 18 on a birthday in (today, horizon]: born after `bornAfter` and on or before `bornBy`. */
export async function turning18(db: Executor, authorityId: string, bornAfter: string, bornBy: string, a: Area) {
  const r = await sql<ListRow>`
    SELECT p.id AS person_id, ${iso(sql`(p.date_of_birth + interval '18 years')::date`)} AS on,
      CASE WHEN pl.id IS NULL THEN 'No person-led plan'
        ELSE concat_ws('; ',
          CASE WHEN NOT pl.pathway_agreed THEN 'Pathway not agreed' END,
          CASE WHEN NOT pl.provision_in_place THEN 'Provision not in place' END) END AS detail
    FROM people p
    LEFT JOIN plans pl ON pl.person_id = p.id
    WHERE p.authority_id = ${authorityId} AND p.date_of_birth > ${bornAfter} AND p.date_of_birth <= ${bornBy}
      AND (pl.id IS NULL OR NOT pl.pathway_agreed OR NOT pl.provision_in_place)
      AND ${inArea(a, true)}
    ORDER BY p.date_of_birth, p.id`.execute(db);
  return r.rows;
}

/** The first day of a young person's Year 9: 1 September, 14 years after the start of their birth's school year. */
const YEAR9_START = sql`make_date(extract(year FROM p.date_of_birth - interval '8 months')::int + 14, 9, 1)`;

/**
 * Final plans of young people in Year 9 or above (born on or before `year9BornBy`) whose latest review meeting held
 * since the start of Year 9 lacks preparing for adulthood, or with none held although 12 months have passed since.
 */
export async function pfaMissing(db: Executor, authorityId: string, year9BornBy: string, yearAgo: string, a: Area) {
  // Each plan's latest meeting held since the start of Year 9, looked up per plan through an index on the reviews
  // (ehc_reviews_person). One DISTINCT ON pass over all the council's reviews replaced an earlier per-plan look-up
  // (6.5 s over 10,000 plans, before the reviews had these indexes), but over 500,000 people that pass reads every
  // person to date each review: 770 ms, against 520 ms for this (EXPLAIN ANALYZE on bench/national-db.ts, same rows).
  const r = await sql<ListRow>`
    SELECT p.id AS person_id, ${iso(sql`rv.meeting_held_date`)} AS on,
      CASE WHEN rv.id IS NULL THEN 'No review held since the start of Year 9'
        ELSE 'Latest review has no preparing for adulthood' END AS detail
    FROM ehc_plans e
    JOIN people p ON p.id = e.person_id
    LEFT JOIN LATERAL (
      SELECT r.id, r.meeting_held_date, r.pfa FROM ehc_reviews r
      WHERE r.plan_id = e.id AND r.authority_id = ${authorityId} AND r.person_id = p.id
        AND r.meeting_held_date >= ${YEAR9_START}
      ORDER BY r.meeting_held_date DESC, r.created_at DESC LIMIT 1) rv ON true
    WHERE e.authority_id = ${authorityId} AND e.status = 'final' AND p.date_of_birth <= ${year9BornBy}
      AND (CASE WHEN rv.id IS NULL THEN ${YEAR9_START} <= ${yearAgo}::date
        ELSE btrim(coalesce(rv.pfa, '')) = '' END)
      AND ${inArea(a, false)}
    ORDER BY rv.meeting_held_date NULLS FIRST, p.date_of_birth, p.id`.execute(db);
  return r.rows;
}

/** Final plans whose review due date is before today (s.44). */
export async function reviewOverdue(db: Executor, authorityId: string, today: string, a: Area) {
  const r = await sql<ListRow>`
    SELECT p.id AS person_id, ${iso(sql`e.review_due_date`)} AS on,
      CASE WHEN e.last_review_date IS NOT NULL THEN 'Last reviewed ' || ${iso(sql`e.last_review_date`)}
        ELSE 'Not reviewed since the plan was made' END AS detail
    FROM ehc_plans e
    JOIN people p ON p.id = e.person_id
    WHERE e.authority_id = ${authorityId} AND e.status = 'final' AND e.review_due_date < ${today}
      AND ${inArea(a, false)}
    ORDER BY e.review_due_date, p.id`.execute(db);
  return r.rows;
}

export interface Cohort {
  label: string;
  from: string;
  to: string;
  windowStart: string;
  deadline: string;
}

/**
 * Final plans of children in a phase-transfer cohort (born from `from` to `to`) with neither a review decided to
 * maintain or cease the plan, nor the plan issued again, between `windowStart` and the deadline.
 */
export async function phaseTransfer(db: Executor, authorityId: string, c: Cohort, today: string, a: Area) {
  const r = await sql<ListRow>`
    SELECT p.id AS person_id, ${c.deadline}::text AS on,
      ${c.label} || CASE WHEN ${c.deadline}::date < ${today}::date THEN ': deadline missed' ELSE ': not done yet' END AS detail
    FROM ehc_plans e
    JOIN people p ON p.id = e.person_id
    WHERE e.authority_id = ${authorityId} AND e.status = 'final'
      AND p.date_of_birth >= ${c.from} AND p.date_of_birth <= ${c.to}
      AND NOT (e.last_issued_date IS NOT NULL AND e.last_issued_date >= ${c.windowStart}
        AND e.last_issued_date <= ${c.deadline})
      AND NOT EXISTS (SELECT 1 FROM ehc_reviews r WHERE r.plan_id = e.id AND r.decision IN ('maintain', 'cease')
        AND r.decision_date >= ${c.windowStart} AND r.decision_date <= ${c.deadline})
      AND ${inArea(a, false)}
    ORDER BY p.date_of_birth, p.id`.execute(db);
  return r.rows;
}

/** 31 July of the academic year of the 25th birthday (as ehc-plan-changes/dates.ts endOfAcademicYearOf25th). */
const END_AT_25 = sql`make_date(extract(year FROM p.date_of_birth)::int + 25
  + CASE WHEN extract(month FROM p.date_of_birth) >= 8 THEN 1 ELSE 0 END, 7, 31)`;

/** Final plans that end by law (the academic year of the 25th birthday) on or before `horizon`. */
export async function age25(db: Executor, authorityId: string, horizon: string, a: Area) {
  const r = await sql<ListRow>`
    SELECT p.id AS person_id, ${iso(END_AT_25)} AS on,
      CASE WHEN EXISTS (SELECT 1 FROM ehc_plan_cessations c WHERE c.plan_id = e.id AND c.outcome IS NULL)
        THEN 'Cessation under way' ELSE 'No cessation started yet' END AS detail
    FROM ehc_plans e
    JOIN people p ON p.id = e.person_id
    WHERE e.authority_id = ${authorityId} AND e.status = 'final' AND ${END_AT_25} <= ${horizon}::date
      AND ${inArea(a, false)}
    ORDER BY 2, p.id`.execute(db);
  return r.rows;
}

/** Open joint transition plans (exploitation cohort) with no post-18 owner and no decision to end without one. */
export async function post18Owner(db: Executor, authorityId: string, today: string, a: Area) {
  const r = await sql<ListRow>`
    SELECT p.id AS person_id, ${iso(sql`(p.date_of_birth + interval '210 months')::date`)} AS on,
      CASE WHEN (p.date_of_birth + interval '210 months')::date < ${today}::date THEN 'Owner overdue'
        ELSE 'No owner named yet' END AS detail
    FROM transition_plans tp
    JOIN protocol_instances pi ON pi.id = tp.protocol_instance_id AND pi.status = 'open'
    JOIN people p ON p.id = tp.person_id
    WHERE tp.authority_id = ${authorityId} AND tp.post18_owner_id IS NULL AND tp.no_owner_decision IS NULL
      AND ${inArea(a, false)}
    ORDER BY p.date_of_birth, p.id`.execute(db);
  return r.rows;
}

/** Of these people, the ones the viewer's relationships open, with the name and case number to show. */
export async function named(db: Executor, user: Viewer, ids: string[]) {
  if (ids.length === 0) return [];
  // The union form of the relationships, driven from the viewer's caseload rather than checked for each of tens of
  // thousands of people on the lists (3.8 s → 1.3 s for 68,000 ids at 500,000 on a loaded machine).
  return db
    .selectFrom('people as p')
    .where('p.authority_id', '=', user.authorityId)
    .where(sql<boolean>`p.id IN (SELECT unnest(${ids}::uuid[]))`)
    .where((eb) => relatedPeople(eb, user))
    .select(['p.id', 'p.given_name', 'p.family_name', 'p.case_number'])
    .execute();
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
