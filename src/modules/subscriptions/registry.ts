// The lists and dashboards a user can subscribe to by email (issue 14 part 3). Each module registers what it offers
// at wiring time, as it registers timer handlers and scheduled jobs; the subscriptions module knows none of them.
// An email carries a link (which needs sign-in) and counts only: `counts` must return aggregates, never names, dates of
// birth or identifiers, and the labels are fixed text of the module's own (canary tests check the emails).
import type { Executor } from '../../db/database.ts';
import type { ReportsDb } from '../../db/reports.ts';
import type { AuthUser } from '../../http/types.ts';

export interface SubscribableContext {
  authorityId: string;
  /** The subscriber: counts are scoped to what this user may see, or are aggregate for the whole council. */
  userId: string;
  /** The subscription's filters as saved (the module's own query fields, already checked by `checkFilters`). */
  filters: Record<string, string>;
  /** Today in London, YYYY-MM-DD. */
  today: string;
  db: Executor;
  /** Where report figures are read (the replica when there is one). */
  reports: ReportsDb;
}

export interface SubscribableCount {
  /** Fixed text, e.g. "Turning 18 within 6 months without an agreed adult pathway". */
  label: string;
  count: number;
}

export interface Subscribable {
  /** Stable key stored with each subscription: lower case and dashes, e.g. "radar", "dashboard-team". */
  key: string;
  /** What the subscription page and the email call it. */
  title: string;
  /** The capability a user needs to subscribe (checked again when each email is sent). */
  capability: string;
  /** The page the email links to, with the filters as its query string (ids only, never personal data). */
  path(filters: Record<string, string>): string;
  /**
   * Checks filters from a form or the API against the council (e.g. that a team is one of its own) and, where the
   * list is the subscriber's own view (a dashboard), against what `user` may open; returns the filters to save, or
   * field errors naming the field and the fix.
   */
  checkFilters(
    db: Executor,
    authorityId: string,
    raw: Record<string, unknown>,
    user: AuthUser,
  ): Promise<{ ok: true; filters: Record<string, string> } | { ok: false; errors: Record<string, string> }>;
  /** Words for the saved filters, for the subscription list and the email, e.g. "Team: North 16+". */
  describeFilters(db: Executor, authorityId: string, filters: Record<string, string>): Promise<string>;
  counts(ctx: SubscribableContext): Promise<SubscribableCount[]>;
  /**
   * Given once to every active user holding this role (by the subscriptions job, and when they open their
   * subscriptions), with no filters: e.g. the SEND managers' weekly EHCP report. Unsubscribing stays.
   */
  defaultFor?: { role: string; frequency: 'weekly' | 'monthly' };
}

const offered = new Map<string, Subscribable>();

/**
 * Registers a list or dashboard that can be subscribed to; returns a function that unregisters it (for tests).
 * Registering the same object again does nothing (every app and worker built in one process wires its modules).
 */
export function registerSubscribable(s: Subscribable): () => void {
  if (offered.get(s.key) === s) return () => {};
  if (offered.has(s.key)) throw new Error(`A subscribable list called "${s.key}" is already registered.`);
  offered.set(s.key, s);
  return () => {
    if (offered.get(s.key) === s) offered.delete(s.key);
  };
}

export function subscribable(key: string): Subscribable | undefined {
  return offered.get(key);
}

export function subscribables(): Subscribable[] {
  return [...offered.values()];
}
