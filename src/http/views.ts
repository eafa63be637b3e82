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

/** A moment's London time the GOV.UK way: '10:05am', '3:30pm'. */
export function formatTime(value: Date): string {
  const parts = londonTime.formatToParts(value);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = part('hour') === '0' ? '12' : part('hour');
  return `${hour}:${part('minute')}${part('dayPeriod').toLowerCase().replace(/[^ap]/g, '')}m`;
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
    return `${londonDate.format(value)}, ${formatTime(value)}`;
  }
  const [y, m, d] = value.split('-').map(Number);
  return londonDate.format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12)));
}

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
