// SQL for running protocol instances: reading and locking steps, writing instances and steps, and the staff
// lookups the engine's permission and notice rules need. No rules here (those are in runtime.ts and access.ts).
import { sql } from 'kysely';
import type { Db, Executor, Tx } from '../../db/database.ts';
import type { Owner } from './owners.ts';

/** A step with its instance and case number: what every run-time rule reads. */
export async function stepRow(db: Executor, stepId: string) {
  return db
    .selectFrom('protocol_steps as s')
    .innerJoin('protocol_instances as i', 'i.id', 's.instance_id')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .where('s.id', '=', stepId)
    .select([
      's.id',
      's.authority_id',
      's.instance_id',
      's.person_id',
      's.step_key',
      's.status',
      's.owner_user_id',
      's.owner_team_id',
      's.owner_role',
      's.owner_service_id',
      's.owner_label',
      's.due_date',
      's.escalations',
      's.version',
      's.decided_by',
      's.decided_at',
      's.outcome',
      'i.protocol_id',
      'i.protocol_version',
      'i.involvement_id',
      'i.started_by',
      'i.anchors',
      'i.data',
      'i.status as instance_status',
      'p.case_number',
    ])
    .executeTakeFirst();
}
export type StepRow = NonNullable<Awaited<ReturnType<typeof stepRow>>>;

/** Locks the instance's open step (FOR UPDATE) and returns its id, or undefined when none is open. */
export async function lockOpenStep(tx: Tx, instanceId: string) {
  return tx
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .forUpdate()
    .select('id')
    .executeTakeFirst();
}

/** Locks one step of one instance on one record (FOR UPDATE): two deciders are served one after the other. */
export async function lockStep(tx: Tx, stepId: string, instanceId: string, personId: string) {
  return tx
    .selectFrom('protocol_steps')
    .where('id', '=', stepId)
    .where('instance_id', '=', instanceId)
    .where('person_id', '=', personId)
    .forUpdate()
    .select(['id'])
    .executeTakeFirst();
}

export async function openStepKey(db: Executor, instanceId: string): Promise<string | null> {
  const row = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .select('step_key')
    .executeTakeFirst();
  return row?.step_key ?? null;
}

export async function personInAuthority(db: Executor, authorityId: string, personId: string) {
  return db
    .selectFrom('people')
    .where('id', '=', personId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'case_number'])
    .executeTakeFirst();
}

export async function openInvolvement(db: Executor, personId: string, involvementId: string) {
  return db
    .selectFrom('involvements')
    .where('id', '=', involvementId)
    .where('person_id', '=', personId)
    .where('end_date', 'is', null)
    .select('id')
    .executeTakeFirst();
}

export async function openInvolvements(db: Executor, personId: string) {
  return db
    .selectFrom('involvements')
    .where('person_id', '=', personId)
    .where('end_date', 'is', null)
    .orderBy('start_date')
    .select(['id', 'team_id', 'worker_id'])
    .execute();
}

/** An active member of staff of the authority, or undefined. */
export async function activeUser(db: Executor, authorityId: string, userId: string) {
  return db
    .selectFrom('users')
    .where('id', '=', userId)
    .where('authority_id', '=', authorityId)
    .where('active', '=', true)
    .select(['id', 'display_name'])
    .executeTakeFirst();
}

export async function displayName(db: Executor, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').where('id', '=', userId).select('display_name').executeTakeFirst();
  return row?.display_name ?? null;
}

/** Active staff of the council with all of a role, a service and a team (those that are set), oldest account first. */
export function staffIn(
  db: Executor,
  authorityId: string,
  scope: { role?: string | null; serviceId?: string | null; teamId?: string | null },
) {
  let q = db.selectFrom('users as u').where('u.authority_id', '=', authorityId).where('u.active', '=', true);
  if (scope.role) q = q.where(sql<boolean>`u.roles @> ARRAY[${scope.role}]::text[]`);
  if (scope.serviceId) q = q.where('u.service_id', '=', scope.serviceId);
  const teamId = scope.teamId;
  if (teamId)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('team_members as m')
          .whereRef('m.user_id', '=', 'u.id')
          .where('m.team_id', '=', teamId)
          .select('m.user_id'),
      ),
    );
  return q.orderBy('u.created_at');
}

/** Everyone in an owner's queue (role, service, team: all that are set), at most 50. */
export async function queueMembers(db: Executor, authorityId: string, owner: Owner): Promise<string[]> {
  if (!owner.role && !owner.serviceId && !owner.teamId) return [];
  return (await staffIn(db, authorityId, owner).select('u.id').limit(50).execute()).map((r) => r.id);
}

export async function isLineManagerOf(db: Db, managerId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .where('id', '=', userId)
    .where('line_manager_id', '=', managerId)
    .select('id')
    .executeTakeFirst();
  return Boolean(row);
}

