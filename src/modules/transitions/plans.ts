// Person-led plans: the plan page, goals, owned actions and reviews. An open action with a named owner is chased
// by the plan-action-chase protocol (src/protocols): owner reminded, then their line manager, then the service
// manager; this file keeps its instance in step with the action (syncChase).
import type { Selectable } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { PlanActionTable } from '../../db/schema.ts';
import { ageOn } from '../../domain/age.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { type Body, ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { DEVON_TRANSITIONS_ID } from '../../protocols/devon-transitions-16-17.ts';
import { insertAccess } from '../audit/repository.ts';
import { findPerson } from '../people/repository.ts';
import type { Actor } from '../protocols/runtime.ts';
import { type Ctx, checkOwner, OPEN_ACTION, record } from './context.ts';
import { currentSteps } from './escalation.ts';
import { daysUntil18, eighteenthBirthday } from './redact.ts';
import { caseInvolvement, describeReferrals } from './referrals.ts';
import * as repo from './repository.ts';
import {
  OUTCOMES,
  type OutcomeKey,
  readActionInput,
  readGoalInput,
  readPlanInput,
  readReviewInput,
} from './validation.ts';

/** Provision not in place this close to 18 is flagged (Devon protocol outcome: "provision in place by 18"). */
export const PROVISION_WARNING_DAYS = 183;

export type Channel = 'page' | 'api';

/** The plan page: the plan, its actions with flags, reviews, referrals, panel items; one logged read (S6). */
export async function plan(ctx: Ctx, user: AuthUser, access: PersonAccess, channel: Channel) {
  return ctx.db.transaction().execute(async (tx) => {
    const person = await findPerson(tx, user.authorityId, access.personId);
    if (!person) throw new NotFound('No record with that reference.');
    await insertAccess(tx, {
      authorityId: user.authorityId,
      personId: person.id,
      userId: user.id,
      channel,
      purpose: access.breakGlassId ? 'break-glass' : 'plan',
      breakGlassId: access.breakGlassId,
    });
    const today = ctx.today();
    const plan = (await repo.planOf(tx, person.id)) ?? null;
    const [goals, actionRows, reviews, referrals, items] = plan
      ? await Promise.all([
          repo.goalsOf(tx, plan.id),
          repo.actionsOf(tx, plan.id),
          repo.reviewsOf(tx, plan.id),
          repo.referralsOf(tx, person.id),
          repo.panelItemsOfPerson(tx, person.id),
        ])
      : [[], [], [], await repo.referralsOf(tx, person.id), await repo.panelItemsOfPerson(tx, person.id)];
    const decisions = await repo.decisionsOfItems(
      tx,
      items.map((i) => i.id),
    );
    const stallDays = plan?.stall_days ?? 28;
    const stallBefore = new Date(ctx.now().getTime() - stallDays * 86_400_000);
    const actions = actionRows.map((a) => {
      const open = (OPEN_ACTION as readonly string[]).includes(a.status);
      return {
        ...a,
        ownerLabel: a.owner_name
          ? `${a.owner_name}${a.owner_service_name ? ` (${a.owner_service_name})` : ''}`
          : a.owner_service_name
            ? `${a.owner_service_name} (nobody named yet)`
            : null,
        open,
        unowned: open && !a.owner_user_id && !a.owner_service_id,
        overdue: open && a.due_date !== null && a.due_date < today,
        stalled: open && a.updated_at < stallBefore,
      };
    });
    // On the transaction's own connection: a second pool connection per request could exhaust the pool.
    const instances = await tx
      .selectFrom('protocol_instances')
      .where('person_id', '=', person.id)
      .where('protocol_id', '=', DEVON_TRANSITIONS_ID)
      .orderBy('started_at', 'desc')
      .select(['id', 'status', 'result', 'started_at'])
      .execute();
    const current = await currentSteps(
      ctx,
      tx,
      instances.filter((i) => i.status === 'open').map((i) => i.id),
    );
    const daysTo18 = daysUntil18(person.date_of_birth, today);
    return {
      person,
      age: ageOn(person.date_of_birth, today),
      eighteenth: eighteenthBirthday(person.date_of_birth),
      daysTo18,
      provisionWarning:
        Boolean(plan) && !plan?.provision_in_place && daysTo18 >= 0 && daysTo18 <= PROVISION_WARNING_DAYS,
      plan,
      outcomes: (Object.keys(OUTCOMES) as OutcomeKey[]).map((k) => ({
        key: k,
        label: OUTCOMES[k],
        met: Boolean(plan?.[k]),
      })),
      goals,
      actions,
      counts: {
        unowned: actions.filter((a) => a.unowned).length,
        overdue: actions.filter((a) => a.overdue).length,
        stalled: actions.filter((a) => a.stalled).length,
      },
      stallDays,
      reviews,
      referrals: await describeReferrals(ctx, tx, referrals),
      panelItems: items.map((i) => ({ ...i, decisions: decisions.filter((d) => d.item_id === i.id) })),
      escalations: instances.map((i) => ({ ...i, current: current.get(i.id) ?? null })),
      breakGlass: Boolean(access.breakGlassId),
    };
  });
}

