// Frozen once landed: add a new migration rather than editing this one.
// Issue 12 parts 5 and 6 (Wiltshire): the Creative Solutions Board and the consultation forums.
// - solution_cases: a complex case referred to the board (the problem, what has been tried, why it is stuck); the
//   board's view of the problem and its problem category. Where a case is lives in its protocol instance
//   (creative-solutions-case); `status` is only a projection the flow's hooks write for lists.
// - solution_tests: each new solution the board tests on a case, its owner and review date, then its result and
//   learning. `register_text` is the solution as the board writes it for the pseudonymised register.
// - consultations: a professional's question to a forum, with or without naming the young person (person_id null),
//   and the advice given. consultation_follow_ups: each follow-up with an owner and a due date; a follow-up on a
//   named consultation is chased by its own consultation-follow-up protocol instance.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE solution_cases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      protocol_instance_id uuid REFERENCES protocol_instances(id) ON DELETE SET NULL,
      referred_by uuid NOT NULL REFERENCES users(id),
      referred_at timestamptz NOT NULL DEFAULT now(),
      problem text NOT NULL CHECK (problem <> ''),
      tried jsonb NOT NULL DEFAULT '[]',
      why_stuck text NOT NULL CHECK (why_stuck <> ''),
      category text,
      board_problem text,
      meeting_date date,
      status text NOT NULL DEFAULT 'referred'
        CHECK (status IN ('referred','testing','closed','declined')),
      closing_note text,
      version int NOT NULL DEFAULT 1
    );
    CREATE INDEX solution_cases_person_idx ON solution_cases(person_id);
    CREATE INDEX solution_cases_authority_idx ON solution_cases(authority_id, status);

    CREATE TABLE solution_tests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      case_id uuid NOT NULL REFERENCES solution_cases(id) ON DELETE CASCADE,
      register_text text NOT NULL CHECK (register_text <> ''),
      owner_user_id uuid NOT NULL REFERENCES users(id),
      started_on date NOT NULL,
      review_date date NOT NULL,
      result text CHECK (result IN ('worked','partly','did_not_work')),
      learning text,
      reviewed_on date,
      recorded_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT solution_tests_reviewed CHECK ((result IS NULL) = (learning IS NULL) AND (result IS NULL) = (reviewed_on IS NULL))
    );
    CREATE INDEX solution_tests_case_idx ON solution_tests(case_id, created_at);
    CREATE INDEX solution_tests_authority_idx ON solution_tests(authority_id, reviewed_on);

    CREATE TABLE consultations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid REFERENCES people(id) ON DELETE CASCADE,
      booked_by uuid NOT NULL REFERENCES users(id),
      booked_at timestamptz NOT NULL DEFAULT now(),
      forum text NOT NULL CHECK (forum <> ''),
      forum_date date NOT NULL,
      question text NOT NULL CHECK (question <> ''),
      advice text,
      advised_by uuid REFERENCES users(id),
      advised_at timestamptz,
      version int NOT NULL DEFAULT 1
    );
    CREATE INDEX consultations_person_idx ON consultations(person_id);
    CREATE INDEX consultations_authority_idx ON consultations(authority_id, forum_date);

    CREATE TABLE consultation_follow_ups (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid REFERENCES people(id) ON DELETE CASCADE,
      consultation_id uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
      action text NOT NULL CHECK (action <> ''),
      owner_user_id uuid NOT NULL REFERENCES users(id),
      due_on date NOT NULL,
      done_on date,
      protocol_instance_id uuid REFERENCES protocol_instances(id) ON DELETE SET NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX consultation_follow_ups_consultation_idx ON consultation_follow_ups(consultation_id);
    CREATE INDEX consultation_follow_ups_person_idx ON consultation_follow_ups(person_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE consultation_follow_ups; DROP TABLE consultations; DROP TABLE solution_tests; DROP TABLE solution_cases;`.execute(
    db,
  );
}
