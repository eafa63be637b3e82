// Referrals to a service or a person. Each referral runs the referral-chase protocol (src/protocols): its
// response is due 10 working days after sending (or on the date the referrer sets), then the referrer is reminded
// and their line manager told — all in the definition, so a council can change it in a file. The responses a
// referral can take are the open step's outcomes; its status is where its instance is. A successful referral
// gives the linked plan action its owner.
import type { Tx } from '../../db/database.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import type { ReferralResponse } from '../../protocols/referral-chase.ts';
import { notifyUser } from '../notifications/outbox.ts';
import type { Actor } from '../protocols/runtime.ts';
import type { FlowState } from '../protocols/service.ts';
import { lockAction, requireRow, syncChase } from './actions.ts';
import { type Ctx, checkOwner, record } from './context.ts';
import { decideDevonStepIn } from './escalation.ts';
import * as repo from './repository.ts';
import type { ReferralInput, ResponseInput } from './schemas.ts';

type ReferralState = FlowState<Ctx['flows']['referral']['builtIn']>;
export type ReferralStatus = 'sent' | 'accepted' | ReferralResponse;

/** A referral's status, read from its instance: waiting, accepted, or how it ended. */
export function referralStatus(s: ReferralState | undefined): ReferralStatus {
  if (!s) return 'sent';
  if (s.status === 'ended') return (s.result ?? 'withdrawn') as ReferralStatus;
  return s.step === 'accepted' ? 'accepted' : 'sent';
}

/** The responses the referral can take now: the outcomes of its open step (none once it has ended). */
export async function allowedResponses(ctx: Ctx, s: ReferralState | undefined): Promise<ReferralResponse[]> {
  if (!s || s.status === 'ended' || !s.step) return [];
  const def = await ctx.protocols.definition(ctx.flows.referral.id, s.protocolVersion);
  return (def.steps.find((x) => x.id === s.step)?.outcomes.map((o) => o.id) ?? []) as ReferralResponse[];
}

/** The response time new referrals get when the referrer sets no date, from the version now in force. */
export function responseTime(ctx: Ctx): string {
  const d = ctx.flows.referral.current().steps.find((x) => x.id === 'await_response')?.deadline;
  if (!d || 'on' in d) return 'the date the protocol sets';
  if ('workingDays' in d) return `${d.workingDays} working days`;
  return 'weeks' in d ? `${d.weeks} weeks` : `${d.days} days`;
}

export async function refer(ctx: Ctx, user: AuthUser, personId: string, input: ReferralInput): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const to = { userId: input.to_user_id, serviceId: input.to_service_id };
    const label = await checkOwner(tx, user.authorityId, to, { user: 'to_user_id', service: 'to_service_id' });
    if (input.action_id) await requireRow(tx, 'plan_actions', input.action_id, { person_id: personId }, 'action_id');
    const { id, state } = await insertReferral(ctx, tx, user, personId, input);
    if (input.to_user_id) await tellReferredPerson(ctx, tx, user, personId, input.to_user_id);
    await record(
      tx,
      user,
      personId,
      `Referral sent to ${label}`,
      {
        action: 'create',
        entity: 'referral',
        entityId: id,
        detail: { to_user_id: input.to_user_id, to_service_id: input.to_service_id, basis: input.basis },
      },
      { detail: `Response due ${state.due} (${state.dueRule})` },
    );
    await decideDevonStepIn(ctx, tx, user, personId, 'make_referral', 'referred');
    return id;
  });
}

/** The person referred to is told (a reference and a link, never the young person's details). */
async function tellReferredPerson(ctx: Ctx, tx: Tx, user: AuthUser, personId: string, userId: string) {
  const person = await tx
    .selectFrom('people')
    .where('id', '=', personId)
    .select('case_number')
    .executeTakeFirstOrThrow();
  await notifyUser(tx, {
    authorityId: user.authorityId,
    userId,
    message: 'A referral has been sent to you',
    link: `/people/${personId}/plan#referrals`,
    reference: `${person.case_number}/referral`,
    baseUrl: ctx.config.baseUrl,
  });
}

