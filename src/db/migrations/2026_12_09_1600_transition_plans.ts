// Frozen once landed: add a new migration rather than editing this one.
// Issue 12 part 8 (no cliff edge at 18): a young person at risk of exploitation has one joint transition plan, the
// facts only: who holds it before 18, the post-18 owner and where they sit, what will happen at 18, the young
// person's views, the Care Act three-part test, and a decision to end the children's involvement while nobody is
// named after 18. Where the plan is (started, owner named, assessed, handed over) is its protocol instance.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE transition_plans (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      protocol_instance_id uuid NOT NULL REFERENCES protocol_instances(id),
      started_by uuid NOT NULL REFERENCES users(id),
      started_how text NOT NULL CHECK (started_how IN ('scheduled', 'early')),
      pre18_owner_id uuid REFERENCES users(id),
      post18_owner_id uuid REFERENCES users(id),
      post18_setting text CHECK (post18_setting IN ('adult_social_care', 'exploitation_hub', 'prevention_wellbeing')),
      at_eighteen text,
      views text,
      impairment boolean,
      impairment_evidence text,
      outcomes_unable boolean,
      outcomes_evidence text,
      wellbeing_impact boolean,
      wellbeing_evidence text,
      care_act_conclusion text,
      care_act_recorded_by uuid REFERENCES users(id),
      care_act_recorded_at timestamptz,
      -- a recorded decision to let the children's involvement end with no post-18 owner named
      no_owner_decision text,
      no_owner_decided_by uuid REFERENCES users(id),
      no_owner_decided_at timestamptz,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT transition_plans_owner CHECK ((post18_owner_id IS NULL) = (post18_setting IS NULL)),
      CONSTRAINT transition_plans_decision CHECK ((no_owner_decision IS NULL) = (no_owner_decided_by IS NULL))
    );
    CREATE UNIQUE INDEX transition_plans_person_idx ON transition_plans(person_id);
    CREATE INDEX transition_plans_authority_idx ON transition_plans(authority_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS transition_plans`.execute(db);
}
