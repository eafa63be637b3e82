// Advice and information for a review meeting (SEND Regulations 2014 reg 20(4)): the coordinator asks an advice
// giver; the giver sees the requests addressed to them (their list, My work) and answers on the request's own page,
// which opens that request only, never the young person's record; the coordinator reads the answers on the review.
import { noticeBy } from '../../domain/ehc-review.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { checkVersion, requireVersion, StaleVersion } from '../../http/versions.ts';
import { auditBy, insertAccess } from '../audit/repository.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { planFor, type ReviewDeps, reviewChange, reviewFor } from './context.ts';
import * as repo from './repository.ts';
import type { At } from './reviews.ts';
import type { AdviceRequestInput, AnswerInput } from './schemas.ts';

export const reviewAdviceRef = (caseNumber: string, id: string) => `${caseNumber}/RA-${id.slice(0, 8).toUpperCase()}`;

/**
 * Asks an advice giver for advice for the review; due 2 weeks before the meeting (or the latest meeting date). The
 * review row is locked first, so a double click finds the request the first click made (one open request per giver
 * and review) and answers with it (`created: false`), writing nothing more.
 */
export async function requestAdvice(
  d: ReviewDeps,
  user: AuthUser,
  at: At,
  x: AdviceRequestInput,
): Promise<{ id: string; created: boolean }> {
  return d.db.transaction().execute(async (tx) => {
    const { plan } = await planFor(tx, d, user, at.planId);
    await reviewFor(tx, at.planId, at.reviewId);
    const review = (await repo.lockReview(tx, at.reviewId))!;
    if (review.status !== 'open') throw new Conflict('This review has ended: advice can no longer be asked for it.');
    const giver = await repo.adviceGiverOption(tx, user.authorityId, x.giver_user_id);
    if (!giver)
      throw new ValidationError({
        giver_user_id: 'Choose the advice giver from the list: advice can only be asked of an advice giver',
      });
    const already = await repo.openAdviceFrom(tx, review.id, giver.id);
    if (already) return { id: already.id, created: false };
    const state = review.protocol_instance_id ? await d.flow.state(tx, review.protocol_instance_id) : null;
    const meetingBy = review.meeting_date ?? state?.anchors.meeting_by ?? review.due_date;
    const today = d.today();
    const due = [noticeBy(meetingBy), today].sort()[1]!;
    const id = await repo.insertAdviceRequest(tx, {
      authority_id: user.authorityId,
      review_id: review.id,
      person_id: review.person_id,
      giver_user_id: giver.id,
      requested_by: user.id,
      question: x.question,
      requested_date: today,
      due_date: due,
    });
    await notifyUser(tx, {
      authorityId: user.authorityId,
      userId: giver.id,
      message: `Advice is asked of you for an EHC plan review, due ${due}`,
      link: `/ehc-plans/review-advice/${id}`,
      reference: reviewAdviceRef(plan.case_number, id),
      baseUrl: d.config.baseUrl,
      email: true,
      at: d.now(),
    });
    await reviewChange(
      tx,
      user,
      review.person_id,
      `Advice asked for the EHC plan review from ${giver.display_name}`,
      null,
      {
        action: 'request_advice',
        entityId: review.id,
        detail: { requestId: id },
      },
    );
    return { id, created: true };
  });
}

/** The requests for review advice addressed to the user (their list). */
export async function myReviewRequests(d: ReviewDeps, user: AuthUser, openOnly = false) {
  const today = d.today();
  return (await repo.adviceAddressedTo(d.db, user, openOnly)).map((r) => ({
    id: r.id,
    reference: reviewAdviceRef(r.case_number, r.id),
    status: r.status,
    requestedDate: r.requested_date,
    dueDate: r.due_date,
    overdue: r.status === 'requested' && today > r.due_date,
  }));
}

/** One request, to whom it is addressed only (else not found); the read is logged against the young person. */
export async function requestForGiver(d: ReviewDeps, user: AuthUser, requestId: string, channel: 'page' | 'api') {
  return d.db.transaction().execute(async (tx) => {
    const r = await repo.adviceForGiver(tx, user.id, requestId);
    if (!r || r.authority_id !== user.authorityId)
      throw new NotFound('No review advice request with that reference is addressed to you.');
    // A withdrawn request (the review closed, the plan ceased or moved) no longer opens the young person's details.
    if (r.status === 'cancelled')
      throw new NotFound('This request for review advice was withdrawn, so there is nothing to answer.');
    await insertAccess(tx, {
      authorityId: user.authorityId,
      personId: r.person_id,
      userId: user.id,
      channel,
      purpose: 'review-advice-request',
      breakGlassId: null,
    });
    return {
      ...r,
      reference: reviewAdviceRef(r.case_number, r.id),
      overdue: r.status === 'requested' && d.today() > r.due_date,
    };
  });
}

const READ_AGAIN = 'GET /api/v1/ehc-reviews/advice-requests/{requestId}, or the request page';

/**
 * The giver's answer: once, while the review is open, with the version read (required: a stale one is a 409). The
 * plan's coordinator (else whoever asked) is told in the same transaction: a link and the request's reference only.
 */
export async function answer(d: ReviewDeps, user: AuthUser, requestId: string, x: AnswerInput) {
  const version = requireVersion(x.version, READ_AGAIN);
  await d.db.transaction().execute(async (tx) => {
    const r = await repo.adviceForGiver(tx, user.id, requestId);
    if (!r || r.authority_id !== user.authorityId)
      throw new NotFound('No review advice request with that reference is addressed to you.');
    if (r.status !== 'requested') throw new Conflict('This request has already been answered or withdrawn.');
    checkVersion('request for review advice', r.version, version, READ_AGAIN);
    if (!(await repo.answerAdvice(tx, r.id, version, x.answer, d.today())))
      throw new StaleVersion('request for review advice', version, READ_AGAIN);
    await auditBy(tx, user, {
      action: 'answer',
      entity: 'ehc_review_advice_request',
      entityId: r.id,
      personId: r.person_id,
    });
    const tell = r.coordinator_id ?? r.requested_by;
    if (tell)
      await notifyUser(tx, {
        authorityId: r.authority_id,
        userId: tell,
        message: 'Advice has arrived for an EHC plan review you coordinate',
        link: `/ehc-plans/${r.plan_id}/reviews/${r.review_id}`,
        reference: reviewAdviceRef(r.case_number, r.id),
        baseUrl: d.config.baseUrl,
        at: d.now(),
      });
  });
}
