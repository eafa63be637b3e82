import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  ENGLAND_AND_WALES_FIRST_PUBLISHED_YEAR,
  ENGLAND_AND_WALES_LAST_PUBLISHED_YEAR,
} from './bank-holidays.ts';
import {
  addDays,
  addWorkingDays,
  addWorkingDaysNum,
  bankHolidaysIn,
  Calendar,
  CalendarInputError,
  calendarFor,
  DIVISIONS,
  dayOfWeek,
  fromDayNumber,
  isWorkingDay,
  isWorkingDayNum,
  londonToday,
  toDayNumber,
  workingDaysBetween,
  workingDaysBetweenNum,
} from './calendar.ts';

const ew = calendarFor('england-and-wales');

// Independent of both the list and date-holidays: the anonymous Gregorian computus (Meeus, Astronomical
// Algorithms, ch. 8), so a mistyped Easter in bank-holidays.ts cannot agree with itself.
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// Deterministic pseudo-random numbers (mulberry32) so a failure can be replayed.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function publishedYears(): number[] {
  const years: number[] = [];
  for (let y = ENGLAND_AND_WALES_FIRST_PUBLISHED_YEAR; y <= ENGLAND_AND_WALES_LAST_PUBLISHED_YEAR; y++) years.push(y);
  return years;
}

test('required examples', () => {
  assert.equal(addWorkingDays('2026-12-22', 5), '2026-12-31');
  assert.equal(workingDaysBetween('2026-12-22', '2026-12-31'), 5);
});

test('addWorkingDays and workingDaysBetween, table', () => {
  const cases: [from: string, n: number, expected: string, why: string][] = [
    ['2026-12-22', 0, '2026-12-22', 'n = 0 is the date itself'],
    ['2026-12-26', 0, '2026-12-26', 'n = 0 is the date itself even on a non-working day'],
    ['2026-12-22', 1, '2026-12-23', 'next weekday'],
    ['2026-12-22', 2, '2026-12-24', 'Christmas Eve is a working day'],
    ['2026-12-22', 3, '2026-12-29', 'skips Christmas (Fri), weekend and Boxing Day substitute (Mon 28)'],
    ['2026-12-24', 1, '2026-12-29', 'over the 2026 Christmas break'],
    ['2026-01-02', 1, '2026-01-05', 'Friday → Monday'],
    ['2026-01-03', 1, '2026-01-05', 'from a Saturday the first working day is Monday'],
    ['2026-04-02', 1, '2026-04-07', 'over Good Friday and Easter Monday 2026'],
    ['2026-05-22', 1, '2026-05-26', 'over Spring bank holiday 2026-05-25'],
    ['2027-12-24', 1, '2027-12-29', 'Christmas 2027 on a weekend: substitute days 27 and 28'],
    ['2027-12-31', 1, '2028-01-04', 'New Year 2028 on a Saturday: substitute Monday 3 January'],
    ['2022-05-27', 1, '2022-05-30', '30 May 2022 was a working day (holiday moved for the Jubilee)'],
    ['2022-06-01', 1, '2022-06-06', '2 and 3 June 2022 were Jubilee holidays'],
    ['2030-04-18', 1, '2030-04-23', 'computed year: Good Friday 19 and Easter Monday 22 April 2030'],
    ['2026-01-05', 20, '2026-02-02', 'four weeks of a holiday-free January'],
    ['2026-12-29', -2, '2026-12-23', 'negative n counts back over Christmas'],
    ['2026-01-05', -1, '2026-01-02', 'negative n: Monday → Friday'],
  ];
  for (const [from, n, expected, why] of cases) {
    assert.equal(addWorkingDays(from, n), expected, `${from} + ${n}: ${why}`);
    if (n >= 0) assert.equal(workingDaysBetween(from, expected), n, `between ${from} and ${expected}: ${why}`);
  }
});

