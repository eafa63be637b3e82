// Events that call for an early re-screen (a missing episode, a placement move, new intelligence), closing a
// screening's review with no further concern, and recording the immediate referral after a significant incident.
// Each moves the screening's protocol in the same transaction as the change.
import type { Tx } from '../../db/database.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { recordChange } from '../kit/record.ts';
import { notifyUser } from '../notifications/outbox.ts';
import type { SafeguardingCtx } from './context.ts';
import * as repo from './repository.ts';
import { type ReferralInput, RISK_KINDS, type RiskEventInput } from './schemas.ts';

/**
 * Records the event and makes a re-screen task due today: the running screening's review re-planned to today (its
 * owner told), or an early re-screen instance when none is running. Returns the event's id.
 */
export async function recordRiskEvent(
  tx: Tx,
  ctx: SafeguardingCtx,
  user: AuthUser,
  personId: string,
  input: RiskEventInput,
): Promise<string> {
  const today = ctx.today();
  const missing = input.kind === 'missing_episode';
  if (missing && input.returned_on && input.returned_on < input.occurred_on)
    throw new ValidationError({ returned_on: 'Date they returned must be on or after the date they went missing' });
  const id = await repo.insertRiskEvent(tx, {
    authority_id: user.authorityId,
    person_id: personId,
    kind: input.kind,
    occurred_on: input.occurred_on,
    returned_on: missing ? input.returned_on : null,
    return_interview: missing ? input.return_interview : null,
    details: input.details,
    recorded_by: user.id,
  });
  const running = (await repo.openScreening(tx, user.authorityId, personId))[0];
  let task: string;
  if (running?.protocol_instance_id) {
    await ctx.screening.update(tx, running.protocol_instance_id, { anchors: { review_due: today } });
    const state = await ctx.screening.state(tx, running.protocol_instance_id);
    task = `/people/${personId}/screenings/${running.id}`;
    if (state.ownerUserId && state.step === 'review')
      await notifyUser(tx, {
        authorityId: user.authorityId,
        userId: state.ownerUserId,
        message: `An early exploitation re-screen is due today (${RISK_KINDS[input.kind].toLowerCase()})`,
        link: task,
        reference: await caseNumber(tx, personId),
        baseUrl: ctx.config.baseUrl,
        at: ctx.now(),
      });
  } else {
    const open = await repo.openInstances(tx, user.authorityId, personId, ctx.rescreen.id);
    if (open.length === 0)
      await ctx.rescreen.start(tx, user, personId, {
        involvementId: await repo.caseInvolvement(tx, personId, user.id),
        anchors: { due: today },
        data: { risk_event_id: id },
      });
    task = `/people/${personId}/screenings/new`;
  }
  await recordChange(tx, {
    actor: { id: user.id, authorityId: user.authorityId },
    personId,
    kind: 'safeguarding',
    title: `${RISK_KINDS[input.kind]} recorded: an exploitation re-screen is due today`,
    audit: { action: 'risk_event.create', entity: 'risk_event', entityId: id, detail: { kind: input.kind, task } },
  });
  return id;
}

async function caseNumber(tx: Tx, personId: string) {
  const p = await tx.selectFrom('people').where('id', '=', personId).select('case_number').executeTakeFirst();
  return `${p?.case_number ?? ''}/screening`;
}

/** Ends a screening's review with no further concern. */
export async function closeScreening(
  tx: Tx,
  ctx: SafeguardingCtx,
  user: AuthUser,
  personId: string,
  screeningId: string,
  reason: string,
) {
  const s = await repo.lockScreening(tx, user.authorityId, screeningId);
  if (!s || s.person_id !== personId) throw new NotFound('No screening with that reference on this record.');
  if (!s.protocol_instance_id) throw new Conflict('This screening has no review to close.');
  await ctx.screening.advance(tx, s.protocol_instance_id, 'closed', user.id, { at: ['review'] });
  await recordChange(tx, {
    actor: { id: user.id, authorityId: user.authorityId },
    personId,
    kind: 'safeguarding',
    title: 'Exploitation screening closed: no further concern',
    detail: reason,
    audit: { action: 'screening.close', entity: 'screening', entityId: s.id },
  });
}

/** Records the immediate referral after a significant incident (to whom and the reference, or why not needed). */
export async function recordReferral(
  tx: Tx,
  ctx: SafeguardingCtx,
  user: AuthUser,
  personId: string,
  screeningId: string,
  input: ReferralInput,
) {
  const errors: Record<string, string> = {};
  if (input.outcome === 'referred' && !input.referred_to)
    errors.referred_to = 'Enter who you referred the young person to';
  if (input.outcome === 'not_needed' && !input.not_needed_reason)
    errors.not_needed_reason = 'Enter why a referral was not needed';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const open = (await repo.openInstances(tx, user.authorityId, personId, ctx.referral.id)).find(
    (r) => (r.data as Record<string, unknown>).screening_id === screeningId,
  );
  if (!open) throw new Conflict('There is no immediate referral waiting on this screening. Reload the page.');
  await ctx.referral.update(tx, open.id, {
    data: {
      referred_to: input.referred_to,
      reference: input.reference,
      not_needed_reason: input.not_needed_reason,
    },
  });
  await ctx.referral.advance(tx, open.id, input.outcome, user.id, { at: ['refer'] });
  await recordChange(tx, {
    actor: { id: user.id, authorityId: user.authorityId },
    personId,
    kind: 'safeguarding',
    title:
      input.outcome === 'referred'
        ? `Immediate referral made to ${input.referred_to}`
        : 'Immediate referral not needed',
    detail:
      input.outcome === 'referred'
        ? input.reference
          ? `Reference ${input.reference}`
          : null
        : input.not_needed_reason,
    audit: {
      action: 'screening.referral',
      entity: 'screening',
      entityId: screeningId,
      detail: { outcome: input.outcome },
    },
  });
}
