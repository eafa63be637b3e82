// Whether a mentor may be matched: every required check recorded and in date on the match date, and room left.
// A check that expires within 30 days is a warning (the mentors page lists it); an expired or missing one refuses
// the match with a message naming the check and the date.
import { addDays } from '../../domain/calendar.ts';
import { formatDate } from '../../http/views.ts';
import { CHECK_TYPES } from './schemas.ts';

export const EXPIRY_WARNING_DAYS = 30;

type CheckType = keyof typeof CHECK_TYPES;

export interface CheckRow {
  check_type: CheckType;
  expires_on: string;
}

/** The latest expiry of each check type (the newest check of a type is the one that counts). */
export function latestChecks(checks: readonly CheckRow[]): Map<CheckType, string> {
  const out = new Map<CheckType, string>();
  for (const c of checks) {
    const had = out.get(c.check_type);
    if (!had || c.expires_on > had) out.set(c.check_type, c.expires_on);
  }
  return out;
}

export interface CheckStatus {
  type: CheckType;
  label: string;
  expires_on: string | null;
  state: 'missing' | 'expired' | 'expiring' | 'valid';
}

/** Each required check's state on `on`. */
export function checkStatuses(checks: readonly CheckRow[], on: string): CheckStatus[] {
  const latest = latestChecks(checks);
  const soon = addDays(on, EXPIRY_WARNING_DAYS);
  return (Object.keys(CHECK_TYPES) as CheckType[]).map((type) => {
    const expires = latest.get(type) ?? null;
    const state = !expires ? 'missing' : expires <= on ? 'expired' : expires <= soon ? 'expiring' : 'valid';
    return { type, label: CHECK_TYPES[type], expires_on: expires, state };
  });
}

/** A check's name inside a sentence: 'Enhanced DBS check' → 'enhanced DBS check'. */
const inSentence = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

/** Why this mentor cannot be matched on `on`, or null when they can. */
export function matchProblem(
  mentor: { name: string; active: boolean; capacity: number; active_matches: number },
  checks: readonly CheckRow[],
  on: string,
): string | null {
  if (!mentor.active) return `${mentor.name} is no longer an active mentor: choose another mentor`;
  for (const c of checkStatuses(checks, on)) {
    if (c.state === 'missing')
      return `${mentor.name} has no ${inSentence(c.label)} recorded: record it on their mentor page, or choose another mentor`;
    if (c.state === 'expired')
      return `${mentor.name}’s ${inSentence(c.label)} expired on ${formatDate(c.expires_on ?? on)}: record a new one on their mentor page, or choose another mentor`;
  }
  if (mentor.active_matches >= mentor.capacity)
    return `${mentor.name} has no capacity (${mentor.active_matches} of ${mentor.capacity} young people): choose another mentor`;
  return null;
}

/** Warnings for checks expiring within 30 days of `on`. */
export function expiryWarnings(name: string, checks: readonly CheckRow[], on: string): string[] {
  return checkStatuses(checks, on)
    .filter((c) => c.state === 'expiring')
    .map((c) => `${name}’s ${inSentence(c.label)} expires on ${formatDate(c.expires_on ?? on)}`);
}
