// Frozen once landed: add a new migration rather than editing this one.
// Issue 16 parts 4 and 5.
// 1. involvements_worker_open_idx (worker_id) WHERE end_date IS NULL also held the open involvements with no worker,
//    so for My work's unallocated list (worker_id IS NULL, the team's, oldest first) the planner kept choosing it
//    over involvements_unallocated_team_idx. Every query that filters involvements by worker asks for one worker
//    (or a set of them): none needs those rows, so the index now holds allocated open involvements only.
// 2. Finding people by name (src/modules/people/search.ts) matches each word as a prefix of the given, family or
//    preferred name, lower-cased: one prefix index each (text_pattern_ops, so LIKE 'word%' uses it whatever the
//    database's collation), per authority.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX involvements_worker_open_idx;
    CREATE INDEX involvements_worker_open_idx ON involvements (worker_id)
      WHERE end_date IS NULL AND worker_id IS NOT NULL;
    CREATE INDEX people_family_name_prefix_idx ON people (authority_id, lower(family_name) text_pattern_ops);
    CREATE INDEX people_given_name_prefix_idx ON people (authority_id, lower(given_name) text_pattern_ops);
    CREATE INDEX people_preferred_name_prefix_idx ON people (authority_id, lower(preferred_name) text_pattern_ops)
      WHERE preferred_name IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX people_preferred_name_prefix_idx;
    DROP INDEX people_given_name_prefix_idx;
    DROP INDEX people_family_name_prefix_idx;
    DROP INDEX involvements_worker_open_idx;
    CREATE INDEX involvements_worker_open_idx ON involvements (worker_id) WHERE end_date IS NULL;
  `.execute(db);
}
