// SQL for My work: cases allocated to the viewer, their teams' unallocated cases, alerts for their role, and which
// of the young people in the list the viewer may see by name. Executor first (style.md 4).
import { sql } from 'kysely';
import { type Prepared, prepared, slot } from '../../db/compiled.ts';
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

export interface CaseRow {
  /** 'allocated' to the viewer, or 'unallocated' in one of their teams. */
  kind: 'allocated' | 'unallocated';
  id: string;
  person_id: string;
  case_number: string;
  team_name: string;
  start_date: string;
}

type CaseSlots = 'userId' | 'authorityId' | 'teamIds' | 'limit';
let casesStatement: Prepared<CaseSlots> | null = null;

/**
 * The cases allocated to the viewer and their teams' cases with no worker, each oldest first and at most `limit`, in
 * ONE statement built once (db/compiled.ts): My work runs it on every page, so no query builder runs per request and
 * it is one round trip instead of two. The teams are one array parameter (an empty array matches none); the teams'
 * cases are read through involvements_unallocated_team_idx.
 */
function casesQuery(db: Executor): Prepared<CaseSlots> {
  if (casesStatement) return casesStatement;
  const authorityId = slot('authorityId');
  const limit = slot<number>('limit');
  const allocated = openInvolvements(db, authorityId)
    .where('i.worker_id', '=', slot('userId'))
    .orderBy('i.start_date')
    .limit(limit)
    .select(sql<CaseRow['kind']>`'allocated'`.as('kind'));
  const unallocated = openInvolvements(db, authorityId)
    .where('i.worker_id', 'is', null)
    .where(sql<boolean>`i.team_id = ANY(CAST(${slot('teamIds')} AS uuid[]))`)
    .orderBy('i.start_date')
    .limit(limit)
    .select(sql<CaseRow['kind']>`'unallocated'`.as('kind'));
  const compiled = db
    .selectFrom(allocated.as('a'))
    .selectAll()
    .unionAll(db.selectFrom(unallocated.as('u')).selectAll())
    .compile();
  casesStatement = prepared<CaseSlots>(compiled);
  return casesStatement;
}

export async function casesOf(db: Executor, user: Viewer, limit: number): Promise<CaseRow[]> {
  const { rows } = await casesQuery(db).run<CaseRow>(db, {
    userId: user.id,
    authorityId: user.authorityId,
    teamIds: user.teamIds,
    limit,
  });
  return rows;
}

/**
 * The names of those of `personIds` whose record the viewer may open (a relationship: access/repository.ts). Each id
 * is checked in its own subquery, which the planner plans for one person: every relationship is then an indexed
 * lookup by that person, instead of a hash of the viewer's whole caseload built for the 25 names of a page (a manager
 * of 1,800 open cases spent ~8 ms on it). The ids are one array parameter, so the text is the same for any page.
 */
export async function visibleNames(db: Executor, user: Viewer, personIds: string[]) {
  if (personIds.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom(sql<{ id: string }>`unnest(CAST(${personIds} AS uuid[]))`.as('x'))
    .select((eb) => [
      sql<string>`x`.as('id'),
      eb
        .selectFrom('people as p')
        .whereRef('p.id', '=', sql.ref('x'))
        .where('p.authority_id', '=', user.authorityId)
        .where((w) => w.or(relationshipConditions(w, user)))
        .select(sql<string>`p.given_name || ' ' || p.family_name`.as('name'))
        .as('name'),
    ])
    .execute();
  return new Map(rows.flatMap((r) => (r.name === null ? [] : [[r.id, r.name] as const])));
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
