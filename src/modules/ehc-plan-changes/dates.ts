// The plan-changes module's dates that are not protocol deadlines (pure, no I/O): when a plan ends because the young
// person has reached the end of the academic year in which they turn 25, when the job raises that cessation, the last
// day for an appeal against a decision to cease, and the reg 18 date an amendment must meet when it is earlier than
// its 8 weeks.
import { addDays, toDayNumber } from '../../domain/calendar.ts';
import { transferAhead } from '../../domain/phase-transfer.ts';

/**
 * The day the plan of a young person born on `dateOfBirth` ends by law: 31 July at the end of the academic year in
 * which they turn 25 (CFA 2014 s.46; "academic year" for a young person at a further education institution, SEND
 * Regulations 2014 reg 46(1)(a): ends on 31 July). A 29 February birthday falls on 1 March in other years, which does
 * not change the academic year.
 */
export function endOfAcademicYearOf25th(dateOfBirth: string): string {
  toDayNumber(dateOfBirth);
  const year = Number(dateOfBirth.slice(0, 4)) + 25;
  const month = Number(dateOfBirth.slice(5, 7));
  // A birthday from 1 August falls in the academic year that ends on 31 July of the next calendar year.
  return `${month >= 8 ? year + 1 : year}-07-31`;
}

/** The day the 25th-birthday cessation is raised: the first day (1 August) of that final academic year. */
export function age25RaisedFrom(dateOfBirth: string): string {
  const end = endOfAcademicYearOf25th(dateOfBirth);
  return `${Number(end.slice(0, 4)) - 1}-08-01`;
}

/** The dates of birth whose cessation is due to be raised on `today` (raised from 1 August of the final year). */
export function age25BornOnOrBefore(today: string): string {
  toDayNumber(today);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  // Raised from 1 August of year Y: the academic year ends 31 July Y+1, so born by 31 July Y+1−25.
  const endYear = m >= 8 ? y + 1 : y;
  return `${endYear - 25}-07-31`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** 2032-07-31 as "31 July 2032", for the messages a person reads. */
export function longDate(iso: string): string {
  return `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
}

/** SEN2 CeaseReason 1: the young person reached the end of the academic year in which they turned 25. */
export const AGE_25_REASON = 1;

/**
 * What is wrong with `ceaseOn`, the day a plan is to end, or null when it is allowed. Ceasing because the young
 * person has reached 25 (SEN2 reason 1), the plan ends on the day the law fixes: 31 July at the end of the academic
 * year in which they turn 25 (CFA 2014 s.46, SEND Regulations 2014 reg 46(1)(a)). For any other reason it may end on
 * any day from the decision to cease (`notBefore`: the notice's date, or today while the decision is still to come),
 * never before it: the plan is maintained until the decision is notified and the appeal period allows (s.45(3)–(4)).
 */
export function ceaseOnProblem(o: {
  reason: number;
  dateOfBirth: string | null;
  ceaseOn: string;
  notBefore: string;
  notBeforeWhat: string;
}): string | null {
  toDayNumber(o.ceaseOn);
  if (o.reason === AGE_25_REASON && o.dateOfBirth) {
    const end = endOfAcademicYearOf25th(o.dateOfBirth);
    return o.ceaseOn === end
      ? null
      : `Date the plan ends must be ${longDate(end)}: the end of the academic year in which the young person turns 25 (31 July, Children and Families Act 2014 s.46)`;
  }
  return o.ceaseOn < o.notBefore
    ? `Date the plan ends must be on or after ${longDate(o.notBefore)}, ${o.notBeforeWhat}: a plan cannot end before the decision to cease it`
    : null;
}

/**
 * The last day to appeal to the First-tier Tribunal against a decision sent on `noticeDate`: 2 months after it
 * (Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008 rule 20(1)(a)); a day the month lacks is its last day.
 */
export function appealBy(noticeDate: string): string {
  toDayNumber(noticeDate);
  let y = Number(noticeDate.slice(0, 4));
  let m = Number(noticeDate.slice(5, 7)) + 2;
  if (m > 12) {
    m -= 12;
    y += 1;
  }
  const d = Number(noticeDate.slice(8, 10));
  const last = Number(addDays(`${y + (m === 12 ? 1 : 0)}-${String((m % 12) + 1).padStart(2, '0')}-01`, -1).slice(8));
  return `${y}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** 8 weeks after the proposals were sent (reg 22(3)), the day the engine counts to. */
export function eightWeeksAfter(sent: string): string {
  return addDays(sent, 56);
}

/**
 * The reg 18 date an amendment started on `sent` must also meet, when the child is within 12 months of a phase
 * transfer and that date is earlier than 8 weeks after the proposals; otherwise null (the 8 weeks rule alone).
 */
export function phaseTransferCap(dateOfBirth: string | null, sent: string): { due: string; source: string } | null {
  if (!dateOfBirth) return null;
  const t = transferAhead(dateOfBirth, sent);
  if (!t) return null;
  return t.deadline < eightWeeksAfter(sent) ? { due: t.deadline, source: t.source } : null;
}
