// Person-led plans: the plan page, the plan itself, goals and reviews. Owned actions and their chase are in
// actions.ts.
import type { Tx } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { DEVON_TRANSITIONS_ID } from '../../protocols/devon-transitions-16-17.ts';
import { logRead } from '../audit/repository.ts';
import { PLAN_OWNER_ROLES, picker } from '../kit/staff.ts';
import { findPerson } from '../people/repository.ts';
import { type Ctx, isOpenAction, record } from './context.ts';
import { currentSteps } from './escalation.ts';
import { daysUntil18, eighteenthBirthday } from './redact.ts';
import { describeReferrals } from './referrals.ts';
import * as repo from './repository.ts';
import { type GoalInput, OUTCOME_KEYS, OUTCOMES, type PlanInput, type ReviewInput } from './schemas.ts';

/** Provision not in place this close to 18 is flagged (Devon protocol outcome: "provision in place by 18"). */
export const PROVISION_WARNING_DAYS = 183;

export type Channel = 'page' | 'api';

type ActionRow = Awaited<ReturnType<typeof repo.actionsOf>>[number];

/** Actions as the plan shows them: the owner's label, and whether each is open, unowned, overdue or stalled. */
function describeActions(rows: ActionRow[], today: string, stallBefore: Date) {
  return rows.map((a) => {
    const open = isOpenAction(a.status);
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
}

/** The person's Devon protocols, newest first, each with its open step (on the transaction's own connection). */
async function escalationsOf(ctx: Ctx, tx: Tx, personId: string) {
  const instances = await tx
    .selectFrom('protocol_instances')
    .where('person_id', '=', personId)
    .where('protocol_id', '=', DEVON_TRANSITIONS_ID)
    .orderBy('started_at', 'desc')
    .select(['id', 'status', 'result', 'started_at'])
    .execute();
  const open = instances.filter((i) => i.status === 'open').map((i) => i.id);
  const current = await currentSteps(ctx, tx, open);
  return instances.map((i) => ({ ...i, current: current.get(i.id) ?? null }));
}

/** The plan page: the plan, its actions with flags, reviews, referrals, panel items; one logged read (S6). */
export async function plan(ctx: Ctx, user: AuthUser, access: PersonAccess, channel: Channel) {
  return ctx.db.transaction().execute(async (tx) => {
    const person = await findPerson(tx, user.authorityId, access.personId);
    if (!person) throw new NotFound('No record with that reference.');
    await logRead(tx, user, access, channel, 'plan');
    const today = ctx.today();
    const plan = (await repo.planOf(tx, person.id)) ?? null;
    const [goals, actionRows, reviews, referrals, items] = await Promise.all([
      plan ? repo.goalsOf(tx, plan.id) : [],
      plan ? repo.actionsOf(tx, plan.id) : [],
      plan ? repo.reviewsOf(tx, plan.id) : [],
      repo.referralsOf(tx, person.id),
      repo.panelItemsOfPerson(tx, person.id),
    ]);
    const decisions = await repo.decisionsOfItems(
      tx,
      items.map((i) => i.id),
    );
    const stallDays = plan?.stall_days ?? 28;
    const actions = describeActions(actionRows, today, new Date(ctx.now().getTime() - stallDays * 86_400_000));
    const daysTo18 = daysUntil18(person.date_of_birth, today);
    return {
      person,
      age: ageOn(person.date_of_birth, today),
      eighteenth: eighteenthBirthday(person.date_of_birth),
      daysTo18,
      provisionWarning:
        Boolean(plan) && !plan?.provision_in_place && daysTo18 >= 0 && daysTo18 <= PROVISION_WARNING_DAYS,
      plan,
      outcomes: OUTCOME_KEYS.map((k) => ({ key: k, label: OUTCOMES[k], met: Boolean(plan?.[k]) })),
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
      escalations: await escalationsOf(ctx, tx, person.id),
      breakGlass: Boolean(access.breakGlassId),
    };
  });
}

/** Creates the plan, or updates it (version-checked, R3). */
export async function savePlan(ctx: Ctx, user: AuthUser, personId: string, plan: PlanInput): Promise<void> {
  const { version, ...input } = plan;
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
      await record(tx, user, personId, 'Person-led plan started', {
        action: 'create',
        entity: 'plan',
        entityId: row.id,
        detail: { fields: Object.keys(input) },
      });
      return;
    }
    if (version === null)
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
    const newlyMet = OUTCOME_KEYS.filter((k) => input[k] && !before[k]);
    await record(
      tx,
      user,
      personId,
      'Person-led plan updated',
      {
        action: 'update',
        entity: 'plan',
        entityId: before.id,
        detail: { version: version + 1, outcomes_met: newlyMet },
      },
      { detail: newlyMet.length ? `Outcomes met: ${newlyMet.map((k) => OUTCOMES[k]).join('; ')}` : null },
    );
  });
}

