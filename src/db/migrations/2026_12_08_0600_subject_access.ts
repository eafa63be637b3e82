// Frozen once landed: add a new migration rather than editing this one.
// Issue 15 item 12 (quality.md R9): subject access requests. A request is logged against a young person (who asked,
// how they are related, the date it was received); the ICO's one-month clock runs from that date and may be extended
// by one or two months for a complex request, with the reason. Before the export is released an officer decides, for
// each piece of third parties' data (case notes, documents, contacts), to include, redact or withhold it, with a
// reason. The released export (a zip) is kept as the record of what was disclosed, never changed once stored.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE subject_access_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      requester_name text NOT NULL CHECK (requester_name <> ''),
      requester_relationship text NOT NULL
        CHECK (requester_relationship IN ('self','parent','representative')),
      received_on date NOT NULL,
      extension_months integer NOT NULL DEFAULT 0 CHECK (extension_months BETWEEN 0 AND 2),
      extension_reason text,
      logged_by uuid NOT NULL REFERENCES users(id),
      logged_at timestamptz NOT NULL DEFAULT now(),
      released_by uuid REFERENCES users(id),
      released_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      CONSTRAINT subject_access_extension_reason CHECK ((extension_months = 0) = (extension_reason IS NULL)),
      CONSTRAINT subject_access_released CHECK ((released_by IS NULL) = (released_at IS NULL))
    );
    CREATE INDEX subject_access_requests_person_idx ON subject_access_requests(person_id);
    CREATE INDEX subject_access_requests_authority_idx ON subject_access_requests(authority_id, received_on);

    CREATE TABLE subject_access_reviews (
      request_id uuid NOT NULL REFERENCES subject_access_requests(id) ON DELETE CASCADE,
      item_table text NOT NULL CHECK (item_table IN ('case_notes','documents','contacts')),
      item_id uuid NOT NULL,
      decision text NOT NULL CHECK (decision IN ('include','redact','withhold')),
      reason text,
      decided_by uuid NOT NULL REFERENCES users(id),
      decided_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (request_id, item_table, item_id),
      CONSTRAINT subject_access_review_reason CHECK (decision = 'include' OR reason IS NOT NULL)
    );

    CREATE TABLE subject_access_exports (
      request_id uuid PRIMARY KEY REFERENCES subject_access_requests(id) ON DELETE CASCADE,
      bytes bytea NOT NULL,
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TRIGGER subject_access_exports_unchanged BEFORE UPDATE ON subject_access_exports
      FOR EACH ROW EXECUTE FUNCTION refuse_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE subject_access_exports; DROP TABLE subject_access_reviews; DROP TABLE subject_access_requests;
  `.execute(db);
}
