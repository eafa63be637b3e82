// The core lifecycle of a transfer: requested, sent, accepted or returned, cancelled, and completed at allocation.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { addWorkingDays } from '../../domain/calendar.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { type Body, text, UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { insertEvent } from '../people/repository.ts';
import { completeAcross, sharePackAcross } from './across.ts';
import { resolveEscalations } from './capacity.ts';
import { checklistFacts, record, syncFlow } from './checklist.ts';
import {
  type Ctx,
  caseNumberOf,
  endInvolvement,
  forChange,
  isManagerOf,
  load,
  longText,
  openStatuses,
  readPerson,
  ref,
  teamWorkers,
  touch,
} from './context.ts';
import { assertStaysAllocated } from './guard.ts';
import { writeNotices } from './notices.ts';
import * as repo from './repository.ts';
import { LIVE, proposeTeam, type TransferStatus } from './rules.ts';

/** The transfer's instance: every transfer has one (migration 0045 onwards). */
function instanceOf(x: { protocol_instance_id: string | null }): string {
  if (!x.protocol_instance_id) throw new Conflict('This transfer has no protocol instance. Reload the page.');
  return x.protocol_instance_id;
}

/** The checklist is not complete: the transfer cannot be sent (Kent protocol 5.1). */
export class TransferNotReady extends ValidationError {}

/** What the request form needs: the open involvements and, for each, the team the remits propose. */
export async function requestForm(ctx: Ctx, user: AuthUser, access: PersonAccess, involvementId: string | null) {
  return ctx.db.transaction().execute(async (tx) => {
    const person = await readPerson(tx, user, access, 'transfer-request');
    const [teams, points, statuses, involvements] = await Promise.all([
      repo.remitsOf(tx, user.authorityId),
      repo.pointsOf(tx, user.authorityId),
      openStatuses(tx, person.id),
      tx
        .selectFrom('involvements as i')
        .innerJoin('teams as t', 't.id', 'i.team_id')
        .where('i.person_id', '=', person.id)
        .where('i.end_date', 'is', null)
        .select(['i.id', 'i.team_id', 't.name as team_name'])
        .execute(),
    ]);
    const facts = {
      dateOfBirth: person.date_of_birth,
      statuses,
      localityId: person.locality_id,
    };
    const chosen = involvements.find((i) => i.id === involvementId) ?? involvements[0] ?? null;
    const proposed = chosen ? proposeTeam(teams, points, chosen.team_id, facts, ctx.today()) : null;
    // Teams of the other authorities on this installation: a case moving across a boundary (Kent 1.5).
    const elsewhere = await tx
      .selectFrom('teams as t')
      .innerJoin('authorities as a', 'a.id', 't.authority_id')
      .where('t.authority_id', '<>', user.authorityId)
      .orderBy('a.name')
      .orderBy('t.name')
      .limit(500)
      .select(['t.id', 't.name', 'a.name as authority_name'])
      .execute();
    return { person, teams, involvements, chosen, proposed, elsewhere };
  });
}

