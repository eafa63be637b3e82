// The review clock on every plan, driven by the engine: each review is an `ehc-annual-review` instance. A final
// plan issued starts the first cycle (due within 12 months starting with the day it was made, CFA 2014 s.44(1)); a
// decision after a review starts the next (12 months starting with the meeting); a plan transferred in is reviewed
// by the later of 12 months from being made or last reviewed and 3 months from the transfer (reg 15(5)); a plan that
// ceases or leaves the council closes its open review. In a phase-transfer year (reg 18) the review records the
// transfer and its date, and its meeting and decision are due early enough for the amendment to follow by then.
// Everything here runs inside the transaction of whoever caused it (a hook, a listener, a page's change).
import type { Tx } from '../../db/database.ts';
import type { ReviewDueBasis } from '../../db/schema-ehc-reviews.ts';
import { schoolYear } from '../../domain/age.ts';
import { addDays } from '../../domain/calendar.ts';
import {
  decisionPhaseBound,
  meetingBy,
  noticeBy,
  reviewDueAfter,
  reviewDueAfterTransfer,
} from '../../domain/ehc-review.ts';
import { type DueTransfer, transferInYear } from '../../domain/phase-transfer.ts';
import { ehcAnnualReview } from '../../protocols/ehc-annual-review.ts';
import type { PlanEvent, PlanEvents } from '../ehc-plans/events.ts';
import type { Flow, FlowEvent, ProtocolService } from '../protocols/service.ts';
import type { ReviewDeps } from './context.ts';
import { reviewChange } from './context.ts';
import * as repo from './repository.ts';

/**
 * The transfer a review due by `dueDate` must work to: the next reg 18 date on or after `today` whose last school
 * year before the transfer (from 1 September of the year before) has begun by the due date. Null when none.
 */
export function transferForReview(dateOfBirth: string, today: string, dueDate: string): DueTransfer | null {
  const y = Number(today.slice(0, 4));
  for (const year of [y, y + 1, y + 2]) {
    const t = transferInYear(dateOfBirth, year);
    if (t && t.deadline >= today && `${year - 1}-09-01` <= dueDate) return t;
  }
  return null;
}

/** Weeks after a plan is first made before its first review meeting can be due (see firstMeetingBy). */
export const FIRST_MEETING_WEEKS = 4;

/**
 * What the first review of a plan made on `madeOn` must be held by: meetingBy (reg 18's point in a transfer year),
 * but never before 4 weeks after the plan was made — 2 weeks to arrange it and ask for advice, then the 2 weeks'
 * notice and advice circulation reg 20(3), (4) require — and never after the review's own due date (s.44(1)). So a
 * plan first issued in its transfer year, after reg 18's point, is not overdue the day it is made; its review and
 * any amendment still follow, as reg 18 asks, as soon as they lawfully can (decisions: H4, issue 20).
 */
export function firstMeetingBy(dueDate: string, transferDeadline: string | null, madeOn: string | null): string {
  const by = meetingBy(dueDate, transferDeadline);
  if (!madeOn) return by;
  const earliest = addDays(madeOn, 7 * FIRST_MEETING_WEEKS);
  return [[by, earliest].sort()[1]!, dueDate].sort()[0]!;
}

/** Whether the young person is in Year 9 or above on `date`, when a review must cover preparing for adulthood. */
export function needsPfa(dateOfBirth: string, date: string): boolean {
  return (schoolYear(dateOfBirth, date) ?? -1) >= 9;
}

export function driveReviews(protocols: ProtocolService, d: () => ReviewDeps): Flow<typeof ehcAnnualReview> {
  return protocols.drive(ehcAnnualReview, {
    where: 'record each stage on the review page (the EHC plan, then Reviews)',
    hooks: { ended: (e) => reviewEnded(d(), e) },
  });
}

