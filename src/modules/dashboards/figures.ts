// The dashboards' figures as tables (issue 14 part 2): each table has a key (its CSV's name), a title, its columns
// and rows of counts; the page draws a chart of its first count column beside it, the CSV and the API give the same
// numbers. Only labels of protocols, steps, statuses, levels and kinds, never anything about a young person.
// EHC assessments are read by the EHCP module's own clocks (ehcp/clocks.ts assessmentClocks), as the weekly report
// and the SEN2 return read them, so the figures agree.

import { BLOCK_KINDS } from '../cohort/schemas.ts';
import { assessmentClocks, type ClockState } from '../ehcp/clocks.ts';
import type * as repo from './repository.ts';

export interface FigureRow {
  label: string;
  values: number[];
  /** A figure that must be 0 (an unallocated child with a child protection plan or in care): shown red when not. */
  mustBeZero?: boolean;
}

export interface FigureTable {
  key: TableKey;
  title: string;
  /** What is counted, in words, and how the scope is applied. */
  rule: string;
  columns: string[];
  rows: FigureRow[];
}

export const TABLE_KEYS = [
  'overdue',
  'escalations',
  'unallocated',
  'transfers',
  'assessments',
  'timeliness',
  'referrals',
  'gaps',
  'blocks',
] as const;
export type TableKey = (typeof TABLE_KEYS)[number];

const TRANSFER_STATUS: Record<string, string> = {
  requested: 'Requested',
  sent: 'Sent to the receiving team',
  returned: 'Returned for more work',
  accepted: 'Accepted, not yet completed',
};

const CLOCKS = [
  ['decision_to_assess', '6 weeks: decision whether to assess'],
  ['decision_not_to_issue', '16 weeks: decision not to issue a plan'],
  ['final_plan', '20 weeks: final plan issued'],
] as const;

const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 100) : 0);

export function overdueTable(rows: repo.Figures['overdue']): FigureTable {
  return {
    key: 'overdue',
    title: 'Overdue protocol steps by protocol and step',
    rule: 'Open steps past their due date; a step belongs to the team of its case’s involvement, else the team that owns it.',
    columns: ['Protocol and step', 'Overdue', 'Of which escalated'],
    rows: rows.map((r) => ({ label: `${r.protocol}: ${r.step}`, values: [r.overdue, r.escalated] })),
  };
}

export function escalationTable(e: repo.Figures['escalations']): FigureTable {
  const level = (n: number) => e.levels.find((l) => l.level === n)?.open ?? 0;
  return {
    key: 'escalations',
    title: 'Escalations open by level',
    rule: 'Open steps their overdue ladder has escalated, by how many times (level 3 counts three or more); and capacity escalations not yet resolved, by the team they were raised for.',
    columns: ['Level', 'Open'],
    rows: [
      { label: 'Level 1 (escalated once)', values: [level(1)] },
      { label: 'Level 2 (escalated twice)', values: [level(2)] },
      { label: 'Level 3 or more', values: [level(3)] },
      { label: 'Capacity escalations', values: [e.capacity] },
    ],
  };
}

export function unallocatedTable(u: repo.Figures['unallocated']): FigureTable {
  return {
    key: 'unallocated',
    title: 'Unallocated children',
    rule: 'Children with an open involvement that has no allocated worker, by the involvement’s team. Children with a child protection plan or in care must always have a worker (on some open involvement): those figures must be 0.',
    columns: ['Children', 'Count'],
    rows: [
      { label: 'All unallocated', values: [u.total] },
      { label: 'With a child protection plan (must be 0)', values: [u.cp], mustBeZero: true },
      { label: 'Child in care (must be 0)', values: [u.cic], mustBeZero: true },
    ],
  };
}

export function transferTable(rows: repo.Figures['transfers']): FigureTable {
  return {
    key: 'transfers',
    title: 'Transfers waiting and how long',
    rule: 'Transfers not yet completed or cancelled, to or from a team of the scope, by status and time since the request; late: a step of the transfer’s protocol is past its due date.',
    columns: ['Status', 'Waiting', 'Under 4 weeks', '4 to 8 weeks', '8 to 12 weeks', 'Over 12 weeks', 'Late'],
    rows: Object.entries(TRANSFER_STATUS).map(([status, label]) => {
      const r = rows.find((x) => x.status === status);
      return { label, values: r ? [r.waiting, r.w4, r.w8, r.w12, r.over12, r.late] : [0, 0, 0, 0, 0, 0] };
    }),
  };
}

type Assessed = repo.Figures['assessed'];

/** Each assessment's clocks, as the EHCP module reads them today. */
export function clocksOf(a: Assessed, today: string) {
  return a.list.map((x) =>
    assessmentClocks(
      x,
      a.exceptions.filter((e) => e.assessment_id === x.id),
      [],
      today,
    ),
  );
}

