// Small pure rules of the screening module: the default review date and the current level of a screening.

/** The same day `months` later (the last day of the month when that day does not exist), as YYYY-MM-DD. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Months to the review when the practitioner does not set a date. */
export const REVIEW_MONTHS = 3;

/** The level that stands: the confirmed one, else the proposal (awaiting confirmation). */
export function currentLevel(s: { proposed_level: string; confirmed_level: string | null }) {
  return { level: s.confirmed_level ?? s.proposed_level, confirmed: s.confirmed_level !== null };
}
