// Referrals to a service or a person, with chase-and-escalate: the response is due in working days, then the
// referrer is reminded and their line manager told. A successful referral gives the linked plan action its owner.
import type { Tx } from '../../db/database.ts';
import { addWorkingDays } from '../../domain/calendar.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { type Body, text, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { insertEvent } from '../people/repository.ts';
import { cancelDeadlines, endOfLondonDay, scheduleDeadlines } from '../timers/repository.ts';
import { type Ctx, checkOwner, record } from './context.ts';
import { decideDevonStepIn } from './escalation.ts';
import { scheduleActionLadder } from './plans.ts';
import { type ReferralStatus, readReferralInput } from './validation.ts';

export const REFERRAL_SUBJECT = 'referral';
/** A referral's response is due this many working days after it is sent, unless the referrer sets a date. */
export const REFERRAL_RESPONSE_WORKING_DAYS = 10;

const TERMINAL_REFERRAL: ReferralStatus[] = ['declined', 'successful', 'withdrawn'];
const NEXT_STATUSES: Record<ReferralStatus, ReferralStatus[]> = {
  sent: ['accepted', 'declined', 'successful', 'withdrawn'],
  accepted: ['declined', 'successful', 'withdrawn'],
  declined: [],
  successful: [],
  withdrawn: [],
};

export async function refer(ctx: Ctx, user: AuthUser, personId: string, body: Body): Promise<string> {
  const today = ctx.today();
  const { input, errors } = readReferralInput(body, today);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const due = input.response_due ?? addWorkingDays(today, REFERRAL_RESPONSE_WORKING_DAYS);
  const dueRule = input.response_due
    ? `set by the referrer on ${today}`
    : `${REFERRAL_RESPONSE_WORKING_DAYS} working days from the referral on ${today} (local standard)`;
  const id = await ctx.db.transaction().execute(async (tx) => {
    const label = await checkOwner(tx, user.authorityId, input.to_user_id, input.to_service_id, {
      user: 'to_user_id',
      service: 'to_service_id',
    });
    if (input.action_id) {
      const a = await tx
        .selectFrom('plan_actions')
        .where('id', '=', input.action_id)
        .where('person_id', '=', personId)
        .select('id')
        .executeTakeFirst();
      if (!a) throw new ValidationError({ action_id: 'Choose one of this plan’s actions' });
    }
    const person = await tx
      .selectFrom('people')
      .where('id', '=', personId)
      .select('case_number')
      .executeTakeFirstOrThrow();
    const row = await tx
      .insertInto('referrals')
      .values({
        authority_id: user.authorityId,
        person_id: personId,
        ...input,
        response_due: due,
        due_rule: dueRule,
        referred_by: user.id,
        sent_at: ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Chase and escalate: remind the referrer when the response is overdue, then their line manager.
    await scheduleDeadlines(tx, [
      {
        authorityId: user.authorityId,
        subjectType: REFERRAL_SUBJECT,
        subjectId: row.id,
        rung: 0,
        dueAt: endOfLondonDay(due),
        action: { step: 'remind' },
      },
      {
        authorityId: user.authorityId,
        subjectType: REFERRAL_SUBJECT,
        subjectId: row.id,
        rung: 1,
        dueAt: endOfLondonDay(addWorkingDays(due, 3)),
        action: { step: 'escalate' },
      },
    ]);
    if (input.to_user_id)
      await notifyUser(tx, {
        authorityId: user.authorityId,
        userId: input.to_user_id,
        message: 'A referral has been sent to you',
        link: `/people/${personId}/plan#referrals`,
        reference: `${person.case_number}/referral`,
        baseUrl: ctx.config.baseUrl,
      });
    await record(
      tx,
      user,
      personId,
      'create',
      'referral',
      row.id,
      `Referral sent to ${label}`,
      `Response due ${due} (${dueRule})`,
      {
        to_user_id: input.to_user_id,
        to_service_id: input.to_service_id,
        basis: input.basis,
      },
    );
    await decideDevonStepIn(ctx, tx, user, personId, 'make_referral', 'referred');
    return row.id;
  });
  return id;
}

/** Records the response to a referral; a successful one gives the linked action its owner. */
export async function respond(
  ctx: Ctx,
  user: AuthUser,
  personId: string,
  referralId: string,
  body: Body,
): Promise<void> {
  const status = text(body, 'status') as ReferralStatus;
  const version = Number(body.version);
  const errors: Record<string, string> = {};
  if (!['accepted', 'declined', 'successful', 'withdrawn'].includes(status))
    errors.status = 'Choose the response: accepted, declined, successful or withdrawn';
  const declineReason = text(body, 'decline_reason');
  if (status === 'declined' && !declineReason) errors.decline_reason = 'Enter why the referral was declined';
  if (declineReason.length > 2000) errors.decline_reason = 'Reason must be 2000 characters or fewer';
  if (!Number.isInteger(version)) errors.version = 'version is required: send the version you read';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  let failed = false;
  let succeeded = false;
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
    if (!NEXT_STATUSES[r.status].includes(status))
      throw new ValidationError({ status: `A referral that is ${r.status} cannot become ${status}` });
    const now = ctx.now();
    await tx
      .updateTable('referrals')
      .set({
        status,
        decline_reason: status === 'declined' ? declineReason : r.decline_reason,
        responded_at: now,
        version: r.version + 1,
      })
      .where('id', '=', r.id)
      .execute();
    if (TERMINAL_REFERRAL.includes(status)) await cancelDeadlines(tx, REFERRAL_SUBJECT, r.id, now);
    let detail: string | null = status === 'declined' ? `Reason: ${declineReason}` : null;
    if (status === 'successful' && r.action_id) {
      const a = await tx
        .selectFrom('plan_actions')
        .where('id', '=', r.action_id)
        .selectAll()
        .forUpdate()
        .executeTakeFirst();
      if (a) {
        const version2 = a.version + 1;
        await tx
          .updateTable('plan_actions')
          .set({
            owner_user_id: r.to_user_id,
            owner_service_id: r.to_service_id,
            status: a.status === 'not_started' ? 'in_progress' : a.status,
            version: version2,
            updated_at: now,
          })
          .where('id', '=', a.id)
          .execute();
        await scheduleActionLadder(ctx, tx, r.authority_id, a.id, version2, a.due_date, r.to_user_id);
        const label = await checkOwner(tx, r.authority_id, r.to_user_id, r.to_service_id);
        detail = `The plan is updated: “${a.description}” is now owned by ${label}`;
      }
    }
    failed = status === 'declined' || status === 'withdrawn';
    succeeded = status === 'successful';
    await record(tx, user, personId, 'respond', 'referral', r.id, `Referral ${status}`, detail, { status });
    if (succeeded) await decideDevonStepIn(ctx, tx, user, personId, 'await_referral', 'successful');
    if (failed) await decideDevonStepIn(ctx, tx, user, personId, 'await_referral', 'failed');
  });
}

