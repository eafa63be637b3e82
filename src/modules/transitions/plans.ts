// Person-led plans: the plan page, goals, owned actions with their chase ladder, and reviews.
import type { Tx } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import { addWorkingDays } from '../../domain/calendar.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { type Body, ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { DEVON_TRANSITIONS_ID } from '../../protocols/devon-transitions-16-17.ts';
import { insertAccess } from '../audit/repository.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { findPerson, insertEvent } from '../people/repository.ts';
import { cancelDeadlines, endOfLondonDay, scheduleDeadlines } from '../timers/repository.ts';
import { type Ctx, checkOwner, OPEN_ACTION, record } from './context.ts';
import { currentSteps } from './escalation.ts';
import { daysUntil18, eighteenthBirthday } from './redact.ts';
import * as repo from './repository.ts';
import {
  OUTCOMES,
  type OutcomeKey,
  readActionInput,
  readGoalInput,
  readPlanInput,
  readReviewInput,
} from './validation.ts';

export const ACTION_SUBJECT = 'plan_action';
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
      referrals: referrals.map((r) => ({
        ...r,
        overdue: (r.status === 'sent' || r.status === 'accepted') && r.response_due < today,
      })),
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
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  await scheduleActionLadder(ctx, tx, user.authorityId, row.id, row.version, input.due_date, input.owner_user_id);
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
 * The action's own chase ladder: remind its named owner when it passes its due date, then tell their line
 * manager 5 working days later. Rung numbers carry the action's version, so a changed date gets a new ladder.
 */
export async function scheduleActionLadder(
  ctx: Ctx,
  tx: Tx,
  authorityId: string,
  actionId: string,
  version: number,
  due: string | null,
  ownerUserId: string | null,
) {
  await cancelDeadlines(tx, ACTION_SUBJECT, actionId, ctx.now());
  if (!due || !ownerUserId) return;
  await scheduleDeadlines(tx, [
    {
      authorityId,
      subjectType: ACTION_SUBJECT,
      subjectId: actionId,
      rung: version * 10,
      dueAt: endOfLondonDay(due),
      action: { step: 'remind' },
    },
    {
      authorityId,
      subjectType: ACTION_SUBJECT,
      subjectId: actionId,
      rung: version * 10 + 1,
      dueAt: endOfLondonDay(addWorkingDays(due, 5)),
      action: { step: 'line_manager' },
    },
  ]);
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
    await tx
      .updateTable('plan_actions')
      .set({ ...input, version: before.version + 1, updated_at: ctx.now() })
      .where('id', '=', before.id)
      .execute();
    const open = (OPEN_ACTION as readonly string[]).includes(input.status);
    await scheduleActionLadder(
      ctx,
      tx,
      user.authorityId,
      before.id,
      before.version + 1,
      open ? input.due_date : null,
      input.owner_user_id,
    );
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

/** Deadline rows for plan actions: remind the owner, then tell their line manager. */
export async function fireActionRung(ctx: Ctx, tx: Tx, actionId: string, rung: number): Promise<void> {
  const a = await tx
    .selectFrom('plan_actions as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .leftJoin('users as o', 'o.id', 'a.owner_user_id')
    .where('a.id', '=', actionId)
    .select([
      'a.id',
      'a.authority_id',
      'a.person_id',
      'a.status',
      'a.version',
      'a.owner_user_id',
      'o.display_name',
      'o.line_manager_id',
      'p.case_number',
    ])
    .executeTakeFirst();
  // A ladder from an older version of the action (its date or owner changed) does nothing.
  if (
    !a?.owner_user_id ||
    !(OPEN_ACTION as readonly string[]).includes(a.status) ||
    Math.floor(rung / 10) !== a.version
  )
    return;
  const toManager = rung % 10 === 1 && a.line_manager_id;
  await notifyUser(tx, {
    authorityId: a.authority_id,
    userId: toManager ? (a.line_manager_id as string) : a.owner_user_id,
    message: toManager ? 'Overdue plan action owned by someone you manage' : 'Overdue: a plan action you own',
    link: `/people/${a.person_id}/plan#actions`,
    reference: `${a.case_number}/action`,
    baseUrl: ctx.config.baseUrl,
  });
  await insertEvent(tx, {
    authority_id: a.authority_id,
    person_id: a.person_id,
    kind: 'plan',
    title: toManager
      ? `Plan action overdue: ${a.display_name}’s line manager told`
      : `Plan action overdue: reminder sent to ${a.display_name}`,
    actor_id: null,
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
