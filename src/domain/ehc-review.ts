// The dates of an EHC plan's annual review (issue 20), pure. The review clock (CFA 2014 s.44(1)): the first review
// within 12 months starting with the date the plan was made, each later one within 12 months starting with the date
// of the previous review; a plan transferred in from another council is reviewed before the later of 12 months from
// the plan being made or last reviewed and 3 months from the transfer (SEND Regulations 2014 reg 15(5)). Within a
// cycle the meeting needs 2 weeks' notice and the advice circulated 2 weeks before it (reg 20(3), (4)); in a
// phase-transfer year the review must leave time for the amendment to be finalised by the reg 18 date.
import { addDays, CalendarInputError, toDayNumber } from './calendar.ts';

/** The last day of the period of `months` months starting with `date` (the day before the same date n months on). */
export function periodOfMonthsEnds(date: string, months: number): string {
  toDayNumber(date);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const year = y + Math.floor(m / 12);
  const month = (m % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // The corresponding date n months on; where that month is shorter (31 → 30 / 28 / 29), the month's last day.
  const same = `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
  return d > last ? same : addDays(same, -1);
}

/** The review due date after a plan is made or reviewed on `date`: within 12 months starting with it (s.44(1)). */
export function reviewDueAfter(date: string): string {
  return periodOfMonthsEnds(date, 12);
}

/**
 * The review due date of a plan transferred in on `transferDate` (reg 15(5)): the later of 12 months starting with
 * the date it was made or last reviewed (`lastReviewOrMade`) and 3 months starting with the transfer.
 */
export function reviewDueAfterTransfer(lastReviewOrMade: string | null, transferDate: string): string {
  const three = periodOfMonthsEnds(transferDate, 3);
  if (!lastReviewOrMade) return three;
  const twelve = reviewDueAfter(lastReviewOrMade);
  return [twelve, three].sort()[1]!;
}

/** Weeks the council's decision may take after the meeting (reg 20(10); Code of Practice 9.176). */
export const DECISION_WEEKS = 4;
/** Weeks an amendment may take from the proposals to the final plan (reg 22(3)). */
export const AMENDMENT_WEEKS = 8;
/** Days of notice of the meeting, and days before it the advice is circulated (reg 20(3), (4)). */
export const NOTICE_DAYS = 14;

/**
 * What a review must be held by: its due date, or, in a phase-transfer year, early enough that the decision
 * (4 weeks) and the amendment (8 weeks) can follow before the reg 18 date — whichever is earlier.
 */
export function meetingBy(dueDate: string, transferDeadline: string | null): string {
  if (!transferDeadline) return dueDate;
  const phaseBound = addDays(transferDeadline, -7 * (DECISION_WEEKS + AMENDMENT_WEEKS));
  return phaseBound < dueDate ? phaseBound : dueDate;
}

/** The last day to send the invitations and to circulate the advice for a meeting on `meetingDate` (reg 20(3), (4)). */
export function noticeBy(meetingDate: string): string {
  return addDays(meetingDate, -NOTICE_DAYS);
}

/**
 * The decision's own bound in a transfer year: early enough for the amendment's 8 weeks before the reg 18 date.
 * Null when there is no transfer, or when the 4 weeks after the meeting end first (the protocol's own clock).
 */
export function decisionPhaseBound(meetingHeld: string, transferDeadline: string | null): string | null {
  if (!transferDeadline) return null;
  const bound = addDays(transferDeadline, -7 * AMENDMENT_WEEKS);
  return bound < addDays(meetingHeld, 7 * DECISION_WEEKS) ? bound : null;
}

/** Checks a meeting date gives the notice reg 20(3) asks for, counted from the day the invitations go. */
export function givesNotice(invitedOn: string, meetingDate: string): boolean {
  if (toDayNumber(meetingDate) < toDayNumber(invitedOn)) throw new CalendarInputError('meeting before invitation');
  return toDayNumber(meetingDate) - toDayNumber(invitedOn) >= NOTICE_DAYS;
}
