// The dashboards' SQL (issue 14 part 2): aggregate counts only, each grouped and counted in the database; no query
// returns a person's id, name, date of birth or case number. A scope is a set of team ids, or null for the whole
// council. A count belongs to a scope by the rule written once in `inScope*` below (docs/decisions.md):
// - a young person: an open involvement (no end date) with a team of the scope;
// - a protocol step: the team of its instance's involvement, else the team that owns the step;
// - a transfer: the team it leaves or the team it goes to;
// - an unallocated involvement: its own team.
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { AssessmentDates } from '../ehcp/clocks.ts';

export type Teams = readonly string[] | null;

const ids = (teams: readonly string[]) =>
  teams.length ? sql`ARRAY[${sql.join(teams.map((t) => sql`${t}::uuid`))}]` : sql`ARRAY[]::uuid[]`;

/** A team column in the scope (always true for the council). */
function teamIn(column: RawBuilder<unknown>, teams: Teams): RawBuilder<boolean> {
  return teams === null ? sql<boolean>`true` : sql<boolean>`${column} = ANY(${ids(teams)})`;
}

/** A young person in the scope: an open involvement with one of its teams. */
function personIn(column: RawBuilder<unknown>, teams: Teams): RawBuilder<boolean> {
  return teams === null
    ? sql<boolean>`true`
    : sql<boolean>`EXISTS (SELECT 1 FROM involvements iv WHERE iv.person_id = ${column} AND iv.end_date IS NULL AND iv.team_id = ANY(${ids(teams)}))`;
}

/** A step's team: its instance's involvement's, else the step's owning team. */
const stepTeam = sql`coalesce((SELECT iv.team_id FROM involvements iv WHERE iv.id = pi.involvement_id), s.owner_team_id)`;

/** The title of a step from the definition of its instance's protocol version. */
const stepTitle = sql<string>`coalesce((SELECT st->>'title' FROM jsonb_array_elements(pv.definition->'steps') st WHERE st->>'id' = s.step_key LIMIT 1), s.step_key)`;

/** The month ends of a trend as a set of rows m(d). */
const monthsFrom = (monthEnds: readonly string[]) =>
  sql`unnest(ARRAY[${sql.join(monthEnds.map((d) => sql`${d}::date`))}]) AS m(d)`;

const rows = async <T>(db: Executor, q: RawBuilder<T>) => (await q.execute(db)).rows;

/** Open protocol steps past their due date, by protocol and step. */
function overdueSteps(authorityId: string, teams: Teams, today: string) {
  return sql<{ protocol: string; step: string; overdue: number; escalated: number }>`
      SELECT coalesce(pv.title, pi.protocol_id) AS protocol, ${stepTitle} AS step,
             count(*)::int AS overdue, count(*) FILTER (WHERE s.escalations > 0)::int AS escalated
        FROM protocol_steps s
        JOIN protocol_instances pi ON pi.id = s.instance_id
        LEFT JOIN protocol_versions pv ON pv.protocol_id = pi.protocol_id AND pv.version = pi.protocol_version
       WHERE s.authority_id = ${authorityId} AND s.status = 'open' AND s.due_date < ${today}
         AND ${teamIn(stepTeam, teams)}
       GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`;
}

/** Open steps escalated by their overdue ladder, by how many times (the level). */
function escalationLevels(authorityId: string, teams: Teams) {
  return sql<{ level: number; open: number }>`
      SELECT least(s.escalations, 3)::int AS level, count(*)::int AS open
        FROM protocol_steps s JOIN protocol_instances pi ON pi.id = s.instance_id
       WHERE s.authority_id = ${authorityId} AND s.status = 'open' AND s.escalations > 0
         AND ${teamIn(stepTeam, teams)}
       GROUP BY 1 ORDER BY 1`;
}

/** Capacity escalations not resolved (one row: open). */
function capacityEscalations(authorityId: string, teams: Teams) {
  return sql<{ open: number }>`
      SELECT count(*)::int AS open FROM capacity_escalations c
        LEFT JOIN protocol_instances pi ON pi.id = c.protocol_instance_id
       WHERE c.authority_id = ${authorityId} AND ${teamIn(sql`c.team_id`, teams)}
         AND CASE WHEN c.protocol_instance_id IS NULL THEN c.resolved_at IS NULL ELSE pi.status = 'open' END`;
}

