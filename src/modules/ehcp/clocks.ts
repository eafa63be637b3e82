// The clocks of one EHC needs assessment, as the caseworker, the parent and a tribunal would read them: each
// statutory date with the regulation it comes from (STATUTORY_RULES), and beside it, separately, the date we now
// expect. Exceptions (reg 10(4), applied to the final plan by reg 13(3)) are evidence for why a date may be missed;
// they never move the statutory date, only the projection.

import { addDays, addWorkingDays, toDayNumber } from '../../domain/calendar.ts';
import { computeDeadline, STATUTORY_RULES } from '../../domain/clocks.ts';

/**
 * A local planning assumption, not a statutory rule: after the last advice arrives the coordinator needs this many
 * working days to write the draft plan. Used only for the projected final date.
 */
export const DRAFTING_WORKING_DAYS = 10;

export interface AssessmentDates {
  request_date: string;
  decision_to_assess: 'assess' | 'not_assess' | null;
  decision_date: string | null;
  not_issue_date: string | null;
  draft_served_date: string | null;
  final_issued_date: string | null;
}
export interface ExceptionPeriod {
  start_date: string;
  end_date: string;
}
export interface AdviceDates {
  status: 'requested' | 'received' | 'cancelled';
  due_date: string;
  received_date: string | null;
  follow_up_due: string | null;
  follow_up_closed_on: string | null;
}

export type ClockState = 'done' | 'done_late' | 'overdue' | 'open' | 'not_needed';

export interface Clock {
  key: 'decision_to_assess' | 'decision_not_to_issue' | 'draft_representations' | 'final_plan';
  title: string;
  /** The statutory date: never moved. */
  statutory: string;
  /** "20 weeks from the request on 2026-12-21 (SEND Regulations 2014 reg 13(2))" */
  explanation: string;
  source: string;
  /** The date we now expect, when it differs from or adds to the statutory one, and why. */
  projected: string | null;
  projectedWhy: string | null;
  done: string | null;
  state: ClockState;
}

