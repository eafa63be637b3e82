// What the EHCP module does when an advice request's step goes overdue (the ehc-advice-request protocol moves it
// to an "overdue" step when its deadline passes; these run as it enters that step, in the sweep's transaction).
// The messages link to the pages each person can open: the advice giver and their line manager to the advice
// request, the coordinator to the assessment.
import type { ehcAdviceRequest } from '../../protocols/ehc-advice-request.ts';
import { notifyUser } from '../notifications/outbox.ts';
import type { FlowEvent } from '../protocols/service.ts';
import { type EhcpDeps, ehcpChange } from './context.ts';
import { ADVICE_KINDS, adviceRef } from './labels.ts';

type Entered = FlowEvent<typeof ehcAdviceRequest>;

async function requestOf(e: Entered) {
  return e.tx
    .selectFrom('ehcp_advice_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('ehcp_assessments as a', 'a.id', 'r.assessment_id')
    .innerJoin('users as g', 'g.id', 'r.giver_user_id')
    .where('r.protocol_instance_id', '=', e.instanceId)
    .select([
      'r.id',
      'r.authority_id',
      'r.person_id',
      'r.status',
      'r.kind',
      'r.due_date',
      'r.responsible_user_id',
      'r.draft_check_due',
      'g.line_manager_id',
      'g.display_name as giver_name',
      'a.coordinator_id',
      'a.id as assessment_id',
      'p.case_number',
    ])
    .executeTakeFirst();
}

/** Advice not sent within 6 weeks (reg 8(1)): the giver (or who is now responsible), their manager and the coordinator. */
export async function adviceOverdue(d: Pick<EhcpDeps, 'config'>, e: Entered) {
  const r = await requestOf(e);
  if (r?.status !== 'requested') return;
  const ref = adviceRef(r.case_number, r.id);
  for (const u of [r.responsible_user_id, r.line_manager_id].filter((x): x is string => Boolean(x)))
    await notifyUser(e.tx, {
      authorityId: r.authority_id,
      userId: u,
      message: `Overdue: advice for an EHC needs assessment was due ${r.due_date}`,
      link: `/advice/${r.id}`,
      reference: ref,
      baseUrl: d.config.baseUrl,
    });
  if (r.coordinator_id)
    await notifyUser(e.tx, {
      authorityId: r.authority_id,
      userId: r.coordinator_id,
      message: `Advice overdue from ${r.giver_name} (due ${r.due_date})`,
      link: `/people/${r.person_id}/ehcp/${r.assessment_id}`,
      reference: ref,
      baseUrl: d.config.baseUrl,
    });
  await ehcpChange(
    e.tx,
    { id: null, authorityId: r.authority_id },
    r.person_id,
    [
      `Advice overdue from ${r.giver_name} (${ADVICE_KINDS[r.kind]}): due ${r.due_date} (SEND Regulations 2014 reg 8(1))`,
      null,
    ],
    { action: 'overdue', entity: 'ehcp_advice_request', entityId: r.id },
  );
}

/** No feedback on the draft within 5 working days: a reminder in Handover to whoever is responsible (no email). */
export async function draftCheckOverdue(d: Pick<EhcpDeps, 'config'>, e: Entered) {
  const r = await requestOf(e);
  if (!r?.draft_check_due) return;
  await notifyUser(e.tx, {
    authorityId: r.authority_id,
    userId: r.responsible_user_id,
    message: `Reminder: feedback on the draft EHC plan was due ${r.draft_check_due}`,
    link: `/advice/${r.id}`,
    reference: adviceRef(r.case_number, r.id),
    baseUrl: d.config.baseUrl,
    email: false,
  });
}