/** Open involvements with no worker, and those of children with an open child protection plan or in care. */
function unallocated(authorityId: string, teams: Teams, today: string) {
  // As the database's never_unallocated rule reads it (migration 2026_11_22_0030): the status open and no worker on
  // any of the child's open involvements.
  const status = (s: string) =>
    sql`EXISTS (SELECT 1 FROM person_statuses ps WHERE ps.person_id = i.person_id AND ps.status = ${s}
                AND ps.start_date <= ${today} AND (ps.end_date IS NULL OR ps.end_date >= ${today}))
        AND NOT EXISTS (SELECT 1 FROM involvements w WHERE w.person_id = i.person_id AND w.end_date IS NULL
                        AND w.worker_id IS NOT NULL)`;
  return sql<{ total: number; cp: number; cic: number }>`
      SELECT count(DISTINCT i.person_id)::int AS total,
             count(DISTINCT i.person_id) FILTER (WHERE ${status('child_protection_plan')})::int AS cp,
             count(DISTINCT i.person_id) FILTER (WHERE ${status('child_in_care')})::int AS cic
        FROM involvements i
       WHERE i.authority_id = ${authorityId} AND i.end_date IS NULL AND i.worker_id IS NULL
         AND ${teamIn(sql`i.team_id`, teams)}`;
}

/** Transfers not completed or cancelled, by status and by how long since they were requested. */
function transfersWaiting(authorityId: string, teams: Teams, today: string) {
  const days = sql`(${today}::date - (t.requested_at AT TIME ZONE 'Europe/London')::date)`;
  return sql<{ status: string; waiting: number; w4: number; w8: number; w12: number; over12: number; late: number }>`
      SELECT t.status, count(*)::int AS waiting,
             count(*) FILTER (WHERE ${days} < 28)::int AS w4,
             count(*) FILTER (WHERE ${days} >= 28 AND ${days} < 56)::int AS w8,
             count(*) FILTER (WHERE ${days} >= 56 AND ${days} < 84)::int AS w12,
             count(*) FILTER (WHERE ${days} >= 84)::int AS over12,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM protocol_steps s WHERE s.instance_id = t.protocol_instance_id
                                             AND s.status = 'open' AND s.due_date < ${today}))::int AS late
        FROM transfers t
       WHERE t.authority_id = ${authorityId} AND t.status IN ('requested', 'sent', 'returned', 'accepted')
         AND (${teamIn(sql`t.from_team_id`, teams)} OR ${teamIn(sql`t.to_team_id`, teams)})
       GROUP BY t.status ORDER BY t.status`;
}

/** EHC needs assessments requested since `from` or still open, with the dates their clocks read (ids only to join
 *  their exceptions; never leaves the service). */
function assessments(authorityId: string, teams: Teams, from: string) {
  return sql<AssessmentDates & { id: string }>`
      SELECT a.id, a.request_date::text AS request_date, a.decision_to_assess, a.decision_date::text AS decision_date,
             a.not_issue_date::text AS not_issue_date, a.draft_served_date::text AS draft_served_date,
             a.final_issued_date::text AS final_issued_date
        FROM ehcp_assessments a
       WHERE a.authority_id = ${authorityId} AND ${personIn(sql`a.person_id`, teams)}
         AND (a.request_date >= ${from} OR a.final_issued_date >= ${from}
              OR EXISTS (SELECT 1 FROM protocol_instances pi WHERE pi.id = a.protocol_instance_id AND pi.status = 'open'))`;
}

/** The exceptions recorded on those assessments. */
function exceptionsOf(assessed: RawBuilder<unknown>) {
  return sql<{ assessment_id: string; start_date: string; end_date: string }>`
      SELECT e.assessment_id, e.start_date::text AS start_date, e.end_date::text AS end_date FROM ehcp_exceptions e
       WHERE e.assessment_id IN (SELECT x.id FROM (${assessed}) x)`;
}