export async function request(ctx: Ctx, user: AuthUser, personId: string, body: Body): Promise<string> {
  const errors: Record<string, string> = {};
  const involvementId = text(body, 'involvement_id');
  if (!UUID.test(involvementId)) errors.involvement_id = 'Choose the involvement that is transferring';
  const toTeamId = text(body, 'to_team_id');
  if (!UUID.test(toTeamId)) errors.to_team_id = 'Choose the receiving team';
  const reason = longText(body, 'reason', 'why the case is transferring', errors);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return ctx.db.transaction().execute(async (tx) => {
    const inv = await tx
      .selectFrom('involvements as i')
      .innerJoin('people as p', 'p.id', 'i.person_id')
      .where('i.id', '=', involvementId)
      .where('i.person_id', '=', personId)
      .where('i.authority_id', '=', user.authorityId)
      .where('i.end_date', 'is', null)
      .select(['i.id', 'i.team_id', 'p.case_number', 'p.date_of_birth', 'p.locality_id'])
      .executeTakeFirst();
    if (!inv) throw new ValidationError({ involvement_id: 'Choose one of the open involvements on this record' });
    if (!isManagerOf(user, inv.team_id))
      throw new Forbidden('The decision to transfer is taken by a team manager of the team holding the case.');
    const to = await tx
      .selectFrom('teams as t')
      .innerJoin('authorities as a', 'a.id', 't.authority_id')
      .where('t.id', '=', toTeamId)
      .select(['t.id', 't.name', 't.authority_id', 'a.name as authority_name'])
      .executeTakeFirst();
    if (!to) throw new ValidationError({ to_team_id: 'Choose the receiving team from the list' });
    const across = to.authority_id !== user.authorityId;
    if (to.id === inv.team_id)
      throw new ValidationError({ to_team_id: 'Choose a team other than the one holding the case' });
    const open = across
      ? undefined
      : await tx
          .selectFrom('involvements')
          .where('person_id', '=', personId)
          .where('team_id', '=', to.id)
          .where('end_date', 'is', null)
          .select('id')
          .executeTakeFirst();
    if (open) throw new ValidationError({ to_team_id: `${to.name} is already involved with this case` });
    const live = await tx
      .selectFrom('transfers')
      .where('from_involvement_id', '=', inv.id)
      .where('status', 'in', LIVE)
      .select('id')
      .executeTakeFirst();
    if (live) throw new ValidationError({ involvement_id: 'This involvement already has a transfer in progress' });
    const [teams, points, statuses] = await Promise.all([
      repo.remitsOf(tx, user.authorityId),
      repo.pointsOf(tx, user.authorityId),
      openStatuses(tx, personId),
    ]);
    const proposed = proposeTeam(
      teams,
      points,
      inv.team_id,
      { dateOfBirth: inv.date_of_birth, statuses, localityId: inv.locality_id },
      ctx.today(),
    );
    const row = await tx
      .insertInto('transfers')
      .values({
        authority_id: user.authorityId,
        person_id: personId,
        from_involvement_id: inv.id,
        from_team_id: inv.team_id,
        to_team_id: to.id,
        to_authority_id: across ? to.authority_id : null,
        reason,
        proposed_by_remit: proposed?.id === to.id,
        requested_by: user.id,
        requested_at: ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The transfer is its kent-team-transfer instance: started and moved past the decision in this transaction;
    // the checklist steps already done (a recent assessment: no summary needed) are taken by their facts.
    const instanceId = await ctx.transfer.start(tx, user, personId, {
      involvementId: inv.id,
      data: { receiving_team_id: to.id, transfer_id: row.id },
    });
    await tx.updateTable('transfers').set({ protocol_instance_id: instanceId }).where('id', '=', row.id).execute();
    await ctx.transfer.advance(tx, instanceId, 'decided', user.id);
    await insertEvent(tx, {
      authority_id: user.authorityId,
      person_id: personId,
      kind: 'transfer',
      title: `Transfer to ${to.name}${across ? ` (${to.authority_name})` : ''} decided by the team manager`,
      detail: reason,
      actor_id: user.id,
    });
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: 'create',
      entity: 'transfer',
      entityId: row.id,
      personId,
      detail: {
        from_team_id: inv.team_id,
        to_team_id: to.id,
        to_authority_id: across ? to.authority_id : null,
        proposed_by_remit: proposed?.id === to.id,
      },
    });
    return row.id;
  });
}

