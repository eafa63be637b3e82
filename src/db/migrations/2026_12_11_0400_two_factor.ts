// Frozen once landed: add a new migration rather than editing this one.
// Issue 17 (two-factor sign-in): a user's authenticator (TOTP) factor, their single-use recovery codes (hashes only)
// and the short-lived challenge between a correct password and the second factor (hash of its cookie token only).
// The TOTP secret is kept as the authenticator app has it (base32): docs/decisions.md says why it is not encrypted.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE two_factor_factors (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      authority_id uuid NOT NULL REFERENCES authorities(id),
      secret text NOT NULL,
      -- The newest 30-second time step a code was accepted for: a code is good once (replays are refused).
      last_used_step bigint,
      confirmed_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE two_factor_recovery_codes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      code_hash text NOT NULL UNIQUE,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX two_factor_recovery_codes_user_idx ON two_factor_recovery_codes (user_id);
    CREATE TABLE two_factor_challenges (
      token_hash text PRIMARY KEY,
      authority_id uuid NOT NULL REFERENCES authorities(id),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      -- While enrolling: the secret offered on the set-up page, kept only until a code from it is confirmed.
      pending_secret text,
      -- Set once enrolment is confirmed: the recovery codes have been shown and the next step is the session.
      enrolled_at timestamptz,
      attempts int NOT NULL DEFAULT 0,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX two_factor_challenges_user_idx ON two_factor_challenges (user_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE two_factor_challenges, two_factor_recovery_codes, two_factor_factors`.execute(db);
}