/** Referrals (transitions) without an answer and mentoring referrals waiting for a mentor, by how long. */
function referralsWaiting(authorityId: string, teams: Teams, today: string) {
  const bands = (days: RawBuilder<unknown>) => sql`count(*)::int AS waiting,
             count(*) FILTER (WHERE ${days} < 14)::int AS w2, count(*) FILTER (WHERE ${days} >= 14 AND ${days} < 28)::int AS w4,
             count(*) FILTER (WHERE ${days} >= 28)::int AS over4`;
  const sent = sql`(${today}::date - (r.sent_at AT TIME ZONE 'Europe/London')::date)`;
  const referred = sql`(${today}::date - m.referred_on)`;
  return sql<{ kind: string; waiting: number; w2: number; w4: number; over4: number }>`
      SELECT 'referral' AS kind, ${bands(sent)}
        FROM referrals r JOIN protocol_instances pi ON pi.id = r.protocol_instance_id
       WHERE r.authority_id = ${authorityId} AND r.responded_at IS NULL AND pi.status = 'open'
         AND ${personIn(sql`r.person_id`, teams)}
      UNION ALL
      SELECT 'mentoring' AS kind, ${bands(referred)}
        FROM mentoring_referrals m
       WHERE m.authority_id = ${authorityId} AND m.status = 'waiting' AND ${personIn(sql`m.person_id`, teams)}`;
}

export interface PlanActionCounts {
  /** Open gap and capacity actions (the transitions register), overdue, and the young people they are for. */
  gaps: { issue_type: 'gap' | 'capacity'; open: number; overdue: number; people: number }[];
  /** Open plan actions blocking a plan as the transitions forum reads them: no owner, or overdue. */
  actions: { no_owner: number; no_owner_people: number; overdue: number; overdue_people: number };
}

type ActionCount =
  | `${'no_owner' | 'overdue' | 'gap' | 'capacity'}${'' | '_people'}`
  | 'gap_overdue'
  | 'capacity_overdue';

/** The counts of each young person's open plan actions the dashboard reads (one row a person). */
const perPerson = (today: string) => {
  const noOwner = sql`(a.owner_user_id IS NULL AND a.owner_service_id IS NULL)`;
  const late = sql`a.due_date < ${today}`;
  return sql`count(*) FILTER (WHERE ${noOwner}) AS no_owner,
             count(*) FILTER (WHERE NOT ${noOwner} AND ${late}) AS overdue,
             count(*) FILTER (WHERE a.issue_type = 'gap') AS gap,
             count(*) FILTER (WHERE a.issue_type = 'gap' AND ${late}) AS gap_overdue,
             count(*) FILTER (WHERE a.issue_type = 'capacity') AS capacity,
             count(*) FILTER (WHERE a.issue_type = 'capacity' AND ${late}) AS capacity_overdue`;
};

/** Open plan actions: the gap and capacity figures and the forum's "blocked by" figures (one row), counted per
 *  young person and then summed. A team's young people (its open involvements) are looked up first and their open
 *  actions read by plan_actions_person_open_idx, rather than filtering every open action of the council. */
function planActions(authorityId: string, teams: Teams, today: string) {
  const inScope =
    teams === null
      ? sql`true`
      : sql`a.person_id = ANY(ARRAY(SELECT iv.person_id FROM involvements iv
                                     WHERE iv.team_id = ANY(${ids(teams)}) AND iv.end_date IS NULL))`;
  return sql<Record<ActionCount, number>>`
      SELECT coalesce(sum(x.no_owner), 0)::int AS no_owner, count(*) FILTER (WHERE x.no_owner > 0)::int AS no_owner_people,
             coalesce(sum(x.overdue), 0)::int AS overdue, count(*) FILTER (WHERE x.overdue > 0)::int AS overdue_people,
             coalesce(sum(x.gap), 0)::int AS gap, coalesce(sum(x.gap_overdue), 0)::int AS gap_overdue,
             count(*) FILTER (WHERE x.gap > 0)::int AS gap_people,
             coalesce(sum(x.capacity), 0)::int AS capacity, coalesce(sum(x.capacity_overdue), 0)::int AS capacity_overdue,
             count(*) FILTER (WHERE x.capacity > 0)::int AS capacity_people
        FROM (SELECT ${perPerson(today)} FROM plan_actions a
               WHERE a.authority_id = ${authorityId} AND a.status IN ('not_started','in_progress') AND ${inScope}
               GROUP BY a.person_id) x`;
}

