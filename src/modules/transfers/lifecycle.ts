// A transfer requested, prepared and sent by the originating team, or cancelled; the receiving side (accept, return,
// allocate) is in receiving.ts. Each change moves the transfer's kent-team-transfer instance in its transaction.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import { Forbidden } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { recordChange } from '../kit/record.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { sharePackAcross } from './across.ts';
import { type At, checklistFacts, record, syncFlow } from './checklist.ts';
import {
  type Ctx,
  caseNumberOf,
  forChange,
  instanceOf,
  isManagerOf,
  load,
  openStatuses,
  PREPARING,
  readPerson,
  ref,
  teamWorkers,
  touch,
} from './context.ts';
import * as repo from './repository.ts';
import { proposeTeam, type Remit, type TransferStatus } from './rules.ts';
import type { TransferRequest } from './schemas.ts';

/** The checklist is not complete: the transfer cannot be sent (Kent protocol 5.1). */
export class TransferNotReady extends ValidationError {}

/** The team the remits and transfer points propose for a case in `fromTeamId` (null when none). */
async function proposal(
  ctx: Ctx,
  tx: Tx,
  authorityId: string,
  personId: string,
  fromTeamId: string,
  c: { date_of_birth: string; locality_id: string | null },
) {
  const [teams, points, statuses] = await Promise.all([
    repo.remitsOf(tx, authorityId),
    repo.pointsOf(tx, authorityId),
    openStatuses(tx, personId),
  ]);
  const facts = { dateOfBirth: c.date_of_birth, statuses, localityId: c.locality_id };
  return { teams, proposed: proposeTeam(teams, points, fromTeamId, facts, ctx.today()) };
}

/**
 * Why a case is outside the receiving team's age range (a 15-year-old into a 16 to 17 team), or null when it fits
 * or the team is another authority's (issue 11 defect 6). The request goes ahead only once this is confirmed.
 */
export function outsideAges(team: Remit | undefined, dateOfBirth: string, today: string): string | null {
  if (!team) return null;
  const age = ageOn(dateOfBirth, today);
  if (age >= team.min && age <= team.max) return null;
  return `The young person is ${age} and ${team.name} works with ages ${team.min} to ${team.max}: choose a team whose remit covers age ${age}, or confirm that this transfer is outside the receiving team’s remit`;
}

/** What the request form needs: the open involvements and, for the one chosen, the team the remits propose. */
export async function requestForm(ctx: Ctx, user: AuthUser, access: PersonAccess, involvementId: string | null) {
  return ctx.db.transaction().execute(async (tx) => {
    const person = await readPerson(tx, user, access, 'transfer-request');
    const involvements = await tx
      .selectFrom('involvements as i')
      .innerJoin('teams as t', 't.id', 'i.team_id')
      .where('i.person_id', '=', person.id)
      .where('i.end_date', 'is', null)
      .select(['i.id', 'i.team_id', 't.name as team_name'])
      .execute();
    const chosen = involvements.find((i) => i.id === involvementId) ?? involvements[0] ?? null;
    const { teams, proposed } = await proposal(ctx, tx, user.authorityId, person.id, chosen?.team_id ?? '', person);
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
    return { person, teams, involvements, chosen, proposed: chosen ? proposed : null, elsewhere };
  });
}

/** The receiving team, checked: a team other than the one holding the case, not already involved. */
async function receivingTeam(tx: Tx, user: AuthUser, personId: string, fromTeamId: string, toTeamId: string) {
  const to = await tx
    .selectFrom('teams as t')
    .innerJoin('authorities as a', 'a.id', 't.authority_id')
    .where('t.id', '=', toTeamId)
    .select(['t.id', 't.name', 't.authority_id', 'a.name as authority_name'])
    .executeTakeFirst();
  if (!to) throw new ValidationError({ to_team_id: 'Choose the receiving team from the list' });
  if (to.id === fromTeamId)
    throw new ValidationError({ to_team_id: 'Choose a team other than the one holding the case' });
  const across = to.authority_id !== user.authorityId;
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
  return { ...to, across };
}

/** The team manager decides and records a transfer: its kent-team-transfer instance starts, past the decision. */
export async function request(ctx: Ctx, user: AuthUser, personId: string, input: TransferRequest): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const inv = await repo.openInvolvement(tx, user.authorityId, personId, input.involvement_id);
    if (!inv) throw new ValidationError({ involvement_id: 'Choose one of the open involvements on this record' });
    if (!isManagerOf(user, inv.team_id))
      throw new Forbidden('The decision to transfer is taken by a team manager of the team holding the case.');
    const to = await receivingTeam(tx, user, personId, inv.team_id, input.to_team_id);
    if ((await repo.liveTransfersFrom(tx, inv.id)).length)
      throw new ValidationError({ involvement_id: 'This involvement already has a transfer in progress' });
    const { teams, proposed } = await proposal(ctx, tx, user.authorityId, personId, inv.team_id, inv);
    const outside = outsideAges(
      teams.find((t) => t.id === to.id),
      inv.date_of_birth,
      ctx.today(),
    );
    if (outside && input.outside_remit !== 'yes') throw new ValidationError({ outside_remit: outside });
    const byRemit = proposed?.id === to.id;
    const toAuthority = to.across ? to.authority_id : null;
    const row = await tx
      .insertInto('transfers')
      .values({
        authority_id: user.authorityId,
        person_id: personId,
        from_involvement_id: inv.id,
        from_team_id: inv.team_id,
        to_team_id: to.id,
        to_authority_id: toAuthority,
        reason: input.reason,
        proposed_by_remit: byRemit,
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
    await recordChange(tx, {
      actor: user,
      personId,
      kind: 'transfer',
      title: `Transfer to ${to.name}${to.across ? ` (${to.authority_name})` : ''} decided by the team manager`,
      detail: input.reason,
      audit: {
        action: 'create',
        entity: 'transfer',
        entityId: row.id,
        detail: {
          from_team_id: inv.team_id,
          to_team_id: to.id,
          to_authority_id: toAuthority,
          proposed_by_remit: byRemit,
          outside_remit: Boolean(outside),
        },
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

export async function send(ctx: Ctx, user: AuthUser, at: At) {
  const { personId } = at;
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, personId, at.transferId, at.version, PREPARING);
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
    await record(ctx, tx, user, x, {
      title: `Transfer sent to ${x.to_team_name}${across ? ` (${x.to_authority_label})` : ''}`,
      action: 'send',
    });
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

export async function cancel(ctx: Ctx, user: AuthUser, at: At) {
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, at.personId, at.transferId, at.version, PREPARING);
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
    await record(ctx, tx, user, x, { title: 'Transfer cancelled', action: 'cancel' });
  });
}
