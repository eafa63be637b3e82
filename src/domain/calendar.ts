// Working-day arithmetic for statutory and local deadlines.
//
// Days are Europe/London calendar dates. At the API boundary they are 'YYYY-MM-DD' strings; inside they are
// integer day numbers (days since 1970-01-01), because deadline checks run over whole caseloads and must stay
// above a million computations a second (bench/workdays.ts): no Date objects on the hot path.
//
// Which days are bank holidays: for the years gov.uk publishes we use its list verbatim (bank-holidays.ts);
// for other years we compute them with the date-holidays package (country GB, state ENG, type 'public'),
// corrected by the one-off proclamations it misses. calendar.test.ts proves date-holidays reproduces the
// published list, which is what entitles us to trust it for the years beyond.
import { createRequire } from 'node:module';
import type HolidaysClass from 'date-holidays';
import {
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  ENGLAND_AND_WALES_FIRST_PUBLISHED_YEAR,
  ENGLAND_AND_WALES_LAST_PUBLISHED_YEAR,
  ENGLAND_AND_WALES_PROCLAIMED_BEFORE_LIST,
  type ProclaimedBankHoliday,
  type PublishedBankHoliday,
} from './bank-holidays.ts';

/** A date or number a caller supplied that the calendar cannot use. The message says what to supply instead. */
export class CalendarInputError extends Error {
  override name = 'CalendarInputError';
}

const EXAMPLE_DATE = '2026-12-22';

function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function notADate(value: unknown): CalendarInputError {
  return new CalendarInputError(`${describeValue(value)} is not a date; use YYYY-MM-DD, e.g. ${EXAMPLE_DATE}`);
}

// ---------------------------------------------------------------------------------------------------------
// Day numbers. Civil-from-days and days-from-civil are Howard Hinnant's public-domain algorithms
// (http://howardhinnant.github.io/date_algorithms.html): exact for the proleptic Gregorian calendar, integer only.

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** 'YYYY-MM-DD' → days since 1970-01-01. Throws CalendarInputError for anything that is not a real date. */
export function toDayNumber(date: string): number {
  if (typeof date !== 'string' || date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) {
    throw notADate(date);
  }
  const y0 = digit(date, 0);
  const y1 = digit(date, 1);
  const y2 = digit(date, 2);
  const y3 = digit(date, 3);
  const m0 = digit(date, 5);
  const m1 = digit(date, 6);
  const d0 = digit(date, 8);
  const d1 = digit(date, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) throw notADate(date);
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw notADate(date);
  return daysFromCivil(y, m, d);
}

const MIN_DAY = daysFromCivil(0, 1, 1);
const MAX_DAY = daysFromCivil(9999, 12, 31);
const PAD2: readonly string[] = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, '0'));

/** Year, month (1–12) and day of a day number. */
export function civilFromDayNumber(day: number): { year: number; month: number; day: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d };
}

/** Days since 1970-01-01 → 'YYYY-MM-DD'. Only years 0000–9999 have a YYYY form. */
export function fromDayNumber(day: number): string {
  if (!Number.isInteger(day) || day < MIN_DAY || day > MAX_DAY) {
    throw new CalendarInputError(`${describeValue(day)} is not a day number between ${MIN_DAY} and ${MAX_DAY}`);
  }
  const { year, month, day: d } = civilFromDayNumber(day);
  const yyyy = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  return yyyy + '-' + PAD2[month]! + '-' + PAD2[d]!;
}

/** The date n calendar days after (or, for negative n, before) date. */
export function addDays(date: string, n: number): string {
  return fromDayNumber(toDayNumber(date) + requireWholeNumber(n, 'n', 'days'));
}

/** 0 = Sunday … 6 = Saturday, as Date#getDay. 1970-01-01 was a Thursday. */
export function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekendDay(day: number): boolean {
  const w = dayOfWeek(day);
  return w === 0 || w === 6;
}

