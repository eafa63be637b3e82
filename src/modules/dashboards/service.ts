// Managers' dashboards (issue 14 part 2): for a team, a service, a hub and the whole council, the figures of
// figures.ts and the trends over the last 12 months, read through the reports handle (the read replica when there
// is one, src/db/reports.ts); who may see which scope is decided on the primary first (access.ts). Aggregate counts
// only: no young person is named or identified, so no record read is logged.
import type { Db } from '../../db/database.ts';
import type { ReportsDb } from '../../db/reports.ts';
import { londonToday } from '../../domain/calendar.ts';
import type { AuthUser } from '../../http/types.ts';
import { addMonths } from '../post18/dates.ts';
import { requireScope, type Scope, type ScopeKind, scopesOf } from './access.ts';
import * as fig from './figures.ts';
import * as repo from './repository.ts';

export interface Trend {
  key: 'overdue' | 'referrals' | 'plans';
  title: string;
  rule: string;
  /** The series, stacked in this order. */
  series: string[];
  months: { month: string; counts: Record<string, number> }[];
}

export interface Headline {
  label: string;
  count: number;
  mustBeZero?: boolean;
}

export interface Dashboard {
  scope: Omit<Scope, 'teams'>;
  today: string;
  from: string;
  headline: Headline[];
  tables: fig.FigureTable[];
  trends: Trend[];
  /** Figures whose history the record does not hold, and why: no trend is drawn for them. */
  noHistory: { title: string; why: string }[];
}

export const NO_HISTORY = [
  {
    title: 'Unallocated children',
    why: 'The record keeps who is allocated now and since when a case has been unallocated, not earlier allocations, so it cannot say how many were unallocated at a past month end.',
  },
  {
    title: 'Escalations open',
    why: 'The record counts a step’s escalations but not when an escalation was resolved other than by the step closing, so past levels cannot be rebuilt.',
  },
  {
    title: 'Transfers waiting',
    why: 'A cancelled transfer does not record when it was cancelled, so how many were waiting at a past month end cannot be counted without guessing.',
  },
];

/** The last day of each of the 11 months before this one, then today: the 12 points of a trend. */
export function monthEnds(today: string): string[] {
  const first = `${today.slice(0, 7)}-01`;
  const out: string[] = [];
  for (let m = 11; m >= 1; m--) {
    const next = addMonths(first, -m + 1);
    const d = new Date(`${next}T00:00:00Z`);
    d.setUTCDate(0);
    out.push(d.toISOString().slice(0, 10));
  }
  out.push(today);
  return out;
}

export class DashboardsService {
  constructor(
    private readonly db: Db,
    private readonly reports: ReportsDb,
    private readonly now: () => Date,
  ) {}

  today() {
    return londonToday(this.now());
  }

  /** The dashboards the viewer may open. */
  async choices(user: AuthUser) {
    return (await scopesOf(this.db, user)).map(({ teams: _teams, ...s }) => s);
  }

  /** One dashboard: not found unless the viewer may see it. */
  async dashboard(user: AuthUser, kind: ScopeKind, id: string | null): Promise<Dashboard> {
    const scope = await requireScope(this.db, user, kind, id);
    const today = this.today();
    const from = addMonths(today, -12);
    const ends = monthEnds(today);
    const a = user.authorityId;
    const t = scope.teams;
    const read = await this.reports.read((db) => repo.figures(db, a, t, { today, from, monthEnds: ends }));
    const clocks = fig.clocksOf(read.assessed, today);
    const tables = [
      fig.overdueTable(read.overdue),
      fig.escalationTable(read.escalations),
      fig.unallocatedTable(read.unallocated),
      fig.transferTable(read.transfers),
      fig.assessmentTable(clocks),
      fig.timelinessTable(read.assessed, clocks, from),
      fig.referralTable(read.referrals),
      fig.gapTable(read.actions.gaps),
      fig.blockTable(read.blocks, read.actions.actions),
    ];
    const { teams: _teams, ...shown } = scope;
    return {
      scope: shown,
      today,
      from,
      headline: headlineOf(tables),
      tables,
      trends: [
        {
          key: 'overdue',
          title: 'Overdue protocol steps at each month end',
          rule: 'Steps entered by the month end, due before it and still open at it.',
          series: ['Overdue'],
          months: read.overdueTrend.map((r) => ({ month: r.month_end.slice(0, 7), counts: { Overdue: r.overdue } })),
        },
        {
          key: 'referrals',
          title: 'Referrals to services waiting at each month end',
          rule: 'Referrals sent by the month end and not answered (nor their chase ended) by it.',
          series: ['Waiting'],
          months: read.referralTrend.map((r) => ({ month: r.month_end.slice(0, 7), counts: { Waiting: r.waiting } })),
        },
        plansTrend(read.assessed, clocks, ends),
      ],
      noHistory: NO_HISTORY,
    };
  }
}

/** The figures a subscriber is sent and the page leads with. */
export function headlineOf(tables: fig.FigureTable[]): Headline[] {
  const total = (key: fig.TableKey, col = 0) =>
    tables.find((t) => t.key === key)?.rows.reduce((a, r) => a + (r.values[col] ?? 0), 0) ?? 0;
  const unallocated = tables.find((t) => t.key === 'unallocated')?.rows ?? [];
  return [
    { label: 'Overdue protocol steps', count: total('overdue') },
    { label: 'Escalations open', count: total('escalations') },
    { label: 'Unallocated children', count: unallocated[0]?.values[0] ?? 0 },
    {
      label: 'Unallocated with a child protection plan or in care (must be 0)',
      count: (unallocated[1]?.values[0] ?? 0) + (unallocated[2]?.values[0] ?? 0),
      mustBeZero: true,
    },
    { label: 'Transfers waiting', count: total('transfers') },
    { label: 'Referrals waiting', count: total('referrals') },
  ];
}

/** Final plans issued each month, within 20 weeks or later (the clocks of figures.ts). */
function plansTrend(a: repo.Figures['assessed'], clocks: ReturnType<typeof fig.clocksOf>, ends: string[]): Trend {
  const months = ends.map((e) => ({
    month: e.slice(0, 7),
    counts: { 'Within 20 weeks': 0, Later: 0 } as Record<string, number>,
  }));
  a.list.forEach((x, i) => {
    const c = clocks[i];
    const m = months.find((mm) => x.final_issued_date?.startsWith(mm.month));
    if (!c || !m || !x.final_issued_date || x.decision_to_assess !== 'assess') return;
    const key = x.final_issued_date <= c.statutoryFinal ? 'Within 20 weeks' : 'Later';
    m.counts[key] = (m.counts[key] ?? 0) + 1;
  });
  return {
    key: 'plans',
    title: 'Final EHC plans issued each month',
    rule: 'By month of issue, within the 20-week statutory date or later (the EHCP module’s clocks).',
    series: ['Within 20 weeks', 'Later'],
    months,
  };
}
