// Frozen once landed: add a new migration rather than editing this one.
// Issue 11 capability 9: a case note's draft, kept for its writer while they write (saved by the form's "Save as
// draft" button and, with JavaScript, a few seconds after each change), so a session that times out loses no
// work: the add form offers the draft back after signing in again. One draft per writer per young person; only its
// writer reads it; it goes when the note is saved or the draft discarded. The fields are as typed (not validated:
// a draft may be half-written).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_note_drafts (
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      fields jsonb NOT NULL CHECK (jsonb_typeof(fields) = 'object'),
      saved_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, person_id)
    );
    CREATE INDEX case_note_drafts_person_idx ON case_note_drafts(person_id);
    CREATE INDEX case_note_drafts_authority_idx ON case_note_drafts(authority_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE case_note_drafts;`.execute(db);
}