/** Deadline rows for referrals: remind the referrer, then escalate to their line manager. */
export async function fireReferralRung(ctx: Ctx, tx: Tx, referralId: string, step: string): Promise<void> {
  const r = await tx
    .selectFrom('referrals as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('users as b', 'b.id', 'r.referred_by')
    .where('r.id', '=', referralId)
    .select([
      'r.id',
      'r.authority_id',
      'r.person_id',
      'r.status',
      'r.referred_by',
      'b.display_name',
      'b.line_manager_id',
      'p.case_number',
    ])
    .executeTakeFirst();
  if (!r || (r.status !== 'sent' && r.status !== 'accepted')) return;
  const link = `/people/${r.person_id}/plan#referrals`;
  const reference = `${r.case_number}/referral`;
  let title: string;
  if (step === 'remind' || !r.line_manager_id) {
    await notifyUser(tx, {
      authorityId: r.authority_id,
      userId: r.referred_by,
      message: 'Overdue: no response to your referral yet; chase it',
      link,
      reference,
      baseUrl: ctx.config.baseUrl,
    });
    title = `Referral response overdue: reminder sent to ${r.display_name}`;
  } else {
    await notifyUser(tx, {
      authorityId: r.authority_id,
      userId: r.line_manager_id,
      message: 'Escalated to you: a referral by someone you manage has had no response',
      link,
      reference,
      baseUrl: ctx.config.baseUrl,
    });
    await tx
      .updateTable('referrals')
      .set((eb) => ({ escalations: eb('escalations', '+', 1) }))
      .where('id', '=', r.id)
      .execute();
    const lm = await tx
      .selectFrom('users')
      .where('id', '=', r.line_manager_id)
      .select('display_name')
      .executeTakeFirst();
    title = `Referral response overdue: escalated to ${lm?.display_name ?? 'the line manager'}`;
  }
  await insertEvent(tx, {
    authority_id: r.authority_id,
    person_id: r.person_id,
    kind: 'referral',
    title,
    actor_id: null,
  });
  await insertAudit(tx, {
    authorityId: r.authority_id,
    actorId: null,
    action: 'overdue',
    entity: 'referral',
    entityId: r.id,
    personId: r.person_id,
    detail: { step },
  });
}
