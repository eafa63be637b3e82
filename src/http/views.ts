import type { Environment } from 'nunjucks';
import { PERSON_STATUSES, ROLES, SERVICE_KINDS } from '../domain/roles.ts';

const londonDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** '2026-12-22' → '22 December 2026' (GOV.UK style); a Date → its London date and time. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  if (value instanceof Date) return londonDateTime.format(value).replace(' at ', ', ');
  const [y, m, d] = value.split('-').map(Number);
  return londonDate.format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12)));
}

export function configureNunjucks(env: Environment) {
  env.addFilter('date', formatDate);
  env.addFilter('isoTime', (v: Date | null) => (v ? v.toISOString() : ''));
  env.addFilter('statusLabel', (s: string) => PERSON_STATUSES[s as keyof typeof PERSON_STATUSES] ?? s);
  env.addFilter('roleLabel', (r: string) => ROLES[r as keyof typeof ROLES]?.label ?? r);
  env.addFilter('serviceKindLabel', (k: string) => SERVICE_KINDS[k as keyof typeof SERVICE_KINDS] ?? k);
  env.addGlobal('serviceName', 'Handover');
}