/** Starts a review cycle on a plan: its row, the plan's projected due date and its protocol instance. */
export async function startCycle(
  d: ReviewDeps,
  tx: Tx,
  e: { planId: string; authorityId: string; actorId: string | null },
  due: { date: string; basis: ReviewDueBasis },
): Promise<string | null> {
  const plan = await repo.planById(tx, e.authorityId, e.planId);
  if (!plan || plan.status === 'ceased' || plan.status === 'transferred_out') return null;
  if ((await repo.openReviewsOfPlan(tx, plan.id)).length) return null;
  const actorId = e.actorId ?? plan.coordinator_id ?? (await repo.someSendManager(tx, e.authorityId));
  if (!actorId) return null;
  const transfer = transferForReview(plan.date_of_birth, d.today(), due.date);
  const reviewId = await repo.insertReview(tx, {
    authority_id: plan.authority_id,
    plan_id: plan.id,
    person_id: plan.person_id,
    due_date: due.date,
    due_basis: due.basis,
    transfer_phase: transfer?.phase ?? null,
    transfer_deadline: transfer?.deadline ?? null,
  });
  await repo.setPlanReviewDates(tx, plan.id, { review_due_date: due.date }, d.now());
  const by = firstMeetingBy(
    due.date,
    transfer?.deadline ?? null,
    due.basis === 'first' ? plan.first_issued_date : null,
  );
  const instanceId = await d.flow.start(tx, { id: actorId, authorityId: plan.authority_id }, plan.person_id, {
    anchors: { meeting_by: by, notice_by: noticeBy(by) },
    data: { coordinator: plan.coordinator_id ?? actorId, plan_id: plan.id, review_id: reviewId },
  });
  await repo.setReviewInstance(tx, reviewId, instanceId);
  await reviewChange(
    tx,
    { id: e.actorId, authorityId: plan.authority_id },
    plan.person_id,
    `EHC plan review due by ${due.date}`,
    transfer ? `Phase transfer: the amended plan is due by ${transfer.deadline} (${transfer.source})` : null,
    { action: 'start', entityId: reviewId, detail: { basis: due.basis, due: due.date } },
  );
  return reviewId;
}

/** The meeting held: the anchors the report and the decision count from (and the reg 18 bound on the decision). */
export function heldAnchors(meetingHeld: string, transferDeadline: string | null): Record<string, string | null> {
  return { meeting_held: meetingHeld, phase_decision_due: decisionPhaseBound(meetingHeld, transferDeadline) };
}

/** The `ended` hook: the review's status (the projection), and after a decision the plan's dates and next cycle. */
async function reviewEnded(d: ReviewDeps, e: FlowEvent<typeof ehcAnnualReview> & { result: string }) {
  const reviewId = String(e.data.review_id ?? '');
  const review = reviewId ? await repo.lockReview(e.tx, reviewId) : undefined;
  if (!review) return;
  if (e.result === 'closed') {
    await repo.setReviewStatus(e.tx, review.id, 'closed', d.now());
    await repo.cancelOpenAdvice(e.tx, review.id);
    return;
  }
  const decision = e.result as 'maintain' | 'amend' | 'cease';
  const held = review.meeting_held_date ?? d.today();
  await repo.setReviewStatus(e.tx, review.id, 'decided', d.now());
  await repo.cancelOpenAdvice(e.tx, review.id);
  await repo.setPlanReviewDates(e.tx, review.plan_id, { last_review_date: held, review_due_date: null }, d.now());
  await d.events.emit(e.tx, 'reviewDecided', {
    planId: review.plan_id,
    personId: review.person_id,
    authorityId: review.authority_id,
    actorId: e.actorId,
    at: d.now(),
    date: review.decision_date ?? d.today(),
    reviewId: review.id,
    meetingDate: held,
    decision,
  });
}

/** The listeners on the plan's events: each starts, moves or closes the review clock in the emitter's transaction. */
export function listen(events: PlanEvents, d: () => ReviewDeps): void {
  events.on('finalIssued', (tx, e) =>
    startCycle(d(), tx, e, { date: reviewDueAfter(e.date), basis: 'first' }).then(() => undefined),
  );
  events.on('reviewDecided', (tx, e) =>
    startCycle(d(), tx, e, { date: reviewDueAfter(e.meetingDate), basis: 'annual' }).then(() => undefined),
  );
  events.on('transferredIn', async (tx, e) => {
    const plan = await repo.planById(tx, e.authorityId, e.planId);
    const made = e.lastReviewDate ?? plan?.first_issued_date ?? null;
    await startCycle(d(), tx, e, { date: reviewDueAfterTransfer(made, e.date), basis: 'transfer_in' });
  });
  const close = (tx: Tx, e: PlanEvent) => closeOpen(d(), tx, e);
  events.on('ceased', close);
  events.on('transferredOut', close);
}

/** Ends the plan's open review (the protocol's `closed` outcome) and clears its due date. */
async function closeOpen(d: ReviewDeps, tx: Tx, e: PlanEvent) {
  for (const r of await repo.openReviewsOfPlan(tx, e.planId)) {
    if (r.protocol_instance_id) await d.flow.advance(tx, r.protocol_instance_id, 'closed', e.actorId, { ifOpen: true });
    else await repo.setReviewStatus(tx, r.id, 'closed', d.now());
  }
  await repo.setPlanReviewDates(tx, e.planId, { review_due_date: null }, d.now());
}
