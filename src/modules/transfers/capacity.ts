// When the receiving team cannot allocate: capacity escalations to the service manager, chased when overdue, and
// the team leader managing an unallocated case meanwhile.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { addDays, addWorkingDays } from '../../domain/calendar.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import { type Body, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { insertEvent } from '../people/repository.ts';
import { cancelDeadlines, type Deadline, endOfLondonDay, scheduleDeadlines } from '../timers/repository.ts';
import { record } from './checklist.ts';
import { type Ctx, caseNumberOf, forChange, isManagerOf, longText, ref } from './context.ts';

export const ESCALATION_SUBJECT = 'capacity_escalation';
/** The service manager has this long to resolve a capacity block before it is chased (local choice). */
export const ESCALATION_WORKING_DAYS = 5;

/** The receiving team cannot allocate: the block goes to the service manager with an owner and a deadline. */
export async function escalateCapacity(ctx: Ctx, user: AuthUser, personId: string, transferId: string, body: Body) {
  const errors: Record<string, string> = {};
  const reason = longText(body, 'reason', 'why the team cannot allocate', errors);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, personId, transferId, body, ['accepted']);
    if (!x.to_team_id || !isManagerOf(user, x.to_team_id))
      throw new Forbidden('A team manager of the receiving team escalates a capacity block.');
    const team = await tx
      .selectFrom('teams')
      .where('id', '=', x.to_team_id)
      .select(['service_id', 'name'])
      .executeTakeFirstOrThrow();
    const managers = await tx
      .selectFrom('users')
      .where('authority_id', '=', user.authorityId)
      .where('active', '=', true)
      .where(sql<boolean>`roles @> ARRAY['service_manager']::text[]`)
      .orderBy(sqlServiceFirst(team.service_id))
      .select(['id', 'display_name', 'service_id'])
      .execute();
    const owner = managers[0] ?? null;
    const due = addWorkingDays(ctx.today(), ESCALATION_WORKING_DAYS);
    const rule = `${ESCALATION_WORKING_DAYS} working days from the escalation (Kent protocol 2.5: the service manager is accountable for smooth transition; the time is a local choice)`;
    const row = await tx
      .insertInto('capacity_escalations')
      .values({
        authority_id: user.authorityId,
        person_id: personId,
        transfer_id: x.id,
        team_id: x.to_team_id,
        owner_user_id: owner?.id ?? null,
        owner_label: owner ? `${owner.display_name} (Service manager)` : 'Service managers',
        reason,
        due_date: due,
        due_rule: rule,
        raised_by: user.id,
        raised_at: ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await scheduleDeadlines(tx, [
      {
        authorityId: user.authorityId,
        subjectType: ESCALATION_SUBJECT,
        subjectId: row.id,
        rung: 0,
        dueAt: endOfLondonDay(due),
        action: { chase: 'assistant_director' },
      },
    ]);
    const caseNumber = await caseNumberOf(tx, personId);
    if (owner)
      await notifyUser(tx, {
        authorityId: user.authorityId,
        userId: owner.id,
        message: `${team.name} cannot allocate a transferred case: a capacity block needs your decision by ${due}`,
        link: '/transfers',
        reference: ref(caseNumber),
        baseUrl: ctx.config.baseUrl,
      });
    else
      await tx
        .insertInto('alerts')
        .values({
          authority_id: user.authorityId,
          role: 'service_manager',
          kind: 'capacity',
          message: `Capacity block in ${team.name} on case ${caseNumber}: decide by ${due}`,
          link: '/transfers',
        })
        .execute();
    await record(
      ctx,
      tx,
      user,
      personId,
      x.id,
      `Capacity block escalated to ${owner?.display_name ?? 'the service managers'}, due ${due}`,
      'escalate',
      { escalation_id: row.id },
      reason,
    );
  });
}

