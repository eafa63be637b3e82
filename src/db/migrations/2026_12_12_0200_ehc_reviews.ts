// Frozen once landed: add a new migration rather than editing this one.
// Issue 20 part 2: annual reviews of EHC plans. `ehc_reviews` is one review of one plan (CFA 2014 s.44): the date it
// is due by, the reg 18 phase-transfer date it works to in a transfer year, the meeting, who came, the views of the
// child or young person and the parents, preparing for adulthood (from Year 9), the report and the council's
// decision. Where the review is (its step, owner, due dates, overdue ladder) is the engine's, on its
// `ehc-annual-review` instance; `status` is a projection the flow's hooks write when the instance ends.
// `ehc_review_advice_requests` are the requests for advice and information for the meeting (reg 20(4)), addressed
// to advice givers, who answer on their own page. Both carry authority_id in a unique key (issue 18).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ehc_reviews (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      plan_id uuid NOT NULL REFERENCES ehc_plans(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      protocol_instance_id uuid REFERENCES protocol_instances(id) ON DELETE SET NULL,
      due_date date NOT NULL,
      due_basis text NOT NULL CHECK (due_basis IN ('first', 'annual', 'transfer_in')),
      transfer_phase text CHECK (transfer_phase IN ('reception', 'secondary', 'post16')),
      transfer_deadline date,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided', 'closed')),
      meeting_date date,
      invites_sent_date date,
      advice_circulated_date date,
      meeting_held_date date,
      attendees text,
      child_views text,
      parent_views text,
      pfa text,
      report text,
      report_sent_date date,
      decision text CHECK (decision IN ('maintain', 'amend', 'cease')),
      decision_reasons text,
      decision_date date,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, id),
      CHECK ((transfer_phase IS NULL) = (transfer_deadline IS NULL)),
      CHECK ((decision IS NULL) = (decision_date IS NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX ehc_reviews_one_open ON ehc_reviews (plan_id) WHERE status = 'open'`.execute(db);
  await sql`CREATE INDEX ehc_reviews_person ON ehc_reviews (person_id)`.execute(db);
  await sql`CREATE INDEX ehc_reviews_due ON ehc_reviews (authority_id, due_date) WHERE status = 'open'`.execute(db);
  await sql`
    CREATE TABLE ehc_review_advice_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      review_id uuid NOT NULL REFERENCES ehc_reviews(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      giver_user_id uuid NOT NULL REFERENCES users(id),
      requested_by uuid REFERENCES users(id),
      question text NOT NULL,
      requested_date date NOT NULL,
      due_date date NOT NULL,
      status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'received', 'cancelled')),
      answer text,
      answered_date date,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, id),
      CHECK ((status = 'received') = (answer IS NOT NULL AND answered_date IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX ehc_review_advice_giver ON ehc_review_advice_requests (giver_user_id, status)`.execute(db);
  await sql`CREATE INDEX ehc_review_advice_review ON ehc_review_advice_requests (review_id)`.execute(db);
  await sql`CREATE INDEX ehc_review_advice_person ON ehc_review_advice_requests (person_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE ehc_review_advice_requests`.execute(db);
  await sql`DROP TABLE ehc_reviews`.execute(db);
}