/** Days covered by the exception periods, overlaps counted once. */
export function exceptionDays(periods: readonly ExceptionPeriod[]): number {
  const spans = periods
    .map((p) => [toDayNumber(p.start_date), toDayNumber(p.end_date)] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curStart = Number.NaN;
  let curEnd = Number.NaN;
  for (const [s, e] of spans) {
    if (Number.isNaN(curStart) || s > curEnd + 1) {
      if (!Number.isNaN(curStart)) total += curEnd - curStart + 1;
      curStart = s;
      curEnd = e;
    } else curEnd = Math.max(curEnd, e);
  }
  if (!Number.isNaN(curStart)) total += curEnd - curStart + 1;
  return total;
}

const later = (a: string, b: string) => (a >= b ? a : b);

function state(statutory: string, done: string | null, today: string): ClockState {
  if (done) return done > statutory ? 'done_late' : 'done';
  return today > statutory ? 'overdue' : 'open';
}

/**
 * When the last advice is expected: received dates, else the later of its due date and any follow-up response
 * date, and never earlier than today for advice still outstanding.
 */
export function lastAdviceExpected(advice: readonly AdviceDates[], today: string): string | null {
  let last: string | null = null;
  for (const a of advice) {
    if (a.status === 'cancelled') continue;
    let d: string;
    if (a.status === 'received' && !(a.follow_up_due && !a.follow_up_closed_on)) d = a.received_date ?? a.due_date;
    else d = later(later(a.due_date, a.follow_up_due ?? a.due_date), today);
    last = last ? later(last, d) : d;
  }
  return last;
}

export interface AssessmentClocks {
  clocks: Clock[];
  statutoryFinal: string;
  projectedFinal: string;
  projectedFinalWhy: string;
  exceptionDays: number;
  /** The projected final plan date is after the 20-week date (Cumbria step 8: tell the parents). */
  delayed: boolean;
}

export function assessmentClocks(
  a: AssessmentDates,
  exceptions: readonly ExceptionPeriod[],
  advice: readonly AdviceDates[],
  today: string,
): AssessmentClocks {
  const R = STATUTORY_RULES;
  const days = exceptionDays(exceptions);
  const excWhy = days
    ? ` plus ${days} day${days === 1 ? '' : 's'} of recorded exceptions (SEND Regulations 2014 reg 10(4), reg 13(3))`
    : '';

  const decide = computeDeadline(R.decisionToAssess, a.request_date);
  const notIssue = computeDeadline(R.decisionNotToIssue, a.request_date);
  const final = computeDeadline(R.finalPlan, a.request_date);
  const clocks: Clock[] = [
    {
      key: 'decision_to_assess',
      title: R.decisionToAssess.title,
      statutory: decide.due,
      explanation: decide.explanation,
      source: R.decisionToAssess.source,
      projected: null,
      projectedWhy: null,
      done: a.decision_date,
      state: state(decide.due, a.decision_date, today),
    },
  ];
  const notAssessing = a.decision_to_assess === 'not_assess';
  const closed = notAssessing || a.not_issue_date !== null;

  // reg 10: only relevant until the authority decides to issue (by serving a draft) or decides not to.
  const notIssueProjected = days ? addDays(notIssue.due, days) : null;
  clocks.push({
    key: 'decision_not_to_issue',
    title: R.decisionNotToIssue.title,
    statutory: notIssue.due,
    explanation: notIssue.explanation,
    source: R.decisionNotToIssue.source,
    projected: notIssueProjected,
    projectedWhy: notIssueProjected ? `The 16-week date${excWhy}` : null,
    done: a.not_issue_date,
    state:
      notAssessing || (a.draft_served_date && !a.not_issue_date)
        ? 'not_needed'
        : state(notIssue.due, a.not_issue_date, today),
  });

  if (a.draft_served_date) {
    const reps = computeDeadline(R.draftRepresentations, a.draft_served_date);
    clocks.push({
      key: 'draft_representations',
      title: R.draftRepresentations.title,
      statutory: reps.due,
      explanation: reps.explanation,
      source: R.draftRepresentations.source,
      projected: null,
      projectedWhy: null,
      done: null,
      // A minimum period for the family: it is "open" until it has run, then it is done.
      state: today > reps.due ? 'done' : 'open',
    });
  }

  // The projected final plan date.
  let projectedFinal = days ? addDays(final.due, days) : final.due;
  let why = `The 20-week date${excWhy}`;
  if (a.final_issued_date) {
    projectedFinal = a.final_issued_date;
    why = 'The date the final plan was issued';
  } else if (a.draft_served_date) {
    const earliest = addDays(computeDeadline(R.draftRepresentations, a.draft_served_date).due, 1);
    if (earliest > projectedFinal) {
      projectedFinal = earliest;
      why = `The day after the 15 days for representations on the draft served on ${a.draft_served_date} (SEND Regulations 2014 reg 13(1))`;
    }
  } else {
    const last = lastAdviceExpected(advice, today);
    if (last) {
      const drafted = addWorkingDays(last, DRAFTING_WORKING_DAYS);
      const earliest = addDays(drafted, 15);
      if (earliest > projectedFinal) {
        projectedFinal = earliest;
        why = `The last advice expected on ${last}, then ${DRAFTING_WORKING_DAYS} working days to draft (local planning assumption) and 15 days for representations (SEND Regulations 2014 reg 13(1))`;
      }
    }
  }
  clocks.push({
    key: 'final_plan',
    title: R.finalPlan.title,
    statutory: final.due,
    explanation: final.explanation,
    source: R.finalPlan.source,
    projected: projectedFinal === final.due ? null : projectedFinal,
    projectedWhy: projectedFinal === final.due ? null : why,
    done: a.final_issued_date,
    state: closed ? 'not_needed' : state(final.due, a.final_issued_date, today),
  });
  return {
    clocks,
    statutoryFinal: final.due,
    projectedFinal,
    projectedFinalWhy: why,
    exceptionDays: days,
    delayed: !closed && projectedFinal > final.due,
  };
}

/** Advice requested on `requested`: due 6 weeks later (reg 8), with the explanation kept beside it. */
export function adviceDue(requested: string) {
  return computeDeadline(STATUTORY_RULES.adviceDue, requested);
}

/** A Cumbria follow-up or draft-check response: 5 working days from the email (England and Wales bank holidays). */
export function followUpDue(emailed: string) {
  return computeDeadline(STATUTORY_RULES.cumbriaAdviceFollowUp, emailed);
}