function planActionCounts(r: Record<ActionCount, number>): PlanActionCounts {
  return {
    gaps: (['capacity', 'gap'] as const)
      .map((t) => ({ issue_type: t, open: r[t], overdue: r[`${t}_overdue`], people: r[`${t}_people`] }))
      .filter((g) => g.open > 0),
    actions: {
      no_owner: r.no_owner,
      no_owner_people: r.no_owner_people,
      overdue: r.overdue,
      overdue_people: r.overdue_people,
    },
  };
}

/** Open system blocks by kind with the young people linked (a team's: blocks linked to its young people). */
function systemBlocks(authorityId: string, teams: Teams) {
  return sql<{ kind: string; open: number; people: number }>`
      SELECT b.kind, count(DISTINCT b.id)::int AS open, count(DISTINCT c.person_id)::int AS people
        FROM system_blocks b LEFT JOIN system_block_cases c ON c.block_id = b.id AND ${personIn(sql`c.person_id`, teams)}
       WHERE b.authority_id = ${authorityId} AND b.status = 'open'
         AND (${teams === null ? sql`true` : sql`c.id IS NOT NULL`})
       GROUP BY b.kind ORDER BY b.kind`;
}

/** Steps overdue at the end of each month: entered by then, due before then, and still open then (a done step
 *  closed at its decision; a cancelled one when its instance ended, else at its decision). */
function overdueTrend(authorityId: string, teams: Teams, monthEnds: readonly string[]) {
  return sql<{ month_end: string; overdue: number }>`
      SELECT m.d::text AS month_end, count(s.id)::int AS overdue
        FROM ${monthsFrom(monthEnds)}
        LEFT JOIN (protocol_steps s JOIN protocol_instances pi ON pi.id = s.instance_id)
          ON s.authority_id = ${authorityId} AND ${teamIn(stepTeam, teams)}
         AND s.due_date < m.d AND (s.entered_at AT TIME ZONE 'Europe/London')::date <= m.d
         AND (s.status = 'open'
              OR (coalesce(s.decided_at, CASE WHEN s.status = 'cancelled' THEN pi.ended_at END) AT TIME ZONE 'Europe/London')::date > m.d)
       GROUP BY m.d ORDER BY m.d`;
}

/** Referrals (transitions) waiting for an answer at the end of each month: sent by then, not answered (nor their
 *  chase ended) by then. */
function referralTrend(authorityId: string, teams: Teams, monthEnds: readonly string[]) {
  return sql<{ month_end: string; waiting: number }>`
      SELECT m.d::text AS month_end, count(r.id)::int AS waiting
        FROM ${monthsFrom(monthEnds)}
        LEFT JOIN (referrals r JOIN protocol_instances pi ON pi.id = r.protocol_instance_id)
          ON r.authority_id = ${authorityId} AND ${personIn(sql`r.person_id`, teams)}
         AND (r.sent_at AT TIME ZONE 'Europe/London')::date <= m.d
         AND (coalesce(r.responded_at, pi.ended_at) IS NULL
              OR (coalesce(r.responded_at, pi.ended_at) AT TIME ZONE 'Europe/London')::date > m.d)
       GROUP BY m.d ORDER BY m.d`;
}

type RowOf<Q> = Q extends RawBuilder<infer T> ? T : never;
type Q<F extends (...args: never[]) => RawBuilder<unknown>> = RowOf<ReturnType<F>>;

/** A query's rows as one JSON array, in the order given (the order json_agg keeps). */
const list = (q: RawBuilder<unknown>, order: RawBuilder<unknown>) =>
  sql`(SELECT coalesce(json_agg(q ORDER BY ${order}), '[]'::json) FROM (${q}) q)`;
