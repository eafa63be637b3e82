// England-and-Wales bank holidays as data, so working-day deadlines for the years people actually work in
// rest on the official list rather than on anyone's rule engine.
//
// Provenance: https://www.gov.uk/bank-holidays (JSON at https://www.gov.uk/bank-holidays.json), division
// "england-and-wales". Dates and titles are copied as gov.uk publishes them: a holiday that falls at a weekend
// appears only on its substitute weekday, with gov.uk's note "Substitute day", and titles keep gov.uk's curly
// apostrophe (New Year’s Day) so they can be compared with the feed verbatim.
// Cross-checked against the date-holidays package's GB/ENG rules in calendar.test.ts; every Easter date is
// also checked there against an independent computus.
//
// Last year published: 2028. gov.uk publishes roughly two years ahead; when it adds a year, append it here and
// move ENGLAND_AND_WALES_LAST_PUBLISHED_YEAR on. Years outside the list are computed (see calendar.ts).

export interface PublishedBankHoliday {
  /** Europe/London calendar date, YYYY-MM-DD. */
  readonly date: string;
  readonly title: string;
  /** gov.uk's `notes` field, present when the holiday was moved off a weekend. */
  readonly notes?: 'Substitute day';
}

export const ENGLAND_AND_WALES_FIRST_PUBLISHED_YEAR = 2018;
export const ENGLAND_AND_WALES_LAST_PUBLISHED_YEAR = 2028;

const SUB = 'Substitute day' as const;

export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly PublishedBankHoliday[] = Object.freeze([
  // 2018 (Easter Sunday 1 April)
  { date: '2018-01-01', title: 'New Year’s Day' },
  { date: '2018-03-30', title: 'Good Friday' },
  { date: '2018-04-02', title: 'Easter Monday' },
  { date: '2018-05-07', title: 'Early May bank holiday' },
  { date: '2018-05-28', title: 'Spring bank holiday' },
  { date: '2018-08-27', title: 'Summer bank holiday' },
  { date: '2018-12-25', title: 'Christmas Day' },
  { date: '2018-12-26', title: 'Boxing Day' },
  // 2019 (Easter Sunday 21 April)
  { date: '2019-01-01', title: 'New Year’s Day' },
  { date: '2019-04-19', title: 'Good Friday' },
  { date: '2019-04-22', title: 'Easter Monday' },
  { date: '2019-05-06', title: 'Early May bank holiday' },
  { date: '2019-05-27', title: 'Spring bank holiday' },
  { date: '2019-08-26', title: 'Summer bank holiday' },
  { date: '2019-12-25', title: 'Christmas Day' },
  { date: '2019-12-26', title: 'Boxing Day' },
  // 2020 (Easter Sunday 12 April). The early May holiday was moved from Monday 4 May to Friday 8 May for the
  // 75th anniversary of VE Day, so 4 May was an ordinary working day. 26 December was a Saturday.
  { date: '2020-01-01', title: 'New Year’s Day' },
  { date: '2020-04-10', title: 'Good Friday' },
  { date: '2020-04-13', title: 'Easter Monday' },
  { date: '2020-05-08', title: 'Early May bank holiday (VE day)' },
  { date: '2020-05-25', title: 'Spring bank holiday' },
  { date: '2020-08-31', title: 'Summer bank holiday' },
  { date: '2020-12-25', title: 'Christmas Day' },
  { date: '2020-12-28', title: 'Boxing Day', notes: SUB },
  // 2021 (Easter Sunday 4 April). 25 and 26 December were Saturday and Sunday.
  { date: '2021-01-01', title: 'New Year’s Day' },
  { date: '2021-04-02', title: 'Good Friday' },
  { date: '2021-04-05', title: 'Easter Monday' },
  { date: '2021-05-03', title: 'Early May bank holiday' },
  { date: '2021-05-31', title: 'Spring bank holiday' },
  { date: '2021-08-30', title: 'Summer bank holiday' },
  { date: '2021-12-27', title: 'Christmas Day', notes: SUB },
  { date: '2021-12-28', title: 'Boxing Day', notes: SUB },
  // 2022 (Easter Sunday 17 April). 1 January was a Saturday. The spring holiday was moved from Monday 30 May to
  // Thursday 2 June, with an extra day on 3 June, for the Platinum Jubilee; 30 May was an ordinary working day.
  // 19 September was added for the State Funeral. 25 December was a Sunday.
  { date: '2022-01-03', title: 'New Year’s Day', notes: SUB },
  { date: '2022-04-15', title: 'Good Friday' },
  { date: '2022-04-18', title: 'Easter Monday' },
  { date: '2022-05-02', title: 'Early May bank holiday' },
  { date: '2022-06-02', title: 'Spring bank holiday' },
  { date: '2022-06-03', title: 'Platinum Jubilee bank holiday' },
  { date: '2022-08-29', title: 'Summer bank holiday' },
  { date: '2022-09-19', title: 'Bank Holiday for the State Funeral of Queen Elizabeth II' },
  { date: '2022-12-26', title: 'Boxing Day' },
  { date: '2022-12-27', title: 'Christmas Day', notes: SUB },
  // 2023 (Easter Sunday 9 April). 1 January was a Sunday. 8 May was added for the Coronation.
  { date: '2023-01-02', title: 'New Year’s Day', notes: SUB },
  { date: '2023-04-07', title: 'Good Friday' },
  { date: '2023-04-10', title: 'Easter Monday' },
  { date: '2023-05-01', title: 'Early May bank holiday' },
  { date: '2023-05-08', title: 'Bank holiday for the coronation of King Charles III' },
  { date: '2023-05-29', title: 'Spring bank holiday' },
  { date: '2023-08-28', title: 'Summer bank holiday' },
  { date: '2023-12-25', title: 'Christmas Day' },
  { date: '2023-12-26', title: 'Boxing Day' },
  // 2024 (Easter Sunday 31 March)
  { date: '2024-01-01', title: 'New Year’s Day' },
  { date: '2024-03-29', title: 'Good Friday' },
  { date: '2024-04-01', title: 'Easter Monday' },
  { date: '2024-05-06', title: 'Early May bank holiday' },
  { date: '2024-05-27', title: 'Spring bank holiday' },
  { date: '2024-08-26', title: 'Summer bank holiday' },
  { date: '2024-12-25', title: 'Christmas Day' },
  { date: '2024-12-26', title: 'Boxing Day' },
  // 2025 (Easter Sunday 20 April)
  { date: '2025-01-01', title: 'New Year’s Day' },
  { date: '2025-04-18', title: 'Good Friday' },
  { date: '2025-04-21', title: 'Easter Monday' },
  { date: '2025-05-05', title: 'Early May bank holiday' },
  { date: '2025-05-26', title: 'Spring bank holiday' },
  { date: '2025-08-25', title: 'Summer bank holiday' },
  { date: '2025-12-25', title: 'Christmas Day' },
  { date: '2025-12-26', title: 'Boxing Day' },
  // 2026 (Easter Sunday 5 April). 26 December is a Saturday.
  { date: '2026-01-01', title: 'New Year’s Day' },
  { date: '2026-04-03', title: 'Good Friday' },
  { date: '2026-04-06', title: 'Easter Monday' },
  { date: '2026-05-04', title: 'Early May bank holiday' },
  { date: '2026-05-25', title: 'Spring bank holiday' },
  { date: '2026-08-31', title: 'Summer bank holiday' },
  { date: '2026-12-25', title: 'Christmas Day' },
  { date: '2026-12-28', title: 'Boxing Day', notes: SUB },
  // 2027 (Easter Sunday 28 March). 25 and 26 December are Saturday and Sunday.
  { date: '2027-01-01', title: 'New Year’s Day' },
  { date: '2027-03-26', title: 'Good Friday' },
  { date: '2027-03-29', title: 'Easter Monday' },
  { date: '2027-05-03', title: 'Early May bank holiday' },
  { date: '2027-05-31', title: 'Spring bank holiday' },
  { date: '2027-08-30', title: 'Summer bank holiday' },
  { date: '2027-12-27', title: 'Christmas Day', notes: SUB },
  { date: '2027-12-28', title: 'Boxing Day', notes: SUB },
  // 2028 (Easter Sunday 16 April). 1 January is a Saturday.
  { date: '2028-01-03', title: 'New Year’s Day', notes: SUB },
  { date: '2028-04-14', title: 'Good Friday' },
  { date: '2028-04-17', title: 'Easter Monday' },
  { date: '2028-05-01', title: 'Early May bank holiday' },
  { date: '2028-05-29', title: 'Spring bank holiday' },
  { date: '2028-08-28', title: 'Summer bank holiday' },
  { date: '2028-12-25', title: 'Christmas Day' },
  { date: '2028-12-26', title: 'Boxing Day' },
]);

