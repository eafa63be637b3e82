// A review's stages, as the coordinator records them on the review page or through the API: arrange the meeting,
// circulate the advice, the meeting held, the report sent, the decision. Each writes the module's own record and
// moves the review's protocol instance on, in one transaction; a stage out of turn is refused (409) by the engine.
import type { Tx } from '../../db/database.ts';
import { givesNotice, noticeBy } from '../../domain/ehc-review.ts';
import type { OutcomeIdOf, StepIdOf } from '../../domain/protocol/definition.ts';
import { Conflict } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { checkVersion, requireVersion } from '../../http/versions.ts';
import type { ehcAnnualReview } from '../../protocols/ehc-annual-review.ts';
import { planFor, type ReviewDeps, reviewChange, reviewFor } from './context.ts';
import { heldAnchors, needsPfa } from './flow.ts';
import * as repo from './repository.ts';
import type { ArrangeInput, CirculateInput, DecisionInput, MeetingInput, ReportInput } from './schemas.ts';

type Step = StepIdOf<typeof ehcAnnualReview>;
type Outcome = OutcomeIdOf<typeof ehcAnnualReview>;
export type At = { planId: string; reviewId: string };

/** The review, locked, at the version the caller read; its plan checked for the user. */
async function forChange(d: ReviewDeps, tx: Tx, user: AuthUser, at: At, version: number | null | undefined) {
  const { plan } = await planFor(tx, d, user, at.planId);
  await reviewFor(tx, at.planId, at.reviewId);
  const review = (await repo.lockReview(tx, at.reviewId))!;
  const readAgain = `GET /api/v1/ehc-plans/${at.planId}/reviews/${at.reviewId}`;
  checkVersion('review', review.version, requireVersion(version, readAgain), readAgain);
  if (review.status !== 'open' || !review.protocol_instance_id)
    throw new Conflict('This review has ended. Reload the page to see where it is.');
  return { plan, review, instanceId: review.protocol_instance_id };
}

/** Records the stage, then moves the instance on from `step` with `outcome` (refused if it is elsewhere). */
async function stage(
  d: ReviewDeps,
  user: AuthUser,
  at: At,
  version: number | null | undefined,
  move: { step: Step; outcome: Outcome },
  write: (
    tx: Tx,
    c: Awaited<ReturnType<typeof forChange>>,
  ) => Promise<{ title: string; anchors?: Record<string, string | null> }>,
) {
  await d.db.transaction().execute(async (tx) => {
    const c = await forChange(d, tx, user, at, version);
    const { title, anchors } = await write(tx, c);
    if (anchors) await d.flow.update(tx, c.instanceId, { anchors });
    await d.flow.advance(tx, c.instanceId, move.outcome, user.id, { at: [move.step] });
    await reviewChange(tx, user, c.review.person_id, title, null, { action: move.outcome, entityId: c.review.id });
  });
}

export function arrange(d: ReviewDeps, user: AuthUser, at: At, x: ArrangeInput) {
  const today = d.today();
  if (x.meeting_date < today || !givesNotice(today, x.meeting_date))
    throw new ValidationError({
      meeting_date:
        'Date of the review meeting must be at least 2 weeks after today: the invitations go today and need 2 weeks’ notice (SEND Regulations 2014 reg 20(3))',
    });
  return stage(d, user, at, x.version, { step: 'arrange_meeting', outcome: 'arranged' }, async (tx, c) => {
    await repo.updateReview(tx, c.review.id, null, { meeting_date: x.meeting_date, invites_sent_date: today }, d.now());
    return {
      title: `EHC plan review meeting arranged for ${x.meeting_date}; invitations sent`,
      anchors: { notice_by: noticeBy(x.meeting_date) },
    };
  });
}

export function circulate(d: ReviewDeps, user: AuthUser, at: At, x: CirculateInput) {
  return stage(d, user, at, x.version, { step: 'circulate_advice', outcome: 'circulated' }, async (tx, c) => {
    await repo.updateReview(tx, c.review.id, null, { advice_circulated_date: x.circulated_date }, d.now());
    return { title: 'Advice for the EHC plan review circulated' };
  });
}

const PFA_REQUIRED =
  'Enter preparing for adulthood: from Year 9 the review must cover it (SEND Regulations 2014 reg 20(6)) — employment, independent living, community participation and health';

export function meeting(d: ReviewDeps, user: AuthUser, at: At, x: MeetingInput) {
  return stage(d, user, at, x.version, { step: 'hold_meeting', outcome: 'held' }, async (tx, c) => {
    if (c.review.meeting_date && x.held_date < (c.review.invites_sent_date ?? x.held_date))
      throw new ValidationError({
        held_date: 'Date the meeting was held must be on or after the invitations were sent',
      });
    await repo.updateReview(
      tx,
      c.review.id,
      null,
      {
        meeting_held_date: x.held_date,
        attendees: x.attendees,
        child_views: x.child_views,
        parent_views: x.parent_views,
        pfa: x.pfa,
      },
      d.now(),
    );
    return {
      title: `EHC plan review meeting held on ${x.held_date}`,
      anchors: heldAnchors(x.held_date, c.review.transfer_deadline),
    };
  });
}

export function report(d: ReviewDeps, user: AuthUser, at: At, x: ReportInput) {
  return stage(d, user, at, x.version, { step: 'send_report', outcome: 'sent' }, async (tx, c) => {
    const held = c.review.meeting_held_date ?? d.today();
    const pfa = x.pfa ?? c.review.pfa;
    if (!pfa && needsPfa(c.plan.date_of_birth, held)) throw new ValidationError({ pfa: PFA_REQUIRED });
    if (x.sent_date < held)
      throw new ValidationError({ sent_date: 'Date the report was sent must be on or after the meeting' });
    await repo.updateReview(tx, c.review.id, null, { report: x.report, report_sent_date: x.sent_date, pfa }, d.now());
    return { title: `EHC plan review report sent on ${x.sent_date}` };
  });
}

export function decide(d: ReviewDeps, user: AuthUser, at: At, x: DecisionInput) {
  return stage(d, user, at, x.version, { step: 'decide', outcome: x.decision }, async (tx, c) => {
    if (c.review.meeting_held_date && x.decision_date < c.review.meeting_held_date)
      throw new ValidationError({ decision_date: 'Date of the decision must be on or after the meeting' });
    await repo.updateReview(
      tx,
      c.review.id,
      null,
      { decision: x.decision, decision_reasons: x.reasons, decision_date: x.decision_date },
      d.now(),
    );
    return { title: `EHC plan review decision: ${x.decision} the plan` };
  });
}
