// Amending a plan (SEND Regulations 2014 reg 22) on the ehc-plan-amendment protocol: started by a review's decision
// to amend or by the coordinator; the proposals are a `proposed_amendment` version of the plan (made and issued
// through the plan module's versions.ts), sent with the notice; representations recorded against them; then the
// amended final plan issued (a `final` version) or the decision not to amend notified. Every change moves the
// protocol in the same transaction; the dates and outcome are the protocol hooks' projection (flows.ts).
import type { Tx } from '../../db/database.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { issueVersion, newVersion, VersionConflict } from '../ehc-plans/versions.ts';
import { lockFinalPlan, type Plan, type PlanChangeDeps, planChange, requireSameVersion } from './context.ts';
import { phaseTransferCap } from './dates.ts';
import * as repo from './repository.ts';
import type { AmendmentStart, IssueAmended, NotAmend, RepresentationInput, SendProposals } from './schemas.ts';

type Amendment = NonNullable<Awaited<ReturnType<typeof repo.findAmendment>>>;

/** Starts an amendment on a locked final plan, inside the caller's transaction; returns its id. */
export async function startAmendmentIn(
  d: PlanChangeDeps,
  tx: Tx,
  o: { plan: Plan; actorId: string; how: 'review' | 'coordinator'; reviewId?: string | null; reason: string | null },
): Promise<string> {
  const { plan } = o;
  if (await repo.openAmendment(tx, plan.id))
    throw new Conflict('This plan already has an amendment under way: finish it before starting another.');
  const instanceId = await d.flows.amendment.start(
    tx,
    { id: o.actorId, authorityId: plan.authority_id },
    plan.person_id,
    {
      data: { coordinator: plan.coordinator_id ?? o.actorId },
      event: { title: 'EHC plan amendment started', detail: null },
    },
  );
  let proposed: { id: string };
  try {
    proposed = await newVersion(tx, { planId: plan.id, kind: 'proposed_amendment', actorId: o.actorId, at: d.now() });
  } catch (e) {
    if (e instanceof VersionConflict) throw new Conflict(`${e.message}.`);
    throw e;
  }
  const row = await repo.insertAmendment(tx, {
    authority_id: plan.authority_id,
    plan_id: plan.id,
    person_id: plan.person_id,
    protocol_instance_id: instanceId,
    started_how: o.how,
    review_id: o.reviewId ?? null,
    reason: o.reason,
    proposed_version_id: proposed.id,
    created_by: o.actorId,
  });
  await planChange(
    tx,
    { id: o.actorId, authorityId: plan.authority_id },
    plan.person_id,
    'EHC plan: amendments being prepared',
    {
      action: 'start',
      entity: 'ehc_plan_amendment',
      entityId: row.id,
      detail: { plan_id: plan.id, how: o.how },
    },
  );
  return row.id;
}

/** The coordinator starts an amendment from the plan page. */
export function startAmendment(d: PlanChangeDeps, user: AuthUser, planId: string, x: AmendmentStart) {
  return d.db.transaction().execute(async (tx) => {
    const plan = await lockFinalPlan(d, tx, user, planId);
    return startAmendmentIn(d, tx, { plan, actorId: user.id, how: 'coordinator', reason: x.reason });
  });
}

/** The amendment locked for a change, at the version the form was read at. */
async function locked(d: PlanChangeDeps, tx: Tx, user: AuthUser, planId: string, id: string, version: number | null) {
  const plan = await lockFinalPlan(d, tx, user, planId);
  const a = await repo.lockAmendment(tx, planId, id);
  if (!a) throw new NotFound('No amendment with that reference on this plan.');
  if (a.outcome) throw new Conflict('This amendment has already been decided. Reload the page to see it.');
  requireSameVersion(a, version, 'amendment');
  return { plan, a };
}

async function stepOf(d: PlanChangeDeps, tx: Tx, a: Amendment) {
  return (await d.flows.amendment.state(tx, a.protocol_instance_id as string)).step;
}