export function assessmentTable(clocks: ReturnType<typeof clocksOf>): FigureTable {
  const count = (key: string, states: ClockState[]) =>
    clocks.filter((c) => states.includes(c.clocks.find((k) => k.key === key)?.state ?? 'not_needed')).length;
  return {
    key: 'assessments',
    title: 'EHC needs assessments against 6, 16 and 20 weeks',
    rule: 'Assessments requested in the last 12 months or still open, of young people with an open involvement with a team of the scope, each statutory date read by the EHCP module’s clocks (exceptions never move a statutory date).',
    columns: ['Statutory date', 'Met', 'Missed', 'Overdue now', 'Not yet due'],
    rows: CLOCKS.map(([key, label]) => ({
      label,
      values: [count(key, ['done']), count(key, ['done_late']), count(key, ['overdue']), count(key, ['open'])],
    })),
  };
}

/** Final plans issued in the period against 20 weeks, with and without the assessments that had exceptions
 *  (counted as the SEN2 return counts them). */
export function timelinessTable(a: Assessed, clocks: ReturnType<typeof clocksOf>, from: string): FigureTable {
  const t = { issued: 0, within: 0, issuedEx: 0, withinEx: 0 };
  a.list.forEach((x, i) => {
    const c = clocks[i];
    if (!c || !x.final_issued_date || x.final_issued_date < from || x.decision_to_assess !== 'assess') return;
    const within = x.final_issued_date <= c.statutoryFinal;
    t.issued++;
    if (within) t.within++;
    if (c.exceptionDays === 0) {
      t.issuedEx++;
      if (within) t.withinEx++;
    }
  });
  return {
    key: 'timeliness',
    title: 'Final EHC plans issued within 20 weeks, with and without exceptions',
    rule: 'Final plans issued in the last 12 months; the second row leaves out assessments with any recorded exception (SEND Regulations 2014 reg 10(4), reg 13(3)), as the SEN2 return does.',
    columns: ['Plans', 'Issued', 'Within 20 weeks', 'Per cent within 20 weeks'],
    rows: [
      { label: 'All plans issued', values: [t.issued, t.within, percent(t.within, t.issued)] },
      { label: 'Excluding exceptions', values: [t.issuedEx, t.withinEx, percent(t.withinEx, t.issuedEx)] },
    ],
  };
}

export function referralTable(rows: repo.Figures['referrals']): FigureTable {
  const of = (kind: string) => rows.find((r) => r.kind === kind) ?? { waiting: 0, w2: 0, w4: 0, over4: 0 };
  const line = (label: string, r: ReturnType<typeof of>) => ({ label, values: [r.waiting, r.w2, r.w4, r.over4] });
  return {
    key: 'referrals',
    title: 'Referrals waiting',
    rule: 'Referrals to services from transition plans not yet answered, and mentoring referrals waiting for a mentor, of young people with an open involvement with a team of the scope, by time waiting.',
    columns: ['Referrals', 'Waiting', 'Under 2 weeks', '2 to 4 weeks', 'Over 4 weeks'],
    rows: [line('Referrals to services', of('referral')), line('Mentoring referrals', of('mentoring'))],
  };
}

export function gapTable(rows: repo.PlanActionCounts['gaps']): FigureTable {
  const of = (t: string) => rows.find((r) => r.issue_type === t) ?? { open: 0, overdue: 0, people: 0 };
  const line = (label: string, r: ReturnType<typeof of>) => ({ label, values: [r.open, r.overdue, r.people] });
  return {
    key: 'gaps',
    title: 'Gap in provision against capacity',
    rule: 'Open plan actions marked a gap (no service exists) or capacity (a service exists but cannot take the young person), as the transitions register counts them.',
    columns: ['Issue', 'Open actions', 'Overdue', 'Young people'],
    rows: [line('Gap in provision', of('gap')), line('Capacity', of('capacity'))],
  };
}

export function blockTable(byKind: repo.Figures['blocks'], actions: repo.PlanActionCounts['actions']): FigureTable {
  return {
    key: 'blocks',
    title: 'System blocks',
    rule: 'Open system blocks by kind, with the young people linked (for a team, service or hub: blocks linked to its young people); and open plan actions blocking a transition plan as the forum reads them: no owner, or past their due date.',
    columns: ['Block', 'Open', 'Young people'],
    rows: [
      ...byKind.map((k) => ({
        label: BLOCK_KINDS[k.kind as keyof typeof BLOCK_KINDS] ?? k.kind,
        values: [k.open, k.people],
      })),
      { label: 'Plan actions with no owner', values: [actions.no_owner, actions.no_owner_people] },
      { label: 'Plan actions overdue', values: [actions.overdue, actions.overdue_people] },
    ],
  };
}