function requireWholeNumber(n: number, name: string, unit: string): number {
  if (!Number.isSafeInteger(n)) {
    throw new CalendarInputError(`${name} must be a whole number of ${unit}, e.g. 5; got ${describeValue(n)}`);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// "Today" in London. Servers run in UTC, so between midnight and 1am BST new Date() is still yesterday in UTC;
// a deadline "due today" must use the London date.

let londonFormatter: Intl.DateTimeFormat | undefined;

/** The Europe/London calendar date of an instant, as YYYY-MM-DD. */
export function londonToday(at: Date = new Date()): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new CalendarInputError(`${describeValue(at)} is not a valid instant; pass a Date, e.g. new Date()`);
  }
  londonFormatter ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  let y = '';
  let m = '';
  let d = '';
  for (const part of londonFormatter.formatToParts(at)) {
    if (part.type === 'year') y = part.value;
    else if (part.type === 'month') m = part.value;
    else if (part.type === 'day') d = part.value;
  }
  return `${y.padStart(4, '0')}-${m}-${d}`;
}

// ---------------------------------------------------------------------------------------------------------
// Divisions. gov.uk publishes three lists; the keys are its division names. Only England and Wales is
// configured: Scotland and Northern Ireland need their own published lists and date-holidays states (SCT, NIR).

export type Division = 'england-and-wales' | 'scotland' | 'northern-ireland';

export interface DivisionConfig {
  readonly division: Division;
  /** The official list, used verbatim for the years it covers. */
  readonly published: readonly PublishedBankHoliday[];
  readonly firstPublishedYear: number;
  readonly lastPublishedYear: number;
  /** Where to compute years outside the published list: date-holidays country and state codes. */
  readonly dateHolidays: { readonly country: string; readonly state: string };
  /** One-off holidays outside the published list that the date-holidays rules lack. */
  readonly proclaimed: readonly ProclaimedBankHoliday[];
}

export interface BankHoliday {
  readonly date: string;
  readonly title: string;
  /** True when the holiday was moved off a weekend (gov.uk: "Substitute day"). */
  readonly substitute: boolean;
  /** Whether the date came from the published list or was computed. */
  readonly source: 'published' | 'computed';
}

export const DIVISIONS: Readonly<Partial<Record<Division, DivisionConfig>>> = Object.freeze({
  'england-and-wales': {
    division: 'england-and-wales',
    published: ENGLAND_AND_WALES_BANK_HOLIDAYS,
    firstPublishedYear: ENGLAND_AND_WALES_FIRST_PUBLISHED_YEAR,
    lastPublishedYear: ENGLAND_AND_WALES_LAST_PUBLISHED_YEAR,
    dateHolidays: { country: 'GB', state: 'ENG' },
    proclaimed: ENGLAND_AND_WALES_PROCLAIMED_BEFORE_LIST,
  },
});

/** Years the O(1) working-day index covers. Wide enough for any live case and for dates of birth of 0–25s. */
export const DEFAULT_INDEX_YEARS = Object.freeze({ first: 1990, last: 2100 });

type Holidays = InstanceType<typeof HolidaysClass>;

// date-holidays takes ~100 ms to load all countries' rules, and most runs (e.g. the web server between
// deadline checks) never need a year outside the published list, so it is required on first use only.
const requireCjs = createRequire(import.meta.url);

interface WorkingDayIndex {
  /** Day number of the first indexed day (1 January of the first year). */
  readonly base: number;
  /** Number of indexed days. */
  readonly length: number;
  /** working[i] is 1 when day base+i is a working day. */
  readonly working: Uint8Array;
  /** cum[i] = working days among the first i indexed days, so working days in (a, b] is cum[b+1] − cum[a+1]. */
  readonly cum: Int32Array;
  /** nth[k] = offset of the working day with exactly k working days before it in the index. */
  readonly nth: Int32Array;
}

export class Calendar {
  readonly division: Division;
  readonly firstYear: number;
  readonly lastYear: number;
  private readonly config: DivisionConfig;
  private index: WorkingDayIndex | undefined;
  private holidays: Holidays | undefined;
  private readonly publishedByYear = new Map<number, BankHoliday[]>();
  private readonly computedByYear = new Map<number, readonly BankHoliday[]>();