export async function view(
  ctx: Ctx,
  user: AuthUser,
  access: PersonAccess,
  transferId: string,
  channel: 'page' | 'api' = 'page',
) {
  return ctx.db.transaction().execute(async (tx) => {
    const person = await readPerson(tx, user, access, 'transfer', channel);
    const x = await load(tx, user, person.id, transferId);
    const f = await checklistFacts(ctx, tx, x);
    const [notices, escalations, workers, documents] = await Promise.all([
      repo.noticesOf(tx, x.id),
      repo.escalationsOf(tx, x.id),
      x.to_team_id ? teamWorkers(tx, x.to_team_id) : Promise.resolve([]),
      tx
        .selectFrom('generated_documents')
        .where('transfer_id', '=', x.id)
        .orderBy('created_at')
        .select(['id', 'kind', 'recipient', 'title', 'created_at'])
        .execute(),
    ]);
    // The status is where the transfer's instance is (flow.ts): preparing, sent, accepted, or finished.
    const status = x.status as TransferStatus;
    const preparing = status === 'requested' || status === 'returned';
    const originating = isManagerOf(user, x.from_team_id);
    const receiving = x.to_team_id ? isManagerOf(user, x.to_team_id) : false;
    return {
      person,
      transfer: x,
      ...f,
      notices,
      escalations,
      workers,
      documents,
      may: {
        edit: preparing && user.teamIds.includes(x.from_team_id),
        signOff: originating && preparing,
        send: originating && preparing,
        cancel: originating && preparing,
        accept: receiving && status === 'sent',
        allocate: receiving && status === 'accepted',
      },
    };
  });
}

export async function send(ctx: Ctx, user: AuthUser, personId: string, transferId: string, body: Body) {
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
    if (!isManagerOf(user, x.from_team_id))
      throw new Forbidden('A team manager of the originating team sends the transfer.');
    const f = await checklistFacts(ctx, tx, x);
    if (!f.complete) {
      const missing = f.checklist.filter((t) => t.status === 'incomplete' || t.status === 'cannot_start');
      throw new TransferNotReady(Object.fromEntries(missing.map((t) => [t.key, `${t.title}: not done yet`])));
    }
    await syncFlow(ctx, tx, x.id, user.id);
    await ctx.transfer.advance(tx, instanceOf(x), 'sent', user.id, { at: ['send'] });
    await touch(tx, x.id, { sent_at: ctx.now() });
    const across = x.to_authority_id !== null && x.to_authority_id !== x.authority_id;
    await record(
      ctx,
      tx,
      user,
      personId,
      x.id,
      `Transfer sent to ${x.to_team_name}${across ? ` (${x.to_authority_label})` : ''}`,
      'send',
    );
    if (across) await sharePackAcross(ctx, tx, user, x);
    const caseNumber = await caseNumberOf(tx, personId);
    for (const m of await managersOf(tx, x.to_team_id as string))
      await notifyUser(tx, {
        authorityId: x.to_authority_id ?? user.authorityId,
        userId: m,
        message: `A transfer is waiting for your team to accept or return`,
        link: x.to_authority_id ? `/transfers/incoming/${x.id}` : `/people/${personId}/transfers/${x.id}`,
        reference: ref(caseNumber),
        baseUrl: ctx.config.baseUrl,
      });
  });
}

export async function managersOf(tx: Tx, teamId: string) {
  const rows = await tx
    .selectFrom('users as u')
    .innerJoin('team_members as m', 'm.user_id', 'u.id')
    .where('m.team_id', '=', teamId)
    .where('u.active', '=', true)
    .where(sql<boolean>`u.roles @> ARRAY['team_manager']::text[]`)
    .select('u.id')
    .execute();
  return rows.map((r) => r.id);
}

export async function cancel(ctx: Ctx, user: AuthUser, personId: string, transferId: string, body: Body) {
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
    if (!isManagerOf(user, x.from_team_id))
      throw new Forbidden('A team manager of the originating team cancels the transfer.');
    await ctx.transfer.advance(tx, instanceOf(x), 'cancelled', user.id);
    await touch(tx, x.id, {});
    await tx
      .updateTable('case_tasks')
      .set({ done_at: ctx.now(), done_by: user.id })
      .where('transfer_id', '=', x.id)
      .where('done_at', 'is', null)
      .execute();
    await record(ctx, tx, user, personId, x.id, 'Transfer cancelled', 'cancel');
  });
}

