// My work for a team's managers: each closed account (a leaver, whether the directory or an administrator closed it)
// still holding open cases in a team they manage, with the link to move them. The cases stay allocated to the leaver
// until then (never unallocated), so this is where the manager sees they need a new worker.
import { sql } from 'kysely';
import { MANAGING_ROLES } from '../caseload/service.ts';
import type { WorkSource } from '../kit/work.ts';

export const leaverWork: WorkSource = {
  kind: 'leaver',
  label: 'Leaver’s cases to move',
  async list(db, viewer, { limit }) {
    if (!viewer.teamIds.length || !MANAGING_ROLES.some((r) => viewer.roles.includes(r))) return [];
    const rows = await db
      .selectFrom('involvements as i')
      .innerJoin('users as u', 'u.id', 'i.worker_id')
      .innerJoin('teams as t', 't.id', 'i.team_id')
      .innerJoin('team_members as m', (j) => j.onRef('m.team_id', '=', 'i.team_id').onRef('m.user_id', '=', 'u.id'))
      .where('i.authority_id', '=', viewer.authorityId)
      .where('i.team_id', 'in', viewer.teamIds)
      .where('i.end_date', 'is', null)
      .where('u.active', '=', false)
      .groupBy(['u.id', 'u.display_name', 't.id', 't.name'])
      .orderBy('u.display_name')
      .limit(limit)
      .select(['u.id', 'u.display_name', 't.id as team_id', 't.name as team_name', sql<string>`count(*)`.as('cases')])
      .execute();
    return rows.map((r) => {
      const n = Number(r.cases);
      return {
        key: `leaver:${r.team_id}:${r.id}`,
        kind: 'leaver',
        what: `Move ${n} ${n === 1 ? 'case' : 'cases'} of ${r.display_name} (account closed) in ${r.team_name}`,
        personId: null,
        reference: r.team_name,
        due: null,
        link: `/teams/${r.team_id}/workers/${r.id}/reallocate`,
        scope: 'team' as const,
      };
    });
  },
};