test('workingDaysBetween counts days after from, up to and including to; negative when reversed', () => {
  const cases: [from: string, to: string, expected: number][] = [
    ['2026-12-22', '2026-12-22', 0],
    ['2026-12-22', '2026-12-23', 1],
    ['2026-12-23', '2026-12-22', -1],
    ['2026-12-31', '2026-12-22', -5],
    ['2026-12-24', '2026-12-28', 0],
    ['2026-12-25', '2026-12-29', 1],
    // 261 weekdays less 8 weekday holidays in each year; 1 January is excluded but is a holiday anyway.
    ['2026-01-01', '2026-12-31', 253],
    ['2027-01-01', '2027-12-31', 253],
    ['2025-12-31', '2026-12-31', 253],
  ];
  for (const [from, to, expected] of cases) {
    assert.equal(workingDaysBetween(from, to), expected, `${from} → ${to}`);
  }
});

test('every published holiday is a weekday and not a working day; the list is ordered and complete', () => {
  let previous = '';
  for (const h of ENGLAND_AND_WALES_BANK_HOLIDAYS) {
    const day = toDayNumber(h.date);
    assert.ok(dayOfWeek(day) >= 1 && dayOfWeek(day) <= 5, `${h.date} ${h.title} is a weekday`);
    assert.equal(isWorkingDay(h.date), false, `${h.date} ${h.title} is not a working day`);
    assert.ok(h.date > previous, `${h.date} comes after ${previous}`);
    previous = h.date;
  }
  for (const year of publishedYears()) {
    const titles = bankHolidaysIn(year).map((h) => h.title);
    for (const title of [
      'New Year’s Day',
      'Good Friday',
      'Easter Monday',
      'Spring bank holiday',
      'Summer bank holiday',
      'Christmas Day',
      'Boxing Day',
    ]) {
      assert.ok(titles.includes(title), `${year} has ${title}`);
    }
    assert.ok(
      titles.some((t) => t.startsWith('Early May bank holiday')),
      `${year} has an early May holiday`,
    );
    assert.ok(bankHolidaysIn(year).every((h) => h.source === 'published'));
  }
});

test('every published Easter agrees with an independent computus', () => {
  for (const year of publishedYears()) {
    const easter = toDayNumber(easterSunday(year));
    const list = bankHolidaysIn(year);
    assert.equal(list.find((h) => h.title === 'Good Friday')?.date, fromDayNumber(easter - 2), `${year} Good Friday`);
    assert.equal(list.find((h) => h.title === 'Easter Monday')?.date, fromDayNumber(easter + 1), `${year} Easter`);
  }
  // Spot-check the computus itself against well-known Easters, so it cannot be wrong in step with the list.
  assert.equal(easterSunday(2024), '2024-03-31');
  assert.equal(easterSunday(2025), '2025-04-20');
  assert.equal(easterSunday(2038), '2038-04-25');
});

test('substitute days', () => {
  const cases: [date: string, title: string][] = [
    ['2020-12-28', 'Boxing Day'],
    ['2021-12-27', 'Christmas Day'],
    ['2021-12-28', 'Boxing Day'],
    ['2022-01-03', 'New Year’s Day'],
    ['2022-12-27', 'Christmas Day'],
    ['2023-01-02', 'New Year’s Day'],
    ['2026-12-28', 'Boxing Day'],
    ['2027-12-27', 'Christmas Day'],
    ['2027-12-28', 'Boxing Day'],
    ['2028-01-03', 'New Year’s Day'],
  ];
  for (const [date, title] of cases) {
    const h = bankHolidaysIn(Number(date.slice(0, 4))).find((x) => x.date === date);
    assert.ok(h, `${date} is listed`);
    assert.equal(h.title, title);
    assert.equal(h.substitute, true, `${date} is a substitute day`);
    assert.equal(isWorkingDay(date), false, `${date} is not a working day`);
  }
  assert.equal(ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((h) => h.notes === 'Substitute day').length, cases.length);
});

test('one-off holidays, and the days they replaced, which were working days', () => {
  const holidays = ['2020-05-08', '2022-06-02', '2022-06-03', '2022-09-19', '2023-05-08'];
  for (const date of holidays) assert.equal(isWorkingDay(date), false, `${date} is a holiday`);
  for (const date of ['2020-05-04', '2022-05-30']) assert.equal(isWorkingDay(date), true, `${date} is a working day`);
});

