// Frozen once landed: add a new migration rather than editing this one.
// Issue 12 part 7 (Wiltshire transitional safeguarding): the mentoring scheme. Mentors (staff users or vetted
// volunteers) with their checks and expiry dates, capacity, areas and interests; referrals of young people, their
// match, goals, sessions and ending. The referral's route is its protocol instance (mentoring-referral); `status`
// is only a projection of where that instance is, written by the module's hooks.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE mentors (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      kind text NOT NULL CHECK (kind IN ('staff','volunteer')),
      user_id uuid REFERENCES users(id),
      name text NOT NULL,
      contact text,
      organisation text,
      capacity int NOT NULL CHECK (capacity BETWEEN 0 AND 50),
      areas text,
      interests text,
      active boolean NOT NULL DEFAULT true,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT mentors_staff_user CHECK ((kind = 'staff') = (user_id IS NOT NULL))
    );
    CREATE INDEX mentors_authority_idx ON mentors(authority_id, name);
    CREATE UNIQUE INDEX mentors_user_idx ON mentors(user_id) WHERE user_id IS NOT NULL;

    CREATE TABLE mentor_checks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      mentor_id uuid NOT NULL REFERENCES mentors(id) ON DELETE CASCADE,
      check_type text NOT NULL CHECK (check_type IN ('enhanced_dbs','references','safeguarding_training')),
      checked_on date NOT NULL,
      expires_on date NOT NULL,
      reference text,
      recorded_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT mentor_checks_dates CHECK (expires_on > checked_on)
    );
    CREATE INDEX mentor_checks_mentor_idx ON mentor_checks(mentor_id, check_type, expires_on DESC);

    CREATE TABLE mentoring_referrals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      referred_by uuid NOT NULL REFERENCES users(id),
      referred_on date NOT NULL,
      reason text NOT NULL,
      hopes text NOT NULL,
      status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','active','ended','declined')),
      mentor_id uuid REFERENCES mentors(id),
      matched_on date,
      ended_on date,
      outcome text CHECK (outcome IN ('goals_met','partly_met','disengaged','moved_away','other')),
      outcome_notes text,
      declined_reason text,
      protocol_instance_id uuid REFERENCES protocol_instances(id),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX mentoring_referrals_person_idx ON mentoring_referrals(person_id, created_at DESC);
    CREATE INDEX mentoring_referrals_authority_idx ON mentoring_referrals(authority_id, status);
    CREATE INDEX mentoring_referrals_mentor_idx ON mentoring_referrals(mentor_id) WHERE status = 'active';

    CREATE TABLE mentoring_goals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      referral_id uuid NOT NULL REFERENCES mentoring_referrals(id) ON DELETE CASCADE,
      goal text NOT NULL,
      progress text NOT NULL DEFAULT 'not_started' CHECK (progress IN ('not_started','some','good','met')),
      progress_note text,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX mentoring_goals_referral_idx ON mentoring_goals(referral_id, created_at);

    CREATE TABLE mentoring_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      referral_id uuid NOT NULL REFERENCES mentoring_referrals(id) ON DELETE CASCADE,
      held_on date NOT NULL,
      attended boolean NOT NULL,
      not_attended_reason text,
      notes text,
      recorded_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT mentoring_sessions_reason CHECK (attended OR not_attended_reason IS NOT NULL)
    );
    CREATE INDEX mentoring_sessions_referral_idx ON mentoring_sessions(referral_id, held_on DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE mentoring_sessions;
    DROP TABLE mentoring_goals;
    DROP TABLE mentoring_referrals;
    DROP TABLE mentor_checks;
    DROP TABLE mentors;
  `.execute(db);
}
