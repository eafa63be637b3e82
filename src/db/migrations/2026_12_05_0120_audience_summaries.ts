// Frozen once landed: add a new migration rather than editing this one.
// Issue 9 finding 2: the Transitions Governance Group and the SEND board no longer see free text from the plan
// (substring redaction leaked 15 of 17 disguised identifiers). They see structured facts and a summary the worker
// writes for that panel, checked by the identifier detector before the case can be sent (docs/decisions.md).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audience_summaries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      audience text NOT NULL CHECK (audience IN ('governance','send_board')),
      summary text NOT NULL,
      needs_categories text[] NOT NULL DEFAULT '{}',
      -- Detector findings the writer confirmed as not identifying: [{ "key", "kind" }] (who: written_by, audit).
      confirmed jsonb NOT NULL DEFAULT '[]',
      written_by uuid NOT NULL REFERENCES users(id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (person_id, audience)
    );
    CREATE INDEX audience_summaries_authority_idx ON audience_summaries(authority_id);
    -- What was sent: the checked summary is copied to the agenda item, with the needs categories.
    ALTER TABLE panel_items ADD COLUMN needs_categories text[] NOT NULL DEFAULT '{}';
    -- Summaries the old redactor produced from free text may hold disguised identifiers: they are withdrawn.
    UPDATE panel_items SET summary = NULL, needs = NULL, blocked_by = NULL, routes_tried = NULL
      WHERE panel_id IN (SELECT id FROM panels WHERE pseudonymised);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reversed; restore from a backup instead.');
}
