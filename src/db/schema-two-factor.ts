// Row types for issue 17's two-factor sign-in tables (migration 2026_12_11_0400_two_factor), in the Kysely style of schema.ts.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** A user's authenticator app: the base32 secret and the newest time step a code was accepted for. */
export interface TwoFactorFactorTable {
  user_id: string;
  authority_id: string;
  secret: string;
  /** bigint, read as a number (src/db/database.ts). */
  last_used_step: ColumnType<number | null, number | null | undefined, number | null>;
  confirmed_at: Timestamp;
  created_at: Timestamp;
}
/** Single-use recovery codes: only their SHA-256 hashes. */
export interface TwoFactorRecoveryCodeTable {
  id: Generated<string>;
  authority_id: string;
  user_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: Timestamp;
}
/** Between a correct password and the second factor: the hash of the challenge cookie's token. */
export interface TwoFactorChallengeTable {
  token_hash: string;
  authority_id: string;
  user_id: string;
  pending_secret: string | null;
  enrolled_at: Date | null;
  attempts: Generated<number>;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface TwoFactorTables {
  two_factor_factors: TwoFactorFactorTable;
  two_factor_recovery_codes: TwoFactorRecoveryCodeTable;
  two_factor_challenges: TwoFactorChallengeTable;
}
