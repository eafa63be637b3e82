// The EHC plan module's SQL (issue 20): plans, their versions, representations and consultations, the advice a
// draft is made from, and the SEND manager's caseload.
import { type ExpressionBuilder, sql } from 'kysely';
import type { Executor, Tx } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { PlanSections } from '../../domain/ehc-plan.ts';
import type { CaseloadFilter } from './schemas.ts';

export async function findPlan(db: Executor, authorityId: string, planId: string) {
  return db
    .selectFrom('ehc_plans as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .leftJoin('users as c', 'c.id', 'e.coordinator_id')
    .where('e.id', '=', planId)
    .where('e.authority_id', '=', authorityId)
    .selectAll('e')
    .select(['p.case_number', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'c.display_name as coordinator_name'])
    .executeTakeFirst();
}
export type PlanRow = NonNullable<Awaited<ReturnType<typeof findPlan>>>;

export async function lockPlan(tx: Tx, planId: string) {
  return tx.selectFrom('ehc_plans').selectAll().where('id', '=', planId).forUpdate().executeTakeFirst();
}

export async function planOfPerson(db: Executor, authorityId: string, personId: string) {
  return db
    .selectFrom('ehc_plans')
    .where('authority_id', '=', authorityId)
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .select(['id', 'status', 'first_issued_date', 'review_due_date'])
    .execute();
}

/** The assessment's plan, unless withdrawn (a withdrawn draft no longer stands for it). */
export async function planOfAssessment(db: Executor, assessmentId: string) {
  return db
    .selectFrom('ehc_plans')
    .selectAll()
    .where('assessment_id', '=', assessmentId)
    .where('status', '!=', 'withdrawn')
    .executeTakeFirst();
}

/** The young person's live plan (draft or final) in one council, locked. */
export async function livePlanLocked(tx: Tx, authorityId: string, personId: string) {
  return tx
    .selectFrom('ehc_plans')
    .selectAll()
    .where('authority_id', '=', authorityId)
    .where('person_id', '=', personId)
    .where('status', 'in', ['draft', 'final'])
    .forUpdate()
    .executeTakeFirst();
}

/** A draft withdrawn (the projection of its assessment's end, or of a move away): frozen with its reason. */
export async function markWithdrawn(tx: Tx, planId: string, w: { date: string; reason: string }, at: Date) {
  await tx
    .updateTable('ehc_plan_versions')
    .set((eb) => ({ state: 'withdrawn', version: eb('version', '+', 1), updated_at: at }))
    .where('plan_id', '=', planId)
    .where('state', '=', 'editing')
    .execute();
  await tx
    .updateTable('ehc_plans')
    .set((eb) => ({
      status: 'withdrawn',
      withdrawn_date: w.date,
      withdrawn_reason: w.reason,
      version: eb('version', '+', 1),
      updated_at: at,
    }))
    .where('id', '=', planId)
    .execute();
}

export async function insertPlan(
  tx: Tx,
  v: { authorityId: string; personId: string; assessmentId: string; coordinatorId: string | null; at: Date },
) {
  return tx
    .insertInto('ehc_plans')
    .values({
      authority_id: v.authorityId,
      person_id: v.personId,
      assessment_id: v.assessmentId,
      coordinator_id: v.coordinatorId,
      created_at: v.at,
      updated_at: v.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function bumpPlan(tx: Tx, planId: string, at: Date) {
  await tx
    .updateTable('ehc_plans')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', planId)
    .execute();
}

export async function versionsOf(db: Executor, planId: string) {
  return db
    .selectFrom('ehc_plan_versions as v')
    .leftJoin('users as u', 'u.id', 'v.issued_by')
    .where('v.plan_id', '=', planId)
    .orderBy('v.number', 'desc')
    .selectAll('v')
    .select('u.display_name as issued_by_name')
    .execute();
}
export type VersionRow = Awaited<ReturnType<typeof versionsOf>>[number];

export async function findVersion(db: Executor, planId: string, versionId: string) {
  return db
    .selectFrom('ehc_plan_versions')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('id', '=', versionId)
    .executeTakeFirst();
}

export async function lockVersion(tx: Tx, planId: string, versionId: string) {
  return tx
    .selectFrom('ehc_plan_versions')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('id', '=', versionId)
    .forUpdate()
    .executeTakeFirst();
}

/** Writes an editing version's fields and moves its version on. */
export async function updateVersion(
  tx: Tx,
  versionId: string,
  set: {
    sections?: PlanSections;
    setting_name?: string | null;
    setting_urn?: string | null;
    sen_setting?: string | null;
    sen_needs?: string[];
  },
  at: Date,
) {
  const { sections, ...rest } = set;
  await tx
    .updateTable('ehc_plan_versions')
    .set((eb) => ({
      ...rest,
      ...(sections ? { sections: JSON.stringify(sections) } : {}),
      version: eb('version', '+', 1),
      updated_at: at,
    }))
    .where('id', '=', versionId)
    .where('state', '=', 'editing')
    .execute();
}

/** The advice received for an assessment: who gave it, its kind, the day received, and the latest text sent. */
export async function adviceReceived(db: Executor, assessmentId: string) {
  return db
    .selectFrom('ehcp_advice_requests as r')
    .innerJoin('users as g', 'g.id', 'r.giver_user_id')
    .leftJoin('services as s', 's.id', 'r.service_id')
    .where('r.assessment_id', '=', assessmentId)
    .where('r.status', '=', 'received')
    .orderBy('r.received_date')
    .orderBy('r.created_at')
    .select([
      'r.id',
      'r.kind',
      'r.received_date',
      'g.display_name as giver_name',
      's.name as service_name',
      (eb) =>
        eb
          .selectFrom('ehcp_advice_submissions as x')
          .whereRef('x.request_id', '=', 'r.id')
          .where('x.kind', 'in', ['advice', 'updated_advice'])
          .orderBy('x.submitted_at', 'desc')
          .limit(1)
          .select('x.body')
          .as('body'),
    ])
    .execute();
}
export type AdviceRow = Awaited<ReturnType<typeof adviceReceived>>[number];

export async function representationsOf(db: Executor, planId: string) {
  return db
    .selectFrom('ehc_plan_representations as r')
    .innerJoin('ehc_plan_versions as v', 'v.id', 'r.version_id')
    .where('r.plan_id', '=', planId)
    .orderBy('r.received_date')
    .orderBy('r.created_at')
    .selectAll('r')
    .select('v.number as version_number')
    .execute();
}

export async function consultationsOf(db: Executor, planId: string) {
  return db
    .selectFrom('ehc_setting_consultations as c')
    .leftJoin('protocol_instances as i', 'i.id', 'c.protocol_instance_id')
    .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .where('c.plan_id', '=', planId)
    .orderBy('c.sent_date')
    .orderBy('c.created_at')
    .selectAll('c')
    .select(['i.status as instance_status', 's.due_date', 's.escalations'])
    .execute();
}

export async function findConsultation(db: Executor, planId: string, consultationId: string) {
  return db
    .selectFrom('ehc_setting_consultations')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('id', '=', consultationId)
    .executeTakeFirst();
}

/** The coordinators whose plans a user sees on the caseload: their own, their teams', their reports'. */
function inScope(eb: ExpressionBuilder<Database & { e: Database['ehc_plans'] }, 'e'>, user: Viewer) {
  const ors = [
    eb('e.coordinator_id', '=', user.id),
    eb.exists(
      eb
        .selectFrom('users as lm')
        .whereRef('lm.id', '=', 'e.coordinator_id')
        .where('lm.line_manager_id', '=', user.id)
        .select(sql.lit(1).as('one')),
    ),
  ];
  if (user.teamIds.length)
    ors.push(
      eb.exists(
        eb
          .selectFrom('team_members as tm')
          .whereRef('tm.user_id', '=', 'e.coordinator_id')
          .where('tm.team_id', 'in', user.teamIds)
          .select(sql.lit(1).as('one')),
      ),
    );
  return eb.or(ors);
}

/**
 * The caseload's scope, for other modules' lists of plans (the plans table aliased `e`, as here): every plan for a
 * whole-council viewer, else the plans `inScope` admits. The one definition of whose plans a user sees.
 */
export function planInScope(eb: ExpressionBuilder<Database & { e: Database['ehc_plans'] }, 'e'>, user: Viewer) {
  return user.wholeCouncil ? sql<boolean>`true` : inScope(eb, user);
}

/** The viewer of a caseload: a SEND manager (`ehcp:report`) sees the whole council. */
export const viewerOf = (user: {
  id: string;
  authorityId: string;
  teamIds: string[];
  caps: ReadonlySet<string>;
}): Viewer => ({
  id: user.id,
  authorityId: user.authorityId,
  teamIds: user.teamIds,
  wholeCouncil: user.caps.has('ehcp:report'),
});

export interface Viewer {
  id: string;
  authorityId: string;
  teamIds: string[];
  /** Sees the whole council's plans (a SEND manager). */
  wholeCouncil: boolean;
}

/** An open instance of `protocolId` on the plan's young person (the review and amendment protocols of issue 20). */
const openProtocol = (
  eb: ExpressionBuilder<Database & { e: Database['ehc_plans'] }, 'e'>,
  protocolId: string,
  overdueBefore?: string,
) => {
  let q = eb
    .selectFrom('protocol_instances as pi')
    .whereRef('pi.person_id', '=', 'e.person_id')
    .whereRef('pi.authority_id', '=', 'e.authority_id')
    .where('pi.protocol_id', '=', protocolId)
    .where('pi.status', '=', 'open');
  if (overdueBefore)
    q = q.innerJoin('protocol_steps as ps', 'ps.id', 'pi.current_step_id').where('ps.due_date', '<', overdueBefore);
  return eb.exists(q.select(sql.lit(1).as('one')));
};

/** One page of the caseload, and how many plans match. */
export async function caseload(
  db: Executor,
  user: Viewer,
  o: { filter: CaseloadFilter; today: string; limit: number; offset: number },
) {
  let q = db
    .selectFrom('ehc_plans as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .leftJoin('users as c', 'c.id', 'e.coordinator_id')
    .where('e.authority_id', '=', user.authorityId)
    .where('e.status', 'in', ['draft', 'final']);
  if (!user.wholeCouncil) q = q.where((eb) => inScope(eb, user));
  if (o.filter === 'drafts') q = q.where('e.status', '=', 'draft');
  if (o.filter === 'reviews_overdue')
    q = q.where((eb) =>
      eb.and([
        eb('e.status', '=', 'final'),
        eb.or([eb('e.review_due_date', '<', o.today), openProtocol(eb, 'ehc-annual-review', o.today)]),
      ]),
    );
  if (o.filter === 'amendments_waiting') q = q.where((eb) => openProtocol(eb, 'ehc-plan-amendment'));
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select((eb) => [
      'e.id',
      'e.person_id',
      'e.status',
      'e.first_issued_date',
      'e.last_issued_date',
      'e.review_due_date',
      'p.case_number',
      'p.given_name',
      'p.family_name',
      'c.display_name as coordinator_name',
      openProtocol(eb, 'ehc-plan-amendment').as('amendment_waiting'),
      openProtocol(eb, 'ehc-annual-review', o.today).as('review_step_overdue'),
    ])
    .orderBy(sql`e.review_due_date IS NULL`)
    .orderBy('e.review_due_date')
    .orderBy('p.family_name')
    .orderBy('e.id')
    .limit(o.limit)
    .offset(o.offset)
    .execute();
  return { total: Number(total.n), rows };
}