/** A query's one row as a JSON object. */
const one = (q: RawBuilder<unknown>) => sql`(SELECT row_to_json(q) FROM (${q}) q)`;

/** Everything a dashboard counts, as each query above gives it. */
export interface Figures {
  overdue: Q<typeof overdueSteps>[];
  escalations: { levels: Q<typeof escalationLevels>[]; capacity: number };
  unallocated: Q<typeof unallocated>;
  transfers: Q<typeof transfersWaiting>[];
  assessed: { list: Q<typeof assessments>[]; exceptions: Q<typeof exceptionsOf>[] };
  referrals: Q<typeof referralsWaiting>[];
  actions: PlanActionCounts;
  blocks: Q<typeof systemBlocks>[];
  overdueTrend: Q<typeof overdueTrend>[];
  referralTrend: Q<typeof referralTrend>[];
}

/** A dashboard's figures in one statement (one round trip, one snapshot): each query is a column of JSON. Under load
 *  each statement waits its turn for the database; twelve in turn were most of a page's time. */
export async function figures(
  db: Executor,
  authorityId: string,
  teams: Teams,
  dates: { today: string; from: string; monthEnds: readonly string[] },
): Promise<Figures> {
  const { today, from, monthEnds } = dates;
  const a = authorityId;
  const assessed = assessments(a, teams, from);
  const [r] = await rows(
    db,
    sql<
      Omit<Figures, 'escalations' | 'assessed' | 'actions'> & {
        levels: Figures['escalations']['levels'];
        capacity: { open: number };
        list: Figures['assessed']['list'];
        exceptions: Figures['assessed']['exceptions'];
        actions: Record<ActionCount, number>;
      }
    >`
      SELECT ${list(overdueSteps(a, teams, today), sql`q.overdue DESC, q.protocol, q.step`)} AS overdue,
             ${list(escalationLevels(a, teams), sql`q.level`)} AS levels,
             ${one(capacityEscalations(a, teams))} AS capacity,
             ${one(unallocated(a, teams, today))} AS unallocated,
             ${list(transfersWaiting(a, teams, today), sql`q.status`)} AS transfers,
             ${list(assessed, sql`q.id`)} AS list,
             ${list(exceptionsOf(assessed), sql`q.assessment_id, q.start_date`)} AS exceptions,
             ${list(referralsWaiting(a, teams, today), sql`q.kind DESC`)} AS referrals,
             ${one(planActions(a, teams, today))} AS actions,
             ${list(systemBlocks(a, teams), sql`q.kind`)} AS blocks,
             ${list(overdueTrend(a, teams, monthEnds), sql`q.month_end`)} AS "overdueTrend",
             ${list(referralTrend(a, teams, monthEnds), sql`q.month_end`)} AS "referralTrend"`,
  );
  if (!r) throw new Error('figures: the statement returned no row');
  return {
    overdue: r.overdue,
    escalations: { levels: r.levels, capacity: r.capacity.open },
    unallocated: r.unallocated,
    transfers: r.transfers,
    assessed: { list: r.list, exceptions: r.exceptions },
    referrals: r.referrals,
    actions: planActionCounts(r.actions),
    blocks: r.blocks,
    overdueTrend: r.overdueTrend,
    referralTrend: r.referralTrend,
  };
}

/** The council's teams, services and hubs by id, for the scopes' names. */
export function teamsOf(db: Executor, authorityId: string) {
  return db
    .selectFrom('teams as t')
    .innerJoin('services as s', 's.id', 't.service_id')
    .where('t.authority_id', '=', authorityId)
    .select(['t.id', 't.name', 't.service_id', 's.name as service_name', 't.hub_id'])
    .orderBy('t.name')
    .execute();
}

export function hubsOf(db: Executor, authorityId: string) {
  return db
    .selectFrom('hubs')
    .where('authority_id', '=', authorityId)
    .select(['id', 'name', 'team_id'])
    .orderBy('name')
    .execute();
}

export async function userServiceId(db: Executor, userId: string) {
  const r = await db.selectFrom('users').where('id', '=', userId).select('service_id').executeTakeFirst();
  return r?.service_id ?? null;
}
