// Frozen once landed: add a new migration rather than editing this one.
// Issue 13 (Devon SEND Support Hubs and Locality Teams). Hubs and localities become working units: a hub's manager,
// team, response-time targets and triage day; a locality's manager and the team that takes Further SEND Support;
// hub services; the settings (early years, schools, special schools, FE) each hub serves, with their organisation
// accounts (setting_members) and team inbox. Requests for support after the graduated response, with their
// assess-plan-do-review cycles; the route of each is its protocol instance (send-support-request), and `status` is
// only a projection of where that instance is, written by the module's hooks. Triage meetings; a request's contact
// log; the telephone advice log.
// hubs.team_id and localities.team_id name a team without a foreign key: teams already point at their hub and
// locality, and a key back would make a cycle no backup can restore in order (src/cli/backup-catalog.ts). The
// set-up checks the team is one of the council's; teams are never deleted. An advice call linked to a young person
// is part of their record: it goes when the record is purged (an anonymous call keeps no person at all).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE hubs
      ADD COLUMN manager_user_id uuid REFERENCES users(id),
      ADD COLUMN team_id uuid,
      ADD COLUMN first_response_working_days int NOT NULL DEFAULT 10 CHECK (first_response_working_days BETWEEN 1 AND 60),
      ADD COLUMN support_start_working_days int NOT NULL DEFAULT 10 CHECK (support_start_working_days BETWEEN 1 AND 60),
      ADD COLUMN triage_weekday int NOT NULL DEFAULT 3 CHECK (triage_weekday BETWEEN 1 AND 5),
      ADD COLUMN version int NOT NULL DEFAULT 1;
    ALTER TABLE localities
      ADD COLUMN manager_user_id uuid REFERENCES users(id),
      ADD COLUMN team_id uuid,
      ADD COLUMN version int NOT NULL DEFAULT 1;

    CREATE TABLE hub_services (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      hub_id uuid NOT NULL REFERENCES hubs(id) ON DELETE CASCADE,
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('educational_psychology','specialist_teacher','speech_language','camhs_link','occupational_therapy','early_years','sensory','other')),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX hub_services_name_idx ON hub_services(hub_id, lower(name));

    CREATE TABLE settings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      hub_id uuid NOT NULL REFERENCES hubs(id),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('early_years','school','special_school','further_education')),
      urn text,
      inbox_email text,
      active boolean NOT NULL DEFAULT true,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX settings_name_idx ON settings(authority_id, lower(name));
    CREATE INDEX settings_hub_idx ON settings(hub_id, name);

    CREATE TABLE setting_members (
      setting_id uuid NOT NULL REFERENCES settings(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id),
      position text NOT NULL CHECK (position IN ('senco','head','other')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (setting_id, user_id)
    );
    CREATE INDEX setting_members_user_idx ON setting_members(user_id);

    CREATE TABLE triage_meetings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      hub_id uuid NOT NULL REFERENCES hubs(id),
      meeting_date date NOT NULL,
      chair_user_id uuid REFERENCES users(id),
      attendees text,
      held boolean NOT NULL DEFAULT false,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX triage_meetings_hub_date_idx ON triage_meetings(hub_id, meeting_date);

    CREATE SEQUENCE support_request_number START 1001;
    CREATE TABLE support_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      reference text NOT NULL DEFAULT ('SR-' || nextval('support_request_number')),
      hub_id uuid NOT NULL REFERENCES hubs(id),
      setting_id uuid NOT NULL REFERENCES settings(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      received_on date NOT NULL,
      received_via text NOT NULL CHECK (received_via IN ('online','phone','email')),
      submitted_by uuid NOT NULL REFERENCES users(id),
      contact_name text,
      year_group text,
      areas_of_need text[] NOT NULL CHECK (cardinality(areas_of_need) > 0),
      apdr_cycles jsonb NOT NULL DEFAULT '[]',
      sen_support_since date,
      plan_review_date date,
      current_plan text,
      asking_for text NOT NULL,
      parent_views text,
      consent text NOT NULL CHECK (consent IN ('given','not_yet','refused')),
      consent_on date,
      status text NOT NULL DEFAULT 'held' CHECK (status IN ('held','waiting','more_info','starting','in_support','with_locality','closed')),
      outcome text CHECK (outcome IN ('advice','first_support','further_support','ehc_assessment','more_info','declined','withdrawn')),
      result text,
      outcome_notes text,
      decline_reason text,
      decline_alternative text,
      hub_service_ids uuid[] NOT NULL DEFAULT '{}',
      triage_meeting_id uuid REFERENCES triage_meetings(id),
      first_response_on date,
      navigator_user_id uuid REFERENCES users(id),
      support_started_on date,
      locality_team_id uuid REFERENCES teams(id),
      ehcp_assessment_id uuid REFERENCES ehcp_assessments(id),
      closed_on date,
      protocol_instance_id uuid REFERENCES protocol_instances(id),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX support_requests_reference_idx ON support_requests(authority_id, reference);
    CREATE INDEX support_requests_hub_idx ON support_requests(hub_id, status, received_on);
    CREATE INDEX support_requests_setting_idx ON support_requests(setting_id, received_on DESC);
    CREATE INDEX support_requests_person_idx ON support_requests(person_id, received_on DESC);
    CREATE INDEX support_requests_navigator_idx ON support_requests(navigator_user_id) WHERE status IN ('starting','in_support','more_info');

    CREATE TABLE support_request_contacts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      request_id uuid NOT NULL REFERENCES support_requests(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      contact_on date NOT NULL,
      with_whom text NOT NULL CHECK (with_whom IN ('parent_carer','setting','young_person','other_agency')),
      method text NOT NULL CHECK (method IN ('phone','visit','email','meeting','video')),
      summary text NOT NULL,
      recorded_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX support_request_contacts_idx ON support_request_contacts(request_id, contact_on DESC);

    CREATE TABLE advice_calls (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      hub_id uuid NOT NULL REFERENCES hubs(id),
      called_on date NOT NULL,
      caller_type text NOT NULL CHECK (caller_type IN ('senco','teacher','head','parent_carer','young_person','other_professional')),
      setting_id uuid REFERENCES settings(id),
      topic text NOT NULL CHECK (topic IN ('communication_interaction','cognition_learning','semh','sensory_physical','graduated_response','ehcp_process','transition','exclusion_attendance','other')),
      advice text NOT NULL,
      signposted_to text,
      follow_up text,
      follow_up_owner_id uuid REFERENCES users(id),
      follow_up_due date,
      follow_up_done_on date,
      person_id uuid REFERENCES people(id) ON DELETE CASCADE,
      recorded_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT advice_calls_follow_up CHECK (follow_up IS NULL OR (follow_up_owner_id IS NOT NULL AND follow_up_due IS NOT NULL))
    );
    CREATE INDEX advice_calls_hub_idx ON advice_calls(hub_id, called_on DESC);
    CREATE INDEX advice_calls_owner_idx ON advice_calls(follow_up_owner_id) WHERE follow_up IS NOT NULL AND follow_up_done_on IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE advice_calls;
    DROP TABLE support_request_contacts;
    DROP TABLE support_requests;
    DROP SEQUENCE support_request_number;
    DROP TABLE triage_meetings;
    DROP TABLE setting_members;
    DROP TABLE settings;
    DROP TABLE hub_services;
    ALTER TABLE localities DROP COLUMN manager_user_id, DROP COLUMN team_id, DROP COLUMN version;
    ALTER TABLE hubs DROP COLUMN manager_user_id, DROP COLUMN team_id, DROP COLUMN first_response_working_days,
      DROP COLUMN support_start_working_days, DROP COLUMN triage_weekday, DROP COLUMN version;
  `.execute(db);
}
