// The SQL of the ehc-reviews module, and nothing else.
import { sql } from 'kysely';
import type { Executor, Tx } from '../../db/database.ts';
import type { EhcReviewTable, ReviewDueBasis } from '../../db/schema-ehc-reviews.ts';

export async function planById(db: Executor, authorityId: string, planId: string) {
  return db
    .selectFrom('ehc_plans as pl')
    .innerJoin('people as p', 'p.id', 'pl.person_id')
    .leftJoin('users as c', 'c.id', 'pl.coordinator_id')
    .where('pl.id', '=', planId)
    .where('pl.authority_id', '=', authorityId)
    .select([
      'pl.id',
      'pl.authority_id',
      'pl.person_id',
      'pl.status',
      'pl.coordinator_id',
      'pl.first_issued_date',
      'pl.last_issued_date',
      'pl.last_review_date',
      'pl.review_due_date',
      'p.case_number',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'c.display_name as coordinator_name',
    ])
    .executeTakeFirst();
}

export async function lockPlan(tx: Tx, planId: string) {
  return tx
    .selectFrom('ehc_plans')
    .where('id', '=', planId)
    .forUpdate()
    .select(['id', 'authority_id', 'person_id', 'status', 'coordinator_id', 'first_issued_date'])
    .executeTakeFirst();
}

export async function setPlanReviewDates(
  tx: Tx,
  planId: string,
  dates: { review_due_date?: string | null; last_review_date?: string },
  at: Date,
) {
  await tx
    .updateTable('ehc_plans')
    .set({ ...dates, updated_at: at })
    .where('id', '=', planId)
    .execute();
}

export async function insertReview(
  tx: Tx,
  r: {
    authority_id: string;
    plan_id: string;
    person_id: string;
    due_date: string;
    due_basis: ReviewDueBasis;
    transfer_phase: EhcReviewTable['transfer_phase'];
    transfer_deadline: string | null;
  },
) {
  return (await tx.insertInto('ehc_reviews').values(r).returning('id').executeTakeFirstOrThrow()).id;
}

export async function setReviewInstance(tx: Tx, reviewId: string, instanceId: string) {
  await tx.updateTable('ehc_reviews').set({ protocol_instance_id: instanceId }).where('id', '=', reviewId).execute();
}

const reviewColumns = [
  'r.id',
  'r.authority_id',
  'r.plan_id',
  'r.person_id',
  'r.protocol_instance_id',
  'r.due_date',
  'r.due_basis',
  'r.transfer_phase',
  'r.transfer_deadline',
  'r.status',
  'r.meeting_date',
  'r.invites_sent_date',
  'r.advice_circulated_date',
  'r.meeting_held_date',
  'r.attendees',
  'r.child_views',
  'r.parent_views',
  'r.pfa',
  'r.report',
  'r.report_sent_date',
  'r.decision',
  'r.decision_reasons',
  'r.decision_date',
  'r.version',
  'r.created_at',
] as const;

export async function reviewOf(db: Executor, planId: string, reviewId: string) {
  return db
    .selectFrom('ehc_reviews as r')
    .where('r.id', '=', reviewId)
    .where('r.plan_id', '=', planId)
    .select(reviewColumns)
    .executeTakeFirst();
}

export async function lockReview(tx: Tx, reviewId: string) {
  return tx
    .selectFrom('ehc_reviews as r')
    .where('r.id', '=', reviewId)
    .forUpdate()
    .select(reviewColumns)
    .executeTakeFirst();
}

export async function reviewsOfPlan(db: Executor, planId: string) {
  return db
    .selectFrom('ehc_reviews as r')
    .where('r.plan_id', '=', planId)
    .orderBy('r.created_at', 'desc')
    .select(reviewColumns)
    .execute();
}

export async function openReviewsOfPlan(db: Executor, planId: string) {
  return db
    .selectFrom('ehc_reviews as r')
    .where('r.plan_id', '=', planId)
    .where('r.status', '=', 'open')
    .select(['r.id', 'r.protocol_instance_id'])
    .execute();
}

/** Writes the module's own record of a stage and moves the version on; false when the version read is stale. */
export async function updateReview(
  tx: Tx,
  reviewId: string,
  version: number | null,
  set: Partial<{
    meeting_date: string;
    invites_sent_date: string;
    advice_circulated_date: string;
    meeting_held_date: string;
    attendees: string | null;
    child_views: string | null;
    parent_views: string | null;
    pfa: string | null;
    report: string;
    report_sent_date: string;
    decision: 'maintain' | 'amend' | 'cease';
    decision_reasons: string;
    decision_date: string;
  }>,
  at: Date,
): Promise<boolean> {
  let q = tx
    .updateTable('ehc_reviews')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', reviewId);
  if (version !== null) q = q.where('version', '=', version);
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
}

