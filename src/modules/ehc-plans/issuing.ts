// Serving the draft and issuing the final (issue 20 parts 1-2): the version is frozen and the assessment's protocol
// (ehc-needs-assessment, driven by the EHCP module) moves on in the same transaction, through the EHCP module's own
// serveDraftIn / issueFinalIn, so the plan and the statutory route never disagree. The plan's status and issue
// dates are a projection written by the assessment protocol's `ended` hook (onAssessmentEnded), which also tells the
// review module (finalIssued) so the annual review clock starts in the same commit.
import type { Tx } from '../../db/database.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { checkVersion, requireVersion } from '../../http/versions.ts';
import type { AssessmentEnded } from '../ehcp/flows.ts';
import { lockPlan, type PlanDeps, planChange } from './context.ts';
import { editable } from './drafting.ts';
import { planText, sectionK } from './prefill.ts';
import * as repo from './repository.ts';
import type { FinalInput, ServeInput } from './schemas.ts';
import { issueVersion, newVersion } from './versions.ts';

/** Section K brought up to date from the advice the assessment holds, before a version is frozen. */
async function refreshK(tx: Tx, assessmentId: string | null, versionId: string, sections: Record<string, string>) {
  if (!assessmentId) return sections;
  const k = sectionK(await repo.adviceReceived(tx, assessmentId));
  const next = { ...sections, k };
  await tx
    .updateTable('ehc_plan_versions')
    .set({ sections: JSON.stringify(next) })
    .where('id', '=', versionId)
    .execute();
  return next;
}

/** Serves the draft: version frozen (issued on the day served), the assessment moves on `draft_served`. */
export async function serveDraft(d: PlanDeps, user: AuthUser, planId: string, versionId: string, x: ServeInput) {
  await d.db.transaction().execute(async (tx) => {
    const { plan, v } = await editable(d, tx, user, planId, versionId, x.version);
    if (plan.status !== 'draft' || v.kind !== 'draft')
      throw new ValidationError({ served_date: 'Only a draft of a plan not yet final can be served as the draft' });
    if (!plan.assessment_id)
      throw new ValidationError({ served_date: 'This plan has no needs assessment to serve the draft for' });
    if ((await repo.versionsOf(tx, plan.id)).some((o) => o.kind === 'draft' && o.state === 'issued'))
      throw new ValidationError({ served_date: 'The draft of this plan has already been served' });
    const sections = await refreshK(tx, plan.assessment_id, v.id, v.sections);
    await issueVersion(tx, { versionId: v.id, date: x.served_date, actorId: user.id });
    await d.ehcp.serveDraftIn(tx, user, plan.person_id, plan.assessment_id, {
      served_date: x.served_date,
      draft_text: planText(sections),
      version: null,
    });
    await repo.bumpPlan(tx, plan.id, d.now());
    await planChange(tx, user, plan.person_id, [`Draft EHC plan (version ${v.number}) served`, x.served_date], {
      action: 'serve-draft',
      entity: 'ehc_plan_version',
      entityId: v.id,
      detail: { number: v.number },
    });
  });
}

/**
 * Starts the final version from the draft served (its text copied), to edit after the representations. A second
 * submit finds the version the first started. `version`: the plan as the page or API read it (they require it; the
 * demo, which has just made the plan, leaves it out).
 */
export async function prepareFinal(d: PlanDeps, user: AuthUser, planId: string, version?: number | null) {
  return d.db.transaction().execute(async (tx) => {
    const plan = await lockPlan(d, tx, user, planId);
    const versions = await repo.versionsOf(tx, plan.id);
    if (plan.status !== 'draft' || !versions.some((v) => v.kind === 'draft' && v.state === 'issued'))
      throw new ValidationError({ version: 'Serve the draft plan first; the final starts from the draft served' });
    const editing = versions.find((v) => v.state === 'editing');
    if (editing) return editing.id;
    if (version !== undefined) {
      const readAgain = `GET /api/v1/ehc-plans/${plan.id}`;
      checkVersion('plan', plan.version, requireVersion(version, readAgain), readAgain);
    }
    const v = await newVersion(tx, { planId: plan.id, kind: 'final', actorId: user.id, at: d.now() });
    await repo.bumpPlan(tx, plan.id, d.now());
    await planChange(tx, user, plan.person_id, [`Final EHC plan (version ${v.number}) started from the draft`, null], {
      action: 'prepare-final',
      entity: 'ehc_plan_version',
      entityId: v.id,
    });
    return v.id;
  });
}

