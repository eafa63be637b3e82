// When the receiving team cannot allocate: capacity escalations to the service manager (the kent-capacity-escalation
// protocol: its owner, deadline and ladder), and the team leader managing an unallocated case meanwhile.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { addDays, addWorkingDays } from '../../domain/calendar.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { recordChange } from '../kit/record.ts';
import { type At, record } from './checklist.ts';
import { type Ctx, forReceiving, isManagerOf } from './context.ts';
import * as repo from './repository.ts';
import type { Escalate } from './schemas.ts';

/** The receiving team cannot allocate: the block goes to the service manager (kent-capacity-escalation). */
export async function escalateCapacity(ctx: Ctx, user: AuthUser, at: At, { reason }: Escalate) {
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forReceiving(tx, user, at, 'accepted', 'escalates a capacity block');
    const personId = x.person_id;
    const team = await tx
      .selectFrom('teams')
      .where('id', '=', x.to_team_id)
      .select(['service_id', 'name'])
      .executeTakeFirstOrThrow();
    // The service manager of the receiving team's service first; with none, that service's queue.
    const manager = await tx
      .selectFrom('users')
      .where('authority_id', '=', user.authorityId)
      .where('active', '=', true)
      .where(sql<boolean>`roles @> ARRAY['service_manager']::text[]`)
      .orderBy(sqlServiceFirst(team.service_id))
      .orderBy('display_name')
      .select('id')
      .executeTakeFirst();
    const row = await tx
      .insertInto('capacity_escalations')
      .values({
        authority_id: x.authority_id,
        person_id: personId,
        transfer_id: x.id,
        team_id: x.to_team_id,
        reason,
        raised_by: user.id,
        raised_at: ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The engine names the owner, sets the deadline and its ladder, and tells the owner (the definition's).
    const instanceId = await ctx.capacity.start(tx, { id: user.id, authorityId: x.authority_id }, personId, {
      involvementId: x.to_involvement_id ?? x.from_involvement_id,
      data: { service_manager_id: manager?.id ?? team.service_id, transfer_id: x.id, escalation_id: row.id },
    });
    await tx
      .updateTable('capacity_escalations')
      .set({ protocol_instance_id: instanceId })
      .where('id', '=', row.id)
      .execute();
    const state = await ctx.capacity.state(tx, instanceId);
    await record(ctx, tx, user, x, {
      title: `Capacity block escalated to ${state.ownerLabel ?? 'the service managers'}${state.due ? `, due ${state.due}` : ''}`,
      action: 'escalate',
      detail: { escalation_id: row.id },
      note: reason,
    });
  });
}

/** A child in need who cannot be allocated: the team leader manages the case with visiting, review and oversight. */
export async function teamLeaderManages(ctx: Ctx, user: AuthUser, personId: string, involvementId: string) {
  await ctx.db.transaction().execute(async (tx) => {
    const inv = await repo.openInvolvement(tx, user.authorityId, personId, involvementId);
    if (!inv) throw new NotFound('That involvement is not open on this record.');
    if (inv.worker_id) throw new ValidationError({ involvement: 'This case has an allocated worker' });
    if (!isManagerOf(user, inv.team_id))
      throw new Forbidden('The team leader of the team holding the case takes it on.');
    const existing = await tx
      .selectFrom('case_tasks')
      .where('involvement_id', '=', inv.id)
      .where('done_at', 'is', null)
      .where('kind', 'in', ['visit', 'review', 'oversight'])
      .select('id')
      .executeTakeFirst();
    if (existing) throw new ValidationError({ involvement: 'The team leader is already managing this case' });
    const today = ctx.today();
    await repo.addTasks(
      tx,
      { authority_id: user.authorityId, person_id: personId, involvement_id: inv.id, owner_user_id: user.id },
      [
        {
          kind: 'visit',
          description: 'Visit the child while the case waits for allocation',
          due_date: addWorkingDays(today, 10),
        },
        { kind: 'review', description: 'Review the child in need plan', due_date: addWorkingDays(today, 20) },
        {
          kind: 'oversight',
          description: 'Record management oversight and try again to allocate',
          due_date: addDays(today, 28),
        },
      ],
    );
    await recordChange(tx, {
      actor: user,
      personId,
      kind: 'allocation',
      title: `${user.displayName} (team leader) manages the case until allocation`,
      detail: 'Visiting, review and oversight tasks set',
      audit: { action: 'team-leader-manages', entity: 'involvement', entityId: inv.id },
    });
  });
}

/** A worker is allocated: the transfer's open capacity escalations end by themselves (their fact: flow.ts). */
export async function resolveEscalations(ctx: Ctx, tx: Tx, transferId: string, actorId: string) {
  const open = await tx
    .selectFrom('capacity_escalations')
    .where('transfer_id', '=', transferId)
    .where('protocol_instance_id', 'is not', null)
    .where('resolved_at', 'is', null)
    .select('protocol_instance_id')
    .execute();
  for (const e of open) await ctx.capacity.sync(tx, e.protocol_instance_id as string, actorId);
  // Escalations raised before migration 0150 have no instance: they are marked resolved, as they always were.
  await tx
    .updateTable('capacity_escalations')
    .set({ resolved_at: ctx.now() })
    .where('transfer_id', '=', transferId)
    .where('protocol_instance_id', 'is', null)
    .where('resolved_at', 'is', null)
    .execute();
}

/** Service managers of the team's own service first. */
function sqlServiceFirst(serviceId: string) {
  return (eb: import('kysely').ExpressionBuilder<import('../../db/schema.ts').Database, 'users'>) =>
    eb.case().when('service_id', '=', serviceId).then(0).else(1).end();
}
