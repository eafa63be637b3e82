// The phase-transfer cohort (reg 18): every child or young person with a plan who moves phase in a given year, and
// whether their plan will be reviewed and amended by 15 February (31 March for secondary to post-16), and why not.
// The review is this module's; the amendment is the plan-changes module's `ehc-plan-amendment` protocol, read here
// from the engine's own tables (protocol_instances, protocol_steps), never from that module's.
import { addDays } from '../../domain/calendar.ts';
import {
  cohortBirthDates,
  PHASE_TRANSFERS,
  phaseTransferDeadline,
  type TransferPhase,
} from '../../domain/phase-transfer.ts';
import type { AuthUser } from '../../http/types.ts';
import { ehcAnnualReview } from '../../protocols/ehc-annual-review.ts';
import { planInScope, viewerOf } from '../ehc-plans/repository.ts';
import type { ReviewDeps } from './context.ts';
import { londonDate } from './dates.ts';

const STEP_TITLES: Record<string, string> = Object.fromEntries(
  ehcAnnualReview.steps.map((s) => [s.id, s.title.charAt(0).toLowerCase() + s.title.slice(1)]),
);

export interface CohortRow {
  planId: string;
  personId: string;
  caseNumber: string;
  dateOfBirth: string;
  reviewHeld: string | null;
  decision: string | null;
  decisionDate: string | null;
  amendment: 'finalised' | 'in_progress' | 'not_started' | 'not_needed';
  amendmentDate: string | null;
  onTrack: boolean;
  complete: boolean;
  why: string;
}

/** The year whose reg 18 date for this phase is next on or after `today` (the cohort people work on now). */
export function currentCohortYear(phase: TransferPhase, today: string): number {
  const y = Number(today.slice(0, 4));
  return phaseTransferDeadline(phase, y) >= today ? y : y + 1;
}

type Amendment = { status: string; result: string | null; ended: string | null; due: string | null; started: string };

function judge(
  deadline: string,
  today: string,
  review: { open: boolean; overdue: boolean; step: string | null; stepDue: string | null } | null,
  held: string | null,
  decision: { decision: string; date: string } | null,
  amendment: Amendment | null,
): Pick<CohortRow, 'onTrack' | 'complete' | 'why' | 'amendment' | 'amendmentDate'> {
  const late = today > deadline;
  if (amendment?.status === 'ended' && amendment.result === 'amended') {
    const inTime = (amendment.ended ?? '') <= deadline;
    return {
      complete: true,
      onTrack: inTime,
      amendment: 'finalised',
      amendmentDate: amendment.ended,
      why: inTime
        ? `Amended plan finalised on ${amendment.ended}`
        : `Amended plan finalised late, on ${amendment.ended}`,
    };
  }
  if (decision?.decision === 'maintain' || decision?.decision === 'cease')
    return {
      complete: true,
      onTrack: decision.date <= deadline,
      amendment: 'not_needed',
      amendmentDate: null,
      why: `Reviewed; decided to ${decision.decision} the plan on ${decision.date}`,
    };
  if (amendment?.status === 'open') {
    const bad =
      late || (amendment.due !== null && amendment.due > deadline) || (amendment.due !== null && amendment.due < today);
    return {
      complete: false,
      onTrack: !bad,
      amendment: 'in_progress',
      amendmentDate: amendment.due,
      why: late
        ? `Amendment not finalised by ${deadline}`
        : amendment.due && amendment.due < today
          ? `Amendment overdue: its step was due ${amendment.due}`
          : `Amendment in progress${amendment.due ? `, final plan due ${amendment.due}` : ''}`,
    };
  }
  if (decision?.decision === 'amend')
    return {
      complete: false,
      onTrack: false,
      amendment: 'not_started',
      amendmentDate: null,
      why: `Decided to amend on ${decision.date}, but no amendment has been started`,
    };
  if (late)
    return {
      complete: false,
      onTrack: false,
      amendment: 'not_started',
      amendmentDate: null,
      why: `Not reviewed and amended by ${deadline}`,
    };
  if (review?.open)
    return {
      complete: false,
      onTrack: !review.overdue,
      amendment: 'not_started',
      amendmentDate: null,
      why: review.overdue
        ? `Review overdue: ${review.step ?? 'a step'} was due ${review.stepDue}`
        : held
          ? `Review meeting held on ${held}; ${review.step ?? 'next step'} due ${review.stepDue}`
          : `Review under way: ${review.step ?? 'next step'} due ${review.stepDue}`,
    };
  return {
    complete: false,
    onTrack: false,
    amendment: 'not_started',
    amendmentDate: null,
    why: 'No review in the transfer year yet',
  };
}

