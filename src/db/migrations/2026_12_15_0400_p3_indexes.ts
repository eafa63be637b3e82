// Frozen once landed: add a new migration rather than editing this one.
// Issue 14 part 6, quality.md P3: covering indexes for the radar and the gap-vs-capacity register over one council of
// 500,000 (bench/national-db.ts). Times are EXPLAIN (ANALYZE) on that database at load average 2–7, before → after:
// - involvements_person_open_idx: the radar's "has an open involvement" check (inArea in
//   src/modules/radar/repository.ts), one index-only probe per person instead of hashing all 583,000 open
//   involvements. With the two below, the turning-18 list: 935 ms → 270 ms.
// - people_dob_cover_idx: the age lists read people by council and date of birth; INCLUDE (id, locality_id) makes it
//   index-only (the heap read of 19,500 people was 330 ms of the 935).
// - plans_person_cover_idx: the turning-18 list's pathway/provision flags, index-only per person (was a seq scan of
//   500,000 plans).
// - plan_actions_issue_cover_idx: the register (transitions `register`) groups the 4 in 100 actions that are a gap or
//   capacity issue; plan_actions_issue_idx found them but each was a heap read. Index-only: 802 ms → 226 ms.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX involvements_person_open_idx ON involvements (person_id) INCLUDE (team_id) WHERE end_date IS NULL;
    CREATE INDEX people_dob_cover_idx ON people (authority_id, date_of_birth) INCLUDE (id, locality_id);
    CREATE INDEX plans_person_cover_idx ON plans (person_id) INCLUDE (id, pathway_agreed, provision_in_place);
    CREATE INDEX plan_actions_issue_cover_idx ON plan_actions (authority_id)
      INCLUDE (issue_type, issue_service_id, owner_service_id, commissioning_area, status, due_date, person_id)
      WHERE issue_type IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX plan_actions_issue_cover_idx;
    DROP INDEX plans_person_cover_idx;
    DROP INDEX people_dob_cover_idx;
    DROP INDEX involvements_person_open_idx;
  `.execute(db);
}
