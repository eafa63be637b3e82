// Frozen once landed: add a new migration rather than editing this one.
// Issue 11 (defect 6, separation of duties): who last wrote a transfer's summary, so that the same person cannot
// also quality-assure the file (Kent 5.1: the allocated worker writes it, the supervising manager assures it).
// Summaries written before this migration have no writer recorded.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE transfers ADD COLUMN summary_written_by uuid REFERENCES users(id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE transfers DROP COLUMN summary_written_by`.execute(db);
}
