// Frozen once landed: add a new migration rather than editing this one.
// Issue 20, the plan-changes module (src/modules/ehc-plan-changes): an amendment of a plan (reg 22) with the
// representations made on its proposals, a cessation (CFA 2014 s.45, regs 29–31, the 25th birthday of s.46), and a
// plan received from another council (reg 15). Each runs on a protocol instance; the outcome and date columns are
// projections written by that protocol's hooks. One open amendment and one open cessation per plan; one
// 25th-birthday cessation per plan ever (the daily job's guard). Every table carries `authority_id` in a unique key.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ehc_plan_amendments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      plan_id uuid NOT NULL REFERENCES ehc_plans(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      protocol_instance_id uuid REFERENCES protocol_instances(id) ON DELETE SET NULL,
      started_how text NOT NULL CHECK (started_how IN ('review', 'coordinator')),
      review_id uuid,
      reason text,
      proposed_version_id uuid REFERENCES ehc_plan_versions(id) ON DELETE SET NULL,
      final_version_id uuid REFERENCES ehc_plan_versions(id) ON DELETE SET NULL,
      proposals_sent_date date,
      phase_transfer_due date,
      outcome text CHECK (outcome IN ('amended', 'not_amended', 'withdrawn')),
      decided_date date,
      decision_reason text,
      version int NOT NULL DEFAULT 1,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, id),
      CHECK ((outcome IS NULL) = (decided_date IS NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX ehc_plan_amendments_one_open ON ehc_plan_amendments (plan_id) WHERE outcome IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX ehc_plan_amendments_person ON ehc_plan_amendments (person_id)`.execute(db);
  await sql`
    CREATE TABLE ehc_plan_amendment_representations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      amendment_id uuid NOT NULL REFERENCES ehc_plan_amendments(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      received_date date NOT NULL,
      from_whom text NOT NULL CHECK (from_whom IN ('parent', 'young_person', 'setting', 'other')),
      summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 10000),
      setting_requested text,
      meeting_requested boolean NOT NULL DEFAULT false,
      recorded_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, id)
    )`.execute(db);
  await sql`CREATE INDEX ehc_plan_amendment_reps_amendment ON ehc_plan_amendment_representations (amendment_id)`.execute(
    db,
  );
  await sql`CREATE INDEX ehc_plan_amendment_reps_person ON ehc_plan_amendment_representations (person_id)`.execute(db);
  await sql`
    CREATE TABLE ehc_plan_cessations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      plan_id uuid NOT NULL REFERENCES ehc_plans(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      protocol_instance_id uuid REFERENCES protocol_instances(id) ON DELETE SET NULL,
      started_how text NOT NULL CHECK (started_how IN ('review', 'coordinator', 'age_25')),
      review_id uuid,
      reason smallint NOT NULL CHECK (reason BETWEEN 1 AND 9),
      reason_detail text,
      cease_on date,
      parent_consulted_date date,
      setting_consulted_date date,
      views text,
      notice_date date,
      appeal_by date,
      appeal_lodged_date date,
      ceased_date date,
      outcome text CHECK (outcome IN ('ceased', 'maintained')),
      version int NOT NULL DEFAULT 1,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, id),
      CHECK ((outcome = 'ceased') = (ceased_date IS NOT NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX ehc_plan_cessations_one_open ON ehc_plan_cessations (plan_id) WHERE outcome IS NULL`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX ehc_plan_cessations_one_age_25 ON ehc_plan_cessations (plan_id) WHERE started_how = 'age_25'`.execute(
    db,
  );
  await sql`CREATE INDEX ehc_plan_cessations_person ON ehc_plan_cessations (person_id)`.execute(db);
  await sql`
    CREATE TABLE ehc_plan_transfers_in (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      plan_id uuid NOT NULL UNIQUE REFERENCES ehc_plans(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      from_plan_id uuid REFERENCES ehc_plans(id) ON DELETE SET NULL,
      from_authority_id uuid NOT NULL REFERENCES authorities(id),
      transfer_id uuid REFERENCES transfers(id) ON DELETE SET NULL,
      transfer_date date NOT NULL,
      protocol_instance_id uuid REFERENCES protocol_instances(id) ON DELETE SET NULL,
      told_date date,
      reassess boolean,
      review_proposed_date date,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, id)
    )`.execute(db);
  await sql`CREATE INDEX ehc_plan_transfers_in_person ON ehc_plan_transfers_in (person_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE ehc_plan_transfers_in`.execute(db);
  await sql`DROP TABLE ehc_plan_cessations`.execute(db);
  await sql`DROP TABLE ehc_plan_amendment_representations`.execute(db);
  await sql`DROP TABLE ehc_plan_amendments`.execute(db);
}
