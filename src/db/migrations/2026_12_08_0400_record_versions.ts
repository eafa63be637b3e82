// Frozen once landed: add a new migration rather than editing this one.
// Issue 15 item 8 (lost updates): the council, its services, teams, users and transfer points get a version, as
// people and plans have, so that two administrators saving the same record at once cannot both win: the second
// save sends the version it read, finds it changed, and is refused (409) instead of overwriting the first.
import { type Kysely, sql } from 'kysely';

const TABLES = ['authorities', 'services', 'teams', 'users', 'transfer_points'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const t of TABLES) await sql`ALTER TABLE ${sql.table(t)} ADD COLUMN version int NOT NULL DEFAULT 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of TABLES) await sql`ALTER TABLE ${sql.table(t)} DROP COLUMN version`.execute(db);
}
