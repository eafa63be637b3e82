// What the family says about the served draft (reg 13(1): at least 15 days beginning with the day it was served;
// the assessment protocol's `representations` step runs that clock), and the consultation of the school or college
// they ask for, on the protocol ehc-setting-consultation (15 days to respond). The setting's answer is recorded and
// the protocol moved on in one transaction.

import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { checkVersion, requireVersion } from '../../http/versions.ts';
import { lockPlan, type PlanDeps, planChange } from './context.ts';
import * as repo from './repository.ts';
import type { ConsultationInput, ConsultationResponseInput, RepresentationInput } from './schemas.ts';

/** The plan as the form or GET read it: `version` required, a change since refused (409). */
function planVersion(plan: { id: string; version: number }, sent: number | null | undefined) {
  const readAgain = `GET /api/v1/ehc-plans/${plan.id}`;
  checkVersion('plan', plan.version, requireVersion(sent, readAgain), readAgain);
}

/** The draft served, which representations are made against. */
async function servedDraft(tx: Parameters<typeof repo.versionsOf>[0], planId: string) {
  return (await repo.versionsOf(tx, planId)).find((v) => v.kind === 'draft' && v.state === 'issued');
}

export async function addRepresentation(d: PlanDeps, user: AuthUser, planId: string, x: RepresentationInput) {
  return d.db.transaction().execute(async (tx) => {
    const plan = await lockPlan(d, tx, user, planId);
    const served = await servedDraft(tx, plan.id);
    if (plan.status !== 'draft' || !served?.issued_date)
      throw new ValidationError({
        received_date: 'Representations are recorded against a served draft, before the final plan is issued',
      });
    if (x.received_date < served.issued_date)
      throw new ValidationError({
        received_date: `The date the representations were received must be on or after the draft was served on ${served.issued_date}`,
      });
    // A second submit of the same form (a double click) finds the first's record, under the plan's lock.
    const same = (await repo.representationsOf(tx, plan.id)).find(
      (r) =>
        r.made_by === x.made_by &&
        r.received_date === x.received_date &&
        r.summary === x.summary &&
        r.requested_setting_name === x.requested_setting_name,
    );
    if (same) return same.id;
    planVersion(plan, x.version);
    const row = await tx
      .insertInto('ehc_plan_representations')
      .values({
        authority_id: plan.authority_id,
        plan_id: plan.id,
        version_id: served.id,
        person_id: plan.person_id,
        made_by: x.made_by,
        made_by_name: x.made_by_name,
        received_date: x.received_date,
        summary: x.summary,
        requested_setting_name: x.requested_setting_name,
        requested_setting_urn: x.requested_setting_urn,
        recorded_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await repo.bumpPlan(tx, plan.id, d.now());
    await planChange(
      tx,
      user,
      plan.person_id,
      [
        'Representations on the draft EHC plan recorded',
        x.requested_setting_name ? `They ask for ${x.requested_setting_name} to be named in section I` : null,
      ],
      { action: 'representations', entity: 'ehc_plan_representation', entityId: row.id },
    );
    return row.id;
  });
}

/** Consults a school or college about being named (CFA 2014 s.39(2)/s.40(2)); its 15 days start on the day sent. */
export async function consult(d: PlanDeps, user: AuthUser, planId: string, x: ConsultationInput) {
  return d.db.transaction().execute(async (tx) => {
    const plan = await lockPlan(d, tx, user, planId);
    const served = await servedDraft(tx, plan.id);
    if (plan.status !== 'draft' || !served?.issued_date)
      throw new ValidationError({ sent_date: 'A setting is consulted on the served draft, before the final plan' });
    if (x.sent_date < served.issued_date)
      throw new ValidationError({
        sent_date: `The date sent must be on or after the draft was served on ${served.issued_date}`,
      });
    // One open consultation of a setting at a time: a second submit (a double click) finds the first's record.
    const open = (await repo.consultationsOf(tx, plan.id)).find(
      (c) => !c.response && c.setting_name.trim().toLowerCase() === x.setting_name.trim().toLowerCase(),
    );
    if (open?.sent_date === x.sent_date) return open.id;
    if (open)
      throw new ValidationError({
        setting_name: `${open.setting_name} was consulted on ${open.sent_date} and has not answered yet: record its answer on the plan page`,
      });
    planVersion(plan, x.version);
    if (x.representation_id && !(await repo.representationsOf(tx, plan.id)).some((r) => r.id === x.representation_id))
      throw new ValidationError({ representation_id: 'Choose representations recorded on this plan' });
    const row = await tx
      .insertInto('ehc_setting_consultations')
      .values({
        authority_id: plan.authority_id,
        plan_id: plan.id,
        person_id: plan.person_id,
        representation_id: x.representation_id,
        setting_name: x.setting_name,
        setting_urn: x.setting_urn,
        sent_date: x.sent_date,
        created_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const instanceId = await d.consultation.start(tx, user, plan.person_id, {
      anchors: { consulted: x.sent_date },
      data: { coordinator: plan.coordinator_id ?? user.id, consultation_id: row.id, plan_id: plan.id },
    });
    await tx
      .updateTable('ehc_setting_consultations')
      .set({ protocol_instance_id: instanceId })
      .where('id', '=', row.id)
      .execute();
    await repo.bumpPlan(tx, plan.id, d.now());
    await planChange(
      tx,
      user,
      plan.person_id,
      [`${x.setting_name} consulted about being named in the EHC plan`, `Sent ${x.sent_date}; 15 days to respond`],
      { action: 'consult', entity: 'ehc_setting_consultation', entityId: row.id },
    );
    return row.id;
  });
}

/** The setting's answer; its protocol ends with it. */
export async function recordResponse(
  d: PlanDeps,
  user: AuthUser,
  planId: string,
  consultationId: string,
  x: ConsultationResponseInput,
) {
  await d.db.transaction().execute(async (tx) => {
    const plan = await lockPlan(d, tx, user, planId);
    const c = await tx
      .selectFrom('ehc_setting_consultations')
      .selectAll()
      .where('plan_id', '=', plan.id)
      .where('id', '=', consultationId)
      .forUpdate()
      .executeTakeFirst();
    if (!c) throw new NotFound('No consultation on this plan with that reference.');
    const readAgain = `GET /api/v1/ehc-plans/${plan.id}`;
    checkVersion('consultation', c.version, requireVersion(x.version, readAgain), readAgain);
    if (c.response)
      throw new ValidationError({ response: `The setting’s answer was already recorded on ${c.responded_date}` });
    if (x.responded_date < c.sent_date)
      throw new ValidationError({
        responded_date: `The date the setting answered must be on or after it was consulted on ${c.sent_date}`,
      });
    await tx
      .updateTable('ehc_setting_consultations')
      .set((eb) => ({
        response: x.response,
        response_reason: x.response_reason,
        responded_date: x.responded_date,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', c.id)
      .execute();
    if (c.protocol_instance_id)
      await d.consultation.advance(tx, c.protocol_instance_id, x.response, user.id, { at: ['awaiting_response'] });
    await repo.bumpPlan(tx, plan.id, d.now());
    await planChange(
      tx,
      user,
      plan.person_id,
      [
        `${c.setting_name} ${x.response === 'agrees' ? 'agrees' : 'does not agree'} to be named in the EHC plan`,
        x.response_reason,
      ],
      {
        action: 'consultation-response',
        entity: 'ehc_setting_consultation',
        entityId: c.id,
        detail: { response: x.response },
      },
    );
  });
}
