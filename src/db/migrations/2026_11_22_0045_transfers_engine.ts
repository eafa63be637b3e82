// Frozen once landed: add a new migration rather than editing this one.
// Kent transfers on the protocol engine and across authorities on this installation: each transfer has the
// protocol instance that tracks its steps, and a transfer to a team of another authority here records that
// authority and, once completed, the receiving authority's copy of the record.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE transfers ADD COLUMN protocol_instance_id uuid REFERENCES protocol_instances(id);
    -- A team of another authority on this installation (to_team_id is then that authority's team).
    ALTER TABLE transfers ADD COLUMN to_authority_id uuid REFERENCES authorities(id);
    -- The receiving authority's record of the child, made when the transfer completes.
    ALTER TABLE transfers ADD COLUMN to_person_id uuid REFERENCES people(id);
    ALTER TABLE transfers ADD CONSTRAINT transfers_to_authority_has_team
      CHECK (to_authority_id IS NULL OR to_team_id IS NOT NULL);
    CREATE INDEX transfers_to_authority_open_idx ON transfers(to_authority_id)
      WHERE to_authority_id IS NOT NULL AND status IN ('sent','returned','accepted');
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reversed; restore from a backup instead.');
}
