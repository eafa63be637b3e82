// Frozen once landed: add a new migration rather than editing this one.
// Issue 13 parts 2 and 3: the child's name as the setting gave it on the request. The setting's own pages show
// this, never the matched record's name (a UPN matched to a record must not tell the setting what the record says).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE support_requests ADD COLUMN child_name text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE support_requests DROP COLUMN child_name`.execute(db);
}
