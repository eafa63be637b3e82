import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schoolYear } from './age.ts';
import { CalendarInputError } from './calendar.ts';
import {
  cohortBirthDates,
  phaseTransferDeadline,
  transferAhead,
  transferInYear,
  transferYear,
} from './phase-transfer.ts';

test('transferYear: the September a child starts Reception, Year 7 or Year 12, from the date of birth', () => {
  const cases: [dob: string, phase: 'reception' | 'secondary' | 'post16', year: number, why: string][] = [
    ['2014-09-01', 'secondary', 2026, 'oldest of the cohort (1 September)'],
    ['2015-08-31', 'secondary', 2026, 'youngest of the cohort (31 August)'],
    ['2015-09-01', 'secondary', 2027, 'one day younger: the next cohort'],
    ['2010-03-10', 'post16', 2026, 'spring birthday, Year 11 in 2025/26'],
    ['2009-08-31', 'post16', 2025, 'summer-born'],
    ['2021-12-25', 'reception', 2026, 'starts Reception in September 2026'],
    ['2016-02-29', 'secondary', 2027, 'leap-day baby'],
  ];
  for (const [dob, phase, year, why] of cases) assert.equal(transferYear(dob, phase), year, why);
});

test('transferYear agrees with schoolYear: in the September of transfer the child is in the year group moved to', () => {
  for (const dob of ['2014-09-01', '2015-08-31', '2010-01-15', '2021-11-30']) {
    assert.equal(schoolYear(dob, `${transferYear(dob, 'secondary')}-09-01`), 7, dob);
    assert.equal(schoolYear(dob, `${transferYear(dob, 'post16')}-09-01`), 12, dob);
    assert.equal(schoolYear(dob, `${transferYear(dob, 'reception')}-09-01`), 0, dob);
    assert.equal(schoolYear(dob, `${transferYear(dob, 'secondary')}-08-31`), 6, dob);
  }
});

test('phaseTransferDeadline: 15 February, or 31 March for secondary to post-16 (reg 18(1))', () => {
  assert.equal(phaseTransferDeadline('secondary', 2027), '2027-02-15');
  assert.equal(phaseTransferDeadline('reception', 2027), '2027-02-15');
  assert.equal(phaseTransferDeadline('post16', 2027), '2027-03-31');
  assert.throws(() => phaseTransferDeadline('secondary', 27), CalendarInputError);
});

test('cohortBirthDates: one school year of births, the inverse of transferYear', () => {
  assert.deepEqual(cohortBirthDates('secondary', 2027), { from: '2015-09-01', to: '2016-08-31' });
  assert.deepEqual(cohortBirthDates('post16', 2027), { from: '2010-09-01', to: '2011-08-31' });
  assert.deepEqual(cohortBirthDates('reception', 2027), { from: '2022-09-01', to: '2023-08-31' });
  for (const phase of ['reception', 'secondary', 'post16'] as const) {
    const { from, to } = cohortBirthDates(phase, 2030);
    assert.equal(transferYear(from, phase), 2030);
    assert.equal(transferYear(to, phase), 2030);
  }
});

test('transferInYear: at most one transfer a year, or none', () => {
  assert.deepEqual(transferInYear('2015-10-10', 2027), {
    phase: 'secondary',
    year: 2027,
    deadline: '2027-02-15',
    source: 'SEND Regulations 2014 reg 18(1)(b) (reg 2(1) "transfer between phases of education" (d))',
  });
  assert.equal(transferInYear('2015-10-10', 2028), null, 'Year 8 in 2028/29: no transfer');
  assert.equal(transferInYear('2010-10-10', 2027)?.deadline, '2027-03-31');
});

test('transferAhead: the next deadline within 12 months of the day', () => {
  // A child in Year 6 in 2026/27 (born 2015/16): 15 February 2027.
  assert.equal(transferAhead('2016-01-05', '2026-09-10')?.deadline, '2027-02-15');
  assert.equal(transferAhead('2016-01-05', '2027-02-15')?.deadline, '2027-02-15', 'the deadline day itself');
  assert.equal(transferAhead('2016-01-05', '2027-02-16'), null, 'the deadline has passed');
  assert.equal(transferAhead('2016-01-05', '2026-01-10'), null, 'more than 12 months ahead');
  assert.equal(transferAhead('2010-11-01', '2026-04-01')?.deadline, '2027-03-31', 'post-16, 31 March');
  assert.throws(() => transferAhead('2016-02-30', '2026-09-10'), CalendarInputError);
});
