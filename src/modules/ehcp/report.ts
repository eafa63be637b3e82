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

function byAssessment<T extends { assessment_id: string }>(rows: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.assessment_id);
    if (list) list.push(r);
    else m.set(r.assessment_id, [r]);
  }
  return m;
}

/** The weekly report of one authority: case references only, never names (it is also emailed as counts). */
export async function buildWeeklyReport(db: Executor, authorityId: string, today: string): Promise<WeeklyReport> {
  const followUps = (await repo.openFollowUps(db, authorityId))
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
        (a.due ?? '').localeCompare(b.due ?? ''),
    );
  const outstanding = await repo.outstandingAdvice(db, authorityId);
  const group = (key: (r: (typeof outstanding)[number]) => string) => {
    const m = new Map<string, { name: string; outstanding: number; overdue: number }>();
    for (const r of outstanding) {
      const name = key(r);
      const g = m.get(name) ?? { name, outstanding: 0, overdue: 0 };
      g.outstanding++;
      if (today > r.due_date) g.overdue++;
      m.set(name, g);
    }
    return [...m.values()].sort(
      (a, b) => b.overdue - a.overdue || b.outstanding - a.outstanding || a.name.localeCompare(b.name),
    );
  };
  const { assessments, exceptions, advice } = await repo.openAssessmentsWithDates(db, authorityId);
  const atRisk: WeeklyReport['atRisk'] = [];
  // Each assessment's exceptions and advice by id, once (a filter per assessment was quadratic: seconds at 500,000).
  const exceptionsOf = byAssessment(exceptions);
  const adviceOf = byAssessment(advice);
  for (const a of assessments) {
    const c = assessmentClocks(a, exceptionsOf.get(a.id) ?? [], adviceOf.get(a.id) ?? [], today);
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
  atRisk.sort((x, y) => x.statutoryFinal.localeCompare(y.statutoryFinal));
  const plans = await planLines(db, authorityId, today);
  return {
    authorityId,
    generatedOn: today,
    followUps,
    byProvider: group((r) => r.service_name ?? 'No provider recorded'),
    byTeam: group((r) => r.team_name ?? 'No team recorded'),
    atRisk,
    plans,
    counts: {
      openFollowUps: followUps.length,
      overdueFollowUps: followUps.filter((f) => f.overdue).length,
      adviceOutstanding: outstanding.length,
      adviceOverdue: outstanding.filter((r) => today > r.due_date).length,
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
