// SQL for EHC needs assessments, their advice requests, exceptions and delay notices. Nothing else.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { AdviceDates, ExceptionPeriod } from './clocks.ts';

/**
 * Whether an assessment is open is the engine's answer: its ehc-needs-assessment instance is still running. (An
 * assessment the migration could not carry over, having no coordinator, counts as closed.)
 */
const isOpen = sql<boolean>`EXISTS (SELECT 1 FROM protocol_instances i WHERE i.id = a.protocol_instance_id AND i.status = 'open')`;
const statusOf = sql<'open' | 'closed'>`CASE WHEN ${isOpen} THEN 'open' ELSE 'closed' END`;

/** Advice requests (r, with their giver g) addressed to a user: as giver, now responsible, or the giver's manager. */
function addressedTo(db: Executor, user: { id: string; authorityId: string }) {
  return db
    .selectFrom('ehcp_advice_requests as r')
    .innerJoin('users as g', 'g.id', 'r.giver_user_id')
    .where('r.authority_id', '=', user.authorityId)
    .where('r.status', '!=', 'cancelled')
    .where((eb) =>
      eb.or([
        eb('r.giver_user_id', '=', user.id),
        eb('r.responsible_user_id', '=', user.id),
        eb('g.line_manager_id', '=', user.id),
      ]),
    );
}

/** The advice request, if it is addressed to this user: its giver, who is now responsible, or the giver's manager. */
export async function findAdviceAddressee(
  db: Executor,
  user: { id: string; authorityId: string },
  requestId: string,
): Promise<{ personId: string } | null> {
  const row = await addressedTo(db, user).where('r.id', '=', requestId).select('r.person_id').executeTakeFirst();
  return row ? { personId: row.person_id } : null;
}

export async function assessmentsOf(db: Executor, personId: string) {
  return db
    .selectFrom('ehcp_assessments as a')
    .leftJoin('users as c', 'c.id', 'a.coordinator_id')
    .where('a.person_id', '=', personId)
    .orderBy('a.request_date', 'desc')
    .select([
      'a.id',
      'a.request_date',
      'a.requested_by',
      statusOf.as('status'),
      'a.decision_to_assess',
      'a.draft_served_date',
      'a.final_issued_date',
      'a.not_issue_date',
      'a.protocol_instance_id',
      'c.display_name as coordinator_name',
    ])
    .execute();
}

export async function findAssessment(db: Executor, authorityId: string, personId: string, id: string) {
  return db
    .selectFrom('ehcp_assessments as a')
    .leftJoin('users as c', 'c.id', 'a.coordinator_id')
    .where('a.id', '=', id)
    .where('a.person_id', '=', personId)
    .where('a.authority_id', '=', authorityId)
    .selectAll('a')
    .select([
      statusOf.as('status'),
      'c.display_name as coordinator_name',
      'c.line_manager_id as coordinator_manager_id',
    ])
    .executeTakeFirst();
}

export async function lockAssessment(db: Executor, id: string) {
  return db
    .selectFrom('ehcp_assessments as a')
    .where('a.id', '=', id)
    .forUpdate()
    .selectAll('a')
    .select(statusOf.as('status'))
    .executeTakeFirst();
}

export async function exceptionsOf(db: Executor, assessmentId: string) {
  return db
    .selectFrom('ehcp_exceptions as e')
    .leftJoin('users as u', 'u.id', 'e.recorded_by')
    .where('e.assessment_id', '=', assessmentId)
    .orderBy('e.start_date')
    .selectAll('e')
    .select('u.display_name as recorded_by_name')
    .execute();
}

export async function adviceRequestsOf(db: Executor, assessmentId: string) {
  return db
    .selectFrom('ehcp_advice_requests as r')
    .innerJoin('users as g', 'g.id', 'r.giver_user_id')
    .innerJoin('users as resp', 'resp.id', 'r.responsible_user_id')
    .leftJoin('services as s', 's.id', 'r.service_id')
    .where('r.assessment_id', '=', assessmentId)
    .orderBy('r.requested_date')
    .orderBy('r.created_at')
    .selectAll('r')
    .select([
      'g.display_name as giver_name',
      'g.email as giver_email',
      'resp.display_name as responsible_name',
      's.name as service_name',
    ])
    .execute();
}

