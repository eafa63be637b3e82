// The weekly EHCP report of one authority (follow-ups, advice outstanding by provider and team, assessments at risk
// of missing 20 weeks) and its CSV. Its counts go to SEND managers weekly by email as the `ehcp-weekly` subscription
// (subscribable.ts, sent by src/modules/subscriptions).
import type { Executor } from '../../db/database.ts';
import { workingDaysBetween } from '../../domain/calendar.ts';
import { csvCell } from '../kit/csv.ts';
import { assessmentClocks } from './clocks.ts';
import { ADVICE_KINDS } from './labels.ts';
import { type PlanLines, planLines } from './report-plans.ts';
import * as repo from './repository.ts';

export interface WeeklyReport {
  authorityId: string;
  generatedOn: string;
  followUps: {
    requestId: string;
    assessmentId: string;
    personId: string;
    caseNumber: string;
    kind: string;
    giver: string;
    responsible: string;
    provider: string;
    sentOn: string | null;
    due: string | null;
    overdue: boolean;
    workingDaysOverdue: number;
  }[];
  byProvider: { name: string; outstanding: number; overdue: number }[];
  byTeam: { name: string; outstanding: number; overdue: number }[];
  atRisk: {
    assessmentId: string;
    personId: string;
    caseNumber: string;
    coordinator: string;
    requestDate: string;
    statutoryFinal: string;
    projectedFinal: string;
    why: string;
    delayNoticeSent: boolean;
  }[];
  /** EHC plans after the assessment (report-plans.ts): reviews overdue, amendments waiting (issue 20). */
  plans: PlanLines;
  counts: {
    openFollowUps: number;
    overdueFollowUps: number;
    adviceOutstanding: number;
    adviceOverdue: number;
    atRisk: number;
    reviewsOverdue: number;
    amendmentsWaiting: number;
    amendmentsPastEightWeeks: number;
  };
}

type Counted = { name: string; outstanding: number; overdue: number };

/** Advice follow-ups still open: the most working days overdue first. */
async function followUpLines(db: Executor, authorityId: string, today: string): Promise<WeeklyReport['followUps']> {
  return (await repo.openFollowUps(db, authorityId))
    .map((f) => {
      const overdue = f.follow_up_due !== null && today > f.follow_up_due;
      return {
        requestId: f.id,
        assessmentId: f.assessment_id,
        personId: f.person_id,
        caseNumber: f.case_number,
        kind: ADVICE_KINDS[f.kind] ?? f.kind,
        giver: f.giver_name,
        responsible: f.responsible_name,
        provider: f.service_name ?? 'No provider recorded',
        sentOn: f.follow_up_sent_on,
        due: f.follow_up_due,
        overdue,
        workingDaysOverdue: overdue && f.follow_up_due ? workingDaysBetween(f.follow_up_due, today) : 0,
      };
    })
    .sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        b.workingDaysOverdue - a.workingDaysOverdue ||
        (a.due ?? '').localeCompare(b.due ?? '') ||
        a.caseNumber.localeCompare(b.caseNumber) ||
        a.requestId.localeCompare(b.requestId),
    );
}

/** Advice outstanding by provider and by team: counted in SQL by both names, summed here by each name alone. */
async function adviceLines(db: Executor, authorityId: string, today: string) {
  const counted = await repo.outstandingAdvice(db, authorityId, today);
  const group = (key: (r: (typeof counted)[number]) => string): Counted[] => {
    const m = new Map<string, Counted>();
    for (const r of counted) {
      const name = key(r);
      const g = m.get(name) ?? { name, outstanding: 0, overdue: 0 };
      g.outstanding += r.outstanding;
      g.overdue += r.overdue;
      m.set(name, g);
    }
    return [...m.values()].sort(
      (a, b) => b.overdue - a.overdue || b.outstanding - a.outstanding || a.name.localeCompare(b.name),
    );
  };
  return {
    byProvider: group((r) => r.service_name ?? 'No provider recorded'),
    byTeam: group((r) => r.team_name ?? 'No team recorded'),
    outstanding: counted.reduce((n, r) => n + r.outstanding, 0),
    overdue: counted.reduce((n, r) => n + r.overdue, 0),
  };
}

