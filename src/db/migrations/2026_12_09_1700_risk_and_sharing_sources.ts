// Frozen once landed: add a new migration rather than editing this one.
// Issue 12 parts 9 and 10. (1) An information-sharing entry may record why it corrects an earlier one (the form asks
// for a reason) and the decision it came from: a screening's level decision or a meeting's decision (source_kind,
// source_id; no foreign key, since either table may hold the id, and the entry outlives a deleted decision). (2) Partner entries on the single view of risk: police, health and
// education staff record what happened or what is known, with their agency and whether it is evidence or
// intelligence, within their relationship to the young person. Append-only like sharing_records.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE sharing_records
      ADD COLUMN source_kind text CHECK (source_kind IN ('screening','meeting')),
      ADD COLUMN source_id uuid,
      ADD COLUMN correction_reason text,
      ADD CONSTRAINT sharing_records_source CHECK ((source_kind IS NULL) = (source_id IS NULL));
    CREATE TABLE risk_partner_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      agency text NOT NULL CHECK (agency <> ''),
      occurred_on date NOT NULL,
      what text NOT NULL CHECK (what <> ''),
      source text NOT NULL CHECK (source IN ('evidence','intelligence')),
      recorded_by uuid NOT NULL REFERENCES users(id),
      recorded_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX risk_partner_entries_person_idx ON risk_partner_entries(person_id, occurred_on DESC);
    CREATE TRIGGER risk_partner_entries_unchanged BEFORE UPDATE ON risk_partner_entries
      FOR EACH ROW EXECUTE FUNCTION refuse_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE risk_partner_entries;
    ALTER TABLE sharing_records DROP CONSTRAINT sharing_records_source, DROP COLUMN correction_reason, DROP COLUMN source_id, DROP COLUMN source_kind;
  `.execute(db);
}
