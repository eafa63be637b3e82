// The weekly report's lines about EHC plans after the assessment (issue 20): annual reviews overdue and amendments
// waiting or past their 8 weeks. Read from the engine's open instances and their open steps (protocols
// `ehc-annual-review` and `ehc-plan-amendment`), so the report needs no table of the reviews or plan-changes modules.
// Case references and counts only, never names.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { addDays } from '../../domain/calendar.ts';
import { caseNumberOf } from './repository.ts';

export interface PlanLines {
  reviewsOverdue: { personId: string; caseNumber: string; step: string; due: string }[];
  amendmentsWaiting: {
    personId: string;
    caseNumber: string;
    step: string;
    due: string | null;
    proposalsSent: string | null;
    eightWeeks: string | null;
    pastEightWeeks: boolean;
  }[];
}

export async function planLines(db: Executor, authorityId: string, today: string): Promise<PlanLines> {
  // Only the rows the report lists: every amendment waiting, and the reviews past their step's due date (a review
  // not yet due was read only to be dropped: two thirds of the rows at 500,000). The case reference is probed per
  // row (people.id; person_id is never null), where a join let the planner hash all 500,000 people.
  const rows = await db
    .selectFrom('protocol_instances as i')
    .innerJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .where('i.authority_id', '=', authorityId)
    .where('i.status', '=', 'open')
    .where((eb) =>
      eb.or([
        eb('i.protocol_id', '=', 'ehc-plan-amendment'),
        eb.and([eb('i.protocol_id', '=', 'ehc-annual-review'), eb('s.due_date', '<', today)]),
      ]),
    )
    .select([
      'i.protocol_id',
      'i.person_id',
      caseNumberOf(sql.ref('i.person_id')).as('case_number'),
      's.step_key',
      's.due_date',
      sql<string | null>`i.anchors->>'proposals_sent'`.as('proposals_sent'),
    ])
    .orderBy('s.due_date')
    .orderBy('case_number')
    .execute();
  const reviewsOverdue = rows
    .filter((r) => r.protocol_id === 'ehc-annual-review' && r.due_date !== null && r.due_date < today)
    .map((r) => ({ personId: r.person_id, caseNumber: r.case_number, step: r.step_key, due: r.due_date as string }));
  const amendmentsWaiting = rows
    .filter((r) => r.protocol_id === 'ehc-plan-amendment')
    .map((r) => {
      const eightWeeks = r.proposals_sent ? addDays(r.proposals_sent, 56) : null;
      return {
        personId: r.person_id,
        caseNumber: r.case_number,
        step: r.step_key,
        due: r.due_date,
        proposalsSent: r.proposals_sent,
        eightWeeks,
        pastEightWeeks: eightWeeks !== null && eightWeeks < today,
      };
    });
  return { reviewsOverdue, amendmentsWaiting };
}
