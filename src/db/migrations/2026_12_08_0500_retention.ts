// Frozen once landed: add a new migration rather than editing this one.
// Issue 15 item 11 (quality.md R8): retention and legal hold. The council's administrator sets how long each type of
// record is kept once closed (retention_schedules), whether the daily job purges by itself (retention_settings), and
// legal holds on a young person's record (legal_holds). A hold's foreign key is ON DELETE RESTRICT: while any hold row
// exists the database itself refuses to delete the record, so a purge removes released holds first and can never
// remove a held record, whatever the code above it does. docs/decisions.md "Retention and legal hold".
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE retention_schedules (
      authority_id uuid NOT NULL REFERENCES authorities(id),
      record_type text NOT NULL CHECK (record_type IN ('person','notification')),
      -- Kept this many whole years after the record closed.
      years int NOT NULL CHECK (years BETWEEN 0 AND 150),
      -- And, for a young person's record, never before this birthday (e.g. 25).
      minimum_age int CHECK (minimum_age BETWEEN 0 AND 150),
      version int NOT NULL DEFAULT 1,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (authority_id, record_type)
    );

    CREATE TABLE retention_settings (
      authority_id uuid PRIMARY KEY REFERENCES authorities(id),
      automatic_purge boolean NOT NULL DEFAULT false,
      version int NOT NULL DEFAULT 1,
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE legal_holds (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE RESTRICT,
      reason text NOT NULL CHECK (reason <> ''),
      set_by uuid NOT NULL REFERENCES users(id),
      set_at timestamptz NOT NULL DEFAULT now(),
      released_at timestamptz,
      released_by uuid REFERENCES users(id),
      release_reason text,
      CONSTRAINT legal_holds_release CHECK (
        (released_at IS NULL) = (released_by IS NULL) AND (released_at IS NULL) = (release_reason IS NULL))
    );
    CREATE UNIQUE INDEX legal_holds_one_open_idx ON legal_holds(person_id) WHERE released_at IS NULL;
    CREATE INDEX legal_holds_authority_idx ON legal_holds(authority_id, set_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE legal_holds; DROP TABLE retention_settings; DROP TABLE retention_schedules;`.execute(db);
}