export async function sharesTeam(db: Db, teamIds: string[], otherId: string): Promise<boolean> {
  if (!teamIds.length) return false;
  const row = await db
    .selectFrom('team_members')
    .where('user_id', '=', otherId)
    .where('team_id', 'in', teamIds)
    .select('user_id')
    .executeTakeFirst();
  return Boolean(row);
}

export async function userService(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').where('id', '=', userId).select('service_id').executeTakeFirst();
  return row?.service_id ?? null;
}

/** An instance on a record, for the page and the API. */
export async function findInstance(db: Db, authorityId: string, personId: string, instanceId: string) {
  return db
    .selectFrom('protocol_instances')
    .where('id', '=', instanceId)
    .where('person_id', '=', personId)
    .where('authority_id', '=', authorityId)
    .selectAll()
    .executeTakeFirst();
}

/** Every step of an instance, oldest first, with the name of who decided it. */
export async function instanceSteps(db: Db, instanceId: string) {
  return db
    .selectFrom('protocol_steps as s')
    .leftJoin('users as d', 'd.id', 's.decided_by')
    .where('s.instance_id', '=', instanceId)
    .orderBy('s.entered_at')
    .orderBy('s.id')
    .select([
      's.id',
      's.step_key',
      's.status',
      's.entered_at',
      's.due_date',
      's.due_rule',
      's.owner_user_id',
      's.owner_team_id',
      's.owner_role',
      's.owner_service_id',
      's.owner_label',
      's.escalations',
      's.outcome',
      's.decision',
      's.decided_at',
      's.version',
      'd.display_name as decided_by_name',
    ])
    .execute();
}

/** Marks a step done with its outcome and the decision's values. */
export async function closeStep(
  tx: Tx,
  stepId: string,
  c: { outcome: string; values: Record<string, unknown>; actorId: string | null; at: Date },
) {
  await tx
    .updateTable('protocol_steps')
    .set((eb) => ({
      status: 'done',
      outcome: c.outcome,
      decision: JSON.stringify(c.values),
      decided_by: c.actorId,
      decided_at: c.at,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', stepId)
    .execute();
}

/** Gives an open step a new owner (reassignment or escalation). */
export async function setStepOwner(tx: Tx, stepId: string, owner: Owner, o: { escalated: boolean }) {
  await tx
    .updateTable('protocol_steps')
    .set((eb) => ({
      owner_user_id: owner.userId,
      owner_team_id: owner.teamId,
      owner_role: owner.role,
      owner_service_id: owner.serviceId,
      owner_label: owner.label,
      ...(o.escalated ? { escalations: eb('escalations', '+', 1) } : {}),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', stepId)
    .execute();
}

/** The London date a step was entered (its deadline counts from it). */
export async function enteredOn(db: Executor, stepId: string): Promise<string> {
  const row = await db
    .selectFrom('protocol_steps')
    .where('id', '=', stepId)
    .select('entered_on')
    .executeTakeFirstOrThrow();
  return row.entered_on;
}

/** Sets an open step's due date and the rule it came from (an anchor it counts from changed). */
export async function setStepDue(tx: Tx, stepId: string, due: string | null, rule: string | null) {
  await tx
    .updateTable('protocol_steps')
    .set((eb) => ({ due_date: due, due_rule: rule, version: eb('version', '+', 1) }))
    .where('id', '=', stepId)
    .execute();
}

/** The next generation of rung numbers for a step whose ladder is scheduled again (rung = generation × 100 + i). */
export async function nextLadderGeneration(tx: Tx, stepId: string): Promise<number> {
  const row = await tx
    .selectFrom('deadlines')
    .where('subject_type', '=', 'protocol_step')
    .where('subject_id', '=', stepId)
    .select((eb) => eb.fn.max('rung').as('top'))
    .executeTakeFirst();
  return row?.top === null || row?.top === undefined ? 0 : Math.floor(Number(row.top) / 100) + 1;
}

/** Where each instance is: its status and result, and its open step's key, due date and owner. */
export async function instanceStates(db: Executor, instanceIds: readonly string[]) {
  if (instanceIds.length === 0) return [];
  return db
    .selectFrom('protocol_instances as i')
    .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .where('i.id', 'in', instanceIds)
    .select((eb) => [
      'i.id',
      'i.status',
      'i.result',
      'i.protocol_id',
      'i.protocol_version',
      'i.anchors',
      'i.data',
      's.step_key',
      's.due_date',
      's.due_rule',
      's.owner_user_id',
      's.owner_label',
      eb
        .selectFrom('protocol_steps as e')
        .whereRef('e.instance_id', '=', 'i.id')
        .select((x) => x.fn.coalesce(x.fn.sum<number>('e.escalations'), x.lit(0)).as('n'))
        .as('escalations'),
    ])
    .execute();
}