export async function submissionsOf(db: Executor, requestIds: string[]) {
  if (!requestIds.length) return [];
  return db
    .selectFrom('ehcp_advice_submissions as x')
    .innerJoin('users as u', 'u.id', 'x.submitted_by')
    .leftJoin('documents as doc', 'doc.id', 'x.document_id')
    .where('x.request_id', 'in', requestIds)
    .orderBy('x.submitted_at')
    .selectAll('x')
    .select([
      'u.display_name as submitted_by_name',
      'doc.title as document_title',
      'doc.media_type as document_media_type',
      'doc.size_bytes as document_size',
    ])
    .execute();
}

export async function delayNoticesOf(db: Executor, assessmentId: string) {
  return db
    .selectFrom('ehcp_delay_notices')
    .where('assessment_id', '=', assessmentId)
    .orderBy('created_at')
    .selectAll()
    .execute();
}

/** One advice request with what its giver needs to see: the child's name, date of birth and school, and the ask. */
export async function adviceRequestForGiver(db: Executor, requestId: string) {
  return db
    .selectFrom('ehcp_advice_requests as r')
    .innerJoin('ehcp_assessments as a', 'a.id', 'r.assessment_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('users as g', 'g.id', 'r.giver_user_id')
    .innerJoin('users as resp', 'resp.id', 'r.responsible_user_id')
    .leftJoin('users as c', 'c.id', 'a.coordinator_id')
    .where('r.id', '=', requestId)
    .selectAll('r')
    .select([
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'p.school',
      'p.case_number',
      'a.coordinator_id',
      'a.draft_served_date',
      'a.draft_text',
      'c.display_name as coordinator_name',
      'g.display_name as giver_name',
      'g.line_manager_id as giver_manager_id',
      'resp.display_name as responsible_name',
    ])
    .executeTakeFirst();
}

export async function lockAdviceRequest(db: Executor, id: string) {
  return db.selectFrom('ehcp_advice_requests').where('id', '=', id).forUpdate().selectAll().executeTakeFirst();
}

/** Requests addressed to a user (as giver, responsible, or the giver's line manager): no names, only references. */
export async function requestsAddressedTo(db: Executor, user: { id: string; authorityId: string }) {
  return addressedTo(db, user)
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .orderBy('r.due_date')
    .select([
      'r.id',
      'r.kind',
      'r.status',
      'r.due_date',
      'r.follow_up_due',
      'r.follow_up_closed_on',
      'r.follow_up_sent_on',
      'r.draft_check_due',
      'r.draft_feedback_on',
      'p.case_number',
      'g.display_name as giver_name',
    ])
    .limit(500)
    .execute();
}

/** Assessments a coordinator runs, or their line reports run (a SEND manager's view). */
export async function assessmentsCoordinatedBy(db: Executor, user: { id: string; authorityId: string }) {
  return db
    .selectFrom('ehcp_assessments as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .leftJoin('users as c', 'c.id', 'a.coordinator_id')
    .where('a.authority_id', '=', user.authorityId)
    .where(isOpen)
    .where((eb) => eb.or([eb('a.coordinator_id', '=', user.id), eb('c.line_manager_id', '=', user.id)]))
    .orderBy('a.request_date')
    .select([
      'a.id',
      'a.person_id',
      'a.request_date',
      'a.decision_to_assess',
      'a.draft_served_date',
      'a.final_issued_date',
      'a.not_issue_date',
      statusOf.as('status'),
      'a.protocol_instance_id',
      'p.given_name',
      'p.family_name',
      'p.case_number',
      'c.display_name as coordinator_name',
    ])
    .limit(500)
    .execute();
}

// ---- the weekly report (authority-wide, by case reference only)
// At 500,000 young people (quality.md P3) each statement reads only the few thousand rows the report is about: the
// case reference is a scalar subquery (one primary-key probe per row, where a join let the planner hash all 500,000
// people), and the assessments' exceptions and advice come with the assessments, so no list of ids is sent back.

/** A person's case reference: probed by primary key for each row (people.id is never null where it is used). */
export const caseNumberOf = (personId: ReturnType<typeof sql.ref>) =>
  sql<string>`(SELECT p.case_number FROM people p WHERE p.id = ${personId})`;

export async function openFollowUps(db: Executor, authorityId: string) {
  return db
    .selectFrom('ehcp_advice_requests as r')
    .innerJoin('users as g', 'g.id', 'r.giver_user_id')
    .innerJoin('users as resp', 'resp.id', 'r.responsible_user_id')
    .leftJoin('services as s', 's.id', 'r.service_id')
    .where('r.authority_id', '=', authorityId)
    .where('r.follow_up_sent_on', 'is not', null)
    .where(
      sql<boolean>`EXISTS (SELECT 1 FROM protocol_instances i WHERE i.id = r.follow_up_instance_id AND i.status = 'open')`,
    )
    .orderBy('r.follow_up_due')
    .select([
      'r.id',
      'r.assessment_id',
      'r.person_id',
      'r.kind',
      'r.follow_up_sent_on',
      'r.follow_up_due',
      caseNumberOf(sql.ref('r.person_id')).as('case_number'),
      'g.display_name as giver_name',
      'resp.display_name as responsible_name',
      's.name as service_name',
    ])
    .execute();
}

/** Advice outstanding, counted in SQL by provider and team name (and how much of it is past its due date). */
export async function outstandingAdvice(db: Executor, authorityId: string, today: string) {
  return db
    .selectFrom('ehcp_advice_requests as r')
    .innerJoin('ehcp_assessments as a', 'a.id', 'r.assessment_id')
    .leftJoin('services as s', 's.id', 'r.service_id')
    .leftJoin('teams as t', 't.id', 'r.team_id')
    .where('r.authority_id', '=', authorityId)
    .where('r.status', '=', 'requested')
    .where(isOpen)
    .groupBy(['s.name', 't.name'])
    .select([
      's.name as service_name',
      't.name as team_name',
      // bigint: read as a number (src/db/database.ts sets the parser).
      sql<number>`count(*)`.as('outstanding'),
      sql<number>`count(*) FILTER (WHERE r.due_date < ${today})`.as('overdue'),
    ])
    .execute();
}

/**
 * Open assessments not yet finished, each with the dates its clocks need (clocks.ts): its exception periods and its
 * advice requests, aggregated per assessment over the council's rows in the same statement (one pass over each
 * table, hashed, rather than a probe per assessment).
 */
export async function openAssessmentsWithDates(db: Executor, authorityId: string) {
  return db
    .with('exc', (w) =>
      w
        .selectFrom('ehcp_exceptions as e')
        .where('e.authority_id', '=', authorityId)
        .groupBy('e.assessment_id')
        .select([
          'e.assessment_id',
          sql<ExceptionPeriod[]>`json_agg(json_build_object('start_date', e.start_date, 'end_date', e.end_date))`.as(
            'list',
          ),
        ]),
    )
    .with('adv', (w) =>
      w
        .selectFrom('ehcp_advice_requests as r')
        .where('r.authority_id', '=', authorityId)
        .groupBy('r.assessment_id')
        .select([
          'r.assessment_id',
          sql<AdviceDates[]>`json_agg(json_build_object('status', r.status, 'due_date', r.due_date,
            'received_date', r.received_date, 'follow_up_due', r.follow_up_due,
            'follow_up_closed_on', r.follow_up_closed_on))`.as('list'),
        ]),
    )
    .with('dn', (w) =>
      w
        .selectFrom('ehcp_delay_notices as d')
        .where('d.authority_id', '=', authorityId)
        .groupBy('d.assessment_id')
        .select(['d.assessment_id', sql<number>`count(*)`.as('n')]),
    )
    .selectFrom('ehcp_assessments as a')
    .leftJoin('users as c', 'c.id', 'a.coordinator_id')
    .leftJoin('exc', 'exc.assessment_id', 'a.id')
    .leftJoin('adv', 'adv.assessment_id', 'a.id')
    .leftJoin('dn', 'dn.assessment_id', 'a.id')
    .where('a.authority_id', '=', authorityId)
    .where(isOpen)
    .where('a.final_issued_date', 'is', null)
    .where('a.not_issue_date', 'is', null)
    .where((eb) => eb.or([eb('a.decision_to_assess', 'is', null), eb('a.decision_to_assess', '=', 'assess')]))
    .select([
      'a.id',
      'a.person_id',
      'a.request_date',
      'a.decision_to_assess',
      'a.decision_date',
      'a.not_issue_date',
      'a.draft_served_date',
      'a.final_issued_date',
      caseNumberOf(sql.ref('a.person_id')).as('case_number'),
      'c.display_name as coordinator_name',
      sql<number>`coalesce(dn.n, 0)`.as('delay_notices'),
      sql<ExceptionPeriod[]>`coalesce(exc.list, '[]')`.as('exceptions'),
      sql<AdviceDates[]>`coalesce(adv.list, '[]')`.as('advice'),
    ])
    .execute();
}