/** Creates the plan, or updates it (version-checked, R3). */
export async function savePlan(ctx: Ctx, user: AuthUser, personId: string, body: Body): Promise<void> {
  const { input, errors } = readPlanInput(body);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await ctx.db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('plans')
      .where('person_id', '=', personId)
      .selectAll()
      .forUpdate()
      .executeTakeFirst();
    if (!before) {
      const row = await tx
        .insertInto('plans')
        .values({ authority_id: user.authorityId, person_id: personId, ...input, created_by: user.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      await record(tx, user, personId, 'create', 'plan', row.id, 'Person-led plan started', null, {
        fields: Object.keys(input),
      });
      return;
    }
    const version = Number(body.version);
    if (!Number.isInteger(version) || version < 1)
      throw new ValidationError({ version: 'version is required: send the version of the plan you read' });
    if (version !== before.version)
      throw new Conflict(
        'Someone else changed this plan while you were editing it. Reload it and make your changes again.',
      );
    await tx
      .updateTable('plans')
      .set({ ...input, version: before.version + 1, updated_at: ctx.now() })
      .where('id', '=', before.id)
      .execute();
    const newlyMet = (Object.keys(OUTCOMES) as OutcomeKey[]).filter((k) => input[k] && !before[k]);
    await record(
      tx,
      user,
      personId,
      'update',
      'plan',
      before.id,
      'Person-led plan updated',
      newlyMet.length ? `Outcomes met: ${newlyMet.map((k) => OUTCOMES[k]).join('; ')}` : null,
      { version: before.version + 1, outcomes_met: newlyMet },
    );
  });
}

async function requirePlan(tx: Tx, personId: string) {
  const plan = await repo.planOf(tx, personId);
  if (!plan) throw new ValidationError({ plan: 'Write the person-led plan first: what matters to the young person' });
  return plan;
}

export async function addGoal(ctx: Ctx, user: AuthUser, personId: string, body: Body): Promise<string> {
  const { input, errors } = readGoalInput(body);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return ctx.db.transaction().execute(async (tx) => {
    const plan = await requirePlan(tx, personId);
    const row = await tx
      .insertInto('plan_goals')
      .values({ authority_id: user.authorityId, plan_id: plan.id, person_id: personId, ...input })
      .returning('id')
      .executeTakeFirstOrThrow();
    await record(tx, user, personId, 'create', 'plan_goal', row.id, 'Goal added to the plan', null, {});
    return row.id;
  });
}

export async function addAction(
  ctx: Ctx,
  user: AuthUser,
  personId: string,
  body: Body,
  source = 'plan',
): Promise<string> {
  const { input, errors } = readActionInput(body);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return ctx.db.transaction().execute(async (tx) => insertAction(ctx, tx, user, personId, input, source));
}