export async function setReviewStatus(tx: Tx, reviewId: string, status: 'decided' | 'closed', at: Date) {
  await tx
    .updateTable('ehc_reviews')
    .set((eb) => ({ status, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', reviewId)
    .execute();
}

/** A member of staff who can start the review when no one acted (a timer, an import): any active SEND manager. */
export async function someSendManager(db: Executor, authorityId: string) {
  return (
    await db
      .selectFrom('users')
      .where('authority_id', '=', authorityId)
      .where('active', '=', true)
      .where(sql<boolean>`roles && ARRAY['send_manager', 'admin']::text[]`)
      .orderBy('created_at')
      .select('id')
      .executeTakeFirst()
  )?.id;
}

// ---- advice requests

export async function insertAdviceRequest(
  tx: Tx,
  r: {
    authority_id: string;
    review_id: string;
    person_id: string;
    giver_user_id: string;
    requested_by: string;
    question: string;
    requested_date: string;
    due_date: string;
  },
) {
  return (await tx.insertInto('ehc_review_advice_requests').values(r).returning('id').executeTakeFirstOrThrow()).id;
}

export async function adviceOfReview(db: Executor, reviewId: string) {
  return db
    .selectFrom('ehc_review_advice_requests as a')
    .innerJoin('users as g', 'g.id', 'a.giver_user_id')
    .where('a.review_id', '=', reviewId)
    .orderBy('a.created_at')
    .select([
      'a.id',
      'a.question',
      'a.requested_date',
      'a.due_date',
      'a.status',
      'a.answer',
      'a.answered_date',
      'g.display_name as giver_name',
      'g.job_title as giver_role',
    ])
    .execute();
}

export async function adviceForGiver(db: Executor, userId: string, requestId: string) {
  return db
    .selectFrom('ehc_review_advice_requests as a')
    .innerJoin('ehc_reviews as r', 'r.id', 'a.review_id')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .leftJoin('ehc_plans as pl', 'pl.id', 'r.plan_id')
    .leftJoin('users as c', 'c.id', 'pl.coordinator_id')
    .where('a.id', '=', requestId)
    .where('a.giver_user_id', '=', userId)
    .select([
      'a.id',
      'a.authority_id',
      'a.person_id',
      'a.question',
      'a.requested_date',
      'a.due_date',
      'a.status',
      'a.answer',
      'a.answered_date',
      'a.version',
      'a.review_id',
      'a.requested_by',
      'r.plan_id',
      'pl.coordinator_id',
      'r.meeting_date',
      'r.status as review_status',
      'p.case_number',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'c.display_name as coordinator_name',
    ])
    .executeTakeFirst();
}

export async function adviceAddressedTo(db: Executor, user: { id: string; authorityId: string }, openOnly: boolean) {
  let q = db
    .selectFrom('ehc_review_advice_requests as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .where('a.authority_id', '=', user.authorityId)
    .where('a.giver_user_id', '=', user.id)
    .where('a.status', '!=', 'cancelled');
  if (openOnly) q = q.where('a.status', '=', 'requested');
  return q
    .orderBy('a.due_date')
    .limit(500)
    .select(['a.id', 'a.person_id', 'a.status', 'a.due_date', 'a.requested_date', 'p.case_number'])
    .execute();
}

/** The open request already made of this giver for this review (a double submit finds it). */
export async function openAdviceFrom(tx: Tx, reviewId: string, giverUserId: string) {
  return tx
    .selectFrom('ehc_review_advice_requests')
    .where('review_id', '=', reviewId)
    .where('giver_user_id', '=', giverUserId)
    .where('status', '=', 'requested')
    .select('id')
    .executeTakeFirst();
}

export async function answerAdvice(tx: Tx, requestId: string, version: number, answer: string, on: string) {
  const r = await tx
    .updateTable('ehc_review_advice_requests')
    .set((eb) => ({ answer, answered_date: on, status: 'received' as const, version: eb('version', '+', 1) }))
    .where('id', '=', requestId)
    .where('status', '=', 'requested')
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function cancelOpenAdvice(tx: Tx, reviewId: string) {
  await tx
    .updateTable('ehc_review_advice_requests')
    .set({ status: 'cancelled' })
    .where('review_id', '=', reviewId)
    .where('status', '=', 'requested')
    .execute();
}

/** Staff an advice request may go to: active accounts of the council that can give advice. */
export async function adviceGiverOption(db: Executor, authorityId: string, userId: string) {
  return db
    .selectFrom('users')
    .where('id', '=', userId)
    .where('authority_id', '=', authorityId)
    .where('active', '=', true)
    .where(sql<boolean>`'advice_giver' = ANY(roles)`)
    .select(['id', 'display_name'])
    .executeTakeFirst();
}

export async function adviceGiverOptions(db: Executor, authorityId: string) {
  return db
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where('active', '=', true)
    .where(sql<boolean>`'advice_giver' = ANY(roles)`)
    .orderBy('display_name')
    .limit(200)
    .select(['id', 'display_name', 'job_title'])
    .execute();
}