  constructor(config: DivisionConfig, years: { first: number; last: number } = DEFAULT_INDEX_YEARS) {
    if (!Number.isInteger(years.first) || !Number.isInteger(years.last) || years.first > years.last) {
      throw new CalendarInputError(`index years ${years.first}–${years.last} are not a range of whole years`);
    }
    this.config = config;
    this.division = config.division;
    this.firstYear = years.first;
    this.lastYear = years.last;
    for (const h of config.published) {
      const year = Number(h.date.slice(0, 4));
      let list = this.publishedByYear.get(year);
      if (!list) {
        list = [];
        this.publishedByYear.set(year, list);
      }
      list.push(
        Object.freeze({ date: h.date, title: h.title, substitute: h.notes === 'Substitute day', source: 'published' }),
      );
    }
  }

  /** First and last dates that the working-day functions accept. */
  get range(): { first: string; last: string } {
    return { first: `${this.firstYear}-01-01`, last: `${this.lastYear}-12-31` };
  }

  /** The year's bank holidays in date order: the published list where it covers the year, else computed. */
  bankHolidaysIn(year: number): readonly BankHoliday[] {
    checkYear(year);
    if (year >= this.config.firstPublishedYear && year <= this.config.lastPublishedYear) {
      return this.publishedByYear.get(year) ?? [];
    }
    return this.computedBankHolidays(year);
  }

  /**
   * The year's bank holidays by rule (date-holidays plus the known proclamations), ignoring the published
   * list. Public so the tests can hold the rules against the list.
   */
  computedBankHolidays(year: number): readonly BankHoliday[] {
    checkYear(year);
    const cached = this.computedByYear.get(year);
    if (cached) return cached;
    if (!this.holidays) {
      const Holidays = requireCjs('date-holidays') as typeof HolidaysClass;
      const { country, state } = this.config.dateHolidays;
      this.holidays = new Holidays(country, state, { types: ['public'], languages: 'en' });
    }
    const byDate = new Map<string, BankHoliday>();
    for (const h of this.holidays.getHolidays(year)) {
      if (h.type !== 'public') continue;
      const date = h.date.slice(0, 10);
      // date-holidays lists a holiday on the weekend day it nominally falls on and, separately, its
      // substitute weekday flagged `substitute`. gov.uk lists only the weekday actually taken, and a
      // weekend date changes no working-day count, so the weekend entry is dropped.
      if (isWeekendDay(toDayNumber(date))) continue;
      const substitute = h.substitute === true;
      const title = h.name.replace(/ \(substitute day\)$/, '').replaceAll("'", '’');
      byDate.set(date, Object.freeze({ date, title, substitute, source: 'computed' }));
    }
    for (const p of this.config.proclaimed) {
      if (Number(p.date.slice(0, 4)) !== year) continue;
      if (p.replaces) byDate.delete(p.replaces);
      byDate.set(p.date, Object.freeze({ date: p.date, title: p.title, substitute: false, source: 'computed' }));
    }
    const list = Object.freeze([...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)));
    this.computedByYear.set(year, list);
    return list;
  }

  // --- day-number API (hot paths) -------------------------------------------------------------------------

  isWorkingDayNum(day: number): boolean {
    const ix = this.index ?? this.buildIndex();
    return ix.working[this.offset(ix, day)] === 1;
  }

  /**
   * The n-th working day after day (n > 0), or before it (n < 0). n = 0 returns day itself, working or not:
   * "0 working days after" a Saturday is that Saturday.
   */
  addWorkingDaysNum(day: number, n: number): number {
    const ix = this.index ?? this.buildIndex();
    const i = this.offset(ix, day);
    if (!Number.isSafeInteger(n)) requireWholeNumber(n, 'n', 'working days');
    if (n === 0) return day;
    const k = n > 0 ? ix.cum[i + 1]! + n - 1 : ix.cum[i]! + n;
    if (k < 0 || k >= ix.nth.length) {
      throw new CalendarInputError(
        `${n} working days from ${fromDayNumber(day)} falls outside the working-day calendar, which covers ` +
          `${this.range.first} to ${this.range.last}`,
      );
    }
    return ix.base + ix.nth[k]!;
  }

  /** Working days after from, up to and including to; negative when to is before from. */
  workingDaysBetweenNum(from: number, to: number): number {
    const ix = this.index ?? this.buildIndex();
    return ix.cum[this.offset(ix, to) + 1]! - ix.cum[this.offset(ix, from) + 1]!;
  }

  // --- string API -------------------------------------------------------------------------------------------

  isWorkingDay(date: string): boolean {
    return this.isWorkingDayNum(toDayNumber(date));
  }

  addWorkingDays(date: string, n: number): string {
    return fromDayNumber(this.addWorkingDaysNum(toDayNumber(date), n));
  }

  workingDaysBetween(from: string, to: string): number {
    return this.workingDaysBetweenNum(toDayNumber(from), toDayNumber(to));
  }

  private offset(ix: WorkingDayIndex, day: number): number {
    const i = day - ix.base;
    if (i >= 0 && i < ix.length && (i | 0) === i) return i;
    if (!Number.isInteger(day)) {
      throw new CalendarInputError(`${describeValue(day)} is not a day number; use toDayNumber('${EXAMPLE_DATE}')`);
    }
    const shown = day >= MIN_DAY && day <= MAX_DAY ? JSON.stringify(fromDayNumber(day)) : `Day number ${day}`;
    throw new CalendarInputError(
      `${shown} is outside the working-day calendar, which covers ${this.range.first} to ${this.range.last}`,
    );
  }

  private buildIndex(): WorkingDayIndex {
    const base = daysFromCivil(this.firstYear, 1, 1);
    const length = daysFromCivil(this.lastYear + 1, 1, 1) - base;
    const working = new Uint8Array(length);
    for (let i = 0; i < length; i++) working[i] = isWeekendDay(base + i) ? 0 : 1;
    for (let year = this.firstYear; year <= this.lastYear; year++) {
      for (const h of this.bankHolidaysIn(year)) working[toDayNumber(h.date) - base] = 0;
    }
    const cum = new Int32Array(length + 1);
    let count = 0;
    for (let i = 0; i < length; i++) {
      cum[i] = count;
      count += working[i]!;
    }
    cum[length] = count;
    const nth = new Int32Array(count);
    for (let i = 0, k = 0; i < length; i++) if (working[i] === 1) nth[k++] = i;
    this.index = { base, length, working, cum, nth };
    return this.index;
  }
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new CalendarInputError(`${describeValue(year)} is not a year; use four digits, e.g. 2026`);
  }
}

