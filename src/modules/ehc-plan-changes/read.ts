// What the module's pages and API read: one amendment or cessation with where its protocol is and its clocks, the
// plan's changes for the panel on the plan page (planChangesPanel, called by the plan module's route), and the
// words for SEN2 reasons and steps. Every read of a plan writes an access-log row (readPlan).
import type { Executor } from '../../db/database.ts';
import { CEASE_REASONS } from '../../domain/ehc-plan.ts';
import { NotFound } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import { instanceStates } from '../protocols/step-repository.ts';
import { type Channel, type PlanChangeDeps, readPlan } from './context.ts';
import { eightWeeksAfter } from './dates.ts';
import * as repo from './repository.ts';

export const reasonLabel = (code: number | null) => CEASE_REASONS.find((r) => r.code === code)?.label ?? null;

/** One amendment with its protocol's step and due date, its clocks, versions and representations. */
export function amendment(d: PlanChangeDeps, user: AuthUser, planId: string, id: string, channel: Channel) {
  return d.db.transaction().execute(async (tx) => {
    const { plan } = await readPlan(d, tx, user, planId, channel, 'ehc-plan-amendment');
    const a = await repo.findAmendment(tx, planId, id);
    if (!a) throw new NotFound('No amendment with that reference on this plan.');
    const [state, representations, proposed, final] = await Promise.all([
      d.flows.amendment.state(tx, a.protocol_instance_id as string),
      repo.representationsOf(tx, a.id),
      repo.versionOf(tx, planId, a.proposed_version_id),
      repo.versionOf(tx, planId, a.final_version_id),
    ]);
    const sent = a.proposals_sent_date;
    const clocks = sent
      ? {
          representationsUntil: state.step === 'representations' ? state.due : null,
          eightWeeks: eightWeeksAfter(sent),
          phaseTransferDue: a.phase_transfer_due,
          finalDue:
            a.phase_transfer_due && a.phase_transfer_due < eightWeeksAfter(sent)
              ? a.phase_transfer_due
              : eightWeeksAfter(sent),
        }
      : null;
    return { plan, amendment: a, state, representations, proposed, final, clocks };
  });
}

/** One cessation with its protocol's step and due date. */
export function cessation(d: PlanChangeDeps, user: AuthUser, planId: string, id: string, channel: Channel) {
  return d.db.transaction().execute(async (tx) => {
    const { plan } = await readPlan(d, tx, user, planId, channel, 'ehc-plan-cessation');
    const c = await repo.findCessation(tx, planId, id);
    if (!c) throw new NotFound('No cessation with that reference on this plan.');
    const state = await d.flows.cessation.state(tx, c.protocol_instance_id as string);
    const setting = await tx
      .selectFrom('ehc_plan_versions')
      .where('plan_id', '=', planId)
      .where('state', '=', 'issued')
      .where('kind', '=', 'final')
      .orderBy('number', 'desc')
      .select(['setting_name'])
      .executeTakeFirst();
    return { plan, cessation: c, state, reason: reasonLabel(c.reason), setting: setting?.setting_name ?? null };
  });
}

/** The plan's amendments and cessations (newest first), for the API and the changes page. */
export function changes(d: PlanChangeDeps, user: AuthUser, planId: string, channel: Channel) {
  return d.db.transaction().execute(async (tx) => {
    const { plan } = await readPlan(d, tx, user, planId, channel, 'ehc-plan-changes');
    const [amendments, cessations, transfer] = await Promise.all([
      repo.amendmentsOfPlan(tx, planId),
      repo.cessationsOfPlan(tx, planId),
      repo.transferInOfPlan(tx, planId),
    ]);
    const panel = await planChangesPanel(tx, planId);
    return { plan, amendments, cessations, transfer, panel };
  });
}