export async function insertAction(
  ctx: Ctx,
  tx: Tx,
  user: AuthUser,
  personId: string,
  input: ReturnType<typeof readActionInput>['input'],
  source: string,
): Promise<string> {
  const plan = await requirePlan(tx, personId);
  if (input.goal_id) {
    const g = await tx
      .selectFrom('plan_goals')
      .where('id', '=', input.goal_id)
      .where('plan_id', '=', plan.id)
      .select('id')
      .executeTakeFirst();
    if (!g) throw new ValidationError({ goal_id: 'Choose one of this plan’s goals' });
  }
  const label = await checkOwner(tx, user.authorityId, input.owner_user_id, input.owner_service_id);
  if (input.issue_service_id)
    await checkOwner(tx, user.authorityId, null, input.issue_service_id, {
      user: 'x',
      service: 'issue_service_id',
    });
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
    'create',
    'plan_action',
    row.id,
    label ? `Action added, owned by ${label}` : 'Action added with no owner yet',
    input.due_date ? `Due ${input.due_date}` : null,
    { source, owner_user_id: input.owner_user_id, owner_service_id: input.owner_service_id },
  );
  return row.id;
}

/**
 * Keeps the action's chase (plan-action-chase) in step with the action, inside the caller's transaction: an open
 * action with a named owner has a running instance (started now if it has none), due on the action's date and
 * owned by its owner — a changed date or owner re-plans the ladder; a done or cancelled action, or one that no
 * longer has a named owner, ends it.
 */
export async function syncChase(ctx: Ctx, tx: Tx, actor: Actor, a: Selectable<PlanActionTable>): Promise<void> {
  const flow = ctx.flows.action;
  const chased = (OPEN_ACTION as readonly string[]).includes(a.status) && a.owner_user_id !== null;
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

export async function updateAction(
  ctx: Ctx,
  user: AuthUser,
  personId: string,
  actionId: string,
  body: Body,
): Promise<void> {
  const { input, errors } = readActionInput(body);
  const version = Number(body.version);
  if (!Number.isInteger(version) || version < 1) errors.version = 'version is required: send the version you read';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await ctx.db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('plan_actions')
      .where('id', '=', actionId)
      .where('person_id', '=', personId)
      .selectAll()
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFound('No action with that reference on this plan.');
    if (before.version !== version)
      throw new Conflict('Someone else changed this action while you were editing it. Reload the plan and try again.');
    const label = await checkOwner(tx, user.authorityId, input.owner_user_id, input.owner_service_id);
    if (input.issue_service_id)
      await checkOwner(tx, user.authorityId, null, input.issue_service_id, {
        user: 'x',
        service: 'issue_service_id',
      });
    const after = await tx
      .updateTable('plan_actions')
      .set({ ...input, version: before.version + 1, updated_at: ctx.now() })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await syncChase(ctx, tx, user, after);
    const changed = (
      ['description', 'owner_user_id', 'owner_service_id', 'due_date', 'status', 'evidence', 'issue_type'] as const
    ).filter((k) => before[k] !== input[k]);
    await record(
      tx,
      user,
      personId,
      'update',
      'plan_action',
      before.id,
      input.status !== before.status ? `Action ${input.status.replace('_', ' ')}` : 'Action updated',
      label ? `Owner: ${label}` : 'No owner yet',
      { changed, version: before.version + 1 },
    );
  });
}

export async function addReview(ctx: Ctx, user: AuthUser, personId: string, body: Body): Promise<string> {
  const { input, errors } = readReviewInput(body, ctx.today());
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return ctx.db.transaction().execute(async (tx) => {
    const plan = await requirePlan(tx, personId);
    const row = await tx
      .insertInto('plan_reviews')
      .values({
        authority_id: user.authorityId,
        plan_id: plan.id,
        person_id: personId,
        ...input,
        created_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await record(
      tx,
      user,
      personId,
      'create',
      'plan_review',
      row.id,
      'Plan reviewed with the young person, family and teams',
      input.issues_persist ? 'Issues persist' : null,
      { issues_persist: input.issues_persist },
    );
    return row.id;
  });
}

export async function options(ctx: Ctx, user: AuthUser) {
  const [services, staff] = await Promise.all([
    ctx.db
      .selectFrom('services')
      .where('authority_id', '=', user.authorityId)
      .orderBy('name')
      .select(['id', 'name'])
      .execute(),
    ctx.db
      .selectFrom('users')
      .where('authority_id', '=', user.authorityId)
      .where('active', '=', true)
      .orderBy('display_name')
      .select(['id', 'display_name', 'job_title'])
      .execute(),
  ]);
  return { services, staff };
}
