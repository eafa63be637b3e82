// The ICO's clock for a subject access request (UK GDPR Article 12(3); ICO guidance "Time limits for responding"):
// one calendar month from the day the request is received, to the corresponding date in the next month, or the
// last day of that month when it has no such date (received 31 January → 28 or 29 February); a deadline on a
// weekend or bank holiday moves to the next working day. A complex request may be extended by up to two further
// months (three in all), counted the same way from the day of receipt.
import { addDays, fromDayNumber, isWorkingDay, londonToday, toDayNumber } from '../../domain/calendar.ts';

/** The date `months` calendar months after `date` (YYYY-MM-DD), or the last day of that month. */
export function addCalendarMonths(date: string, months: number): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** When the response is due: one month from receipt plus any extension, moved to a working day. */
export function icoDueDate(receivedOn: string, extensionMonths: number): string {
  let due = addCalendarMonths(receivedOn, 1 + extensionMonths);
  while (!isWorkingDay(due)) due = addDays(due, 1);
  return due;
}

export interface IcoClock {
  received_on: string;
  due_on: string;
  /** Calendar days from today to the due date: 0 on the day, negative once overdue. */
  days_left: number;
  overdue: boolean;
  /** One line for the page: "12 days left", "Due today", "3 days overdue". */
  words: string;
  /** How the due date is reached: "One calendar month from receipt" or "… extended by 2 months: reason". */
  rule: string;
}

export function icoClock(
  r: { received_on: string; extension_months: number; extension_reason: string | null },
  now: Date,
): IcoClock {
  const due = icoDueDate(r.received_on, r.extension_months);
  const left = toDayNumber(due) - toDayNumber(londonToday(now));
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  const words = left > 0 ? `${days(left)} left` : left === 0 ? 'Due today' : `${days(-left)} overdue`;
  const rule =
    r.extension_months > 0
      ? `One calendar month from receipt, extended by ${r.extension_months} month${r.extension_months === 1 ? '' : 's'} for a complex request`
      : 'One calendar month from receipt';
  return { received_on: r.received_on, due_on: due, days_left: left, overdue: left < 0, words, rule };
}

/** For tests and the list: a date `n` days from a London day. */
export const dayAfter = (date: string, n: number) => fromDayNumber(toDayNumber(date) + n);