const calendars = new Map<Division, Calendar>();

/** The shared calendar for a division. Throws for divisions not configured yet. */
export function calendarFor(division: Division): Calendar {
  let calendar = calendars.get(division);
  if (!calendar) {
    const config = DIVISIONS[division];
    if (!config) {
      throw new CalendarInputError(
        `bank holidays for ${JSON.stringify(division)} are not configured; use "england-and-wales"`,
      );
    }
    calendar = new Calendar(config);
    calendars.set(division, calendar);
  }
  return calendar;
}

// England and Wales is the only division in use, so the plain functions below use it.
const ew = calendarFor('england-and-wales');

/** The n-th working day (England and Wales) after date; n = 0 returns date itself; negative n counts back. */
export function addWorkingDays(date: string, n: number): string {
  return ew.addWorkingDays(date, n);
}

/** Working days (England and Wales) after from, up to and including to; negative when to is before from. */
export function workingDaysBetween(from: string, to: string): number {
  return ew.workingDaysBetween(from, to);
}

/** Monday to Friday and not an England-and-Wales bank holiday. */
export function isWorkingDay(date: string): boolean {
  return ew.isWorkingDay(date);
}

/** England-and-Wales bank holidays of a year, in date order. */
export function bankHolidaysIn(year: number): readonly BankHoliday[] {
  return ew.bankHolidaysIn(year);
}

export function addWorkingDaysNum(day: number, n: number): number {
  return ew.addWorkingDaysNum(day, n);
}

export function workingDaysBetweenNum(from: number, to: number): number {
  return ew.workingDaysBetweenNum(from, to);
}

export function isWorkingDayNum(day: number): boolean {
  return ew.isWorkingDayNum(day);
}
