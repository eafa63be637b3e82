// Transfers' part of My work (src/modules/kit/work.ts): transfers coming in to the viewer's teams, waiting for the
// receiving team to accept or return them, or accepted and waiting for a worker. Read-only.
import type { WorkSource } from '../kit/work.ts';

export const incomingTransferWork: WorkSource = {
  kind: 'transfer',
  label: 'Incoming transfer',
  async list(db, viewer, { limit }) {
    if (viewer.teamIds.length === 0) return [];
    const rows = await db
      .selectFrom('transfers as x')
      .innerJoin('people as p', 'p.id', 'x.person_id')
      .innerJoin('teams as t', 't.id', 'x.to_team_id')
      .leftJoin('protocol_instances as i', 'i.id', 'x.protocol_instance_id')
      .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
      .where('x.authority_id', '=', viewer.authorityId)
      .where('x.to_team_id', 'in', viewer.teamIds)
      .where('x.status', 'in', ['sent', 'accepted'])
      .orderBy('s.due_date', (ob) => ob.asc().nullsLast())
      .limit(limit)
      .select([
        'x.id',
        'x.status',
        'x.person_id',
        'x.protocol_instance_id',
        'x.allocated_worker_id',
        't.name as team_name',
        's.due_date',
        'p.case_number',
      ])
      .execute();
    return rows.map((r) => ({
      key: `transfer:${r.id}`,
      kind: 'transfer',
      what:
        r.status === 'sent'
          ? `Accept or return a transfer to ${r.team_name}`
          : `Allocate a worker in ${r.team_name} to an accepted transfer`,
      personId: r.person_id,
      reference: `${r.case_number}/transfer-${r.id.slice(0, 8)}`,
      due: r.due_date,
      link: `/people/${r.person_id}/transfers/${r.id}`,
      scope: r.allocated_worker_id === viewer.id ? ('mine' as const) : ('team' as const),
      instanceId: r.protocol_instance_id,
    }));
  },
};
