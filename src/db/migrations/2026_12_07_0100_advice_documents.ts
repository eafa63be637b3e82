// Frozen once landed: add a new migration rather than editing this one.
// Issue 11 capability 10: advice givers upload their advice instead of typing "see attached". A submission of advice
// may carry the document it was sent as (uploaded in the same transaction, on the advice request); its typed text is
// then optional, so the body may be empty only when a document is attached.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE ehcp_advice_submissions
      ADD COLUMN document_id uuid REFERENCES documents(id) ON DELETE RESTRICT,
      ADD CONSTRAINT ehcp_advice_submissions_body_or_document CHECK (body <> '' OR document_id IS NOT NULL);
    CREATE INDEX ehcp_advice_submissions_document_idx ON ehcp_advice_submissions(document_id)
      WHERE document_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE ehcp_advice_submissions DROP CONSTRAINT ehcp_advice_submissions_body_or_document;
    ALTER TABLE ehcp_advice_submissions DROP COLUMN document_id;
  `.execute(db);
}
