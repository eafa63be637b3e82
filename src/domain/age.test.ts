import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageOn, schoolYear } from './age.ts';
import { CalendarInputError } from './calendar.ts';

test('ageOn: whole years, going up on the birthday itself', () => {
  const cases: [dob: string, today: string, expected: number, why: string][] = [
    ['2010-06-15', '2010-06-15', 0, 'day of birth'],
    ['2010-06-15', '2011-06-14', 0, 'day before first birthday'],
    ['2010-06-15', '2011-06-15', 1, 'first birthday'],
    ['2008-03-10', '2026-03-09', 17, 'day before 18th birthday'],
    ['2008-03-10', '2026-03-10', 18, '18th birthday'],
    ['2001-01-01', '2025-12-31', 24, 'day before 25th birthday'],
    ['2001-01-01', '2026-01-01', 25, '25th birthday'],
    ['2000-12-31', '2026-01-01', 25, 'across a year end'],
    ['2010-06-15', '2026-06-16', 16, 'day after a birthday'],
    // 29 February: the birthday is taken as 1 March in a common year.
    ['2012-02-29', '2013-02-28', 0, 'leap-day baby, 28 Feb in a common year'],
    ['2012-02-29', '2013-03-01', 1, 'leap-day baby, 1 Mar in a common year'],
    ['2012-02-29', '2016-02-28', 3, 'leap-day baby, 28 Feb in a leap year'],
    ['2012-02-29', '2016-02-29', 4, 'leap-day baby, on 29 Feb'],
    ['2008-02-29', '2026-02-28', 17, 'leap-day baby, day before 18 in a common year'],
    ['2008-02-29', '2026-03-01', 18, 'leap-day baby turns 18 on 1 March'],
  ];
  for (const [dob, today, expected, why] of cases)
    assert.equal(ageOn(dob, today), expected, `${dob} on ${today}: ${why}`);
});

test('schoolYear: England year groups change on 1 September; born 1 Sept–31 Aug is one cohort', () => {
  const cases: [dob: string, today: string, expected: number | null, why: string][] = [
    // Cohort born 1 Sept 2019 – 31 Aug 2020 starts Reception in September 2024.
    ['2019-09-01', '2024-08-31', null, 'oldest in cohort, day before Reception'],
    ['2019-09-01', '2024-09-01', 0, 'oldest in cohort, first day of Reception year'],
    ['2020-08-31', '2024-08-31', null, 'youngest in cohort, still early years'],
    ['2020-08-31', '2024-09-01', 0, 'youngest in cohort starts Reception aged 4'],
    ['2019-08-31', '2024-09-01', 1, '31 August birthday is in the older cohort'],
    ['2020-09-01', '2024-09-01', null, '1 September birthday is in the younger cohort'],
    ['2020-09-01', '2025-09-01', 0, '…and starts Reception a year later'],
    ['2019-09-01', '2025-08-31', 0, 'last day of the Reception year'],
    ['2019-09-01', '2025-09-01', 1, 'Year 1'],
    ['2014-10-10', '2026-11-22', 7, 'Year 7'],
    ['2010-09-01', '2026-09-01', 11, 'Year 11'],
    ['2008-09-01', '2026-09-01', 13, 'Year 13'],
    ['2008-08-31', '2026-09-01', 14, 'past Year 13 still returns a number'],
    ['2001-01-01', '2026-01-01', 20, 'aged 25: would be Year 20 by cohort'],
    ['2024-01-01', '2026-01-01', null, 'toddler'],
    ['2012-02-29', '2026-03-01', 9, 'leap-day birthday: cohort 2011–12, Reception 2016'],
  ];
  for (const [dob, today, expected, why] of cases) {
    assert.equal(schoolYear(dob, today), expected, `${dob} on ${today}: ${why}`);
  }
});

test('bad dates and a birth after today are refused with a message saying what is wrong', () => {
  assert.throws(() => ageOn('2010-02-30', '2026-01-01'), /"2010-02-30" is not a date; use YYYY-MM-DD/);
  assert.throws(() => schoolYear('2010-01-01', '01/01/2026'), /"01\/01\/2026" is not a date; use YYYY-MM-DD/);
  assert.throws(
    () => ageOn('2026-01-02', '2026-01-01'),
    (e: unknown) =>
      e instanceof CalendarInputError &&
      e.message === 'date of birth "2026-01-02" is after "2026-01-01"; check the date of birth',
  );
  assert.throws(() => schoolYear('2026-01-02', '2026-01-01'), CalendarInputError);
});
