// Frozen once landed: add a new migration rather than editing this one.
// Issue 14 part 6, quality.md P2: the managers' dashboards at county scale (bench/p2-my-work.ts row P2d, the busiest
// team manager's biggest team, 1,810 open cases). A team's figures read its young people (an open involvement with
// the team) and then their open plan actions:
// - plan_actions_person_open_idx: the open actions of one person, index-only for every column the dashboard counts
//   (gap/capacity, no owner, overdue). Before it the "blocked by" and gap figures read every open action of the
//   council (a parallel sequential scan of 140,000 rows) and kept the team's.
// - involvements_team_open_person_idx: a team's open involvements with their person and worker, index-only (the
//   scope's young people, and its unallocated children).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX plan_actions_person_open_idx ON plan_actions (person_id)
      INCLUDE (authority_id, issue_type, owner_user_id, owner_service_id, due_date)
      WHERE status IN ('not_started','in_progress');
    CREATE INDEX involvements_team_open_person_idx ON involvements (team_id) INCLUDE (person_id, worker_id)
      WHERE end_date IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX involvements_team_open_person_idx;
    DROP INDEX plan_actions_person_open_idx;
  `.execute(db);
}