/** Deadline handler: an unresolved capacity block past its date is chased and raised to senior managers. */
export async function fireEscalation(ctx: Ctx, tx: Tx, row: Deadline): Promise<void> {
  const e = await tx
    .selectFrom('capacity_escalations as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .where('e.id', '=', row.subject_id)
    .select([
      'e.id',
      'e.resolved_at',
      'e.owner_user_id',
      'e.authority_id',
      'e.person_id',
      'e.transfer_id',
      'p.case_number',
    ])
    .executeTakeFirst();
  if (!e || e.resolved_at) return;
  await tx
    .updateTable('capacity_escalations')
    .set((eb) => ({ chased: eb('chased', '+', 1) }))
    .where('id', '=', e.id)
    .execute();
  for (const role of ['service_manager', 'ifs_manager', 'assistant_director'])
    await tx
      .insertInto('alerts')
      .values({
        authority_id: e.authority_id,
        role,
        kind: 'capacity-overdue',
        message: `A capacity block on case ${e.case_number} is past its date and the child is still waiting for a worker in the receiving team`,
        link: '/transfers',
      })
      .execute();
  if (e.owner_user_id)
    await notifyUser(tx, {
      authorityId: e.authority_id,
      userId: e.owner_user_id,
      message: 'A capacity block you own is overdue',
      link: '/transfers',
      reference: ref(e.case_number),
      baseUrl: ctx.config.baseUrl,
    });
  await insertEvent(tx, {
    authority_id: e.authority_id,
    person_id: e.person_id,
    kind: 'transfer',
    title: 'Capacity block overdue: raised to senior managers',
    actor_id: null,
  });
  await insertAudit(tx, {
    authorityId: e.authority_id,
    actorId: null,
    action: 'chase',
    entity: 'capacity_escalation',
    entityId: e.id,
    personId: e.person_id,
  });
}

/** A child in need who cannot be allocated: the team leader manages the case with visiting, review and oversight. */
export async function teamLeaderManages(ctx: Ctx, user: AuthUser, personId: string, involvementId: string) {
  await ctx.db.transaction().execute(async (tx) => {
    const inv = await tx
      .selectFrom('involvements as i')
      .innerJoin('teams as t', 't.id', 'i.team_id')
      .where('i.id', '=', involvementId)
      .where('i.person_id', '=', personId)
      .where('i.authority_id', '=', user.authorityId)
      .where('i.end_date', 'is', null)
      .select(['i.id', 'i.team_id', 'i.worker_id', 't.name'])
      .executeTakeFirst();
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
    const tasks = [
      {
        kind: 'visit' as const,
        description: 'Visit the child while the case waits for allocation',
        due: addWorkingDays(today, 10),
      },
      { kind: 'review' as const, description: 'Review the child in need plan', due: addWorkingDays(today, 20) },
      {
        kind: 'oversight' as const,
        description: 'Record management oversight and try again to allocate',
        due: addDays(today, 28),
      },
    ];
    for (const t of tasks)
      await tx
        .insertInto('case_tasks')
        .values({
          authority_id: user.authorityId,
          person_id: personId,
          involvement_id: inv.id,
          kind: t.kind,
          description: t.description,
          owner_user_id: user.id,
          due_date: t.due,
        })
        .execute();
    await insertEvent(tx, {
      authority_id: user.authorityId,
      person_id: personId,
      kind: 'allocation',
      title: `${user.displayName} (team leader) manages the case until allocation`,
      detail: 'Visiting, review and oversight tasks set',
      actor_id: user.id,
    });
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: 'team-leader-manages',
      entity: 'involvement',
      entityId: inv.id,
      personId,
    });
  });
}

export async function resolveEscalations(ctx: Ctx, tx: Tx, transferId: string) {
  const open = await tx
    .selectFrom('capacity_escalations')
    .where('transfer_id', '=', transferId)
    .where('resolved_at', 'is', null)
    .select('id')
    .execute();
  for (const e of open) {
    await tx.updateTable('capacity_escalations').set({ resolved_at: ctx.now() }).where('id', '=', e.id).execute();
    await cancelDeadlines(tx, ESCALATION_SUBJECT, e.id, ctx.now());
  }
}

/** Service managers of the team's own service first. */
function sqlServiceFirst(serviceId: string) {
  return (eb: import('kysely').ExpressionBuilder<import('../../db/schema.ts').Database, 'users'>) =>
    eb.case().when('service_id', '=', serviceId).then(0).else(1).end();
}