/** The proposals were sent with the notice on `sent_date`: they are frozen and the 15 days and 8 weeks start. */
export function sendProposals(d: PlanChangeDeps, user: AuthUser, planId: string, id: string, x: SendProposals) {
  return d.db.transaction().execute(async (tx) => {
    const { plan, a } = await locked(d, tx, user, planId, id, x.version);
    if ((await stepOf(d, tx, a)) !== 'prepare_proposals')
      throw new Conflict('The proposals have already been sent. Reload the page to see where the amendment is.');
    if (!a.proposed_version_id) throw new Conflict('This amendment has no proposals to send.');
    await issueVersion(tx, { versionId: a.proposed_version_id, date: x.sent_date, actorId: user.id }).catch((e) => {
      throw e instanceof VersionConflict ? new Conflict(`${e.message}. Reload the page.`) : e;
    });
    const cap = phaseTransferCap(plan.date_of_birth, x.sent_date);
    const anchors: Record<string, string | null> = {
      proposals_sent: x.sent_date,
      phase_transfer_due: cap?.due ?? null,
    };
    await d.flows.amendment.update(tx, a.protocol_instance_id as string, { anchors });
    await d.flows.amendment.advance(tx, a.protocol_instance_id as string, 'proposals_sent', user.id, {
      at: ['prepare_proposals'],
    });
    await planChange(tx, user, plan.person_id, 'EHC plan: proposed amendments sent with the notice', {
      action: 'send',
      entity: 'ehc_plan_amendment',
      entityId: a.id,
      detail: { sent_date: x.sent_date, phase_transfer_due: cap?.due ?? null },
    });
  });
}

/** Records a representation on the proposals (any time after they were sent, until the amendment is decided). */
export function recordRepresentation(
  d: PlanChangeDeps,
  user: AuthUser,
  planId: string,
  id: string,
  x: RepresentationInput,
) {
  return d.db.transaction().execute(async (tx) => {
    const { plan, a } = await locked(d, tx, user, planId, id, x.version);
    if (!a.proposals_sent_date)
      throw new Conflict('The proposals have not been sent yet: representations are made on proposals sent.');
    if (x.received_date < a.proposals_sent_date)
      throw new ValidationError({ received_date: 'Date received must be on or after the day the proposals were sent' });
    await repo.insertRepresentation(tx, {
      authority_id: plan.authority_id,
      amendment_id: a.id,
      person_id: plan.person_id,
      received_date: x.received_date,
      from_whom: x.from_whom,
      summary: x.summary,
      setting_requested: x.setting_requested,
      meeting_requested: x.meeting_requested ?? false,
      recorded_by: user.id,
    });
    await repo.updateAmendment(tx, a.id, {}, d.now());
    await planChange(tx, user, plan.person_id, 'EHC plan: representations on the proposed amendments recorded', {
      action: 'representation',
      entity: 'ehc_plan_amendment',
      entityId: a.id,
    });
  });
}

/** A `final` version made from the proposals, to edit on the plan's version pages before it is issued. */
export function prepareFinal(d: PlanChangeDeps, user: AuthUser, planId: string, id: string, version: number | null) {
  return d.db.transaction().execute(async (tx) => {
    const { a } = await locked(d, tx, user, planId, id, version);
    if (!a.proposals_sent_date) throw new Conflict('Send the proposals before preparing the amended plan.');
    if (a.final_version_id) return a.final_version_id;
    const v = await newVersion(tx, {
      planId,
      kind: 'final',
      fromVersionId: a.proposed_version_id ?? undefined,
      actorId: user.id,
      at: d.now(),
    }).catch((e) => {
      throw e instanceof VersionConflict ? new Conflict(`${e.message}.`) : e;
    });
    await repo.updateAmendment(tx, a.id, { final_version_id: v.id }, d.now());
    return v.id;
  });
}

/**
 * The period for representations has run, or the family has made its representations: the step may move on. The
 * final plan cannot be issued while the family still has time and has said nothing (reg 22(2)(c)).
 */
async function pastRepresentations(d: PlanChangeDeps, tx: Tx, a: Amendment, userId: string, what: string) {
  const state = await d.flows.amendment.state(tx, a.protocol_instance_id as string);
  if (state.step === 'finalise') return;
  if (state.step !== 'representations') throw new Conflict('Send the proposals first.');
  // The period has run (the deadline sweep moves it at the end of the day; this is the same, a little earlier).
  const ran = state.due !== null && state.due < d.today();
  const made = (await repo.representationsOf(tx, a.id)).length > 0;
  if (!made && !ran)
    throw new Conflict(
      `The parent or young person has until ${state.due} to make representations: ${what} after that, or once their representations are recorded.`,
    );
  await d.flows.amendment.advance(
    tx,
    a.protocol_instance_id as string,
    ran ? 'period_ended' : 'representations_made',
    userId,
    {
      at: ['representations'],
    },
  );
}

