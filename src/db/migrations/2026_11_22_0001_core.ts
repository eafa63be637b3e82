// Frozen once landed: add a new migration rather than editing this one.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS citext;

    CREATE TABLE authorities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE services (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('childrens','adult','education','health','commissioning','specialist','provider','police','voluntary','school')),
      organisation text,
      external boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, name)
    );

    CREATE TABLE localities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      name text NOT NULL,
      UNIQUE (authority_id, name)
    );

    CREATE TABLE hubs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      locality_id uuid NOT NULL REFERENCES localities(id),
      name text NOT NULL,
      UNIQUE (authority_id, name)
    );

    CREATE TABLE teams (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      service_id uuid NOT NULL REFERENCES services(id),
      name text NOT NULL,
      remit_min_age int NOT NULL DEFAULT 0 CHECK (remit_min_age BETWEEN 0 AND 25),
      remit_max_age int NOT NULL DEFAULT 25 CHECK (remit_max_age BETWEEN 0 AND 25),
      remit_case_types text[] NOT NULL DEFAULT '{}',
      locality_id uuid REFERENCES localities(id),
      hub_id uuid REFERENCES hubs(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, name),
      CHECK (remit_min_age <= remit_max_age)
    );
    CREATE INDEX teams_service_idx ON teams(service_id);

    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      email citext NOT NULL UNIQUE,
      display_name text NOT NULL,
      job_title text,
      phone text,
      password_hash text,
      roles text[] NOT NULL DEFAULT '{}',
      line_manager_id uuid REFERENCES users(id),
      service_id uuid REFERENCES services(id),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (line_manager_id IS NULL OR line_manager_id <> id)
    );
    CREATE INDEX users_line_manager_idx ON users(line_manager_id);
    CREATE INDEX users_authority_idx ON users(authority_id);

    CREATE TABLE team_members (
      team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      PRIMARY KEY (team_id, user_id)
    );
    CREATE INDEX team_members_user_idx ON team_members(user_id);

    CREATE TABLE sessions (
      id_hash text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sessions_user_idx ON sessions(user_id);

    CREATE TABLE api_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      label text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    );

    CREATE TABLE login_failures (
      id bigserial PRIMARY KEY,
      subject text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX login_failures_subject_at_idx ON login_failures(subject, at);

    CREATE TABLE people (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      case_number text NOT NULL,
      given_name text NOT NULL,
      family_name text NOT NULL,
      preferred_name text,
      date_of_birth date NOT NULL,
      gender text,
      nhs_number text,
      upn text,
      address text,
      postcode text,
      school text,
      locality_id uuid REFERENCES localities(id),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, case_number)
    );
    CREATE UNIQUE INDEX people_nhs_idx ON people(authority_id, nhs_number) WHERE nhs_number IS NOT NULL;
    CREATE UNIQUE INDEX people_upn_idx ON people(authority_id, upn) WHERE upn IS NOT NULL;
    CREATE INDEX people_name_idx ON people(authority_id, lower(family_name), lower(given_name));
    CREATE INDEX people_dob_idx ON people(authority_id, date_of_birth);

    CREATE TABLE person_statuses (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('child_in_need','child_protection_plan','child_in_care','care_leaver','disabled','sen_support','ehcp')),
      start_date date NOT NULL,
      end_date date,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (end_date IS NULL OR end_date >= start_date)
    );
    CREATE INDEX person_statuses_person_idx ON person_statuses(person_id);

    CREATE TABLE contacts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      name text NOT NULL,
      relationship text NOT NULL,
      phone text,
      email text,
      address text,
      parental_responsibility boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX contacts_person_idx ON contacts(person_id);

    CREATE TABLE involvements (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      team_id uuid NOT NULL REFERENCES teams(id),
      worker_id uuid REFERENCES users(id),
      reason text NOT NULL,
      start_date date NOT NULL,
      end_date date,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (end_date IS NULL OR end_date >= start_date)
    );
    CREATE INDEX involvements_person_idx ON involvements(person_id);
    CREATE INDEX involvements_team_open_idx ON involvements(team_id) WHERE end_date IS NULL;
    CREATE INDEX involvements_worker_open_idx ON involvements(worker_id) WHERE end_date IS NULL;

    CREATE TABLE events (
      id bigserial PRIMARY KEY,
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      at timestamptz NOT NULL DEFAULT now(),
      kind text NOT NULL,
      title text NOT NULL,
      detail text,
      actor_id uuid REFERENCES users(id)
    );
    CREATE INDEX events_person_at_idx ON events(person_id, at DESC);

    CREATE TABLE break_glass (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      user_id uuid NOT NULL REFERENCES users(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      reason text NOT NULL CHECK (length(btrim(reason)) >= 10),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      CHECK (expires_at > created_at)
    );
    CREATE INDEX break_glass_user_person_idx ON break_glass(user_id, person_id, expires_at);

    CREATE TABLE alerts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      role text NOT NULL,
      kind text NOT NULL,
      message text NOT NULL,
      link text,
      created_at timestamptz NOT NULL DEFAULT now(),
      acknowledged_by uuid REFERENCES users(id),
      acknowledged_at timestamptz
    );
    CREATE INDEX alerts_open_idx ON alerts(authority_id, role) WHERE acknowledged_at IS NULL;

    -- Who read a person's record: one row per successful read (quality.md S6). Append-only.
    CREATE TABLE access_log (
      id bigserial PRIMARY KEY,
      authority_id uuid NOT NULL,
      person_id uuid NOT NULL,
      user_id uuid NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      channel text NOT NULL CHECK (channel IN ('page','api','export','print')),
      purpose text NOT NULL,
      break_glass_id uuid
    );
    CREATE INDEX access_log_person_at_idx ON access_log(person_id, at DESC);

    -- Every change, hash-chained (quality.md S7). No foreign keys: deleting a case deletes no audit rows.
    CREATE TABLE audit_log (
      seq bigint PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      authority_id uuid,
      actor_id uuid,
      action text NOT NULL,
      entity text NOT NULL,
      entity_id text,
      person_id uuid,
      detail jsonb NOT NULL DEFAULT '{}',
      prev_hash text NOT NULL,
      hash text NOT NULL
    );
    CREATE INDEX audit_log_person_idx ON audit_log(person_id, seq) WHERE person_id IS NOT NULL;

    -- One row: the head of the chain. Updating it row-locks, which orders concurrent audit writers.
    CREATE TABLE audit_chain_head (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      seq bigint NOT NULL,
      hash text NOT NULL
    );
    INSERT INTO audit_chain_head (seq, hash) VALUES (0, repeat('0', 64));

    CREATE FUNCTION audit_row_text(r audit_log) RETURNS text LANGUAGE sql STABLE AS $$
      SELECT concat_ws('|', r.seq::text, to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        coalesce(r.authority_id::text, ''), coalesce(r.actor_id::text, ''), r.action, r.entity,
        coalesce(r.entity_id, ''), coalesce(r.person_id::text, ''), r.detail::text, r.prev_hash)
    $$;

    CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE head audit_chain_head;
    BEGIN
      SELECT * INTO head FROM audit_chain_head WHERE id FOR UPDATE;
      NEW.seq := head.seq + 1;
      NEW.at := clock_timestamp();
      NEW.prev_hash := head.hash;
      NEW.hash := encode(sha256(convert_to(audit_row_text(NEW), 'UTF8')), 'hex');
      UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash WHERE id;
      RETURN NEW;
    END $$;
    CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

    CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
    CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
    CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The core migration cannot be reversed; restore from a backup instead.');
}
