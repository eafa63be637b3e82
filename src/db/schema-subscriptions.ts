// Row types for issue 14 part 3's scheduled reports (migration 2026_12_15_0200_subscriptions), in the Kysely style
// of schema.ts.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** A user's subscription to a list or dashboard by email. */
export interface SubscriptionTable {
  id: Generated<string>;
  authority_id: string;
  user_id: string;
  list_key: string;
  /** The list's own query fields (ids and choices only). */
  filters: ColumnType<Record<string, string>, string | undefined, string>;
  frequency: 'weekly' | 'monthly';
  created_at: Generated<Date>;
}

export type RunOutcome = 'sent' | 'skipped-inactive' | 'skipped-capability' | 'skipped-list-gone' | 'skipped-error';

/** One period's send of a subscription (or why it was skipped). */
export interface SubscriptionRunTable {
  authority_id: string;
  subscription_id: string;
  /** The Monday of the London week, or the 1st of the month. */
  period_start: string;
  outcome: RunOutcome;
  run_at: Timestamp;
}

/** A default subscription given once to a user (so that unsubscribing stays). */
export interface SubscriptionDefaultTable {
  authority_id: string;
  user_id: string;
  list_key: string;
  given_at: Timestamp;
}

export interface SubscriptionTables {
  subscriptions: SubscriptionTable;
  subscription_runs: SubscriptionRunTable;
  subscription_defaults: SubscriptionDefaultTable;
}
