// Drafting the plan (issue 20 part 1): the coordinator drafts it from the assessment's advice (prefill.ts), then
// edits a version being edited, whatever its kind (the first draft, the final, or amendment proposals made by the
// plan-changes module), section by section, with section I's placement and the ranked needs. Every edit carries
// the version it was read at; an issued version is frozen.
import type { Tx } from '../../db/database.ts';
import { PLAN_SECTION_KEYS, type PlanSectionKey, planSection } from '../../domain/ehc-plan.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { checkVersion, requireVersion } from '../../http/versions.ts';
import { lockPlan, type PlanDeps, personAccess, planChange } from './context.ts';
import { prefill } from './prefill.ts';
import * as repo from './repository.ts';
import type { DraftPlanInput, NeedsInput, PlacementInput, SectionInput } from './schemas.ts';
import { newVersion } from './versions.ts';

/**
 * Drafts the plan from the assessment's advice: the plan (draft) and version 1 (a draft being edited). `personId`
 * (the record's page, or `person_id` posted to the API): the assessment must be that young person's.
 */
export async function draftFromAdvice(d: PlanDeps, user: AuthUser, x: DraftPlanInput, personId?: string) {
  const forPerson = personId ?? x.person_id;
  return d.db.transaction().execute(async (tx) => {
    const a = await tx
      .selectFrom('ehcp_assessments')
      .where('id', '=', x.assessment_id)
      .where('authority_id', '=', user.authorityId)
      .selectAll()
      .forUpdate()
      .executeTakeFirst();
    if (!a) throw new ValidationError({ assessment_id: 'Choose the EHC needs assessment to draft the plan from' });
    if (forPerson && a.person_id !== forPerson)
      throw new ValidationError({
        assessment_id: 'That assessment is not this young person’s: choose one of the assessments on their record',
      });
    await personAccess(d, tx, user, a.person_id);
    if (a.decision_to_assess !== 'assess' || a.final_issued_date || a.not_issue_date)
      throw new ValidationError({
        assessment_id:
          'A plan can only be drafted for an assessment the council decided to carry out and has not closed',
      });
    if (a.draft_served_date)
      throw new ValidationError({
        assessment_id: `The draft for this assessment was already served on ${a.draft_served_date}, outside Handover’s plan pages`,
      });
    if (await repo.planOfAssessment(tx, a.id))
      throw new ValidationError({ assessment_id: 'This assessment already has a plan: open it from the record' });
    const live = (await repo.planOfPerson(tx, user.authorityId, a.person_id)).find((p) =>
      ['draft', 'final'].includes(p.status),
    );
    if (live)
      throw new ValidationError({
        assessment_id: 'This young person already has an EHC plan: open it from the record',
      });
    const plan = await repo.insertPlan(tx, {
      authorityId: user.authorityId,
      personId: a.person_id,
      assessmentId: a.id,
      coordinatorId: a.coordinator_id ?? user.id,
      at: d.now(),
    });
    const advice = await repo.adviceReceived(tx, a.id);
    const v = await newVersion(tx, {
      planId: plan.id,
      kind: 'draft',
      sections: prefill(advice),
      actorId: user.id,
      at: d.now(),
    });
    await planChange(
      tx,
      user,
      a.person_id,
      ['EHC plan drafted from the advice', `${advice.length} piece(s) of advice listed in section K`],
      { action: 'draft', entity: 'ehc_plan', entityId: plan.id, detail: { advice: advice.length } },
    );
    return { planId: plan.id, versionId: v.id };
  });
}

/** The version being edited, locked, at the version the caller read. */
async function editable(
  d: PlanDeps,
  tx: Tx,
  user: AuthUser,
  planId: string,
  versionId: string,
  sent: number | null | undefined,
) {
  const plan = await lockPlan(d, tx, user, planId);
  if (plan.status !== 'draft' && plan.status !== 'final')
    throw new Conflict('This plan is no longer maintained by this council, so its text can no longer be changed.');
  const v = await repo.lockVersion(tx, plan.id, versionId);
  if (!v) throw new NotFound('No version of this plan with that reference.');
  const readAgain = `GET /api/v1/ehc-plans/${plan.id}/versions/${v.id}`;
  const version = requireVersion(sent, readAgain);
  if (v.state !== 'editing')
    throw new Conflict(`Version ${v.number} of this plan was ${v.state}; it can no longer be changed.`);
  checkVersion('plan version', v.version, version, readAgain);
  return { plan, v };
}

export function sectionKey(key: string): PlanSectionKey {
  if (!(PLAN_SECTION_KEYS as readonly string[]).includes(key))
    throw new NotFound('No section of the plan with that letter.');
  return key as PlanSectionKey;
}

/** One section's text. Section K is listed by Handover from the advice it holds, so it is not typed. */
export async function editSection(
  d: PlanDeps,
  user: AuthUser,
  planId: string,
  versionId: string,
  key: PlanSectionKey,
  x: SectionInput,
) {
  if (key === 'k')
    throw new ValidationError({ text: 'Section K lists the advice Handover holds; it is filled in by itself' });
  await d.db.transaction().execute(async (tx) => {
    const { plan, v } = await editable(d, tx, user, planId, versionId, x.version);
    const sections = { ...v.sections };
    if (x.text) sections[key] = x.text;
    else delete sections[key];
    await repo.updateVersion(tx, v.id, { sections }, d.now());
    await repo.bumpPlan(tx, plan.id, d.now());
    await planChange(tx, user, plan.person_id, [`EHC plan section ${planSection(key).letter} edited`, null], {
      action: 'edit-section',
      entity: 'ehc_plan_version',
      entityId: v.id,
      detail: { section: key, number: v.number },
    });
  });
}

/** Section I: the setting named, or the SEN2 setting code. */
export async function editPlacement(d: PlanDeps, user: AuthUser, planId: string, versionId: string, x: PlacementInput) {
  await d.db.transaction().execute(async (tx) => {
    const { plan, v } = await editable(d, tx, user, planId, versionId, x.version);
    await repo.updateVersion(
      tx,
      v.id,
      { setting_name: x.setting_name, setting_urn: x.setting_urn, sen_setting: x.sen_setting },
      d.now(),
    );
    await repo.bumpPlan(tx, plan.id, d.now());
    await planChange(tx, user, plan.person_id, ['EHC plan section I placement edited', null], {
      action: 'edit-placement',
      entity: 'ehc_plan_version',
      entityId: v.id,
      detail: { urn: x.setting_urn, sen_setting: x.sen_setting },
    });
  });
}

/** SEN2 5c: the needs, ranked. */
export async function editNeeds(d: PlanDeps, user: AuthUser, planId: string, versionId: string, x: NeedsInput) {
  await d.db.transaction().execute(async (tx) => {
    const { plan, v } = await editable(d, tx, user, planId, versionId, x.version);
    const needs = [x.primary_need, ...(x.secondary_need ? [x.secondary_need] : [])];
    await repo.updateVersion(tx, v.id, { sen_needs: needs }, d.now());
    await repo.bumpPlan(tx, plan.id, d.now());
    await planChange(tx, user, plan.person_id, ['EHC plan special educational needs edited', needs.join(', ')], {
      action: 'edit-needs',
      entity: 'ehc_plan_version',
      entityId: v.id,
      detail: { needs },
    });
  });
}

export { editable };
