// What happens when an EHCP deadline row falls due in the sweep: a statutory date passing on an assessment, advice
// overdue, or a draft accuracy check not answered.
import type { Tx } from '../../db/database.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { insertEvent } from '../people/repository.ts';
import type { EhcpDeps } from './context.ts';
import { ADVICE_KINDS, ASSESSMENT_SUBJECT, adviceRef, assessmentRef } from './labels.ts';
import * as repo from './repository.ts';

/** Overdue handling for assessment and advice deadline rows (called by the sweep, in its transaction). */
export async function fireDeadline(
  d: EhcpDeps,
  tx: Tx,
  subjectType: string,
  subjectId: string,
  action: Record<string, unknown>,
) {
  if (subjectType === ASSESSMENT_SUBJECT) {
    const a = await tx
      .selectFrom('ehcp_assessments as a')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .where('a.id', '=', subjectId)
      .select([
        'a.id',
        'a.authority_id',
        'a.person_id',
        'a.status',
        'a.coordinator_id',
        'a.decision_date',
        'a.request_date',
        'p.case_number',
      ])
      .executeTakeFirst();
    if (a?.status !== 'open') return;
    const ref = assessmentRef(a.case_number, a.id);
    const link = `/people/${a.person_id}/ehcp/${a.id}`;
    const what =
      action.kind === 'decision_due'
        ? 'decide whether to carry out the assessment (6 weeks, reg 5(1))'
        : 'issue the final plan (20 weeks, reg 13(2))';
    if (action.kind === 'decision_due' && a.decision_date) return;
    const managers = action.kind === 'final_due' ? await repo.sendManagersOf(tx, a.authority_id) : [];
    for (const u of [a.coordinator_id, ...managers.map((m) => m.id)].filter((x): x is string => Boolean(x)))
      await notifyUser(tx, {
        authorityId: a.authority_id,
        userId: u,
        message: `Statutory date passed: ${what}`,
        link,
        reference: ref,
        baseUrl: d.config.baseUrl,
      });
    await insertEvent(tx, {
      authority_id: a.authority_id,
      person_id: a.person_id,
      kind: 'ehcp',
      title: `Statutory date passed: ${what}`,
      detail: null,
      actor_id: null,
    });
    return;
  }
  const r = await tx
    .selectFrom('ehcp_advice_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('ehcp_assessments as a', 'a.id', 'r.assessment_id')
    .innerJoin('users as g', 'g.id', 'r.giver_user_id')
    .where('r.id', '=', subjectId)
    .select([
      'r.id',
      'r.authority_id',
      'r.person_id',
      'r.status',
      'r.kind',
      'r.due_date',
      'r.responsible_user_id',
      'r.draft_feedback_on',
      'r.draft_check_due',
      'g.line_manager_id',
      'g.display_name as giver_name',
      'a.coordinator_id',
      'a.id as assessment_id',
      'p.case_number',
    ])
    .executeTakeFirst();
  if (!r) return;
  const ref = adviceRef(r.case_number, r.id);
  if (action.kind === 'advice_overdue') {
    if (r.status !== 'requested') return;
    for (const u of [r.responsible_user_id, r.line_manager_id].filter((x): x is string => Boolean(x)))
      await notifyUser(tx, {
        authorityId: r.authority_id,
        userId: u,
        message: `Overdue: advice for an EHC needs assessment was due ${r.due_date}`,
        link: `/advice/${r.id}`,
        reference: ref,
        baseUrl: d.config.baseUrl,
      });
    if (r.coordinator_id)
      await notifyUser(tx, {
        authorityId: r.authority_id,
        userId: r.coordinator_id,
        message: `Advice overdue from ${r.giver_name} (due ${r.due_date})`,
        link: `/people/${r.person_id}/ehcp/${r.assessment_id}`,
        reference: ref,
        baseUrl: d.config.baseUrl,
      });
    await insertEvent(tx, {
      authority_id: r.authority_id,
      person_id: r.person_id,
      kind: 'ehcp',
      title: `Advice overdue from ${r.giver_name} (${ADVICE_KINDS[r.kind]}): due ${r.due_date} (SEND Regulations 2014 reg 8(1))`,
      detail: null,
      actor_id: null,
    });
  } else if (action.kind === 'draft_check_overdue') {
    if (r.draft_feedback_on || !r.draft_check_due) return;
    await notifyUser(tx, {
      authorityId: r.authority_id,
      userId: r.responsible_user_id,
      message: `Reminder: feedback on the draft EHC plan was due ${r.draft_check_due}`,
      link: `/advice/${r.id}`,
      reference: ref,
      baseUrl: d.config.baseUrl,
      email: false,
    });
  }
}
