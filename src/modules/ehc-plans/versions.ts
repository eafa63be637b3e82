// The plan's versions (issue 20): every draft served, final issued and set of amendment proposals is one row of
// ehc_plan_versions, numbered from 1 per plan, edited while `editing` and frozen once issued. The plan module owns
// making and issuing versions; the plan-changes module makes its `proposed_amendment` and amended `final` versions
// through these two functions, inside its own (the engine's) transaction.

import type { Selectable } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { EhcPlanVersionTable } from '../../db/schema-ehc-plans.ts';
import type { PlanSections } from '../../domain/ehc-plan.ts';

export type PlanVersionRow = Selectable<EhcPlanVersionTable>;
export type VersionKind = EhcPlanVersionTable['kind'];

export class VersionConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VersionConflict';
  }
}

export interface NewVersionInput {
  planId: string;
  kind: VersionKind;
  /** The version to copy text and section I from; by default the latest issued version of the plan. */
  fromVersionId?: string;
  /** The text to start from; when given, replaces the copied sections (section I fields still copied). */
  sections?: PlanSections;
  actorId: string | null;
  at: Date;
}

/**
 * Makes the plan's next version, in state `editing`. Refuses (VersionConflict) when the plan already has a version
 * being edited: at most one at a time (the index ehc_plan_versions_one_editing).
 */
export async function newVersion(tx: Tx, input: NewVersionInput): Promise<PlanVersionRow> {
  const plan = await tx
    .selectFrom('ehc_plans')
    .select(['id', 'authority_id', 'person_id'])
    .where('id', '=', input.planId)
    .forUpdate()
    .executeTakeFirst();
  if (!plan) throw new Error(`No EHC plan ${input.planId}`);
  const editing = await tx
    .selectFrom('ehc_plan_versions')
    .select('id')
    .where('plan_id', '=', plan.id)
    .where('state', '=', 'editing')
    .executeTakeFirst();
  if (editing) throw new VersionConflict('This plan already has a version being edited: finish or withdraw it first');
  const from = input.fromVersionId
    ? await tx
        .selectFrom('ehc_plan_versions')
        .selectAll()
        .where('id', '=', input.fromVersionId)
        .where('plan_id', '=', plan.id)
        .executeTakeFirst()
    : await tx
        .selectFrom('ehc_plan_versions')
        .selectAll()
        .where('plan_id', '=', plan.id)
        .where('state', '=', 'issued')
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirst();
  if (input.fromVersionId && !from) throw new Error(`No version ${input.fromVersionId} of plan ${plan.id}`);
  const last = await tx
    .selectFrom('ehc_plan_versions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('plan_id', '=', plan.id)
    .executeTakeFirst();
  const number = Number(last?.n ?? 0) + 1;
  const sections: PlanSections = input.sections ?? from?.sections ?? {};
  return tx
    .insertInto('ehc_plan_versions')
    .values({
      authority_id: plan.authority_id,
      plan_id: plan.id,
      person_id: plan.person_id,
      number,
      kind: input.kind,
      sections: JSON.stringify(sections),
      setting_name: from?.setting_name ?? null,
      setting_urn: from?.setting_urn ?? null,
      sen_setting: from?.sen_setting ?? null,
      sen_needs: from?.sen_needs ?? [],
      created_by: input.actorId,
      created_at: input.at,
      updated_at: input.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface IssueVersionInput {
  versionId: string;
  /** The day served (a draft, amendment proposals) or issued (a final), YYYY-MM-DD. */
  date: string;
  actorId: string | null;
}

/** Freezes an `editing` version: state issued, its date and who issued it. Refuses a version not being edited. */
export async function issueVersion(tx: Tx, input: IssueVersionInput): Promise<PlanVersionRow> {
  const row = await tx
    .updateTable('ehc_plan_versions')
    .set((eb) => ({
      state: 'issued',
      issued_date: input.date,
      issued_by: input.actorId,
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', input.versionId)
    .where('state', '=', 'editing')
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new VersionConflict('This version has already been issued or withdrawn');
  return row;
}
