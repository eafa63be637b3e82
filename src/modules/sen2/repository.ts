// The SQL of the SEN2 return: what the record holds about requests, assessments, plans, reviews and the people they
// concern, for one council and one collection year. Reads only (through the reports handle), plus the export's
// access-log rows, which go to the primary in the caller's transaction.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { CollectionYear } from './census.ts';

/** Requests in the return: received in the year, or still without an outcome when it began, or with an outcome or a
 *  plan ceasing in it. */
export async function requestsOfYear(db: Executor, authorityId: string, y: CollectionYear) {
  const outcome = sql<string | null>`coalesce(a.final_issued_date, a.not_issue_date,
    CASE WHEN a.decision_to_assess = 'not_assess' THEN a.decision_date END)`;
  return db
    .selectFrom('ehcp_assessments as a')
    .where('a.authority_id', '=', authorityId)
    .where('a.request_date', '<=', y.to)
    .where((eb) =>
      eb.or([
        eb('a.request_date', '>=', y.from),
        eb(outcome, 'is', null),
        eb(outcome, '>=', y.from),
        eb.exists(
          eb
            .selectFrom('ehc_plans as p')
            .whereRef('p.assessment_id', '=', 'a.id')
            .where('p.ceased_date', '>=', y.from)
            .where('p.ceased_date', '<=', y.to)
            .select(sql`1`.as('one')),
        ),
      ]),
    )
    .select([
      'a.id',
      'a.person_id',
      'a.request_date',
      'a.requested_by',
      'a.decision_to_assess',
      'a.decision_date',
      'a.not_issue_date',
      'a.draft_served_date',
      'a.final_issued_date',
    ])
    .orderBy('a.request_date')
    .orderBy('a.id')
    .execute();
}
export type RequestRow = Awaited<ReturnType<typeof requestsOfYear>>[number];

export function exceptionsOf(db: Executor, assessmentIds: string[]) {
  if (!assessmentIds.length) return Promise.resolve([]);
  return db
    .selectFrom('ehcp_exceptions')
    .where('assessment_id', 'in', assessmentIds)
    .select(['assessment_id', 'start_date', 'end_date'])
    .execute();
}

/** Plans made by the year's requests, plans ceased in the year, and plans active on the census date (started by
 *  then, not ceased by then). */
export async function plansOfYear(db: Executor, authorityId: string, y: CollectionYear, assessmentIds: string[]) {
  return db
    .selectFrom('ehc_plans as p')
    .leftJoin('authorities as f', 'f.id', 'p.transferred_from_authority_id')
    .where('p.authority_id', '=', authorityId)
    .where('p.status', '!=', 'withdrawn')
    .where((eb) => {
      const active = eb.and([
        eb('p.status', 'in', ['final', 'ceased']),
        eb(sql<string>`coalesce(p.first_issued_date, p.transfer_date)`, '<=', y.census),
        eb.or([eb('p.ceased_date', 'is', null), eb('p.ceased_date', '>', y.census)]),
      ]);
      const ceased = eb.and([eb('p.ceased_date', '>=', y.from), eb('p.ceased_date', '<=', y.to)]);
      return eb.or(
        assessmentIds.length ? [active, ceased, eb('p.assessment_id', 'in', assessmentIds)] : [active, ceased],
      );
    })
    .select([
      'p.id',
      'p.person_id',
      'p.assessment_id',
      'p.status',
      'p.first_issued_date',
      'p.last_review_date',
      'p.ceased_date',
      'p.cease_reason',
      'p.transfer_date',
      'f.code as transferred_from_code',
    ])
    .orderBy('p.id')
    .execute();
}
export type PlanRow = Awaited<ReturnType<typeof plansOfYear>>[number];

/** The final versions issued by the census date: the setting named (section I) and the needs ranked. */
export function finalVersionsOf(db: Executor, planIds: string[], census: string) {
  if (!planIds.length) return Promise.resolve([]);
  return db
    .selectFrom('ehc_plan_versions')
    .where('plan_id', 'in', planIds)
    .where('kind', '=', 'final')
    .where('state', '=', 'issued')
    .where('issued_date', '<=', census)
    .select(['plan_id', 'number', 'issued_date', 'setting_name', 'setting_urn', 'sen_setting', 'sen_needs'])
    .orderBy('plan_id')
    .orderBy('number', 'desc')
    .execute();
}
export type VersionRow = Awaited<ReturnType<typeof finalVersionsOf>>[number];

export function reviewsOf(db: Executor, planIds: string[], census: string) {
  if (!planIds.length) return Promise.resolve([]);
  return db
    .selectFrom('ehc_reviews')
    .where('plan_id', 'in', planIds)
    .where((eb) => eb.or([eb('meeting_held_date', 'is', null), eb('meeting_held_date', '<=', census)]))
    .select([
      'id',
      'plan_id',
      'status',
      'due_date',
      'transfer_deadline',
      'meeting_held_date',
      'report_sent_date',
      'decision',
      'decision_date',
    ])
    .orderBy('plan_id')
    .orderBy('due_date', 'desc')
    .execute();
}
export type ReviewRow = Awaited<ReturnType<typeof reviewsOf>>[number];

export function peopleOf(db: Executor, authorityId: string, personIds: string[]) {
  if (!personIds.length) return Promise.resolve([]);
  return db
    .selectFrom('people')
    .where('authority_id', '=', authorityId)
    .where('id', 'in', personIds)
    .select([
      'id',
      'case_number',
      'given_name',
      'family_name',
      'date_of_birth',
      'gender',
      'postcode',
      'upn',
      'upn_unknown',
      'school',
    ])
    .orderBy('case_number')
    .execute();
}
export type PersonRow = Awaited<ReturnType<typeof peopleOf>>[number];

export function authorityOf(db: Executor, authorityId: string) {
  return db
    .selectFrom('authorities')
    .where('id', '=', authorityId)
    .select(['id', 'code', 'name'])
    .executeTakeFirstOrThrow();
}

/** One access-log row per young person in an export (channel export), in the caller's transaction. */
