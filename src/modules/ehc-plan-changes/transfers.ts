// A plan moving with the child to another council on this installation (SEND Regulations 2014 reg 15), inside the
// transaction that completes the cross-council transfer (transfers/across-copy.ts): the receiving council gets its
// own plan (treated as made on the date the old council made it, reg 15(3)(a)) with the current final text as its
// version 1, the old plan becomes `transferred_out` with SEN2 CeaseReason 5 for the old council's return, both plan
// events are emitted (the reviews module sets the reg 15(5) review date), and the receiving council's
// ehc-plan-transfer-in protocol gives it 6 weeks to tell the family (reg 15(4)).

import type { Tx } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import type { AcrossCompleted } from '../transfers/context.ts';
import { closeOpenChanges } from './close.ts';
import { type PlanChangeDeps, planChange, readPlan, requireSameVersion } from './context.ts';
import * as repo from './repository.ts';
import type { TransferTold } from './schemas.ts';

/** SEN2 CeaseReason 5: transferred to another local authority in England. */
export const TRANSFERRED_REASON = 5;

/** Moves the child's final plan with them; nothing when they have none. Returns the new plan's id. */
export async function planTransferred(d: PlanChangeDeps, tx: Tx, e: AcrossCompleted): Promise<string | null> {
  const old = await tx
    .selectFrom('ehc_plans')
    .where('authority_id', '=', e.fromAuthorityId)
    .where('person_id', '=', e.fromPersonId)
    .where('status', '=', 'final')
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
  if (!old) return null;
  const text = await tx
    .selectFrom('ehc_plan_versions')
    .where('plan_id', '=', old.id)
    .where('kind', '=', 'final')
    .where('state', '=', 'issued')
    .orderBy('number', 'desc')
    .selectAll()
    .executeTakeFirst();
  const plan = await tx
    .insertInto('ehc_plans')
    .values({
      authority_id: e.toAuthorityId,
      person_id: e.toPersonId,
      status: 'final',
      first_issued_date: old.first_issued_date,
      last_issued_date: old.last_issued_date,
      last_review_date: old.last_review_date,
      transferred_from_plan_id: old.id,
      transferred_from_authority_id: e.fromAuthorityId,
      transfer_date: e.date,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The current final text, as it stands, is the new plan's version 1 (issued on the date the old council issued it).
  await tx
    .insertInto('ehc_plan_versions')
    .values({
      authority_id: e.toAuthorityId,
      plan_id: plan.id,
      person_id: e.toPersonId,
      number: 1,
      kind: 'final',
      state: 'issued',
      sections: JSON.stringify(text?.sections ?? {}),
      setting_name: text?.setting_name ?? null,
      setting_urn: text?.setting_urn ?? null,
      sen_setting: text?.sen_setting ?? null,
      sen_needs: text?.sen_needs ?? [],
      issued_date: text?.issued_date ?? old.last_issued_date ?? e.date,
      issued_by: null,
      created_by: e.actorId,
      created_at: d.now(),
      updated_at: d.now(),
    })
    .execute();
  await repo.bumpPlan(
    tx,
    old.id,
    { status: 'transferred_out', cease_reason: TRANSFERRED_REASON, transfer_date: e.date },
    d.now(),
  );
  await closeOpenChanges(d, tx, old.id, e.actorId, 'The plan moved to another council.');
  const instanceId = await d.flows.transferIn.start(tx, { id: e.actorId, authorityId: e.toAuthorityId }, e.toPersonId, {
    anchors: { transferred: e.date },
    event: { title: 'EHC plan transferred in: tell the family within 6 weeks', detail: null },
  });
  await repo.insertTransferIn(tx, {
    authority_id: e.toAuthorityId,
    plan_id: plan.id,
    person_id: e.toPersonId,
    from_plan_id: old.id,
    from_authority_id: e.fromAuthorityId,
    transfer_id: e.transferId,
    transfer_date: e.date,
    protocol_instance_id: instanceId,
  });
  const base = { actorId: e.actorId, at: d.now(), date: e.date };
  await d.events.emit(tx, 'transferredOut', {
    ...base,
    planId: old.id,
    personId: old.person_id,
    authorityId: old.authority_id,
    toPlanId: plan.id,
  });
  await d.events.emit(tx, 'transferredIn', {
    ...base,
    planId: plan.id,
    personId: e.toPersonId,
    authorityId: e.toAuthorityId,
    fromPlanId: old.id,
    lastReviewDate: old.last_review_date,
  });
  await planChange(
    tx,
    { id: e.actorId, authorityId: old.authority_id },
    old.person_id,
    'EHC plan transferred to the new council',
    {
      action: 'transfer-out',
      entity: 'ehc_plan',
      entityId: old.id,
      detail: { to_plan_id: plan.id, cease_reason: TRANSFERRED_REASON },
    },
  );
  await planChange(
    tx,
    { id: e.actorId, authorityId: e.toAuthorityId },
    e.toPersonId,
    'EHC plan transferred in from the old council',
    {
      action: 'transfer-in',
      entity: 'ehc_plan',
      entityId: plan.id,
      detail: { from_plan_id: old.id },
    },
  );
  return plan.id;
}

/** The receiving council's page: where the transfer is and what the family must be told. */
export function transferIn(d: PlanChangeDeps, user: AuthUser, planId: string, channel: 'page' | 'api') {
  return d.db.transaction().execute(async (tx) => {
    const { plan } = await readPlan(d, tx, user, planId, channel, 'ehc-plan-transfer');
    const t = await repo.transferInOfPlan(tx, plan.id);
    if (!t) throw new NotFound('This plan was not transferred in from another council.');
    const state = t.protocol_instance_id ? await d.flows.transferIn.state(tx, t.protocol_instance_id) : null;
    return { plan, transfer: t, state };
  });
}

/** The family has been told (reg 15(4)): the transfer, whether the council will reassess, when it will review. */
export function recordTold(d: PlanChangeDeps, user: AuthUser, planId: string, x: TransferTold) {
  return d.db.transaction().execute(async (tx) => {
    const { plan } = await readPlan(d, tx, user, planId, 'page', 'ehc-plan-transfer');
    const t = await repo.lockTransferIn(tx, plan.id);
    if (!t?.protocol_instance_id) throw new NotFound('This plan was not transferred in from another council.');
    requireSameVersion(t, x.version, 'plan transfer');
    await d.flows.transferIn.update(tx, t.protocol_instance_id, {
      data: { told_date: x.told_date, reassess: x.reassess, review_proposed_date: x.review_proposed_date },
    });
    await d.flows.transferIn.advance(tx, t.protocol_instance_id, 'told', user.id, { at: ['tell_family'] });
    await planChange(tx, user, plan.person_id, 'EHC plan transferred in: the family has been told', {
      action: 'transfer-told',
      entity: 'ehc_plan',
      entityId: plan.id,
      detail: { reassess: x.reassess },
    });
  });
}