/** Issues the amended final plan (the prepared version, or the proposals as sent): the plan's new issue date. */
export function issueAmended(d: PlanChangeDeps, user: AuthUser, planId: string, id: string, x: IssueAmended) {
  return d.db.transaction().execute(async (tx) => {
    const { plan, a } = await locked(d, tx, user, planId, id, x.version);
    if (a.proposals_sent_date && x.issued_date < a.proposals_sent_date)
      throw new ValidationError({
        issued_date: 'Date the amended plan was issued must be on or after the day the proposals were sent',
      });
    await pastRepresentations(d, tx, a, user.id, 'issue the amended plan');
    const fail = (e: unknown) => {
      throw e instanceof VersionConflict ? new Conflict(`${e.message}. Reload the page.`) : e;
    };
    const versionId =
      a.final_version_id ??
      (
        await newVersion(tx, {
          planId,
          kind: 'final',
          fromVersionId: a.proposed_version_id ?? undefined,
          actorId: user.id,
          at: d.now(),
        }).catch(fail)
      ).id;
    await issueVersion(tx, { versionId, date: x.issued_date, actorId: user.id }).catch(fail);
    await repo.updateAmendment(tx, a.id, { final_version_id: versionId }, d.now());
    await d.flows.amendment.advance(tx, a.protocol_instance_id as string, 'amended', user.id, { at: ['finalise'] });
    await planChange(tx, user, plan.person_id, 'EHC plan: amended final plan issued', {
      action: 'amend',
      entity: 'ehc_plan_amendment',
      entityId: a.id,
      detail: { issued_date: x.issued_date },
    });
  });
}

/** Withdraws the version being edited for this amendment (the proposals before sending, or an unissued final). */
async function withdrawEditing(tx: Tx, planId: string, ids: (string | null)[], at: Date) {
  const mine = ids.filter((x): x is string => Boolean(x));
  if (!mine.length) return;
  await tx
    .updateTable('ehc_plan_versions')
    .set((eb) => ({ state: 'withdrawn', version: eb('version', '+', 1), updated_at: at }))
    .where('plan_id', '=', planId)
    .where('id', 'in', mine)
    .where('state', '=', 'editing')
    .execute();
}

/** The decision not to amend, with its reasons, notified to the family (reg 22(4)). */
export function notAmend(d: PlanChangeDeps, user: AuthUser, planId: string, id: string, x: NotAmend) {
  return d.db.transaction().execute(async (tx) => {
    const { plan, a } = await locked(d, tx, user, planId, id, x.version);
    await pastRepresentations(d, tx, a, user.id, 'decide not to amend');
    await withdrawEditing(tx, planId, [a.final_version_id], d.now());
    const instanceId = a.protocol_instance_id as string;
    await d.flows.amendment.update(tx, instanceId, {
      data: { decided_date: x.decided_date, decision_reason: x.decision_reason },
    });
    await d.flows.amendment.advance(tx, instanceId, 'not_amended', user.id, { at: ['finalise'] });
    await planChange(tx, user, plan.person_id, 'EHC plan: decided not to amend the plan', {
      action: 'not-amend',
      entity: 'ehc_plan_amendment',
      entityId: a.id,
    });
  });
}

/** No amendments after all (before the proposals are sent): the proposals being edited are withdrawn. */
export function withdrawAmendment(
  d: PlanChangeDeps,
  user: AuthUser,
  planId: string,
  id: string,
  version: number | null,
) {
  return d.db.transaction().execute(async (tx) => {
    const { plan, a } = await locked(d, tx, user, planId, id, version);
    if ((await stepOf(d, tx, a)) !== 'prepare_proposals')
      throw new Conflict('The proposals have been sent: record the decision not to amend instead.');
    await withdrawEditing(tx, planId, [a.proposed_version_id], d.now());
    await d.flows.amendment.advance(tx, a.protocol_instance_id as string, 'withdrawn', user.id, {
      at: ['prepare_proposals'],
    });
    await planChange(tx, user, plan.person_id, 'EHC plan: amendment withdrawn before the proposals were sent', {
      action: 'withdraw',
      entity: 'ehc_plan_amendment',
      entityId: a.id,
    });
  });
}
