// Transitions' part of My work (src/modules/kit/work.ts): plan actions the viewer owns, referrals addressed to them
// that are waiting for an answer, and the panel meetings they chair that have not been held. Read-only.
import type { Executor } from '../../db/database.ts';
import type { WorkSource, WorkViewer } from '../kit/work.ts';

export const planActionWork: WorkSource = {
  kind: 'plan_action',
  label: 'Plan action',
  async list(db, viewer, { limit }) {
    const rows = await db
      .selectFrom('plan_actions as a')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .where('a.authority_id', '=', viewer.authorityId)
      .where('a.owner_user_id', '=', viewer.id)
      .where('a.status', 'in', ['not_started', 'in_progress'])
      .orderBy('a.due_date', (ob) => ob.asc().nullsLast())
      .limit(limit)
      .select(['a.id', 'a.description', 'a.due_date', 'a.person_id', 'a.chase_instance_id', 'p.case_number'])
      .execute();
    return rows.map((r) => ({
      key: `plan_action:${r.id}`,
      kind: 'plan_action',
      // A plan action's description is written about the young person: kept short, never in a notification.
      what: `Plan action: ${r.description.length > 80 ? `${r.description.slice(0, 79)}…` : r.description}`,
      personId: r.person_id,
      reference: r.case_number,
      due: r.due_date,
      link: `/people/${r.person_id}/plan/actions/${r.id}`,
      scope: 'mine' as const,
      instanceId: r.chase_instance_id,
    }));
  },
};

export const referralWork: WorkSource = {
  kind: 'referral',
  label: 'Referral to answer',
  async list(db, viewer, { limit }) {
    const rows = await db
      .selectFrom('referrals as r')
      .innerJoin('protocol_instances as i', 'i.id', 'r.protocol_instance_id')
      .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
      .innerJoin('people as p', 'p.id', 'r.person_id')
      .where('r.authority_id', '=', viewer.authorityId)
      .where('r.to_user_id', '=', viewer.id)
      .where('i.status', '=', 'open')
      .orderBy('s.due_date', (ob) => ob.asc().nullsLast())
      .limit(limit)
      .select(['r.id', 'r.person_id', 's.due_date', 'p.case_number', 'i.id as instance_id'])
      .execute();
    return rows.map((r) => ({
      key: `referral:${r.id}`,
      kind: 'referral',
      what: 'Answer a referral made to you',
      personId: r.person_id,
      reference: r.case_number,
      due: r.due_date,
      link: `/people/${r.person_id}/referrals/${r.id}`,
      scope: 'mine' as const,
      instanceId: r.instance_id,
    }));
  },
};

async function chairedMeetings(db: Executor, viewer: WorkViewer, limit: number) {
  return db
    .selectFrom('panel_meetings as m')
    .innerJoin('panels as pn', 'pn.id', 'm.panel_id')
    .innerJoin('panel_members as pm', 'pm.panel_id', 'm.panel_id')
    .where('m.authority_id', '=', viewer.authorityId)
    .where('pm.user_id', '=', viewer.id)
    .where('pm.chair', '=', true)
    .where('m.status', '=', 'planned')
    .orderBy('m.meeting_date')
    .limit(limit)
    .select(['m.id', 'm.meeting_date', 'pn.name'])
    .execute();
}

export const meetingWork: WorkSource = {
  kind: 'meeting',
  label: 'Meeting to chair',
  async list(db, viewer, { limit }) {
    return (await chairedMeetings(db, viewer, limit)).map((m) => ({
      key: `meeting:${m.id}`,
      kind: 'meeting',
      what: `Chair the ${m.name} meeting`,
      personId: null,
      reference: m.name,
      due: m.meeting_date,
      link: `/panels/meetings/${m.id}`,
      scope: 'mine' as const,
    }));
  },
};
