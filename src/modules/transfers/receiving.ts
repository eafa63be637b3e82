// The receiving side of a transfer: accepting it, returning it with the missing work (and that work being done),
// and allocating its worker, which completes it; each moves the transfer's kent-team-transfer instance on in the
// same transaction.
import { addWorkingDays } from '../../domain/calendar.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { recordChange } from '../kit/record.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { completeAcross } from './across-copy.ts';
import { resolveEscalations } from './capacity.ts';
import { type At, record, syncFlow } from './checklist.ts';
import { type Ctx, caseNumberOf, endInvolvement, forReceiving, instanceOf, ref, touch } from './context.ts';
import { assertStaysAllocated } from './guard.ts';
import { writeNotices } from './notices.ts';
import * as repo from './repository.ts';
import { type Allocate, missingItems, type Return } from './schemas.ts';

/** The receiving team accepts: it becomes involved, and the current worker keeps the case until allocation. */
export async function accept(ctx: Ctx, user: AuthUser, at: At) {
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forReceiving(tx, user, at, 'sent', 'accepts the transfer');
    await ctx.transfer.advance(tx, instanceOf(x), 'accepted', user.id, { at: ['receiving_decision'] });
    // Across a boundary the receiving authority's record is made at allocation, with the whole history.
    const inv = x.to_authority_id
      ? null
      : await tx
          .insertInto('involvements')
          .values({
            authority_id: user.authorityId,
            person_id: x.person_id,
            team_id: x.to_team_id,
            worker_id: null,
            reason: `Transfer from ${x.from_team_name}`,
            start_date: ctx.today(),
            unallocated_since: ctx.now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
    await touch(tx, x.id, {
      accepted_by: user.id,
      accepted_at: ctx.now(),
      to_involvement_id: inv?.id ?? null,
    });
    await record(ctx, tx, user, x, {
      title: `Transfer accepted by ${x.to_team_name}`,
      action: 'accept',
      note: `${x.from_worker_name ?? x.from_team_name} keeps the case until a worker in ${x.to_team_name} is allocated`,
    });
  });
}

/** The receiving team returns the transfer listing the missing work, which becomes owned actions for the originating team. */
export async function returnTransfer(ctx: Ctx, user: AuthUser, at: At, input: Return) {
  const missing = missingItems(input.missing_work);
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forReceiving(tx, user, at, 'sent', 'returns the transfer');
    const personId = x.person_id;
    const owner = x.from_worker_id ?? x.requested_by;
    const due_date = addWorkingDays(ctx.today(), 5);
    await repo.addTasks(
      tx,
      {
        authority_id: x.authority_id,
        person_id: personId,
        transfer_id: x.id,
        involvement_id: x.from_involvement_id,
        owner_user_id: owner,
      },
      missing.map((m) => ({ kind: 'remedial', description: m.slice(0, 1000), due_date })),
    );
    await touch(tx, x.id, { returned_at: ctx.now(), returns: x.returns + 1 });
    // After the missing work is listed: the remedial step waits until it is done (its fact: flow.ts).
    await ctx.transfer.advance(tx, instanceOf(x), 'returned', user.id, { at: ['receiving_decision'] });
    await record(ctx, tx, user, x, {
      title: `Transfer returned by ${x.to_team_name}: ${missing.length} item${missing.length === 1 ? '' : 's'} of missing work`,
      action: 'return',
      detail: { items: missing.length },
      note: missing.join('; '),
    });
    const caseNumber = await caseNumberOf(tx, personId);
    await notifyUser(tx, {
      authorityId: x.authority_id,
      userId: owner,
      message: 'A transfer was returned with missing work for you to do',
      link: `/people/${personId}/transfers/${x.id}`,
      reference: ref(caseNumber),
      baseUrl: ctx.config.baseUrl,
    });
  });
}

export async function completeTask(ctx: Ctx, user: AuthUser, personId: string, taskId: string) {
  await ctx.db.transaction().execute(async (tx) => {
    const t = await tx
      .updateTable('case_tasks')
      .set({ done_at: ctx.now(), done_by: user.id })
      .where('id', '=', taskId)
      .where('person_id', '=', personId)
      .where('authority_id', '=', user.authorityId)
      .where('done_at', 'is', null)
      .returning(['transfer_id', 'description', 'owner_user_id', 'kind'])
      .executeTakeFirst();
    if (!t) throw new NotFound('That action is not open on this record.');
    if (t.transfer_id) await syncFlow(ctx, tx, t.transfer_id, user.id);
    await recordChange(tx, {
      actor: user,
      personId,
      kind: 'task',
      title: `Done: ${t.description.slice(0, 200)}`,
      audit: { action: 'complete', entity: 'case_task', entityId: taskId },
    });
  });
}

/**
 * The receiving team allocates its worker, and in the same transaction the originating involvement ends: the
 * current worker keeps the case until this moment (Kent 2.5), and the database checks it at commit.
 */
export async function allocate(ctx: Ctx, user: AuthUser, at: At, input: Allocate) {
  const workerId = input.worker_id;
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forReceiving(tx, user, at, 'accepted', 'allocates the worker');
    const personId = x.person_id;
    const member = await tx
      .selectFrom('team_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('m.team_id', '=', x.to_team_id)
      .where('m.user_id', '=', workerId)
      .where('u.active', '=', true)
      .select('u.display_name')
      .executeTakeFirst();
    if (!member) throw new ValidationError({ worker_id: `Choose a worker who is a member of ${x.to_team_name}` });
    await ctx.transfer.advance(tx, instanceOf(x), 'allocated', user.id, { at: ['allocation'] });
    if (x.to_authority_id && x.to_authority_id !== x.authority_id) {
      await completeAcross(ctx, tx, user, x, workerId, member.display_name);
      await resolveEscalations(ctx, tx, x.id, user.id);
      return;
    }
    if (!x.to_involvement_id) throw new Conflict('This transfer has no receiving involvement. Reload the page.');
    const today = ctx.today();
    const receiving = await tx
      .updateTable('involvements')
      .set((eb) => ({ worker_id: workerId, version: eb('version', '+', 1) }))
      .where('id', '=', x.to_involvement_id)
      .where('end_date', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!receiving)
      throw new Conflict(
        `${x.to_team_name}'s involvement has ended since it accepted the transfer. Cancel this transfer and request a new one.`,
      );
    await assertStaysAllocated(tx, personId, x.from_involvement_id);
    await endInvolvement(tx, x.from_involvement_id, today);
    await touch(tx, x.id, { allocated_worker_id: workerId, completed_at: ctx.now() });
    await resolveEscalations(ctx, tx, x.id, user.id);
    await record(ctx, tx, user, x, {
      title: `Allocated to ${member.display_name} in ${x.to_team_name}; ${x.from_team_name} involvement ended`,
      action: 'allocate',
      detail: { worker_id: workerId, from: x.from_worker_id },
    });
    await writeNotices(tx, user, { ...x, allocated_worker_id: workerId }, 'allocated');
    // The worker hears of their new case in the app and by email (reference only), not only from My work (issue 11).
    if (workerId !== user.id)
      await notifyUser(tx, {
        authorityId: x.authority_id,
        userId: workerId,
        message: `A young person transferred to ${x.to_team_name} was allocated to you`,
        link: `/people/${personId}`,
        reference: ref(await caseNumberOf(tx, personId)),
        baseUrl: ctx.config.baseUrl,
      });
  });
}
