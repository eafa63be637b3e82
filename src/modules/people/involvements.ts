// Which teams work with a young person and who holds the case in each: add an involvement, allocate or remove the
// worker, end it. Every change runs the checks other modules registered (allocation-guards.ts: a child on a child
// protection plan or in care is never left unallocated) inside the same transaction, and is recorded.
import type { Db, Tx } from '../../db/database.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { recordChange } from '../kit/record.ts';
import { staffInScope } from '../kit/staff.ts';
import type { AllocationGuards } from './allocation-guards.ts';
import { hasOpen } from './repository.ts';
import type { AllocateInput, InvolvementInput } from './schemas.ts';

async function teamAndWorker(tx: Tx, authorityId: string, teamId: string, workerId: string | null) {
  const team = await tx
    .selectFrom('teams')
    .where('id', '=', teamId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'name'])
    .executeTakeFirst();
  if (!team) throw new ValidationError({ team_id: 'Choose a team from the list' });
  let workerName: string | null = null;
  if (workerId) {
    // A caseworker of the team (kit/staff.ts): never the IT administrator or a role that holds no cases.
    const w = await staffInScope(tx, authorityId, { teamId }, workerId);
    if (!w) throw new ValidationError({ worker_id: `Choose a worker who is a member of ${team.name}` });
    workerName = w.display_name;
  }
  return { team, workerName };
}

export function add(db: Db, user: AuthUser, personId: string, input: InvolvementInput) {
  return db.transaction().execute((tx) => addIn(tx, user, personId, input));
}

/** Adds an involvement inside the caller's transaction (a locality team accepting a SEND hub's referral). */
export async function addIn(
  tx: Tx,
  user: { id: string; authorityId: string },
  personId: string,
  input: InvolvementInput,
): Promise<string> {
  const { team, workerName } = await teamAndWorker(tx, user.authorityId, input.team_id, input.worker_id);
  if (await hasOpen(tx, personId, { table: 'involvements', team_id: team.id }))
    throw new ValidationError({
      team_id: `${team.name} is already involved; allocate a worker on its existing involvement instead`,
    });
  const row = await tx
    .insertInto('involvements')
    .values({ authority_id: user.authorityId, person_id: personId, ...input })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(tx, {
    actor: user,
    personId,
    kind: 'involvement',
    title: `${team.name} became involved`,
    detail: workerName ? `Allocated to ${workerName}` : 'Not yet allocated to a worker',
    audit: {
      action: 'create',
      entity: 'involvement',
      entityId: row.id,
      detail: { team_id: team.id, worker_id: input.worker_id },
    },
  });
  return row.id;
}

/**
 * Allocates (or re-allocates) the worker on an open involvement, or removes the worker when that is chosen with a
 * reason; version-checked (R3). Saving the worker already allocated changes nothing.
 */
export async function allocate(
  db: Db,
  guards: AllocationGuards,
  user: AuthUser,
  personId: string,
  involvementId: string,
  input: AllocateInput,
) {
  const workerId = input.remove ? null : input.worker_id;
  await db.transaction().execute(async (tx) => {
    const inv = await tx
      .selectFrom('involvements')
      .where('id', '=', involvementId)
      .where('person_id', '=', personId)
      .where('end_date', 'is', null)
      .selectAll()
      .forUpdate()
      .executeTakeFirst();
    if (!inv) throw new NotFound('That involvement is not open on this record.');
    if (inv.version !== input.version)
      throw new Conflict(
        'Someone else changed this allocation while you were looking at it. Reload the record and try again.',
      );
    if (!user.caps.has('involvement:manage')) throw new Forbidden();
    const { team, workerName } = await teamAndWorker(tx, user.authorityId, inv.team_id, workerId);
    if (workerId === inv.worker_id) return;
    if (!workerId) await guards.losingWorker(tx, personId, inv.id);
    await tx
      .updateTable('involvements')
      .set({ worker_id: workerId, version: inv.version + 1 })
      .where('id', '=', inv.id)
      .execute();
    await recordChange(tx, {
      actor: user,
      personId,
      kind: 'allocation',
      title: workerName ? `Allocated to ${workerName}` : `Allocated worker removed in ${team.name}`,
      detail: workerName ? team.name : `${team.name}. Reason: ${input.reason}`,
      audit: {
        action: 'allocate',
        entity: 'involvement',
        entityId: inv.id,
        detail: { from: inv.worker_id, to: workerId },
      },
    });
  });
}

export async function end(
  db: Db,
  guards: AllocationGuards,
  user: AuthUser,
  personId: string,
  involvementId: string,
  today: string,
) {
  await db.transaction().execute(async (tx) => {
    await guards.losingWorker(tx, personId, involvementId, 'involvement');
    const inv = await tx
      .updateTable('involvements')
      .set((eb) => ({ end_date: today, version: eb('version', '+', 1) }))
      .where('id', '=', involvementId)
      .where('person_id', '=', personId)
      .where('end_date', 'is', null)
      .returning(['team_id'])
      .executeTakeFirst();
    if (!inv) throw new NotFound('That involvement is not open on this record.');
    const team = await tx.selectFrom('teams').where('id', '=', inv.team_id).select('name').executeTakeFirstOrThrow();
    await recordChange(tx, {
      actor: user,
      personId,
      kind: 'involvement',
      title: `${team.name} involvement ended`,
      audit: { action: 'end', entity: 'involvement', entityId: involvementId },
    });
  });
}
