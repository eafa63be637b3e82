// EHCP's part of My work (src/modules/kit/work.ts): advice requests addressed to the viewer as the advice giver,
// the follow-ups they have not answered and the draft plans waiting for their accuracy check. Read-only.
import type { Executor } from '../../db/database.ts';
import type { WorkItem, WorkSource, WorkViewer } from '../kit/work.ts';
import { ADVICE_KINDS, adviceRef } from './labels.ts';

async function openRequestsFor(db: Executor, viewer: WorkViewer, limit: number) {
  return db
    .selectFrom('ehcp_advice_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .where('r.authority_id', '=', viewer.authorityId)
    .where('r.giver_user_id', '=', viewer.id)
    .where((eb) =>
      eb.or([
        eb('r.status', '=', 'requested'),
        eb.and([eb('r.follow_up_sent_on', 'is not', null), eb('r.follow_up_closed_on', 'is', null)]),
        eb.and([eb('r.draft_check_due', 'is not', null), eb('r.draft_feedback_on', 'is', null)]),
      ]),
    )
    .where('r.status', '!=', 'cancelled')
    .orderBy('r.due_date')
    .limit(limit)
    .select([
      'r.id',
      'r.kind',
      'r.status',
      'r.due_date',
      'r.follow_up_sent_on',
      'r.follow_up_closed_on',
      'r.follow_up_due',
      'r.draft_check_due',
      'r.draft_feedback_on',
      'r.person_id',
      'r.protocol_instance_id',
      'p.case_number',
    ])
    .execute();
}

export const adviceRequestWork: WorkSource = {
  kind: 'advice_request',
  label: 'EHCP advice request',
  async list(db, viewer, { limit }) {
    const out: WorkItem[] = [];
    for (const r of await openRequestsFor(db, viewer, limit)) {
      const base = {
        personId: r.person_id,
        reference: adviceRef(r.case_number, r.id),
        link: `/advice/${r.id}`,
        scope: 'mine' as const,
        instanceId: r.protocol_instance_id,
      };
      const kind = (ADVICE_KINDS[r.kind] ?? r.kind).toLowerCase();
      if (r.status === 'requested')
        out.push({
          ...base,
          key: `advice:${r.id}`,
          kind: 'advice_request',
          what: `Give your ${kind} advice`,
          due: r.due_date,
        });
      if (r.follow_up_sent_on && !r.follow_up_closed_on)
        out.push({
          ...base,
          key: `advice-follow-up:${r.id}`,
          kind: 'advice_request',
          what: 'Answer the follow-up about your advice',
          due: r.follow_up_due,
        });
      if (r.draft_check_due && !r.draft_feedback_on)
        out.push({
          ...base,
          key: `advice-draft:${r.id}`,
          kind: 'advice_request',
          what: 'Check the draft EHC plan for accuracy',
          due: r.draft_check_due,
        });
    }
    return out;
  },
};