/** Writes a referral and starts its chase, inside the caller's transaction (refer, and the demo). */
export async function insertReferral(ctx: Ctx, tx: Tx, actor: Actor, personId: string, input: ReferralInput) {
  const { response_due, ...fields } = input;
  const instanceId = await ctx.flows.referral.start(tx, actor, personId, {
    involvementId: await caseInvolvement(tx, personId, actor.id),
    anchors: { referral: ctx.today(), ...(response_due ? { response_due } : {}) },
    data: { to_user_id: input.to_user_id, to_service_id: input.to_service_id },
  });
  const row = await tx
    .insertInto('referrals')
    .values({
      authority_id: actor.authorityId,
      person_id: personId,
      ...fields,
      protocol_instance_id: instanceId,
      referred_by: actor.id,
      sent_at: ctx.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, instanceId, state: await ctx.flows.referral.state(tx, instanceId) };
}

/** The involvement a referral is about: the referrer's open one on the case, else the first open one. */
export async function caseInvolvement(tx: Tx, personId: string, userId: string | null): Promise<string | null> {
  const open = await tx
    .selectFrom('involvements')
    .where('person_id', '=', personId)
    .where('end_date', 'is', null)
    .orderBy('start_date')
    .select(['id', 'worker_id'])
    .execute();
  return (open.find((i) => i.worker_id === userId) ?? open[0])?.id ?? null;
}

/** Records the response to a referral; a successful one gives the linked action its owner. */
export async function respond(
  ctx: Ctx,
  user: AuthUser,
  personId: string,
  referralId: string,
  { status, decline_reason: declineReason, version }: ResponseInput,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .selectFrom('referrals')
      .where('id', '=', referralId)
      .where('person_id', '=', personId)
      .selectAll()
      .forUpdate()
      .executeTakeFirst();
    if (!r) throw new NotFound('No referral with that reference on this record.');
    if (r.version !== version)
      throw new Conflict('Someone else recorded a response to this referral. Reload the plan to see it.');
    if (!(user.id === r.to_user_id || user.id === r.referred_by || user.caps.has('person:edit')))
      throw new Forbidden('Only the referrer, the person referred to or a worker on the case can record the response.');
    const state = await ctx.flows.referral.state(tx, r.protocol_instance_id);
    if (!(await allowedResponses(ctx, state)).includes(status))
      throw new ValidationError({ status: `A referral that is ${referralStatus(state)} cannot become ${status}` });
    await tx
      .updateTable('referrals')
      .set({
        decline_reason: status === 'declined' ? declineReason : r.decline_reason,
        responded_at: ctx.now(),
        version: r.version + 1,
      })
      .where('id', '=', r.id)
      .execute();
    await ctx.flows.referral.advance(tx, r.protocol_instance_id, status, user.id);
    let detail: string | null = status === 'declined' ? `Reason: ${declineReason}` : null;
    if (status === 'successful' && r.action_id) detail = await giveActionOwner(ctx, tx, user, r);
    await record(
      tx,
      user,
      personId,
      `Referral ${status}`,
      {
        action: 'respond',
        entity: 'referral',
        entityId: r.id,
        detail: { status },
      },
      { detail },
    );
    if (status !== 'accepted')
      await decideDevonStepIn(
        ctx,
        tx,
        user,
        personId,
        'await_referral',
        status === 'successful' ? 'successful' : 'failed',
      );
  });
}

/** A successful referral: the linked action is now owned by whoever was referred to (and chased for them). */
async function giveActionOwner(
  ctx: Ctx,
  tx: Tx,
  user: AuthUser,
  r: {
    action_id: string | null;
    person_id: string;
    authority_id: string;
    to_user_id: string | null;
    to_service_id: string | null;
  },
): Promise<string> {
  // The action exists: a referral's action is one of the person's (checked when sent), and deleting it unlinks it.
  const a = await lockAction(tx, r.person_id, r.action_id as string);
  const updated = await tx
    .updateTable('plan_actions')
    .set({
      owner_user_id: r.to_user_id,
      owner_service_id: r.to_service_id,
      status: a.status === 'not_started' ? 'in_progress' : a.status,
      version: a.version + 1,
      updated_at: ctx.now(),
    })
    .where('id', '=', a.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await syncChase(ctx, tx, user, updated);
  const label = await checkOwner(tx, r.authority_id, { userId: r.to_user_id, serviceId: r.to_service_id }, undefined, {
    existing: true,
  });
  return `The plan is updated: “${a.description}” is now owned by ${label}`;
}

/**
 * Referrals as the pages and API show them: the status, the response date and its rule, whether it is overdue,
 * how often the chase went past the referrer, and the responses it can take now — all read from the engine.
 */
export async function describeReferrals<R extends { protocol_instance_id: string }>(ctx: Ctx, tx: Tx, rows: R[]) {
  const ids = rows.map((r) => r.protocol_instance_id);
  const states = await ctx.flows.referral.states(tx, ids);
  const facts = new Map((await repo.chaseFacts(tx, ids)).map((f) => [f.instance_id, f]));
  const today = ctx.today();
  const out = [];
  for (const r of rows) {
    const state = states.get(r.protocol_instance_id);
    const f = facts.get(r.protocol_instance_id);
    const status = referralStatus(state);
    const due = state?.due ?? f?.due_date ?? null;
    out.push({
      ...r,
      status,
      response_due: due,
      due_rule: state?.dueRule ?? f?.due_rule ?? '',
      overdue: state?.status === 'open' && due !== null && due < today,
      escalations: Number(f?.escalations ?? 0),
      responses: await allowedResponses(ctx, state),
    });
  }
  return out;
}
