// Glue to the Devon 16-17 transitions protocol, which runs on the engine (modules/protocols) as
// devon-transitions-16-17 (people start and decide it on the protocol pages too): starting it from an unowned
// action, moving it on when a referral or forum referral answers its step, and its `entered` hook (in the
// engine's transaction) that puts a case on a panel's agenda.
import type { Tx } from '../../db/database.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import {
  DEVON_TRANSITIONS_ID,
  type DevonOutcome,
  type DevonStep,
  type devonTransitions,
  PANEL_STAGES,
} from '../../protocols/devon-transitions-16-17.ts';
import { insertEvent } from '../people/repository.ts';
import type { FlowEvent } from '../protocols/service.ts';
import { lockAction } from './actions.ts';
import { checkedSummaryFor } from './audience.ts';
import type { Ctx } from './context.ts';
import { ensurePanels, nextMeeting, PANEL_NAMES, type PanelKind } from './panels.ts';
import type { EscalationInput } from './schemas.ts';
import { caseFacts } from './summaries.ts';

export async function currentSteps(ctx: Ctx, tx: Tx, instanceIds: string[]) {
  const out = new Map<string, { step_key: string; title: string; owner_label: string; due_date: string | null }>();
  if (!instanceIds.length) return out;
  const def = await ctx.protocols.definition(DEVON_TRANSITIONS_ID, 1);
  const rows = await tx
    .selectFrom('protocol_steps')
    .where('instance_id', 'in', instanceIds)
    .where('status', '=', 'open')
    .select(['instance_id', 'step_key', 'owner_label', 'due_date'])
    .execute();
  for (const r of rows)
    out.set(r.instance_id, { ...r, title: def.steps.find((s) => s.id === r.step_key)?.title ?? r.step_key });
  return out;
}

/**
 * Starts the Devon protocol from an action that has no owner (its step 2). Steps 1 and 2 are recorded at once:
 * the plan exists and this action has no owner, so the case goes straight to step 3. One transaction, with the
 * action locked: two escalations of the same action at once start one protocol, and a failure writes nothing.
 */
export async function escalateAction(
  ctx: Ctx,
  user: AuthUser,
  personId: string,
  actionId: string,
  input: EscalationInput,
): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const action = await lockAction(tx, personId, actionId);
    if (action.owner_user_id || action.owner_service_id)
      throw new ValidationError({
        action_id: 'This action already has an owner: the protocol is for actions with none',
      });
    if (action.protocol_instance_id) {
      const running = await tx
        .selectFrom('protocol_instances')
        .where('id', '=', action.protocol_instance_id)
        .where('status', '=', 'open')
        .select('id')
        .executeTakeFirst();
      if (running) throw new ValidationError({ action_id: 'The protocol is already running for this action' });
    }
    const start = {
      protocol_id: DEVON_TRANSITIONS_ID,
      routes_tried: input.routes_tried,
      involvement_id: input.involvement_id ?? undefined,
    };
    const instanceId = await ctx.protocols.start(user, personId, start, tx);
    await tx
      .updateTable('plan_actions')
      .set((eb) => ({ protocol_instance_id: instanceId, version: eb('version', '+', 1), updated_at: ctx.now() }))
      .where('id', '=', actionId)
      .execute();
    for (const outcome of ['plan_written', 'unowned']) {
      const step = await openStep(tx, instanceId);
      if (step) await ctx.protocols.decide(user, personId, instanceId, step.id, { outcome, version: step.version }, tx);
    }
    return instanceId;
  });
}

async function openStep(tx: Tx, instanceId: string) {
  return tx
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .select(['id', 'step_key', 'version', 'person_id'])
    .executeTakeFirst();
}

/**
 * Moves the person's running Devon protocol on from `stepKey`, if it is there and the user may decide it, inside
 * the caller's transaction: the referral or forum referral and the protocol's move commit together.
 */
export async function decideDevonStepIn(
  ctx: Ctx,
  tx: Tx,
  user: AuthUser,
  personId: string,
  stepKey: DevonStep,
  outcome: DevonOutcome,
) {
  const step = await tx
    .selectFrom('protocol_steps as s')
    .innerJoin('protocol_instances as i', 'i.id', 's.instance_id')
    .where('s.person_id', '=', personId)
    .where('s.status', '=', 'open')
    .where('s.step_key', '=', stepKey)
    .where('i.protocol_id', '=', DEVON_TRANSITIONS_ID)
    .select([
      's.id',
      's.instance_id',
      's.version',
      's.owner_user_id',
      's.owner_team_id',
      's.owner_role',
      's.owner_service_id',
    ])
    .executeTakeFirst();
  if (!step || !(await ctx.protocols.mayAct(user, step, 'decide'))) return false;
  await ctx.protocols.decide(user, personId, step.instance_id, step.id, { outcome, version: step.version }, tx);
  return true;
}