/** The receiving team accepts: it becomes involved, and the current worker keeps the case until allocation. */
export async function accept(ctx: Ctx, user: AuthUser, personId: string, transferId: string, body: Body) {
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, personId, transferId, body, ['sent']);
    if (!x.to_team_id || !isManagerOf(user, x.to_team_id))
      throw new Forbidden('A team manager of the receiving team accepts the transfer.');
    await ctx.transfer.advance(tx, instanceOf(x), 'accepted', user.id, { at: ['receiving_decision'] });
    // Across a boundary the receiving authority's record is made at allocation, with the whole history.
    const inv = x.to_authority_id
      ? null
      : await tx
          .insertInto('involvements')
          .values({
            authority_id: user.authorityId,
            person_id: personId,
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
    await record(
      ctx,
      tx,
      user,
      personId,
      x.id,
      `Transfer accepted by ${x.to_team_name}`,
      'accept',
      {},
      `${x.from_worker_name ?? x.from_team_name} keeps the case until a worker in ${x.to_team_name} is allocated`,
    );
  });
}

/** The receiving team returns the transfer listing the missing work, which becomes owned actions for the originating team. */
export async function returnTransfer(ctx: Ctx, user: AuthUser, personId: string, transferId: string, body: Body) {
  const errors: Record<string, string> = {};
  const missing = longText(body, 'missing_work', 'the missing work, one item a line', errors)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (!errors.missing_work && missing.length === 0) errors.missing_work = 'Enter the missing work, one item a line';
  if (missing.length > 30) errors.missing_work = 'List at most 30 items of missing work';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, personId, transferId, body, ['sent']);
    if (!x.to_team_id || !isManagerOf(user, x.to_team_id))
      throw new Forbidden('A team manager of the receiving team returns the transfer.');
    const owner = x.from_worker_id ?? x.requested_by;
    const due = addWorkingDays(ctx.today(), 5);
    for (const m of missing)
      await tx
        .insertInto('case_tasks')
        .values({
          authority_id: x.authority_id,
          person_id: personId,
          transfer_id: x.id,
          involvement_id: x.from_involvement_id,
          kind: 'remedial',
          description: m.slice(0, 1000),
          owner_user_id: owner,
          due_date: due,
        })
        .execute();
    await touch(tx, x.id, { returned_at: ctx.now(), returns: x.returns + 1 });
    // After the missing work is listed: the remedial step waits until it is done (its fact: flow.ts).
    await ctx.transfer.advance(tx, instanceOf(x), 'returned', user.id, { at: ['receiving_decision'] });
    await record(
      ctx,
      tx,
      user,
      personId,
      x.id,
      `Transfer returned by ${x.to_team_name}: ${missing.length} item${missing.length === 1 ? '' : 's'} of missing work`,
      'return',
      { items: missing.length },
      missing.join('; '),
    );
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
    await insertEvent(tx, {
      authority_id: user.authorityId,
      person_id: personId,
      kind: 'task',
      title: `Done: ${t.description.slice(0, 200)}`,
      actor_id: user.id,
    });
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: 'complete',
      entity: 'case_task',
      entityId: taskId,
      personId,
    });
  });
}

/**
 * The receiving team allocates its worker, and in the same transaction the originating involvement ends: the
 * current worker keeps the case until this moment (Kent 2.5), and the database checks it at commit.
 */
export async function allocate(ctx: Ctx, user: AuthUser, personId: string, transferId: string, body: Body) {
  const workerId = text(body, 'worker_id');
  if (!UUID.test(workerId)) throw new ValidationError({ worker_id: 'Choose the worker to allocate' });
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, personId, transferId, body, ['accepted']);
    if (!x.to_team_id || !isManagerOf(user, x.to_team_id))
      throw new Forbidden('A team manager of the receiving team allocates the worker.');
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
    await record(
      ctx,
      tx,
      user,
      personId,
      x.id,
      `Allocated to ${member.display_name} in ${x.to_team_name}; ${x.from_team_name} involvement ended`,
      'allocate',
      { worker_id: workerId, from: x.from_worker_id },
    );
    await writeNotices(tx, user, { ...x, allocated_worker_id: workerId }, 'allocated');
  });
}
