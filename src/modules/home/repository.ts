// SQL for My work: cases allocated to the viewer, their teams' unallocated cases, alerts for their role, and which
// of the young people in the list the viewer may see by name. Executor first (style.md 4).
import type { Executor } from '../../db/database.ts';
import { relationshipConditions, type Viewer } from '../access/repository.ts';

function openInvolvements(db: Executor, authorityId: string) {
  return db
    .selectFrom('involvements as i')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .innerJoin('teams as t', 't.id', 'i.team_id')
    .where('i.authority_id', '=', authorityId)
    .where('i.end_date', 'is', null)
    .select(['i.id', 'p.id as person_id', 'p.case_number', 't.name as team_name', 'i.start_date']);
}

export async function allocatedTo(db: Executor, user: Viewer, limit: number) {
  return openInvolvements(db, user.authorityId)
    .where('i.worker_id', '=', user.id)
    .orderBy('i.start_date')
    .limit(limit)
    .execute();
}

/** The teams' open involvements with no worker, oldest first: read through involvements_unallocated_team_idx. */
export function unallocatedQuery(db: Executor, user: Viewer, limit: number) {
  return openInvolvements(db, user.authorityId)
    .where('i.worker_id', 'is', null)
    .where('i.team_id', 'in', user.teamIds)
    .orderBy('i.start_date')
    .limit(limit);
}

export async function unallocatedIn(db: Executor, user: Viewer, limit: number) {
  if (user.teamIds.length === 0) return [];
  return unallocatedQuery(db, user, limit).execute();
}

/** The names of those of `personIds` whose record the viewer may open (a relationship: access/repository.ts). */
export async function visibleNames(db: Executor, user: Viewer, personIds: string[]) {
  if (personIds.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('people as p')
    .where('p.id', 'in', personIds)
    .where('p.authority_id', '=', user.authorityId)
    .where((eb) => eb.or(relationshipConditions(eb, user)))
    .select(['p.id', 'p.given_name', 'p.family_name'])
    .execute();
  return new Map(rows.map((r) => [r.id, `${r.given_name} ${r.family_name}`]));
}

export async function openAlerts(db: Executor, user: { authorityId: string; roles: string[] }) {
  return db
    .selectFrom('alerts')
    .where('authority_id', '=', user.authorityId)
    .where('role', 'in', user.roles)
    .where('acknowledged_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(50)
    .select(['id', 'kind', 'message', 'link', 'created_at'])
    .execute();
}

export async function acknowledgeAlert(
  db: Executor,
  user: { id: string; authorityId: string; roles: string[] },
  alertId: string,
  at: Date,
) {
  const res = await db
    .updateTable('alerts')
    .set({ acknowledged_by: user.id, acknowledged_at: at })
    .where('id', '=', alertId)
    .where('authority_id', '=', user.authorityId)
    .where('role', 'in', user.roles)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
