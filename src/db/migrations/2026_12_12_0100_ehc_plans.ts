// Frozen once landed: add a new migration rather than editing this one.
// Issue 20: the EHC plan after the assessment. `ehc_plans` is one plan of one young person in one council, from its
// first draft to its cessation or transfer to another council; its dates (issued, last review, review due, ceased)
// and `status` are projections written only by the hooks of the plan's protocols (the assessment's final issue, the
// annual review, the amendment, the cessation, the transfer), never by a second status machine. `ehc_plan_versions`
// holds the plan's text, section by section (src/domain/ehc-plan.ts): every draft served, final issued and amendment
// proposed is a version, frozen once served or issued; at most one version of a plan is being edited at a time.
// Both tables carry `authority_id` in a unique key (the Citus precondition of issue 18).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ehc_plans (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      assessment_id uuid REFERENCES ehcp_assessments(id) ON DELETE SET NULL,
      coordinator_id uuid REFERENCES users(id),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final', 'ceased', 'transferred_out')),
      first_issued_date date,
      last_issued_date date,
      last_review_date date,
      review_due_date date,
      ceased_date date,
      cease_reason smallint CHECK (cease_reason BETWEEN 1 AND 9),
      transferred_from_plan_id uuid REFERENCES ehc_plans(id) ON DELETE SET NULL,
      transferred_from_authority_id uuid REFERENCES authorities(id),
      transfer_date date,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, id),
      CHECK ((status = 'ceased') = (ceased_date IS NOT NULL)),
      CHECK (status = 'draft' OR first_issued_date IS NOT NULL OR transferred_from_plan_id IS NOT NULL)
    )`.execute(db);
  // One live plan (draft or final) per young person per council.
  await sql`CREATE UNIQUE INDEX ehc_plans_one_live ON ehc_plans (authority_id, person_id) WHERE status IN ('draft', 'final')`.execute(
    db,
  );
  await sql`CREATE INDEX ehc_plans_person ON ehc_plans (person_id)`.execute(db);
  await sql`CREATE INDEX ehc_plans_review_due ON ehc_plans (authority_id, review_due_date) WHERE status = 'final'`.execute(
    db,
  );
  await sql`CREATE INDEX ehc_plans_assessment ON ehc_plans (assessment_id) WHERE assessment_id IS NOT NULL`.execute(db);
  await sql`
    CREATE TABLE ehc_plan_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      plan_id uuid NOT NULL REFERENCES ehc_plans(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      number int NOT NULL CHECK (number >= 1),
      kind text NOT NULL CHECK (kind IN ('draft', 'final', 'proposed_amendment')),
      state text NOT NULL DEFAULT 'editing' CHECK (state IN ('editing', 'issued', 'withdrawn')),
      sections jsonb NOT NULL DEFAULT '{}'::jsonb,
      setting_name text,
      setting_urn text CHECK (setting_urn ~ '^[0-9]{6,8}$'),
      sen_setting text,
      sen_needs text[] NOT NULL DEFAULT '{}',
      issued_date date,
      issued_by uuid REFERENCES users(id),
      created_by uuid REFERENCES users(id),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, id),
      UNIQUE (plan_id, number),
      CHECK ((state = 'issued') = (issued_date IS NOT NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX ehc_plan_versions_one_editing ON ehc_plan_versions (plan_id) WHERE state = 'editing'`.execute(
    db,
  );
  await sql`CREATE INDEX ehc_plan_versions_person ON ehc_plan_versions (person_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE ehc_plan_versions`.execute(db);
  await sql`DROP TABLE ehc_plans`.execute(db);
}
