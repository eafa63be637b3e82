// The SEN2 census dates (DfE, a Thursday in January) and the collection year each one covers: the calendar year
// before it. Data, not rules: a new year's date is one more line here (domain-notes §3 names 15 Jan 2026, 21 Jan 2027).

export const CENSUS_DATES: readonly string[] = ['2026-01-15', '2027-01-21'];

export interface CollectionYear {
  census: string;
  /** The year the census falls in (SEN2's Year item). */
  year: number;
  /** First and last day of the calendar year the return covers. */
  from: string;
  to: string;
}

/** The collection year of a census date, or a message naming the valid dates. */
export function collectionYear(census: string): { ok: true; year: CollectionYear } | { ok: false; message: string } {
  if (!CENSUS_DATES.includes(census))
    return {
      ok: false,
      message: `${census || 'That'} is not an SEN2 census date. Enter one of: ${CENSUS_DATES.join(', ')}`,
    };
  const year = Number(census.slice(0, 4));
  return { ok: true, year: { census, year, from: `${year - 1}-01-01`, to: `${year - 1}-12-31` } };
}
