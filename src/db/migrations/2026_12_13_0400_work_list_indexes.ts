// Frozen once landed: add a new migration rather than editing this one.
// Issue 16 part 4: indexes for My work and the timeline.
// 1. My work's "case waiting for a worker" rows: a team's open involvements with no worker, oldest first. The only
//    index was involvements_team_open_idx (team_id) WHERE end_date IS NULL, so the query read every open involvement
//    of the team (allocated ones too) and sorted them: 1,777 rows read to return 189 at county scale. This partial
//    index holds only the open unallocated ones, in start_date order per team.
// 2. The timeline pages by keyset on (at, id), newest first (GET /api/v1/people/:personId/timeline): the index now
//    ends in id as well, so a page starts where the last one stopped without reading or sorting the rows before it.
//    It replaces events_person_at_idx, which it covers.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX involvements_unallocated_team_idx ON involvements (team_id, start_date)
      WHERE end_date IS NULL AND worker_id IS NULL;
    CREATE INDEX events_person_at_id_idx ON events (person_id, at DESC, id DESC);
    DROP INDEX events_person_at_idx;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX events_person_at_idx ON events (person_id, at DESC);
    DROP INDEX events_person_at_id_idx;
    DROP INDEX involvements_unallocated_team_idx;
  `.execute(db);
}
