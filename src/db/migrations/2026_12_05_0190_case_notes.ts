// Frozen once landed: add a new migration rather than editing this one.
// Issue 11 capability 9: case notes on a young person's record. A note is its versions: the first as written, each
// later one a correction with its reason. A version is never changed once written (the trigger refuses UPDATE for
// every role), so a correction can only add a version and the earlier ones stay readable. The note row holds which
// version is current (the optimistic lock a correction checks). Significant events (the chronology) are the notes
// whose current version is marked significant, with a one-line summary.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_notes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      -- The current version's number: a correction names the version it corrects, and a stale one is refused.
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX case_notes_person_idx ON case_notes(person_id);
    CREATE INDEX case_notes_authority_idx ON case_notes(authority_id);

    CREATE TABLE case_note_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      note_id uuid NOT NULL REFERENCES case_notes(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      version integer NOT NULL CHECK (version >= 1),
      note_type text NOT NULL
        CHECK (note_type IN ('visit','phone_call','meeting','observation','direct_work')),
      -- When the contact happened, in London time (the day and the time as the worker gave them).
      contact_date date NOT NULL,
      contact_time time NOT NULL,
      present text,
      what_happened text NOT NULL CHECK (what_happened <> ''),
      voice text,
      significant boolean NOT NULL DEFAULT false,
      summary text,
      correction_reason text,
      written_by uuid NOT NULL REFERENCES users(id),
      written_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (note_id, version),
      CONSTRAINT case_note_versions_summary CHECK (NOT significant OR summary IS NOT NULL),
      CONSTRAINT case_note_versions_reason CHECK ((version = 1) = (correction_reason IS NULL))
    );
    CREATE INDEX case_note_versions_person_idx ON case_note_versions(person_id, contact_date);
    CREATE INDEX case_note_versions_authority_idx ON case_note_versions(authority_id);
    -- Never a silent edit: a version, once written, is kept as it was (deleting the whole record still cascades).
    CREATE TRIGGER case_note_versions_unchanged BEFORE UPDATE ON case_note_versions
      FOR EACH ROW EXECUTE FUNCTION refuse_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE case_note_versions; DROP TABLE case_notes;`.execute(db);
}