test('weekends are never working days; ordinary weekdays are', () => {
  const cases: [date: string, working: boolean][] = [
    ['2026-11-21', false],
    ['2026-11-22', false],
    ['2026-11-23', true],
    ['2026-11-27', true],
    ['2026-12-24', true],
    ['2026-12-31', true],
    ['2035-06-16', false],
    ['2035-06-18', true],
  ];
  for (const [date, working] of cases) assert.equal(isWorkingDay(date), working, date);
  for (let day = toDayNumber('1990-01-01'); day <= toDayNumber('2100-12-31'); day += 1) {
    const w = dayOfWeek(day);
    if (w === 0 || w === 6) assert.equal(isWorkingDayNum(day), false);
  }
});

test('Christmas at a weekend, in listed and computed years', () => {
  const cases: [year: number, expected: string[]][] = [
    [2021, ['2021-12-27', '2021-12-28']], // Sat, Sun
    [2022, ['2022-12-26', '2022-12-27']], // Sun, Mon
    [2026, ['2026-12-25', '2026-12-28']], // Fri, Sat
    [2032, ['2032-12-27', '2032-12-28']], // Sat, Sun (computed)
    [2033, ['2033-12-26', '2033-12-27']], // Sun, Mon (computed)
    [2037, ['2037-12-25', '2037-12-28']], // Fri, Sat (computed)
  ];
  for (const [year, expected] of cases) {
    const december = bankHolidaysIn(year)
      .filter((h) => h.date.slice(5, 7) === '12')
      .map((h) => h.date);
    assert.deepEqual(december, expected, `${year}`);
  }
});

test('date-holidays reproduces the published list, so computed years follow the same rules', () => {
  // date-holidays 3.37 already knows the 2020, 2022 and 2023 one-offs, so their dates agree too; only the
  // one-offs' titles differ. If a future version loses a one-off, it will show up here as a date difference.
  const oneOffTitles = new Set(['2022-06-03', '2022-09-19', '2023-05-08']);
  for (const year of publishedYears()) {
    const published = bankHolidaysIn(year);
    const computed = ew.computedBankHolidays(year);
    assert.deepEqual(
      computed.map((h) => h.date),
      published.map((h) => h.date),
      `${year}: computed dates equal gov.uk`,
    );
    for (const [i, h] of published.entries()) {
      assert.equal(computed[i]?.substitute, h.substitute, `${h.date} substitute flag`);
      if (!oneOffTitles.has(h.date)) assert.equal(computed[i]?.title, h.title, `${h.date} title`);
    }
  }
});

test('years beyond and before the list are computed', () => {
  const cases: [year: number, dates: string[]][] = [
    [
      2029,
      ['2029-01-01', '2029-03-30', '2029-04-02', '2029-05-07', '2029-05-28', '2029-08-27', '2029-12-25', '2029-12-26'],
    ],
    [
      2030,
      ['2030-01-01', '2030-04-19', '2030-04-22', '2030-05-06', '2030-05-27', '2030-08-26', '2030-12-25', '2030-12-26'],
    ],
    [
      2033,
      ['2033-01-03', '2033-04-15', '2033-04-18', '2033-05-02', '2033-05-30', '2033-08-29', '2033-12-26', '2033-12-27'],
    ],
    // Before the list: proclaimed one-offs that date-holidays lacks are added, and moved days removed.
    [
      2002,
      [
        '2002-01-01',
        '2002-03-29',
        '2002-04-01',
        '2002-05-06',
        '2002-06-03',
        '2002-06-04',
        '2002-08-26',
        '2002-12-25',
        '2002-12-26',
      ],
    ],
    [
      2012,
      [
        '2012-01-02',
        '2012-04-06',
        '2012-04-09',
        '2012-05-07',
        '2012-06-04',
        '2012-06-05',
        '2012-08-27',
        '2012-12-25',
        '2012-12-26',
      ],
    ],
  ];
  for (const [year, dates] of cases) {
    const list = bankHolidaysIn(year);
    assert.deepEqual(
      list.map((h) => h.date),
      dates,
      `${year}`,
    );
    assert.ok(
      list.every((h) => h.source === 'computed'),
      `${year} is computed`,
    );
  }
  for (let year = 2029; year <= 2100; year++) {
    const list = bankHolidaysIn(year);
    const easter = toDayNumber(easterSunday(year));
    assert.equal(list.find((h) => h.title === 'Good Friday')?.date, fromDayNumber(easter - 2), `${year} Good Friday`);
    assert.equal(list.find((h) => h.title === 'Easter Monday')?.date, fromDayNumber(easter + 1), `${year} Easter`);
    assert.equal(list.length, 8, `${year} has the eight regular holidays`);
  }
  assert.equal(isWorkingDay('2030-04-19'), false);
  assert.equal(isWorkingDay('2030-04-22'), false);
  assert.equal(isWorkingDay('2030-04-23'), true);
  assert.equal(isWorkingDay('2011-04-29'), false, 'royal wedding');
  assert.equal(isWorkingDay('1999-12-31'), false, 'millennium');
  assert.equal(isWorkingDay('1995-05-01'), true, 'early May 1995 moved to VE day');
});

