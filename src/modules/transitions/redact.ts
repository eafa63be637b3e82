// Labels and age phrases for the pseudonymised panels (Transitions Governance Group, SEND board). The substring
// redactor that lived here was removed (issue 9 finding 2: disguised identifiers survived it): those panels now see
// structured facts and a summary written and checked for them (audience.ts, summaries.ts).
import { toDayNumber } from '../../domain/calendar.ts';

/** "A", "B", … "Z", "AA", …: the label of the nth young person on a pseudonymised agenda. */
export function pseudonym(n: number): string {
  let s = '';
  let i = n;
  do {
    s = String.fromCharCode(65 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return `Young person ${s}`;
}

/** The 18th birthday; someone born on 29 February turns 18 on 1 March in a common year (as ageOn). */
export function eighteenthBirthday(dateOfBirth: string): string {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const year = y + 18;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (m === 2 && d === 29 && !leap) return `${year}-03-01`;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whole days from today to the 18th birthday (negative once past). */
export function daysUntil18(dateOfBirth: string, today: string): number {
  return toDayNumber(eighteenthBirthday(dateOfBirth)) - toDayNumber(today);
}

/** "turns 18 in about 4 months" (never the date itself: that would give away the date of birth). */
export function turns18Phrase(dateOfBirth: string, today: string): string {
  const days = daysUntil18(dateOfBirth, today);
  if (days <= 0) return 'is 18 or over';
  const months = Math.round(days / 30.44);
  if (months <= 0) return 'turns 18 within a month';
  return `turns 18 in about ${months} month${months === 1 ? '' : 's'}`;
}