export interface PlanChangesPanel {
  planId: string;
  planStatus: string;
  amendment: { id: string; step: string | null; stepTitle: string | null; due: string | null; overdue: boolean } | null;
  cessation: {
    id: string;
    reason: number;
    reasonLabel: string | null;
    step: string | null;
    due: string | null;
    overdue: boolean;
    ceaseOn: string | null;
  } | null;
  transferIn: { fromAuthority: string; transferDate: string; toldDate: string | null; due: string | null } | null;
  ceased: { date: string | null; reason: number | null; reasonLabel: string | null } | null;
  counts: { amendments: number; cessations: number };
}

const STEP_TITLES: Record<string, string> = {
  prepare_proposals: 'Preparing the proposed amendments',
  representations: 'Waiting for representations on the proposals',
  finalise: 'Issue the amended plan or notify the decision not to amend',
  consult: 'Consulting the family and the setting',
  appeal_window: 'Notice sent: the plan is kept while an appeal may be brought',
  appeal_pending: 'Appeal pending: the plan is kept',
  cease_plan: 'Ready to cease',
  tell_family: 'Tell the family within 6 weeks of the transfer',
};
export const stepWords = (step: string | null) => (step ? (STEP_TITLES[step] ?? step.replace(/_/g, ' ')) : null);

/**
 * The plan page's panel (the plan module's route calls this and includes views/_plan-panel.njk): an open amendment
 * or cessation with its step and due date, a transfer in, and how the plan ended. Reads only; the caller logs the
 * read of the plan page. `today` decides "overdue".
 */
export async function planChangesPanel(db: Executor, planId: string, today?: string): Promise<PlanChangesPanel | null> {
  const plan = await db
    .selectFrom('ehc_plans')
    .where('id', '=', planId)
    .select(['id', 'status', 'ceased_date', 'cease_reason', 'transfer_date'])
    .executeTakeFirst();
  if (!plan) return null;
  const [amendments, cessations, transfer] = await Promise.all([
    repo.amendmentsOfPlan(db, planId),
    repo.cessationsOfPlan(db, planId),
    repo.transferInOfPlan(db, planId),
  ]);
  const openA = amendments.find((a) => !a.outcome);
  const openC = cessations.find((c) => !c.outcome);
  const ids = [openA?.protocol_instance_id, openC?.protocol_instance_id, transfer?.protocol_instance_id].filter(
    (x): x is string => Boolean(x),
  );
  const states = new Map((await instanceStates(db, ids)).map((s) => [s.id, s]));
  const st = (id: string | null | undefined) => (id ? states.get(id) : undefined);
  const late = (due: string | null | undefined) => Boolean(due && today && due < today);
  const a = st(openA?.protocol_instance_id);
  const c = st(openC?.protocol_instance_id);
  const t = st(transfer?.protocol_instance_id);
  return {
    planId,
    planStatus: plan.status,
    amendment: openA
      ? {
          id: openA.id,
          step: a?.step_key ?? null,
          stepTitle: stepWords(a?.step_key ?? null),
          due: a?.due_date ?? null,
          overdue: late(a?.due_date),
        }
      : null,
    cessation: openC
      ? {
          id: openC.id,
          reason: openC.reason,
          reasonLabel: reasonLabel(openC.reason),
          step: stepWords(c?.step_key ?? null),
          due: c?.due_date ?? null,
          overdue: late(c?.due_date),
          ceaseOn: openC.cease_on,
        }
      : null,
    transferIn: transfer
      ? {
          fromAuthority: transfer.from_authority_name,
          transferDate: transfer.transfer_date,
          toldDate: transfer.told_date,
          due: t?.status === 'ended' ? null : (t?.due_date ?? null),
        }
      : null,
    ceased:
      plan.status === 'ceased' || plan.status === 'transferred_out'
        ? {
            date: plan.ceased_date ?? plan.transfer_date,
            reason: plan.cease_reason,
            reasonLabel: reasonLabel(plan.cease_reason),
          }
        : null,
    counts: { amendments: amendments.length, cessations: cessations.length },
  };
}
