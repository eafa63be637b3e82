// Frozen once landed: add a new migration rather than editing this one.
// Issue 20 part 1: what the family says about a served draft EHC plan (reg 13(1): at least 15 days beginning with
// the day it is served), and the consultation of the school or college they ask to be named in section I (CFA 2014
// s.39(2)/s.40; the setting has 15 days to respond, SEND Code of Practice 2015 para 9.79). A consultation runs as
// the protocol ehc-setting-consultation; `response` and `responded_date` are written by its hooks' module in the
// same transaction as its outcome. Both tables hold a young person's data: person_id cascades, authority_id keyed.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ehc_plan_representations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      plan_id uuid NOT NULL REFERENCES ehc_plans(id) ON DELETE CASCADE,
      version_id uuid NOT NULL REFERENCES ehc_plan_versions(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      made_by text NOT NULL CHECK (made_by IN ('parent', 'young_person', 'other')),
      made_by_name text,
      received_date date NOT NULL,
      summary text NOT NULL,
      requested_setting_name text,
      requested_setting_urn text CHECK (requested_setting_urn ~ '^[0-9]{6,8}$'),
      recorded_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, id)
    )`.execute(db);
  await sql`CREATE INDEX ehc_plan_representations_plan ON ehc_plan_representations (plan_id)`.execute(db);
  await sql`CREATE INDEX ehc_plan_representations_person ON ehc_plan_representations (person_id)`.execute(db);
  await sql`
    CREATE TABLE ehc_setting_consultations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      plan_id uuid NOT NULL REFERENCES ehc_plans(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      representation_id uuid REFERENCES ehc_plan_representations(id) ON DELETE SET NULL,
      setting_name text NOT NULL,
      setting_urn text CHECK (setting_urn ~ '^[0-9]{6,8}$'),
      sent_date date NOT NULL,
      response text CHECK (response IN ('agrees', 'does_not_agree')),
      response_reason text,
      responded_date date,
      protocol_instance_id uuid REFERENCES protocol_instances(id) ON DELETE SET NULL,
      created_by uuid REFERENCES users(id),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, id),
      CHECK ((response IS NULL) = (responded_date IS NULL)),
      CHECK (response IS DISTINCT FROM 'does_not_agree' OR response_reason IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX ehc_setting_consultations_plan ON ehc_setting_consultations (plan_id)`.execute(db);
  await sql`CREATE INDEX ehc_setting_consultations_person ON ehc_setting_consultations (person_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE ehc_setting_consultations`.execute(db);
  await sql`DROP TABLE ehc_plan_representations`.execute(db);
}