/** The person's plan, which goals, actions and reviews belong to; else the form says to write it first. */
export async function requirePlan(tx: Tx, personId: string) {
  const plan = await repo.planOf(tx, personId);
  if (!plan) throw new ValidationError({ plan: 'Write the person-led plan first: what matters to the young person' });
  return plan;
}

type PlanOwned = { authority_id: string; plan_id: string; person_id: string };
interface PlanChange {
  title: string;
  entity: string;
  timeline?: string | null;
  audit?: Record<string, unknown>;
}

/** Adds a row that belongs to the plan (a goal, a review) and records it, in one transaction. */
async function addToPlan(
  ctx: Ctx,
  user: AuthUser,
  personId: string,
  change: PlanChange,
  write: (tx: Tx, owned: PlanOwned) => Promise<{ id: string }>,
): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const plan = await requirePlan(tx, personId);
    const { id } = await write(tx, { authority_id: user.authorityId, plan_id: plan.id, person_id: personId });
    const audit = { action: 'create', entity: change.entity, entityId: id, detail: change.audit };
    await record(tx, user, personId, change.title, audit, { detail: change.timeline });
    return id;
  });
}

export async function addGoal(ctx: Ctx, user: AuthUser, personId: string, input: GoalInput): Promise<string> {
  return addToPlan(ctx, user, personId, { title: 'Goal added to the plan', entity: 'plan_goal' }, (tx, owned) =>
    tx
      .insertInto('plan_goals')
      .values({ ...owned, ...input })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
}

export async function addReview(ctx: Ctx, user: AuthUser, personId: string, input: ReviewInput): Promise<string> {
  const change = {
    title: 'Plan reviewed with the young person, family and teams',
    entity: 'plan_review',
    timeline: input.issues_persist ? 'Issues persist' : null,
    audit: { issues_persist: input.issues_persist },
  };
  const values = { ...input, created_by: user.id };
  return addToPlan(ctx, user, personId, change, (tx, owned) =>
    tx
      .insertInto('plan_reviews')
      .values({ ...owned, ...values })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
}

/** The council's services and active staff, for choosing an owner or whom to refer to. */
/**
 * What the action and referral forms offer. The person is chosen within one service (issue 11 capability 13): the
 * service asked for (`o.service`), else the user's own; its practitioners listed whole when few, else searched by
 * `o.q` (src/modules/kit/staff.ts) — never the whole council, never the IT administrator.
 */
export async function options(
  ctx: Ctx,
  user: AuthUser,
  o: { service?: string; q?: string; current?: string | null } = {},
) {
  const services = await ctx.db
    .selectFrom('services')
    .where('authority_id', '=', user.authorityId)
    .orderBy('name')
    .select(['id', 'name'])
    .execute();
  const own = await ctx.db.selectFrom('users').where('id', '=', user.id).select('service_id').executeTakeFirst();
  const service =
    services.find((s) => s.id === o.service)?.id ??
    own?.service_id ??
    services[0]?.id ??
    '00000000-0000-0000-0000-000000000000';
  const staff = await picker(
    ctx.db,
    user.authorityId,
    { serviceId: service },
    o.q ?? '',
    o.current ?? null,
    PLAN_OWNER_ROLES,
  );
  return { services, staff, staffService: service };
}
