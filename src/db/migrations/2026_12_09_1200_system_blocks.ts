// Frozen once landed: add a new migration rather than editing this one.
// Issue 12 part 11 (transitional safeguarding, Wiltshire): the register of "system blocks" (no housing for an
// 18-25, the adult services threshold, no provider...) raised by staff, each linked to the cases where it occurred,
// open until resolved with what changed. And the emotional-wellbeing status (CAMHS or another service involved) the
// cohort filters on (docs/decisions.md).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE system_blocks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      kind text NOT NULL CHECK (kind IN ('housing_18_25','adult_services_threshold','no_provider','mental_health',
        'education_training','benefits_income','information_sharing','other')),
      description text NOT NULL CHECK (description <> ''),
      raised_by uuid NOT NULL REFERENCES users(id),
      raised_on date NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),
      what_changed text,
      resolved_on date,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT system_blocks_resolved CHECK ((status = 'resolved') = (what_changed IS NOT NULL AND resolved_on IS NOT NULL))
    );
    CREATE INDEX system_blocks_authority_idx ON system_blocks(authority_id, status);
    -- A case where the block occurred (the register shows counts; the record shows the block).
    CREATE TABLE system_block_cases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      block_id uuid NOT NULL REFERENCES system_blocks(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      note text,
      linked_by uuid NOT NULL REFERENCES users(id),
      linked_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (block_id, person_id)
    );
    CREATE INDEX system_block_cases_person_idx ON system_block_cases(person_id);

    ALTER TABLE person_statuses DROP CONSTRAINT person_statuses_status_check;
    ALTER TABLE person_statuses ADD CONSTRAINT person_statuses_status_check CHECK (status IN ('child_in_need',
      'child_protection_plan','child_in_care','care_leaver','disabled','sen_support','ehcp','emotional_wellbeing'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM person_statuses WHERE status = 'emotional_wellbeing';
    ALTER TABLE person_statuses DROP CONSTRAINT person_statuses_status_check;
    ALTER TABLE person_statuses ADD CONSTRAINT person_statuses_status_check CHECK (status IN ('child_in_need',
      'child_protection_plan','child_in_care','care_leaver','disabled','sen_support','ehcp'));
    DROP TABLE system_block_cases, system_blocks;
  `.execute(db);
}
