// Frozen once landed: add a new migration rather than editing this one.
// Issue 11 (defect 7): a status ends on a date the worker gives, with a reason, after a confirmation. The reason is
// kept on the status; statuses ended before this migration have none.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE person_statuses ADD COLUMN end_reason text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE person_statuses DROP COLUMN end_reason`.execute(db);
}
