// The SQL of bulk reallocation: a worker's caseload in a team (cases they hold, open protocol steps and open plan
// actions they own), the team's managers, and the locks and moves of one reallocation.
import type { Executor, Tx } from '../../db/database.ts';

/** The protocol whose steps chase a plan action: they move with their action, never on their own. */
export const ACTION_CHASE = 'plan-action-chase';

export async function findTeam(db: Executor, authorityId: string, teamId: string) {
  return db
    .selectFrom('teams')
    .where('id', '=', teamId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'name', 'service_id'])
    .executeTakeFirst();
}

export async function findService(db: Executor, authorityId: string, serviceId: string) {
  return db
    .selectFrom('services')
    .where('id', '=', serviceId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'name'])
    .executeTakeFirst();
}

/** A member of the team (a leaver may already be inactive: their cases still need moving). */
export async function findMember(db: Executor, teamId: string, userId: string) {
  return db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.team_id', '=', teamId)
    .where('m.user_id', '=', userId)
    .select(['u.id', 'u.display_name', 'u.job_title', 'u.active'])
    .executeTakeFirst();
}

/** The team's members with how many cases each holds in it, for the manager to choose whose work to move. */
export async function membersWithCaseloads(db: Executor, teamId: string) {
  return db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.team_id', '=', teamId)
    .select((eb) => [
      'u.id',
      'u.display_name',
      'u.job_title',
      'u.active',
      'u.roles',
      eb
        .selectFrom('involvements as i')
        .whereRef('i.worker_id', '=', 'u.id')
        .where('i.team_id', '=', teamId)
        .where('i.end_date', 'is', null)
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('cases'),
    ])
    .orderBy('u.display_name')
    .execute();
}

/** Open involvements in the team the worker holds (optionally only `ids`), with whose case each is. */
export function casesOf(db: Executor, teamId: string, workerId: string, ids?: string[]) {
  let q = db
    .selectFrom('involvements as i')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .where('i.team_id', '=', teamId)
    .where('i.worker_id', '=', workerId)
    .where('i.end_date', 'is', null);
  if (ids) q = q.where('i.id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
  return q
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .select(['i.id', 'i.person_id', 'i.version', 'i.reason', 'p.given_name', 'p.family_name', 'p.case_number'])
    .execute();
}

/**
 * A manager sees and moves a worker's steps and actions only for young people the team works with now (an open
 * involvement), never those of another team the worker is also in (quality.md S3).
 */
/** Open protocol steps the worker owns personally for the team's young people (not plan-action chases: they move
 *  with their action). */
export function stepsOf(db: Executor, authorityId: string, teamId: string, workerId: string, ids?: string[]) {
  let q = db
    .selectFrom('protocol_steps as s')
    .innerJoin('protocol_instances as i', 'i.id', 's.instance_id')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .where('s.authority_id', '=', authorityId)
    .where('s.owner_user_id', '=', workerId)
    .where('s.status', '=', 'open')
    .where('i.protocol_id', '<>', ACTION_CHASE)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('involvements as ti')
          .whereRef('ti.person_id', '=', 's.person_id')
          .where('ti.team_id', '=', teamId)
          .where('ti.end_date', 'is', null)
          .select('ti.id'),
      ),
    );
  if (ids) q = q.where('s.id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
  return q
    .orderBy('s.due_date', (ob) => ob.asc().nullsLast())
    .orderBy('s.id')
    .select([
      's.id',
      's.instance_id',
      's.person_id',
      's.step_key',
      's.due_date',
      's.version',
      'i.protocol_id',
      'i.protocol_version',
      'p.given_name',
      'p.family_name',
      'p.case_number',
    ])
    .execute();
}

/** Open plan actions the worker owns for the team's young people. */
export function actionsOf(db: Executor, authorityId: string, teamId: string, workerId: string, ids?: string[]) {
  let q = db
    .selectFrom('plan_actions as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .where('a.authority_id', '=', authorityId)
    .where('a.owner_user_id', '=', workerId)
    .where('a.status', 'in', ['not_started', 'in_progress'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('involvements as ti')
          .whereRef('ti.person_id', '=', 'a.person_id')
          .where('ti.team_id', '=', teamId)
          .where('ti.end_date', 'is', null)
          .select('ti.id'),
      ),
    );
  if (ids) q = q.where('a.id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
  return q
    .orderBy('a.due_date', (ob) => ob.asc().nullsLast())
    .orderBy('a.id')
    .select([
      'a.id',
      'a.person_id',
      'a.description',
      'a.due_date',
      'a.version',
      'p.given_name',
      'p.family_name',
      'p.case_number',
    ])
    .execute();
}

/** Locks the chosen rows (in a fixed order, so two reallocations cannot deadlock) before they are checked. */
export async function lockChosen(tx: Tx, c: { involvements: string[]; steps: string[]; actions: string[] }) {
  const none = ['00000000-0000-0000-0000-000000000000'];
  await tx
    .selectFrom('involvements')
    .where('id', 'in', c.involvements.length ? c.involvements : none)
    .orderBy('id')
    .select('id')
    .forUpdate()
    .execute();
  await tx
    .selectFrom('protocol_steps')
    .where('id', 'in', c.steps.length ? c.steps : none)
    .orderBy('id')
    .select('id')
    .forUpdate()
    .execute();
  await tx
    .selectFrom('plan_actions')
    .where('id', 'in', c.actions.length ? c.actions : none)
    .orderBy('id')
    .select('id')
    .forUpdate()
    .execute();
}

export async function moveInvolvement(tx: Tx, id: string, to: string) {
  await tx
    .updateTable('involvements')
    .set((eb) => ({ worker_id: to, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}
