// Frozen once landed: add a new migration rather than editing this one.
// Issue 14 part 4, the SEN2 return: why a young person's unique pupil number (UPN) is not known, as the DfE's
// UPNunknown code (the list is data in src/modules/sen2/codes.ts, so it is checked there, not here). A record holds a
// UPN or a reason, never both; either may be missing (the SEN2 validation report lists a young person with neither).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE people
      ADD COLUMN upn_unknown text,
      ADD CONSTRAINT people_upn_or_reason CHECK (upn IS NULL OR upn_unknown IS NULL);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE people DROP CONSTRAINT people_upn_or_reason, DROP COLUMN upn_unknown;`.execute(db);
}
