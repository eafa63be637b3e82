// Frozen once landed: add a new migration rather than editing this one.
// Issue 12 part 10 (domain-notes.md §2): every decision to share a young person's information, or not to, recorded
// on their record with what, with whom, when, why, the lawful basis (UK GDPR Art 6; for special-category data the
// Art 9 condition and the DPA 2018 Schedule 1 condition), consent, views, and who decided. Entries are append-only:
// a correction is a new entry naming the one it corrects (the trigger refuses UPDATE for every role; deleting the
// whole record still cascades). The older `information_sharing` ledger (written by transfers) is left as it is.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sharing_records (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      corrects_id uuid REFERENCES sharing_records(id) ON DELETE CASCADE,
      decision text NOT NULL CHECK (decision IN ('share','not_share','share_in_part')),
      what text NOT NULL CHECK (what <> ''),
      recipient_organisation text NOT NULL CHECK (recipient_organisation <> ''),
      recipient_role text,
      recipient_name text,
      decided_on date NOT NULL,
      purpose text NOT NULL CHECK (purpose <> ''),
      necessity text NOT NULL CHECK (necessity <> ''),
      lawful_basis text NOT NULL
        CHECK (lawful_basis IN ('public_task','legal_obligation','vital_interests','consent','legitimate_interests')),
      special_category boolean NOT NULL,
      art9_condition text,
      schedule1_condition text,
      consent text NOT NULL CHECK (consent IN ('with_consent','without_consent')),
      views text,
      person_told boolean NOT NULL,
      not_told_reason text,
      decided_by_name text,
      reasoning text NOT NULL CHECK (reasoning <> ''),
      recorded_by uuid NOT NULL REFERENCES users(id),
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT sharing_records_special CHECK (
        special_category = (art9_condition IS NOT NULL) AND special_category = (schedule1_condition IS NOT NULL)),
      CONSTRAINT sharing_records_told CHECK (person_told = (not_told_reason IS NULL))
    );
    CREATE INDEX sharing_records_person_idx ON sharing_records(person_id, decided_on DESC);
    CREATE INDEX sharing_records_authority_idx ON sharing_records(authority_id, decided_on DESC);
    CREATE TRIGGER sharing_records_unchanged BEFORE UPDATE ON sharing_records
      FOR EACH ROW EXECUTE FUNCTION refuse_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE sharing_records;`.execute(db);
}
