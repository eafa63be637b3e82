// Frozen once landed: add a new migration rather than editing this one.
// Issue 17 part 5 (partner organisations): the leads of an outside organisation (a service with external = true),
// set by the council's administrator, who manage its members; and the advice requests addressed to the
// organisation's team inbox rather than to one person (who has taken each one, if anyone). A request keeps its
// giver and responsible person in ehcp_advice_requests (the organisation's lead while nobody has taken it).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE organisation_leads (
      authority_id uuid NOT NULL REFERENCES authorities(id),
      service_id uuid NOT NULL REFERENCES services(id),
      user_id uuid NOT NULL REFERENCES users(id),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, user_id)
    )`.execute(db);
  await sql`CREATE INDEX organisation_leads_user ON organisation_leads (user_id)`.execute(db);
  await sql`
    CREATE TABLE advice_inbox_requests (
      request_id uuid PRIMARY KEY REFERENCES ehcp_advice_requests(id) ON DELETE CASCADE,
      authority_id uuid NOT NULL REFERENCES authorities(id),
      service_id uuid NOT NULL REFERENCES services(id),
      taken_by uuid REFERENCES users(id),
      taken_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((taken_by IS NULL) = (taken_at IS NULL))
    )`.execute(db);
  await sql`CREATE INDEX advice_inbox_requests_service ON advice_inbox_requests (service_id)`.execute(db);
  await sql`CREATE INDEX advice_inbox_requests_taken_by ON advice_inbox_requests (taken_by) WHERE taken_by IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE advice_inbox_requests`.execute(db);
  await sql`DROP TABLE organisation_leads`.execute(db);
}