export interface ProclaimedBankHoliday {
  readonly date: string;
  readonly title: string;
  /** The date the usual rules give for a holiday this one was moved from; it was an ordinary working day. */
  readonly replaces?: string;
}

// One-off holidays from before the published list, which the date-holidays rules (v3.37) do not all know.
// Without them a deadline computed across, say, June 2002 would be a day out. Source: the royal proclamations
// made under the Banking and Financial Dealings Act 1971, as reported by gov.uk and the London Gazette at the
// time. Only dates inside the working-day index (1990 onwards) matter.
export const ENGLAND_AND_WALES_PROCLAIMED_BEFORE_LIST: readonly ProclaimedBankHoliday[] = Object.freeze([
  // 50th anniversary of VE Day: early May holiday moved from Monday 1 May.
  { date: '1995-05-08', title: 'Early May bank holiday (VE day)', replaces: '1995-05-01' },
  { date: '1999-12-31', title: 'Millennium bank holiday' },
  // Golden Jubilee: spring holiday moved from Monday 27 May to Tuesday 4 June, extra day on Monday 3 June.
  { date: '2002-06-03', title: 'Golden Jubilee bank holiday' },
  { date: '2002-06-04', title: 'Spring bank holiday', replaces: '2002-05-27' },
  { date: '2011-04-29', title: 'Royal wedding bank holiday' },
  // Diamond Jubilee: spring holiday moved from Monday 28 May to Monday 4 June, extra day on Tuesday 5 June.
  { date: '2012-06-04', title: 'Spring bank holiday', replaces: '2012-05-28' },
  { date: '2012-06-05', title: 'Queen’s Diamond Jubilee' },
]);