/** Open assessments whose final plan is expected after the 20 weeks, or whose 20 weeks have passed. */
async function atRiskLines(db: Executor, authorityId: string, today: string): Promise<WeeklyReport['atRisk']> {
  const atRisk: WeeklyReport['atRisk'] = [];
  // Each assessment comes with its own exceptions and advice (one statement; no lookup per assessment).
  for (const a of await repo.openAssessmentsWithDates(db, authorityId)) {
    const c = assessmentClocks(a, a.exceptions, a.advice, today);
    if (c.delayed || c.statutoryFinal < today)
      atRisk.push({
        assessmentId: a.id,
        personId: a.person_id,
        caseNumber: a.case_number,
        coordinator: a.coordinator_name ?? 'Not recorded',
        requestDate: a.request_date,
        statutoryFinal: c.statutoryFinal,
        projectedFinal: c.projectedFinal,
        why: c.projectedFinalWhy,
        delayNoticeSent: Number(a.delay_notices) > 0,
      });
  }
  return atRisk.sort(
    (x, y) =>
      x.statutoryFinal.localeCompare(y.statutoryFinal) ||
      x.caseNumber.localeCompare(y.caseNumber) ||
      x.assessmentId.localeCompare(y.assessmentId),
  );
}

/**
 * The weekly report of one authority: case references only, never names (it is also emailed as counts). Its four
 * sections are independent reads, run at once (on a pool, each on its own connection).
 */
export async function buildWeeklyReport(db: Executor, authorityId: string, today: string): Promise<WeeklyReport> {
  const [followUps, advice, atRisk, plans] = await Promise.all([
    followUpLines(db, authorityId, today),
    adviceLines(db, authorityId, today),
    atRiskLines(db, authorityId, today),
    planLines(db, authorityId, today),
  ]);
  return {
    authorityId,
    generatedOn: today,
    followUps,
    byProvider: advice.byProvider,
    byTeam: advice.byTeam,
    atRisk,
    plans,
    counts: {
      openFollowUps: followUps.length,
      overdueFollowUps: followUps.filter((f) => f.overdue).length,
      adviceOutstanding: advice.outstanding,
      adviceOverdue: advice.overdue,
      atRisk: atRisk.length,
      reviewsOverdue: plans.reviewsOverdue.length,
      amendmentsWaiting: plans.amendmentsWaiting.length,
      amendmentsPastEightWeeks: plans.amendmentsWaiting.filter((a) => a.pastEightWeeks).length,
    },
  };
}

export function weeklyReportCsv(r: WeeklyReport): string {
  const rows: unknown[][] = [
    [
      'section',
      'case_reference',
      'provider_or_team',
      'advice_kind',
      'advice_giver',
      'responsible',
      'date_sent',
      'due',
      'working_days_overdue',
      'outstanding',
      'overdue',
      'statutory_final_date',
      'projected_final_date',
      'delay_notice_sent',
    ],
  ];
  for (const f of r.followUps)
    rows.push([
      'open_follow_up',
      f.caseNumber,
      f.provider,
      f.kind,
      f.giver,
      f.responsible,
      f.sentOn,
      f.due,
      f.workingDaysOverdue,
      '',
      '',
      '',
      '',
      '',
    ]);
  for (const p of r.byProvider)
    rows.push([
      'advice_outstanding_by_provider',
      '',
      p.name,
      '',
      '',
      '',
      '',
      '',
      '',
      p.outstanding,
      p.overdue,
      '',
      '',
      '',
    ]);
  for (const t of r.byTeam)
    rows.push(['advice_outstanding_by_team', '', t.name, '', '', '', '', '', '', t.outstanding, t.overdue, '', '', '']);
  for (const a of r.atRisk)
    rows.push([
      'at_risk_of_missing_20_weeks',
      a.caseNumber,
      '',
      '',
      '',
      a.coordinator,
      a.requestDate,
      '',
      '',
      '',
      '',
      a.statutoryFinal,
      a.projectedFinal,
      a.delayNoticeSent ? 'yes' : 'no',
    ]);
  for (const v of r.plans.reviewsOverdue)
    rows.push(['annual_review_overdue', v.caseNumber, '', '', '', '', '', v.due, '', '', '', '', '', '']);
  for (const a of r.plans.amendmentsWaiting)
    rows.push([
      a.pastEightWeeks ? 'amendment_past_8_weeks' : 'amendment_waiting',
      a.caseNumber,
      '',
      '',
      '',
      '',
      a.proposalsSent,
      a.due,
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
