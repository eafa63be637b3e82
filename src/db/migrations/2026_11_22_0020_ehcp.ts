// Frozen once landed: add a new migration rather than editing this one.
// EHC needs assessments (SEND Regulations 2014 regs 5-13), their advice requests, exceptions, delay notices,
// and one-time invitations for outside advice givers.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ehcp_assessments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      request_date date NOT NULL,
      requested_by text NOT NULL CHECK (requested_by IN ('parent','young_person','school','other')),
      requester_detail text,
      coordinator_id uuid REFERENCES users(id),
      decision_to_assess text CHECK (decision_to_assess IN ('assess','not_assess')),
      decision_date date,
      not_issue_date date,
      draft_served_date date,
      draft_text text,
      final_issued_date date,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ehcp_assessments_person_idx ON ehcp_assessments(person_id);
    CREATE INDEX ehcp_assessments_open_idx ON ehcp_assessments(authority_id, request_date) WHERE status = 'open';
    CREATE INDEX ehcp_assessments_coordinator_idx ON ehcp_assessments(coordinator_id) WHERE status = 'open';

    -- reg 10(4) / 13(3) exceptions: evidence that a clock could not be met. They never move the statutory date.
    CREATE TABLE ehcp_exceptions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      assessment_id uuid NOT NULL REFERENCES ehcp_assessments(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      type text NOT NULL CHECK (type IN ('school_closure','personal_circumstances','absent_from_area')),
      start_date date NOT NULL,
      end_date date NOT NULL,
      reason text NOT NULL CHECK (length(btrim(reason)) > 0),
      reportable boolean NOT NULL DEFAULT true,
      recorded_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (end_date >= start_date)
    );
    CREATE INDEX ehcp_exceptions_assessment_idx ON ehcp_exceptions(assessment_id);

    CREATE TABLE ehcp_advice_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      assessment_id uuid NOT NULL REFERENCES ehcp_assessments(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('educational_psychology','health','social_care','education_setting','parent_young_person','preparing_for_adulthood','other')),
      giver_user_id uuid NOT NULL REFERENCES users(id),
      -- Who must return it now: the advice giver, or their line manager when the giver is away (Cumbria step 4).
      responsible_user_id uuid NOT NULL REFERENCES users(id),
      service_id uuid REFERENCES services(id),
      team_id uuid REFERENCES teams(id),
      question text NOT NULL,
      requested_date date NOT NULL,
      due_date date NOT NULL,
      due_rule text NOT NULL,
      status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested','received','cancelled')),
      received_date date,
      follow_up_instance_id uuid REFERENCES protocol_instances(id),
      follow_up_sent_on date,
      follow_up_due date,
      follow_up_closed_on date,
      draft_check_due date,
      draft_feedback_on date,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ehcp_advice_requests_assessment_idx ON ehcp_advice_requests(assessment_id);
    CREATE INDEX ehcp_advice_requests_giver_idx ON ehcp_advice_requests(giver_user_id);
    CREATE INDEX ehcp_advice_requests_responsible_idx ON ehcp_advice_requests(responsible_user_id);
    CREATE INDEX ehcp_advice_requests_open_idx ON ehcp_advice_requests(authority_id, due_date) WHERE status = 'requested';
    CREATE UNIQUE INDEX ehcp_advice_requests_follow_up_idx ON ehcp_advice_requests(follow_up_instance_id) WHERE follow_up_instance_id IS NOT NULL;

    CREATE TABLE ehcp_advice_submissions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      request_id uuid NOT NULL REFERENCES ehcp_advice_requests(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('advice','updated_advice','draft_feedback')),
      body text NOT NULL,
      summary jsonb,
      submitted_by uuid NOT NULL REFERENCES users(id),
      submitted_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ehcp_advice_submissions_request_idx ON ehcp_advice_submissions(request_id, submitted_at);

    -- One row per parent contact told of a delay and the new timescale (Cumbria step 8).
    CREATE TABLE ehcp_delay_notices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      assessment_id uuid NOT NULL REFERENCES ehcp_assessments(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      contact_id uuid REFERENCES contacts(id) ON DELETE SET NULL,
      contact_name text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('email','letter')),
      statutory_date date NOT NULL,
      new_date date NOT NULL,
      reason text NOT NULL,
      body text NOT NULL,
      outbox_id uuid REFERENCES outbox(id),
      sent_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ehcp_delay_notices_assessment_idx ON ehcp_delay_notices(assessment_id);

    -- One-time links for staff of outside organisations to set a password. Only the SHA-256 of the token is kept.
    CREATE TABLE user_invites (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- The weekly report email goes once per authority per week, however many workers run the job.
    CREATE TABLE ehcp_weekly_report_runs (
      authority_id uuid NOT NULL REFERENCES authorities(id),
      week_start date NOT NULL,
      sent_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (authority_id, week_start)
    );
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reversed; restore from a backup instead.');
}
