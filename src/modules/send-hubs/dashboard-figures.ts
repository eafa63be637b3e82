// SEND hubs (issue 13 part 8): the dashboard's arithmetic, as pure functions of the rows (unit-tested without a
// database). Days are working days (England and Wales, src/domain/calendar.ts) from the clock's start to the day it
// stopped: a request completed on a Monday and triaged on Tuesday took 1 working day. Percentiles interpolate
// between the nearest ranks (the spreadsheet PERCENTILE.INC rule), so the median of 2 and 4 is 3; shown to one
// decimal place. Still-open requests are not in the median: they are counted as "waiting", with the longest wait.
import type { SupportRequestStatus, TriageOutcome } from '../../db/schema-send-hubs.ts';
import { workingDaysBetween } from '../../domain/calendar.ts';
import type { DashboardRequest, WaitingRequest } from './repository-dashboard.ts';

/** The p-th percentile (0–100) of the values, interpolated; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is not between 0 and 100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const value = (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (rank - lo);
  return Math.round(value * 10) / 10;
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** How many of the clocks stopped within their target (days ≤ target), and that as a whole percentage. */
export function withinTarget(clocks: readonly { days: number; target: number }[]): {
  within: number;
  of: number;
  percent: number | null;
} {
  const within = clocks.filter((c) => c.days <= c.target).length;
  return { within, of: clocks.length, percent: clocks.length ? Math.round((within / clocks.length) * 100) : null };
}

/** Working days from `from` to `to` (never below 0: a date recorded before the clock started counts as 0). */
export function workingDays(from: string, to: string): number {
  return Math.max(0, workingDaysBetween(from, to));
}

/** The date `months` calendar months before `today` (the day clamped to the month's length). */
export function monthsBefore(today: string, months: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** One response-time clock's figures. */
export interface ClockFigures {
  /** Requests whose clock stopped. */
  count: number;
  median: number | null;
  p90: number | null;
  within: number;
  percentWithin: number | null;
  /** Open requests whose clock is still running, and the longest of them in working days. */
  waiting: number;
  longestWait: number | null;
}

function clock(stopped: { days: number; target: number }[], waits: number[]): ClockFigures {
  const days = stopped.map((s) => s.days);
  const w = withinTarget(stopped);
  return {
    count: stopped.length,
    median: median(days),
    p90: percentile(days, 90),
    within: w.within,
    percentWithin: w.percent,
    waiting: waits.length,
    longestWait: waits.length ? Math.max(...waits) : null,
  };
}

/** First response: from the request being complete (with consent) to the triage outcome. */
export function firstResponse(rows: readonly DashboardRequest[], open: readonly WaitingRequest[], today: string) {
  const stopped = rows
    .filter((r) => r.complete_on && r.first_response_on)
    .map((r) => ({
      days: workingDays(r.complete_on as string, r.first_response_on as string),
      target: r.first_response_target,
    }));
  const waits = open
    .filter((r) => r.complete_on && !r.first_response_on && r.status === 'waiting')
    .map((r) => workingDays(r.complete_on as string, today));
  return clock(stopped, waits);
}

/** Support starting: from triage to First SEND Support to the day support started. */
export function supportStart(rows: readonly DashboardRequest[], open: readonly WaitingRequest[], today: string) {
  const stopped = rows
    .filter((r) => r.triaged_on && r.support_started_on)
    .map((r) => ({
      days: workingDays(r.triaged_on as string, r.support_started_on as string),
      target: r.support_start_target,
    }));
  const waits = open
    .filter((r) => r.status === 'starting' && r.triaged_on && !r.support_started_on)
    .map((r) => workingDays(r.triaged_on as string, today));
  return clock(stopped, waits);
}

export const STATUS_LABELS: Record<Exclude<SupportRequestStatus, 'closed'>, string> = {
  held: 'Held: waiting for consent',
  waiting: 'Waiting for triage',
  more_info: 'More information asked for',
  starting: 'Waiting for support to start',
  in_support: 'In First SEND Support',
  with_locality: 'With the locality team',
};
export const OUTCOME_LABELS: Record<TriageOutcome, string> = {
  advice: 'Advice and signposting',
  first_support: 'First SEND Support',
  further_support: 'Further SEND Support (locality team)',
  ehc_assessment: 'EHC needs assessment requested',
  more_info: 'More information needed',
  declined: 'Declined, with an alternative',
  withdrawn: 'Withdrawn',
};
export const AREA_LABELS: Record<string, string> = {
  communication_interaction: 'Communication and interaction',
  cognition_learning: 'Cognition and learning',
  semh: 'Social, emotional and mental health',
  sensory_physical: 'Sensory and/or physical',
};
export const STEP_LABELS: Record<string, string> = {
  consent: 'Consent',
  triage: 'Triage (first response)',
  more_info: 'More information',
  support: 'Support starting',
  review: 'Review of support',
  locality: 'Locality team',
};

export interface Bar {
  key: string;
  label: string;
  count: number;
}

/** Counts in a fixed order of keys (zeros kept), then any other keys met, in order of first meeting. */
export function countBy(keys: readonly string[], labels: Record<string, string>, values: readonly string[]): Bar[] {
  const counts = new Map<string, number>(keys.map((k) => [k, 0]));
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([key, count]) => ({ key, label: labels[key] ?? key, count }));
}

/** Every figure of the dashboard, from the period's requests and the open ones now. */
export function dashboardFigures(
  rows: readonly DashboardRequest[],
  open: readonly WaitingRequest[],
  openByStatus: ReadonlyMap<string, number>,
  overdue: ReadonlyMap<string, number>,
  today: string,
) {
  const statusKeys = Object.keys(STATUS_LABELS);
  const waitingNow = statusKeys.map((k) => ({
    key: k,
    label: STATUS_LABELS[k as keyof typeof STATUS_LABELS],
    count: openByStatus.get(k) ?? 0,
  }));
  const overdueBySteps = Object.keys(STEP_LABELS).map((k) => ({
    key: k,
    label: STEP_LABELS[k] as string,
    count: overdue.get(k) ?? 0,
  }));
  const outcomes = countBy(
    Object.keys(OUTCOME_LABELS),
    OUTCOME_LABELS,
    rows.filter((r) => r.outcome).map((r) => r.outcome as string),
  );
  const settings = [...new Set(rows.map((r) => r.setting_name))].sort((a, b) => a.localeCompare(b));
  const declines = rows
    .filter((r) => r.outcome === 'declined')
    .map((r) => ({
      reference: r.reference,
      on: r.first_response_on,
      reason: r.decline_reason ?? '',
      alternative: r.decline_alternative ?? '',
    }));
  return {
    received: rows.length,
    waitingNow,
    waitingNowTotal: waitingNow.reduce((a, b) => a + b.count, 0),
    firstResponse: firstResponse(rows, open, today),
    supportStart: supportStart(rows, open, today),
    outcomes,
    notYetTriaged: rows.filter((r) => !r.outcome).length,
    byArea: countBy(
      Object.keys(AREA_LABELS),
      AREA_LABELS,
      rows.flatMap((r) => r.areas_of_need),
    ),
    bySetting: countBy(
      settings,
      {},
      rows.map((r) => r.setting_name),
    ),
    declines,
    overdueBySteps,
    overdueTotal: overdueBySteps.reduce((a, b) => a + b.count, 0),
  };
}
export type DashboardFigures = ReturnType<typeof dashboardFigures>;