/**
 * Issues the final plan: the final version frozen, the assessment's protocol ends `final_issued` (its hook projects
 * the plan's status and dates and tells the review module). Before the 15 days of reg 13(1) have run, only when
 * the family has made representations.
 */
export async function issueFinal(d: PlanDeps, user: AuthUser, planId: string, versionId: string, x: FinalInput) {
  await d.db.transaction().execute(async (tx) => {
    const { plan, v } = await editable(d, tx, user, planId, versionId, x.version);
    if (plan.status !== 'draft' || v.kind !== 'final')
      throw new ValidationError({
        final_date: 'Only the final version of a plan not yet final can be issued as final',
      });
    if (!plan.assessment_id)
      throw new ValidationError({ final_date: 'This plan has no needs assessment to issue the final plan for' });
    const served = (await repo.versionsOf(tx, plan.id)).find((o) => o.kind === 'draft' && o.state === 'issued');
    if (!served?.issued_date) throw new ValidationError({ final_date: 'Serve the draft plan first' });
    if (x.final_date < served.issued_date)
      throw new ValidationError({
        final_date: `The final plan cannot be issued before the draft was served on ${served.issued_date}`,
      });
    const made = (await repo.representationsOf(tx, plan.id)).length > 0;
    await refreshK(tx, plan.assessment_id, v.id, v.sections);
    await issueVersion(tx, { versionId: v.id, date: x.final_date, actorId: user.id });
    await d.ehcp.issueFinalIn(
      tx,
      user,
      plan.person_id,
      plan.assessment_id,
      { final_date: x.final_date, version: null },
      { representationsMade: made },
    );
    await repo.bumpPlan(tx, plan.id, d.now());
    await planChange(tx, user, plan.person_id, [`Final EHC plan (version ${v.number}) issued`, x.final_date], {
      action: 'issue-final',
      entity: 'ehc_plan_version',
      entityId: v.id,
      detail: { number: v.number, representations: made },
    });
  });
}

/**
 * The assessment protocol's `ended` hook (engine's transaction): when it ends `final_issued` and the assessment has
 * a plan here, the plan becomes final with its issue dates, and `finalIssued` starts its review clock.
 */
export function assessmentEnded(d: PlanDeps): AssessmentEnded {
  return async (e) => {
    if (e.result !== 'final_issued') return;
    const assessmentId = typeof e.data.assessment_id === 'string' ? e.data.assessment_id : null;
    if (!assessmentId) return;
    const plan = await repo.planOfAssessment(e.tx, assessmentId);
    if (plan?.status !== 'draft') return;
    const final = await e.tx
      .selectFrom('ehc_plan_versions')
      .where('plan_id', '=', plan.id)
      .where('kind', '=', 'final')
      .where('state', '=', 'issued')
      .orderBy('number', 'desc')
      .select('issued_date')
      .executeTakeFirst();
    if (!final?.issued_date) return;
    await e.tx
      .updateTable('ehc_plans')
      .set((eb) => ({
        status: 'final',
        first_issued_date: plan.first_issued_date ?? final.issued_date,
        last_issued_date: final.issued_date,
        version: eb('version', '+', 1),
        updated_at: d.now(),
      }))
      .where('id', '=', plan.id)
      .execute();
    await d.events.emit(e.tx, 'finalIssued', {
      planId: plan.id,
      personId: plan.person_id,
      authorityId: plan.authority_id,
      actorId: e.actorId,
      at: d.now(),
      date: final.issued_date as string,
    });
  };
}
