// Frozen once landed: add a new migration rather than editing this one.
// Issue 11 capability 10: documents uploaded to a young person's record, or to something on it (an EHCP advice
// request, a transfer, a referral, a meeting). Every document belongs to one person, so whoever may read the record
// (or the advice request, for its advice giver) may read it. Only what passed the virus scan (or was taken while
// scanning was off, and says so) is stored: an infected upload leaves an audit row and nothing else. The bytes are
// in document_contents (PostgreSQL) or, when DOCUMENTS_DIR is set, in a file named by the document's id; the
// SHA-256 is checked on every download. A document is never changed once stored.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE documents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      target_kind text NOT NULL
        CHECK (target_kind IN ('person','advice_request','transfer','referral','meeting')),
      -- The advice request, transfer, referral or meeting; null when the document is on the record itself.
      target_id uuid,
      title text NOT NULL CHECK (title <> ''),
      -- The type read from the content (never the name the browser sent), and the extension that goes with it.
      media_type text NOT NULL,
      extension text NOT NULL,
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      storage text NOT NULL CHECK (storage IN ('database','directory')),
      -- clean: clamd found nothing; not_scanned: scanning was off when it was uploaded (the pages say so).
      scan_result text NOT NULL CHECK (scan_result IN ('clean','not_scanned')),
      scanned_with text,
      uploaded_by uuid NOT NULL REFERENCES users(id),
      uploaded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT documents_target CHECK ((target_kind = 'person') = (target_id IS NULL))
    );
    CREATE INDEX documents_person_idx ON documents(person_id, uploaded_at);
    CREATE INDEX documents_target_idx ON documents(target_kind, target_id);
    CREATE INDEX documents_authority_idx ON documents(authority_id);
    CREATE TRIGGER documents_unchanged BEFORE UPDATE ON documents
      FOR EACH ROW EXECUTE FUNCTION refuse_change();

    CREATE TABLE document_contents (
      document_id uuid PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
      bytes bytea NOT NULL
    );
    CREATE TRIGGER document_contents_unchanged BEFORE UPDATE ON document_contents
      FOR EACH ROW EXECUTE FUNCTION refuse_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE document_contents; DROP TABLE documents;`.execute(db);
}
