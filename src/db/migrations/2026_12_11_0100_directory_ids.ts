// Frozen once landed: add a new migration rather than editing this one.
// Issue 17: a staff account's id in the council's directory (Entra ID's object id, sent by provisioning as SCIM's
// externalId and matched to the `oid` of a first sign-in) and its department, from which provisioning picks a team.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE users ADD COLUMN external_id text, ADD COLUMN department text`.execute(db);
  await sql`CREATE UNIQUE INDEX users_external_id ON users (authority_id, external_id) WHERE external_id IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX users_external_id`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN external_id, DROP COLUMN department`.execute(db);
}
