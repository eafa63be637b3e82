// Frozen once landed: add a new migration rather than editing this one.
// Issue 14 part 1, the transitions radar: a plan's review meetings held, newest first. The radar's preparing-for-
// adulthood list reads each Year 9+ plan's latest meeting held since the start of Year 9, and its phase-transfer list
// looks for a decided review of each plan in the transfer window; ehc_reviews had no index by plan_id for reviews that
// are no longer open (only ehc_reviews_one_open), so each plan's look-up read the table. Not partial: the
// phase-transfer look-up does not filter on the meeting date.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX ehc_reviews_plan_held_idx ON ehc_reviews (plan_id, meeting_held_date DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX ehc_reviews_plan_held_idx;`.execute(db);
}
