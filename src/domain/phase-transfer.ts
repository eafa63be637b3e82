// Phase transfers of children and young people with an EHC plan (SEND Regulations 2014 reg 18): who moves between
// phases of education in which calendar year, worked out from the date of birth alone, and the date by which the
// council must have reviewed and, where necessary, amended the plan so it names the next setting. Pure.
//
// Reg 2(1) defines a transfer between phases: early years to school, infant to junior, primary to middle, primary to
// secondary, middle to secondary, secondary to post-16. Handover counts the three that follow from the child's age
// in every council: early years → Reception, Year 6 → Year 7 and Year 11 → post-16. Infant → junior and the middle
// school transfers depend on how the local schools are organised (an infant school, a middle school), which the
// date of birth does not say, so they are not listed (docs/decisions.md, issue 20).
import { CalendarInputError, toDayNumber } from './calendar.ts';

export type TransferPhase = 'reception' | 'secondary' | 'post16';

export interface PhaseTransferRule {
  phase: TransferPhase;
  /** What the transfer is, for people. */
  label: string;
  /** The year group the child is in before the transfer (null: below Reception). */
  fromYear: number | null;
  /** The year group they start in September of the year of transfer (0 = Reception). */
  toYear: number;
  /** The year group from which the council tracks the child's cohort (a year and more before the transfer). */
  trackedFromYear: number | null;
  /** Month and day of the deadline in the calendar year of transfer. */
  deadline: { month: number; day: number };
  /** Where the deadline comes from. */
  source: string;
}

export const PHASE_TRANSFERS: Readonly<Record<TransferPhase, PhaseTransferRule>> = Object.freeze({
  reception: {
    phase: 'reception',
    label: 'Early years to school (Reception)',
    fromYear: null,
    toYear: 0,
    trackedFromYear: null,
    deadline: { month: 2, day: 15 },
    source: 'SEND Regulations 2014 reg 18(1)(b) (reg 2(1) "transfer between phases of education" (a))',
  },
  secondary: {
    phase: 'secondary',
    label: 'Primary to secondary school (Year 6 to Year 7)',
    fromYear: 6,
    toYear: 7,
    trackedFromYear: 5,
    deadline: { month: 2, day: 15 },
    source: 'SEND Regulations 2014 reg 18(1)(b) (reg 2(1) "transfer between phases of education" (d))',
  },
  post16: {
    phase: 'post16',
    label: 'Secondary school to post-16 (Year 11 to Year 12)',
    fromYear: 11,
    toYear: 12,
    trackedFromYear: 10,
    deadline: { month: 3, day: 31 },
    source: 'SEND Regulations 2014 reg 18(1)(a) (reg 2(1) "transfer between phases of education" (f))',
  },
});

export const TRANSFER_PHASE_IDS: readonly TransferPhase[] = ['reception', 'secondary', 'post16'];

export function isTransferPhase(x: unknown): x is TransferPhase {
  return typeof x === 'string' && (TRANSFER_PHASE_IDS as readonly string[]).includes(x);
}

function checkDate(date: string): void {
  toDayNumber(date);
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 || year > 2200)
    throw new CalendarInputError(`year ${JSON.stringify(year)} is not a calendar year between 1900 and 2200`);
}

/** The first calendar year of the England school year (1 September – 31 August) a date falls in. */
function schoolYearStart(date: string): number {
  const y = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 9 ? y : y - 1;
}

/**
 * The calendar year in which a child born on `dateOfBirth` makes this transfer: the September they start
 * `toYear`. Year N in the school year beginning September S is the cohort born in the school year beginning
 * S − N − 5 (src/domain/age.ts schoolYear).
 */
export function transferYear(dateOfBirth: string, phase: TransferPhase): number {
  checkDate(dateOfBirth);
  return schoolYearStart(dateOfBirth) + PHASE_TRANSFERS[phase].toYear + 5;
}

/** The dates of birth of the cohort making this transfer in `year` (inclusive), for a query. */
export function cohortBirthDates(phase: TransferPhase, year: number): { from: string; to: string } {
  checkYear(year);
  const start = year - PHASE_TRANSFERS[phase].toYear - 5;
  return { from: `${start}-09-01`, to: `${start + 1}-08-31` };
}

/** The reg 18 deadline of a transfer in `year`: 15 February, or 31 March for secondary → post-16. */
export function phaseTransferDeadline(phase: TransferPhase, year: number): string {
  checkYear(year);
  const { month, day } = PHASE_TRANSFERS[phase].deadline;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface DueTransfer {
  phase: TransferPhase;
  /** The calendar year of the transfer (the September it happens). */
  year: number;
  /** The date the amended plan must be finalised by (reg 18(1)). */
  deadline: string;
  source: string;
}

/** The transfer this child makes in calendar year `year`, if any (at most one of the three can fall in a year). */
export function transferInYear(dateOfBirth: string, year: number): DueTransfer | null {
  checkYear(year);
  for (const phase of TRANSFER_PHASE_IDS)
    if (transferYear(dateOfBirth, phase) === year)
      return { phase, year, deadline: phaseTransferDeadline(phase, year), source: PHASE_TRANSFERS[phase].source };
  return null;
}

/**
 * The transfer whose reg 18 deadline a review held on `today` must work to: the next transfer whose deadline is on
 * or after `today` and no more than 12 months away ("within 12 months of a transfer", reg 18(1)). Null when none.
 */
export function transferAhead(dateOfBirth: string, today: string): DueTransfer | null {
  checkDate(dateOfBirth);
  const t = toDayNumber(today);
  const y = Number(today.slice(0, 4));
  for (const year of [y, y + 1]) {
    const due = transferInYear(dateOfBirth, year);
    if (!due) continue;
    const d = toDayNumber(due.deadline);
    if (d >= t && d - t <= 366) return due;
  }
  return null;
}
