// Contingency planning: requests to suspend part of the transfer protocol, and their decisions.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { syncFlow } from './checklist.ts';
import type { Ctx } from './context.ts';
import * as repo from './repository.ts';
import type { Suspension, SuspensionDecision } from './schemas.ts';

export async function suspensions(ctx: Ctx, user: AuthUser) {
  return repo.suspensionsOf(ctx.db, user.authorityId);
}

/** The IFS managers decide a suspension request and the assistant directors are told; with no IFS manager, an alert. */
async function tellDeciders(ctx: Ctx, tx: Tx, authorityId: string, suspensionId: string) {
  const toTell = await tx
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        sql<boolean>`roles @> ARRAY['ifs_manager']::text[]`,
        sql<boolean>`roles @> ARRAY['assistant_director']::text[]`,
      ]),
    )
    .select(['id', 'roles'])
    .execute();
  for (const u of toTell)
    await notifyUser(tx, {
      authorityId: authorityId,
      userId: u.id,
      message: u.roles.includes('ifs_manager')
        ? 'A request to suspend part of the transfer protocol needs your decision'
        : 'For your attention: a request to suspend part of the transfer protocol',
      link: '/transfers/contingency',
      reference: `suspension/${suspensionId.slice(0, 8)}`,
      baseUrl: ctx.config.baseUrl,
    });
  if (!toTell.some((u) => u.roles.includes('ifs_manager')))
    await tx
      .insertInto('alerts')
      .values({
        authority_id: authorityId,
        role: 'ifs_manager',
        kind: 'contingency',
        message: 'A request to suspend part of the transfer protocol needs a decision',
        link: '/transfers/contingency',
      })
      .execute();
}

export async function requestSuspension(ctx: Ctx, user: AuthUser, input: Suspension) {
  const { part, team_id: teamId, starts_date: starts, ends_date: ends } = input;
  return ctx.db.transaction().execute(async (tx) => {
    if (
      teamId &&
      !(await tx
        .selectFrom('teams')
        .where('id', '=', teamId)
        .where('authority_id', '=', user.authorityId)
        .select('id')
        .executeTakeFirst())
    )
      throw new ValidationError({ team_id: 'Choose a team from the list' });
    const row = await tx
      .insertInto('protocol_suspensions')
      .values({
        authority_id: user.authorityId,
        team_id: teamId,
        part,
        reason: input.reason,
        impact: input.impact,
        mitigations: input.mitigations,
        starts_on: starts,
        ends_on: ends,
        requested_by: user.id,
        requested_at: ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tellDeciders(ctx, tx, user.authorityId, row.id);
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: 'request',
      entity: 'protocol_suspension',
      entityId: row.id,
      detail: { part, starts, ends },
    });
    return row.id;
  });
}

export async function decideSuspension(ctx: Ctx, user: AuthUser, id: string, input: SuspensionDecision) {
  const { decision, decision_note: note } = input;
  await ctx.db.transaction().execute(async (tx) => {
    const s = await tx
      .selectFrom('protocol_suspensions')
      .where('id', '=', id)
      .where('authority_id', '=', user.authorityId)
      .forUpdate()
      .selectAll()
      .executeTakeFirst();
    if (!s) throw new NotFound('No suspension request with that reference.');
    if (s.status !== 'requested') throw new Conflict('This request has already been decided.');
    await tx
      .updateTable('protocol_suspensions')
      .set((eb) => ({
        status: decision,
        decided_by: user.id,
        decided_at: ctx.now(),
        decision_note: note,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
    // In force from today: the transfers it covers move past the suspended part by themselves (their facts).
    if (decision === 'approved' && s.starts_on <= ctx.today() && s.ends_on >= ctx.today()) {
      const live = await tx
        .selectFrom('transfers')
        .where('authority_id', '=', user.authorityId)
        .where('status', 'in', ['requested', 'returned'])
        .$if(s.team_id !== null, (q) => q.where('from_team_id', '=', s.team_id as string))
        .select('id')
        .execute();
      for (const l of live) await syncFlow(ctx, tx, l.id, user.id);
    }
    const ad = await tx
      .selectFrom('users')
      .where('authority_id', '=', user.authorityId)
      .where('active', '=', true)
      .where(sql<boolean>`roles @> ARRAY['assistant_director']::text[]`)
      .select('id')
      .execute();
    for (const u of [...ad.map((a) => a.id), s.requested_by])
      await notifyUser(tx, {
        authorityId: user.authorityId,
        userId: u,
        message: `A transfer protocol suspension was ${decision}`,
        link: '/transfers/contingency',
        reference: `suspension/${id.slice(0, 8)}`,
        baseUrl: ctx.config.baseUrl,
      });
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: decision,
      entity: 'protocol_suspension',
      entityId: id,
    });
  });
}