/** The cohort the user sees: scoped as the caseload is (ehc-plans' planInScope; a SEND manager sees the council's). */
export async function cohort(d: ReviewDeps, user: AuthUser, phase: TransferPhase, year: number) {
  const { from, to } = cohortBirthDates(phase, year);
  const deadline = phaseTransferDeadline(phase, year);
  const windowStart = `${year - 1}-09-01`;
  const today = d.today();
  const plans = await d.db
    .selectFrom('ehc_plans as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .where('e.authority_id', '=', user.authorityId)
    .where('e.status', '=', 'final')
    .where((eb) => planInScope(eb, viewerOf(user)))
    .where('p.date_of_birth', '>=', from)
    .where('p.date_of_birth', '<=', to)
    .orderBy('p.case_number')
    .limit(2000)
    .select(['e.id', 'e.person_id', 'p.case_number', 'p.date_of_birth'])
    .execute();
  const planIds = plans.map((p) => p.id);
  const personIds = plans.map((p) => p.person_id);
  const reviews = planIds.length
    ? await d.db
        .selectFrom('ehc_reviews as r')
        .leftJoin('protocol_steps as s', (j) =>
          j.onRef('s.instance_id', '=', 'r.protocol_instance_id').on('s.status', '=', 'open'),
        )
        .where('r.plan_id', 'in', planIds)
        .where((eb) => eb.or([eb('r.status', '=', 'open'), eb('r.meeting_held_date', '>=', windowStart)]))
        .orderBy('r.created_at', 'desc')
        .select([
          'r.plan_id',
          'r.status',
          'r.meeting_held_date',
          'r.decision',
          'r.decision_date',
          's.step_key',
          's.due_date',
        ])
        .execute()
    : [];
  const amendments = personIds.length
    ? await d.db
        .selectFrom('protocol_instances as i')
        .leftJoin('protocol_steps as s', (j) => j.onRef('s.instance_id', '=', 'i.id').on('s.status', '=', 'open'))
        .where('i.protocol_id', '=', 'ehc-plan-amendment')
        .where('i.authority_id', '=', user.authorityId)
        .where('i.person_id', 'in', personIds)
        .where('i.started_at', '>=', new Date(`${windowStart}T00:00:00Z`))
        .orderBy('i.started_at', 'desc')
        .select(['i.person_id', 'i.status', 'i.result', 'i.ended_at', 'i.started_at', 's.due_date'])
        .execute()
    : [];
  const rows: CohortRow[] = plans.map((p) => {
    const mine = reviews.filter((r) => r.plan_id === p.id);
    const open = mine.find((r) => r.status === 'open');
    const decided = mine.find((r) => r.status === 'decided' && r.decision);
    const held = decided?.meeting_held_date ?? open?.meeting_held_date ?? null;
    const a = amendments.find((x) => x.person_id === p.person_id);
    const amendment: Amendment | null = a
      ? {
          status: a.status,
          result: a.result,
          ended: a.ended_at ? londonDate(a.ended_at) : null,
          due: a.due_date,
          started: londonDate(a.started_at),
        }
      : null;
    const verdict = judge(
      deadline,
      today,
      open
        ? {
            open: true,
            overdue: Boolean(open.due_date && open.due_date < today),
            step: STEP_TITLES[open.step_key ?? ''] ?? null,
            stepDue: open.due_date,
          }
        : null,
      held,
      decided?.decision && decided.decision_date ? { decision: decided.decision, date: decided.decision_date } : null,
      amendment,
    );
    return {
      planId: p.id,
      personId: p.person_id,
      caseNumber: p.case_number,
      dateOfBirth: p.date_of_birth,
      reviewHeld: held,
      decision: decided?.decision ?? null,
      decisionDate: decided?.decision_date ?? null,
      ...verdict,
    };
  });
  return {
    phase,
    phaseLabel: PHASE_TRANSFERS[phase].label,
    year,
    deadline,
    source: PHASE_TRANSFERS[phase].source,
    trackedFrom: addDays(windowStart, -365),
    counts: {
      total: rows.length,
      complete: rows.filter((r) => r.complete && r.onTrack).length,
      onTrack: rows.filter((r) => r.onTrack).length,
      notOnTrack: rows.filter((r) => !r.onTrack).length,
    },
    rows,
  };
}
