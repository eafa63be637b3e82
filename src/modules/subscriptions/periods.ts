// When a subscription's email is due (issue 14 part 3): weekly on the Monday of each London week, monthly on the 1st;
// a missed day (the worker down) is caught up later in the same period, once. Pure, on London calendar dates.
import { addDays, dayOfWeek, toDayNumber } from '../../domain/calendar.ts';

export const FREQUENCIES = ['weekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const FREQUENCY_WORDS: Record<Frequency, string> = {
  weekly: 'Weekly, on Mondays',
  monthly: 'Monthly, on the 1st',
};

/** The first day of the period `today` falls in: the Monday of its week, or the 1st of its month. */
export function periodStart(frequency: Frequency, today: string): string {
  if (frequency === 'monthly') return `${today.slice(0, 8)}01`;
  return addDays(today, -((dayOfWeek(toDayNumber(today)) + 6) % 7));
}

/** The first day of the next period. */
export function nextPeriodStart(frequency: Frequency, today: string): string {
  if (frequency === 'weekly') return addDays(periodStart('weekly', today), 7);
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * Whether this period's email is still owed: not sent (or skipped) yet, and the subscription was made on or before
 * the period's first day (one made later waits for the next period).
 */
export function owed(frequency: Frequency, createdOn: string, today: string, ranThisPeriod: boolean): boolean {
  return !ranThisPeriod && createdOn <= periodStart(frequency, today);
}

/** When the next email goes: today's run if this period's is owed, else the next period's first day. */
export function nextSend(frequency: Frequency, createdOn: string, today: string, ranThisPeriod: boolean): string {
  return owed(frequency, createdOn, today, ranThisPeriod) ? today : nextPeriodStart(frequency, today);
}

/** The period in words, for the email's subject: "week beginning 2026-12-07" or "December 2026". */
export function periodWords(frequency: Frequency, start: string): string {
  if (frequency === 'weekly') return `week beginning ${start}`;
  const month = new Date(`${start}T12:00:00Z`).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
  return `${month} ${start.slice(0, 4)}`;
}
