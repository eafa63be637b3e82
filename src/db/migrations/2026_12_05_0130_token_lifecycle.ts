// Frozen once landed: add a new migration rather than editing this one.
// Issue 9 finding 9: API tokens expire, record when they were last used, and can be revoked one at a time.
// The token's name is the existing `label` column (shown as "Name"); revoked_at already existed.
// Tokens made before this migration expire 90 days after it runs, so no integration stops without warning.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz NOT NULL DEFAULT now() + interval '90 days';
    ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;
    CREATE INDEX api_tokens_user_idx ON api_tokens(user_id, created_at);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reversed; restore from a backup instead.');
}
