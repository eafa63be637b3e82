// Age and school year, which decide which service and which statutory route applies to a child or young
// person (e.g. post-16 and post-19 transitions in an EHC plan). Dates are Europe/London calendar dates.
import { CalendarInputError, toDayNumber } from './calendar.ts';

function parse(date: string): { y: number; m: number; d: number; day: number } {
  const day = toDayNumber(date);
  return { y: Number(date.slice(0, 4)), m: Number(date.slice(5, 7)), d: Number(date.slice(8, 10)), day };
}

function requireBornBy(dateOfBirth: string, today: string, dob: number, now: number): void {
  if (now < dob) {
    throw new CalendarInputError(
      `date of birth ${JSON.stringify(dateOfBirth)} is after ${JSON.stringify(today)}; check the date of birth`,
    );
  }
}

/**
 * Age in whole years on `today`. A birthday counts from its first moment (Family Law Reform Act 1969 s9), so
 * on the birthday itself the age has gone up. Someone born on 29 February is taken to reach each age on
 * 1 March in a common year, the usual reading in England and Wales.
 */
export function ageOn(dateOfBirth: string, today: string): number {
  const b = parse(dateOfBirth);
  const t = parse(today);
  requireBornBy(dateOfBirth, today, b.day, t.day);
  const hadBirthday = t.m > b.m || (t.m === b.m && t.d >= b.d);
  return t.y - b.y - (hadBirthday ? 0 : 1);
}

/** The calendar year in which the England school year containing the date began (school years start 1 Sept). */
function academicYearStart(date: { y: number; m: number }): number {
  return date.m >= 9 ? date.y : date.y - 1;
}

/**
 * England national-curriculum year group on `today`: 0 for Reception, 1–13 for Year 1 to Year 13.
 *
 * A cohort is everyone born 1 September to 31 August; it starts Reception in the September after its
 * youngest turn 4, so Year N = (start year of the current school year) − (start year of the birth school
 * year) − 5. Returns null below Reception (nursery and early years). Above Year 13 the number is returned
 * anyway (14, 15, …) so a caller can label a young person who has left school by what their cohort would be;
 * the year group is by age, not by where the child is actually placed (a child taught out of year group is
 * not modelled here).
 */
export function schoolYear(dateOfBirth: string, today: string): number | null {
  const b = parse(dateOfBirth);
  const t = parse(today);
  requireBornBy(dateOfBirth, today, b.day, t.day);
  const year = academicYearStart(t) - academicYearStart(b) - 5;
  return year < 0 ? null : year;
}