test('the O(1) index agrees with counting day by day', () => {
  const holidays = new Set<number>();
  for (let y = 1990; y <= 2100; y++) for (const h of bankHolidaysIn(y)) holidays.add(toDayNumber(h.date));
  const working = (day: number): boolean => {
    const w = dayOfWeek(day);
    return w !== 0 && w !== 6 && !holidays.has(day);
  };
  const next = rng(2026);
  const lo = toDayNumber('1990-01-01');
  const hi = toDayNumber('2100-06-01');
  for (let trial = 0; trial < 300; trial++) {
    const from = lo + Math.floor(next() * (hi - lo));
    const n = Math.floor(next() * 80);
    let day = from;
    for (let left = n; left > 0; ) {
      day += 1;
      if (working(day)) left -= 1;
    }
    assert.equal(addWorkingDaysNum(from, n), day, `${fromDayNumber(from)} + ${n}`);
    let count = 0;
    for (let d = from + 1; d <= day; d++) if (working(d)) count += 1;
    assert.equal(workingDaysBetweenNum(from, day), count);
    assert.equal(isWorkingDayNum(from), working(from), fromDayNumber(from));
  }
});

test('workingDaysBetween is the inverse of addWorkingDays', () => {
  const next = rng(42);
  // Far enough into the index that counting 400 working days back stays inside it.
  const lo = toDayNumber('1992-01-01');
  const hi = toDayNumber('2098-12-31');
  for (let trial = 0; trial < 5000; trial++) {
    const from = fromDayNumber(lo + Math.floor(next() * (hi - lo)));
    const n = Math.floor(next() * 400);
    const to = addWorkingDays(from, n);
    assert.equal(workingDaysBetween(from, to), n, `${from} + ${n} = ${to}`);
    assert.equal(workingDaysBetween(to, from), 0 - n);
    assert.ok(n === 0 || isWorkingDay(to), `${to} is a working day`);
    // Counting back from a working day lands where counting forward started from.
    if (isWorkingDay(from)) assert.equal(workingDaysBetween(from, addWorkingDays(from, 0 - n)), 0 - n);
  }
});

test('day numbers round-trip and agree with Date.UTC', () => {
  const cases: [date: string, day: number][] = [
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['2000-02-29', 11016],
    ['2026-12-22', 20809],
    ['0001-01-01', -719162],
    ['9999-12-31', 2932896],
  ];
  for (const [date, day] of cases) {
    assert.equal(toDayNumber(date), day, date);
    assert.equal(fromDayNumber(day), date, String(day));
  }
  for (let day = -700000; day <= 2932896; day += 997) {
    const iso = new Date(day * 86400000).toISOString().slice(0, 10);
    assert.equal(fromDayNumber(day), iso);
    assert.equal(toDayNumber(iso), day);
  }
  assert.equal(addDays('2026-02-28', 1), '2026-03-01');
  assert.equal(addDays('2028-02-28', 1), '2028-02-29');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(dayOfWeek(toDayNumber('2026-12-25')), 5, 'Christmas 2026 is a Friday');
});

