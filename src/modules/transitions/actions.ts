// Owned actions on a person-led plan. An open action with a named owner is chased by the plan-action-chase protocol
// (src/protocols): owner reminded, then their line manager, then the service manager; this file keeps its instance
// in step with the action (syncChase), inside the transaction that changes the action.
import type { Selectable } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { PlanActionTable } from '../../db/schema.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import type { Actor } from '../protocols/runtime.ts';
import { type Ctx, checkOwner, checkService, isOpenAction, record } from './context.ts';
import { requirePlan } from './plans.ts';
import { caseInvolvement } from './referrals.ts';
import type { ActionInput, ActionUpdateInput } from './schemas.ts';

export async function addAction(ctx: Ctx, user: AuthUser, personId: string, input: ActionInput): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => insertAction(ctx, tx, user, personId, input, 'plan'));
}

/** The owner's label, once the owner and the service with the issue are checked to be the council's. */
async function checkAction(tx: Tx, user: AuthUser, input: ActionInput): Promise<string | null> {
  if (input.issue_service_id) await checkService(tx, user.authorityId, input.issue_service_id, 'issue_service_id');
  return checkOwner(tx, user.authorityId, { userId: input.owner_user_id, serviceId: input.owner_service_id });
}

/** Writes an action (from the plan, or a panel's decision) and starts its chase, in the caller's transaction. */
export async function insertAction(
  ctx: Ctx,
  tx: Tx,
  user: AuthUser,
  personId: string,
  input: ActionInput,
  source: string,
): Promise<string> {
  const plan = await requirePlan(tx, personId);
  if (input.goal_id) await requireRow(tx, 'plan_goals', input.goal_id, { plan_id: plan.id }, 'goal_id');
  const label = await checkAction(tx, user, input);
  const row = await tx
    .insertInto('plan_actions')
    .values({
      authority_id: user.authorityId,
      plan_id: plan.id,
      person_id: personId,
      ...input,
      source,
      updated_at: ctx.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await syncChase(ctx, tx, user, row);
  await record(
    tx,
    user,
    personId,
    label ? `Action added, owned by ${label}` : 'Action added with no owner yet',
    {
      action: 'create',
      entity: 'plan_action',
      entityId: row.id,
      detail: { source, owner_user_id: input.owner_user_id, owner_service_id: input.owner_service_id },
    },
    { detail: input.due_date ? `Due ${input.due_date}` : null },
  );
  return row.id;
}

/** A row of the plan (a goal, an action) the input names must belong to it; else the field says so. */
export async function requireRow(
  tx: Tx,
  table: 'plan_goals' | 'plan_actions',
  id: string,
  where: { plan_id: string } | { person_id: string },
  field: string,
): Promise<void> {
  const [column, value] = Object.entries(where)[0] as ['plan_id' | 'person_id', string];
  const found = await tx
    .selectFrom(table)
    .where('id', '=', id)
    .where(column, '=', value)
    .select('id')
    .executeTakeFirst();
  const what = table === 'plan_goals' ? 'goals' : 'actions';
  if (!found) throw new ValidationError({ [field]: `Choose one of this plan’s ${what}` });
}

/**
 * Keeps the action's chase (plan-action-chase) in step with the action, inside the caller's transaction: an open
 * action with a named owner has a running instance (started now if it has none), due on the action's date and
 * owned by its owner — a changed date or owner re-plans the ladder; a done or cancelled action, or one that no
 * longer has a named owner, ends it.
 */
export async function syncChase(ctx: Ctx, tx: Tx, actor: Actor, a: Selectable<PlanActionTable>): Promise<void> {
  const flow = ctx.flows.action;
  const chased = isOpenAction(a.status) && a.owner_user_id !== null;
  const running = a.chase_instance_id && (await flow.state(tx, a.chase_instance_id)).status === 'open';
  if (running && !chased) {
    const outcome = a.status === 'done' ? 'done' : a.status === 'cancelled' ? 'cancelled' : 'released';
    await flow.advance(tx, a.chase_instance_id as string, outcome, actor.id);
  } else if (running) {
    await flow.update(
      tx,
      a.chase_instance_id as string,
      { anchors: { due: a.due_date }, data: { owner_user_id: a.owner_user_id } },
      { reown: true },
    );
  } else if (chased) {
    const instanceId = await flow.start(tx, actor, a.person_id, {
      involvementId: await caseInvolvement(tx, a.person_id, a.owner_user_id),
      anchors: a.due_date ? { due: a.due_date } : {},
      data: { owner_user_id: a.owner_user_id, action_id: a.id },
    });
    await tx.updateTable('plan_actions').set({ chase_instance_id: instanceId }).where('id', '=', a.id).execute();
  }
}

/** A person's action, locked for a change in the caller's transaction. */
export async function lockAction(tx: Tx, personId: string, actionId: string) {
  const action = await tx
    .selectFrom('plan_actions')
    .where('id', '=', actionId)
    .where('person_id', '=', personId)
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
  if (!action) throw new NotFound('No action with that reference on this plan.');
  return action;
}

const TRACKED = ['description', 'owner_user_id', 'owner_service_id', 'due_date', 'status', 'evidence', 'issue_type'];

export async function updateAction(
  ctx: Ctx,
  user: AuthUser,
  personId: string,
  actionId: string,
  { version, ...input }: ActionUpdateInput,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const before = await lockAction(tx, personId, actionId);
    if (before.version !== version)
      throw new Conflict('Someone else changed this action while you were editing it. Reload the plan and try again.');
    const label = await checkAction(tx, user, input);
    const after = await tx
      .updateTable('plan_actions')
      .set({ ...input, version: before.version + 1, updated_at: ctx.now() })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await syncChase(ctx, tx, user, after);
    const changed = (TRACKED as (keyof ActionInput)[]).filter((k) => before[k] !== input[k]);
    await record(
      tx,
      user,
      personId,
      input.status !== before.status ? `Action ${input.status.replace('_', ' ')}` : 'Action updated',
      {
        action: 'update',
        entity: 'plan_action',
        entityId: before.id,
        detail: { changed, version: before.version + 1 },
      },
      { detail: label ? `Owner: ${label}` : 'No owner yet' },
    );
  });
}

/**
 * Passes an open action to another owner inside the caller's transaction (bulk reallocation, src/modules/caseload):
 * the owner changes, its chase follows (the new owner is told by the engine), and the change is recorded. The caller
 * has locked the action and checked it is still the leaver's and open.
 */
export async function reownAction(
  ctx: Ctx,
  tx: Tx,
  user: AuthUser,
  actionId: string,
  to: { id: string; name: string },
  why: string,
): Promise<void> {
  const after = await tx
    .updateTable('plan_actions')
    .set((eb) => ({
      owner_user_id: to.id,
      owner_service_id: null,
      version: eb('version', '+', 1),
      updated_at: ctx.now(),
    }))
    .where('id', '=', actionId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await syncChase(ctx, tx, user, after);
  await record(
    tx,
    user,
    after.person_id,
    `Action passed to ${to.name}`,
    { action: 'reallocate', entity: 'plan_action', entityId: after.id, detail: { to: to.id, version: after.version } },
    { detail: why },
  );
}
