// Frozen once landed: add a new migration rather than editing this one.
// Issue 14 part 3, scheduled reports: a user's subscription to a list or dashboard by email, weekly (Mondays) or
// monthly (the 1st), with the filters as saved (ids and choices only, never personal data); one run row per
// subscription per period, written in the transaction that queues the email, so each is sent once. The Cumbria
// weekly EHCP report becomes the `ehcp-weekly` subscription of every SEND manager: given here to those of today, and
// by the subscriptions job to later ones (subscription_defaults records it was given, so an unsubscribe stays).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE subscriptions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      user_id uuid NOT NULL,
      list_key text NOT NULL CHECK (list_key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      filters jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(filters) = 'object'),
      frequency text NOT NULL CHECK (frequency IN ('weekly', 'monthly')),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, id),
      UNIQUE (authority_id, user_id, list_key, filters, frequency),
      FOREIGN KEY (authority_id, user_id) REFERENCES users (authority_id, id) ON DELETE CASCADE
    );

    -- One row per subscription per period (the Monday of the London week, or the 1st of the month): sent, or skipped
    -- and why (no personal data), claimed in the transaction that queues the email.
    CREATE TABLE subscription_runs (
      authority_id uuid NOT NULL,
      subscription_id uuid NOT NULL,
      period_start date NOT NULL,
      outcome text NOT NULL
        CHECK (outcome IN ('sent', 'skipped-inactive', 'skipped-capability', 'skipped-list-gone', 'skipped-error')),
      run_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (authority_id, subscription_id, period_start),
      FOREIGN KEY (authority_id, subscription_id) REFERENCES subscriptions (authority_id, id) ON DELETE CASCADE
    );

    -- A subscription given by default (a SEND manager's weekly EHCP report) once per user and list.
    CREATE TABLE subscription_defaults (
      authority_id uuid NOT NULL,
      user_id uuid NOT NULL,
      list_key text NOT NULL,
      given_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (authority_id, user_id, list_key),
      FOREIGN KEY (authority_id, user_id) REFERENCES users (authority_id, id) ON DELETE CASCADE
    );

    INSERT INTO subscriptions (authority_id, user_id, list_key, frequency)
      SELECT authority_id, id, 'ehcp-weekly', 'weekly' FROM users
      WHERE active AND roles @> ARRAY['send_manager']::text[];
    INSERT INTO subscription_defaults (authority_id, user_id, list_key)
      SELECT authority_id, user_id, list_key FROM subscriptions WHERE list_key = 'ehcp-weekly';
    -- A week the old job already sent is not sent again by the new one.
    INSERT INTO subscription_runs (authority_id, subscription_id, period_start, outcome, run_at)
      SELECT s.authority_id, s.id, r.week_start, 'sent', r.sent_at
      FROM subscriptions s JOIN ehcp_weekly_report_runs r ON r.authority_id = s.authority_id
      WHERE s.list_key = 'ehcp-weekly'
        AND r.week_start = (now() AT TIME ZONE 'Europe/London')::date
          - ((extract(isodow FROM (now() AT TIME ZONE 'Europe/London')::date)::int - 1));
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reversed; restore from a backup instead.');
}