test('bad input throws CalendarInputError naming the value and the format', () => {
  const badDates: unknown[] = [
    '2026-13-01',
    '2026-02-29',
    '2026-04-31',
    '2026-00-10',
    '2026-01-00',
    '2026-1-1',
    '26-12-22',
    '2026/12/22',
    '2026-12-22T00:00',
    ' 2026-12-22',
    '２０２６-12-22',
    '',
    undefined,
    null,
    20260101,
  ];
  for (const bad of badDates) {
    assert.throws(
      () => addWorkingDays(bad as string, 1),
      (e: unknown) => {
        assert.ok(e instanceof CalendarInputError, `${String(bad)} throws CalendarInputError`);
        const shown = typeof bad === 'string' ? JSON.stringify(bad) : String(bad);
        assert.equal(e.message, `${shown} is not a date; use YYYY-MM-DD, e.g. 2026-12-22`);
        return true;
      },
    );
  }
  assert.throws(() => workingDaysBetween('2026-12-22', '2026-13-01'), /"2026-13-01" is not a date; use YYYY-MM-DD/);
  assert.throws(() => addWorkingDays('2026-12-22', 1.5), /n must be a whole number of working days, e.g. 5; got 1.5/);
  assert.throws(() => addWorkingDays('2026-12-22', Number.NaN), CalendarInputError);
  assert.throws(() => addDays('2026-12-22', Number.POSITIVE_INFINITY), CalendarInputError);
  assert.throws(() => bankHolidaysIn(20.5), /20.5 is not a year; use four digits, e.g. 2026/);
  assert.throws(
    () => isWorkingDay('2150-01-01'),
    /"2150-01-01" is outside the working-day calendar, which covers 1990-01-01 to 2100-12-31/,
  );
  assert.throws(() => addWorkingDays('2100-12-30', 5), /falls outside the working-day calendar/);
  assert.throws(() => addWorkingDays('1990-01-02', -5), /falls outside the working-day calendar/);
  assert.throws(() => fromDayNumber(1.5), CalendarInputError);
  assert.throws(() => isWorkingDayNum(toDayNumber('2026-12-22') + 0.5), /is not a day number/);
  assert.throws(() => workingDaysBetweenNum(0, 1e9), /Day number 1000000000 is outside the working-day calendar/);
  assert.throws(() => calendarFor('scotland'), /"scotland" are not configured; use "england-and-wales"/);
});

test('a Calendar can be configured for another index range', () => {
  const config = DIVISIONS['england-and-wales'];
  assert.ok(config);
  const narrow = new Calendar(config, { first: 2026, last: 2026 });
  assert.equal(narrow.addWorkingDays('2026-12-22', 5), '2026-12-31');
  assert.throws(() => narrow.isWorkingDay('2027-01-04'), /covers 2026-01-01 to 2026-12-31/);
  assert.deepEqual(narrow.range, { first: '2026-01-01', last: '2026-12-31' });
});

test('londonToday is the Europe/London date of an instant, across GMT and BST', () => {
  const cases: [instant: string, expected: string][] = [
    ['2026-01-15T23:59:59Z', '2026-01-15'], // GMT: London = UTC
    ['2026-01-16T00:00:00Z', '2026-01-16'],
    ['2026-06-30T22:59:59Z', '2026-06-30'], // BST: London = UTC + 1
    ['2026-06-30T23:00:00Z', '2026-07-01'],
    ['2026-03-29T00:59:59Z', '2026-03-29'], // the clocks go forward at 01:00 UTC
    ['2026-10-24T23:30:00Z', '2026-10-25'], // still BST until 01:00 UTC on 25 October
    ['2026-12-31T23:59:59Z', '2026-12-31'],
  ];
  for (const [instant, expected] of cases) assert.equal(londonToday(new Date(instant)), expected, instant);
  assert.match(londonToday(), /^\d{4}-\d{2}-\d{2}$/);
  assert.throws(() => londonToday(new Date('nonsense')), CalendarInputError);
});
