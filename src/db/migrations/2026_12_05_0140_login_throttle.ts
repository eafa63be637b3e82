// Frozen once landed: add a new migration rather than editing this one.
// Issue 9 finding 6: sign-in throttling counted in one row per key, updated under its row lock, so parallel guesses
// cannot all read "under the limit" before any of them is counted (docs/decisions.md, "Sign-in throttling").
// A key is a SHA-256 of what it counts (an account at an address, an address, an account): no email in clear.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE login_throttle (
      key text PRIMARY KEY,
      -- The fixed one-minute window: it starts at the first failure and is never moved by a refused attempt.
      window_start timestamptz NOT NULL,
      -- Failures in the window, plus attempts whose password is being checked right now (released on success).
      failures integer NOT NULL CHECK (failures >= 0)
    );
    CREATE INDEX login_throttle_window_idx ON login_throttle(window_start);
    -- One row per failure, counted after the fact: replaced by login_throttle.
    DROP TABLE login_failures;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE login_throttle;
    CREATE TABLE login_failures (
      id bigserial PRIMARY KEY,
      subject text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX login_failures_subject_at_idx ON login_failures(subject, at);
  `.execute(db);
}