/**
 * The Devon protocol's `entered` hook, in the engine's transaction: a step at the forum, Governance Group or SEND
 * board stage puts the case on that panel's agenda (its next planned meeting, or the list awaiting one). It also
 * copies the service lead's gap-or-capacity answer onto the plan action the protocol is about.
 */
export async function stepEntered(ctx: Ctx, e: FlowEvent<typeof devonTransitions>): Promise<void> {
  const { tx } = e;
  await syncIssueType(ctx, tx, e);
  const kind = PANEL_STAGES[e.step];
  if (!kind) return;
  const stepId = (
    await tx
      .selectFrom('protocol_instances')
      .where('id', '=', e.instanceId)
      .select('current_step_id')
      .executeTakeFirstOrThrow()
  ).current_step_id;
  const panels = await ensurePanels(tx, e.authorityId);
  const panelId = panels[kind];
  // A case already open on this panel (a forum referral form, an earlier forum step) stays one agenda item.
  const waiting = await tx
    .selectFrom('panel_items')
    .where('panel_id', '=', panelId)
    .where('person_id', '=', e.personId)
    .where('status', '=', 'open')
    .select('id')
    .executeTakeFirst();
  if (waiting) {
    const again = kind === 'forum' ? null : await checkedSummaryFor(tx, e.authorityId, e.personId, kind);
    await tx
      .updateTable('panel_items')
      .set({
        protocol_step_id: stepId,
        ...(again ? { summary: again.summary, needs_categories: again.needs_categories } : {}),
      })
      .where('id', '=', waiting.id)
      .execute();
    return;
  }
  await addToAgenda(ctx, e, kind, panelId, stepId);
}

/** A new agenda item for the step: the panel's next planned meeting, or the list awaiting one. */
async function addToAgenda(
  ctx: Ctx,
  e: FlowEvent<typeof devonTransitions>,
  kind: PanelKind,
  panelId: string,
  stepId: string | null,
) {
  const { tx } = e;
  const meeting = await nextMeeting(ctx, tx, panelId);
  const def = await ctx.protocols.definition(DEVON_TRANSITIONS_ID, 1);
  const question = def.steps.find((s) => s.id === e.step)?.title.replace(/^[\d\s,.and-]+\.\s*/, '') ?? e.step;
  // A pseudonymised panel gets the summary written and checked for it, never the plan's free text.
  const written = kind === 'forum' ? null : await checkedSummaryFor(tx, e.authorityId, e.personId, kind);
  const facts = kind === 'forum' ? await caseFacts(ctx, tx, e.personId) : null;
  await tx
    .insertInto('panel_items')
    .values({
      authority_id: e.authorityId,
      panel_id: panelId,
      meeting_id: meeting?.id ?? null,
      person_id: e.personId,
      protocol_step_id: stepId,
      source: 'protocol',
      question,
      issue_type: facts ? facts.issueType : 'unclear',
      needs: facts?.needs ?? null,
      blocked_by: facts?.blockedBy ?? null,
      routes_tried: facts ? ((e.data.routes_tried as string | undefined) ?? null) : null,
      summary: written?.summary ?? null,
      needs_categories: written?.needs_categories ?? [],
      referred_by: null,
    })
    .execute();
  await insertEvent(tx, {
    authority_id: e.authorityId,
    person_id: e.personId,
    kind: 'panel',
    title: `On the agenda of the ${PANEL_NAMES[kind]}${kind === 'forum' ? '' : ' (without personal details)'}`,
    actor_id: null,
  });
}

async function syncIssueType(ctx: Ctx, tx: Tx, e: FlowEvent<typeof devonTransitions>) {
  const decided = await tx
    .selectFrom('protocol_steps')
    .where('instance_id', '=', e.instanceId)
    .where('step_key', '=', 'identify_issue_type')
    .where('status', '=', 'done')
    .orderBy('decided_at', 'desc')
    .select('outcome')
    .executeTakeFirst();
  if (decided?.outcome !== 'gap' && decided?.outcome !== 'capacity') return;
  const set: { issue_type: 'gap' | 'capacity'; resources_date?: string; contingency?: string } = {
    issue_type: decided.outcome,
  };
  if (typeof e.data.resources_available === 'string') set.resources_date = e.data.resources_available;
  if (typeof e.data.contingency_plan === 'string') set.contingency = e.data.contingency_plan;
  await tx
    .updateTable('plan_actions')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: ctx.now() }))
    .where('protocol_instance_id', '=', e.instanceId)
    .execute();
}
