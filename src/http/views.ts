import type { Environment } from 'nunjucks';
import { PERSON_STATUSES, ROLES, SERVICE_KINDS } from '../domain/roles.ts';

const londonDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** The months' names as Intl's en-GB long date writes them. */
const MONTHS = Array.from({ length: 12 }, (_, m) =>
  new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, m, 15)),
);
const HOUR = 3_600_000;
const summerTime = new Map<number, readonly [number, number]>();

/** 01:00 UTC on the last Sunday of a month (0-based): when the UK's clocks change. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * 24 * HOUR;
}

/**
 * The moment as London's wall clock, in a Date's UTC fields, without Intl (a tenth of its cost: the record page
 * writes 25 of these): British Summer Time from 01:00 UTC on the last Sunday of March to the last Sunday of October,
 * the rule since 1996 that tzdata also holds for later years. Null outside 1997–2099: Intl answers those.
 */
function londonClock(value: Date): Date | null {
  const t = value.getTime();
  const year = value.getUTCFullYear();
  if (year < 1997 || year > 2099) return null;
  let bst = summerTime.get(year);
  if (!bst) {
    bst = [lastSunday(year, 2), lastSunday(year, 9)] as const;
    summerTime.set(year, bst);
  }
  return new Date(t >= bst[0] && t < bst[1] ? t + HOUR : t);
}

const clockTime = (d: Date) => {
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  return `${hour % 12 || 12}:${minute < 10 ? '0' : ''}${minute}${hour < 12 ? 'am' : 'pm'}`;
};

/** The moment's London time by Intl: the reference the fast path is tested against (test/record-render.test.ts). */
export function formatTimeIntl(value: Date): string {
  const parts = londonTime.formatToParts(value);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = part('hour') === '0' ? '12' : part('hour');
  return `${hour}:${part('minute')}${part('dayPeriod').toLowerCase().replace(/[^ap]/g, '')}m`;
}

/** A moment's London time the GOV.UK way: '10:05am', '3:30pm'. */
export function formatTime(value: Date): string {
  const clock = londonClock(value);
  return clock ? clockTime(clock) : formatTimeIntl(value);
}

const ISO_DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * '2026-12-22' → '22 December 2026' (GOV.UK style); a moment (a Date, or an ISO date-time string such as a
 * `<time datetime>` value) → its London date and time, '22 December 2026, 10:05am'. Never the JavaScript
 * 'Tue Dec 22 2026 …' form.
 */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  if (typeof value === 'string' && !ISO_DATE_ONLY.test(value)) {
    const moment = new Date(value);
    return Number.isNaN(moment.getTime()) ? value : formatDate(moment);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const clock = londonClock(value);
    if (clock) return `${dayMonthYear(clock)}, ${clockTime(clock)}`;
    return `${londonDate.format(value)}, ${formatTimeIntl(value)}`;
  }
  const [y, m, d] = value.split('-').map(Number);
  const noon = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12));
  const year = noon.getUTCFullYear();
  return year >= 1000 && year <= 9999 ? dayMonthYear(noon) : londonDate.format(noon);
}

/** '3 April 2013' from a Date's UTC fields (as Intl's en-GB long date writes a four-digit year). */
const dayMonthYear = (d: Date) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;

/** A `<time datetime>` value: a Date's ISO form; a date-only string as it is. */
export function isoTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return value;
}

/**
 * Text with any ISO date in it ('due 2026-12-09') as people write dates ('due 9 December 2026'): for event text other
 * modules wrote with the ISO form (issue 11 defect 4). Only real dates change.
 */
export function readableDates(text: string | null | undefined): string {
  if (!text) return '';
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b(?!T)/g, (iso) => {
    const d = new Date(`${iso}T12:00:00Z`);
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? iso : formatDate(iso);
  });
}

export function configureNunjucks(env: Environment) {
  env.addFilter('readableDates', readableDates);
  env.addFilter('date', formatDate);
  env.addFilter('isoTime', isoTime);
  env.addFilter('time', (v: Date | null) => (v ? formatTime(v) : ''));
  env.addFilter('statusLabel', (s: string) => PERSON_STATUSES[s as keyof typeof PERSON_STATUSES] ?? s);
  env.addFilter('roleLabel', (r: string) => ROLES[r as keyof typeof ROLES]?.label ?? r);
  env.addFilter('serviceKindLabel', (k: string) => SERVICE_KINDS[k as keyof typeof SERVICE_KINDS] ?? k);
  env.addGlobal('serviceName', 'Handover');
}
