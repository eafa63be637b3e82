// Withdrawing a draft EHC plan (issue 20). Two ways, each inside the transaction of what causes it:
// - the council decides not to issue a plan after all: "Withdraw this draft plan" records the decision not to issue
//   on the assessment (SEND Regulations 2014 reg 10(1)), whose protocol ends `not_issued`; that end's hook
//   (onAssessmentEnded) writes the withdrawal, with the reason the coordinator gave (carried on the outcome's values);
// - the young person moves to another council before the plan is final (the transfer's own transaction, as the final
//   plan's move in ehc-plan-changes): the draft is withdrawn as "moved to another council"; the assessment stays with
//   the old council, whose coordinator can now record its decision not to issue.
// A withdrawn plan is frozen (its version being edited is marked withdrawn) and is no longer live, so the young
// person can have a later plan.
import type { Tx } from '../../db/database.ts';
import { Conflict } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { checkVersion, requireVersion } from '../../http/versions.ts';
import type { AssessmentEnded } from '../ehcp/flows.ts';
import type { AcrossCompleted } from '../transfers/context.ts';
import { lockPlan, type PlanDeps, planChange } from './context.ts';
import * as repo from './repository.ts';
import type { WithdrawInput } from './schemas.ts';

export const NOT_ISSUING_REASON = 'The council decided not to issue an EHC plan';
export const MOVED_REASON = 'The young person moved to another council before the plan was finalised';

/** The coordinator withdraws the draft: the assessment's decision not to issue, in the same transaction. */
export async function withdrawDraft(d: PlanDeps, user: AuthUser, planId: string, x: WithdrawInput) {
  await d.db.transaction().execute(async (tx) => {
    const plan = await lockPlan(d, tx, user, planId);
    const readAgain = `GET /api/v1/ehc-plans/${plan.id}`;
    checkVersion('plan', plan.version, requireVersion(x.version, readAgain), readAgain);
    if (plan.status !== 'draft')
      throw new ValidationError({ reason: 'Only a draft plan can be withdrawn; this plan is no longer a draft' });
    const served = (await repo.versionsOf(tx, plan.id)).find((v) => v.kind === 'draft' && v.state === 'issued');
    if (served)
      throw new ValidationError({
        withdrawn_date: `The draft was served on ${served.issued_date}: once served, the final plan follows (SEND Regulations 2014 reg 13), so it cannot be withdrawn here`,
      });
    if (!plan.assessment_id)
      throw new ValidationError({ reason: 'This draft has no needs assessment to record a decision not to issue on' });
    await d.ehcp.decideNotToIssueIn(
      tx,
      user,
      plan.person_id,
      plan.assessment_id,
      { not_issue_date: x.withdrawn_date, version: null },
      { withdraw_reason: x.reason },
    );
    if ((await repo.lockPlan(tx, plan.id))?.status !== 'withdrawn')
      throw new Conflict(
        'This assessment is not on the statutory protocol in Handover, so its draft plan cannot be withdrawn here.',
      );
  });
}

/** The assessment protocol's end `not_issued` (engine's transaction): its live draft plan is withdrawn. */
export function notIssued(d: PlanDeps): AssessmentEnded {
  return async (e) => {
    if (e.result !== 'not_issued') return;
    const assessmentId = typeof e.data.assessment_id === 'string' ? e.data.assessment_id : null;
    const plan = assessmentId ? await repo.planOfAssessment(e.tx, assessmentId) : undefined;
    if (plan?.status !== 'draft') return;
    const date = typeof e.data.not_issue_date === 'string' ? e.data.not_issue_date : d.today();
    const reason = typeof e.data.withdraw_reason === 'string' ? e.data.withdraw_reason : NOT_ISSUING_REASON;
    await withdraw(d, e.tx, { ...plan, actorId: e.actorId }, date, reason);
  };
}

/** The transfer's listener (transfers.onCompletedAcross): the old council's draft is withdrawn, its assessment kept. */
export function draftMoved(d: PlanDeps) {
  return async (tx: Tx, e: AcrossCompleted) => {
    const plan = await repo.livePlanLocked(tx, e.fromAuthorityId, e.fromPersonId);
    if (plan?.status !== 'draft') return;
    await withdraw(d, tx, { ...plan, actorId: e.actorId }, e.date, MOVED_REASON);
  };
}

async function withdraw(
  d: PlanDeps,
  tx: Tx,
  plan: { id: string; person_id: string; authority_id: string; actorId: string | null },
  date: string,
  reason: string,
) {
  await repo.markWithdrawn(tx, plan.id, { date, reason }, d.now());
  await planChange(
    tx,
    { id: plan.actorId, authorityId: plan.authority_id },
    plan.person_id,
    ['Draft EHC plan withdrawn', `${date}: ${reason}`],
    { action: 'withdraw', entity: 'ehc_plan', entityId: plan.id },
  );
}
