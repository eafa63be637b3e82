// Frozen once landed: add a new migration rather than editing this one.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Every version of every protocol ever loaded: a running instance keeps the version it started on.
    CREATE TABLE protocol_versions (
      protocol_id text NOT NULL,
      version int NOT NULL,
      title text NOT NULL,
      origin text NOT NULL,
      definition jsonb NOT NULL,
      checksum text NOT NULL,
      loaded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (protocol_id, version)
    );

    CREATE TABLE protocol_instances (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      involvement_id uuid REFERENCES involvements(id),
      protocol_id text NOT NULL,
      protocol_version int NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','ended','cancelled')),
      result text,
      current_step_id uuid,
      anchors jsonb NOT NULL DEFAULT '{}',
      data jsonb NOT NULL DEFAULT '{}',
      started_by uuid NOT NULL REFERENCES users(id),
      started_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz,
      version int NOT NULL DEFAULT 1,
      FOREIGN KEY (protocol_id, protocol_version) REFERENCES protocol_versions(protocol_id, version)
    );
    CREATE INDEX protocol_instances_person_idx ON protocol_instances(person_id);

    -- One row per step an instance has been in: the open one is the current step, the rest its history.
    CREATE TABLE protocol_steps (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      instance_id uuid NOT NULL REFERENCES protocol_instances(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      step_key text NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
      entered_at timestamptz NOT NULL DEFAULT now(),
      entered_on date NOT NULL,
      due_date date,
      due_rule text,
      owner_user_id uuid REFERENCES users(id),
      owner_team_id uuid REFERENCES teams(id),
      owner_role text,
      owner_service_id uuid REFERENCES services(id),
      owner_label text NOT NULL,
      escalations int NOT NULL DEFAULT 0,
      outcome text,
      decision jsonb,
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      version int NOT NULL DEFAULT 1
    );
    CREATE INDEX protocol_steps_instance_idx ON protocol_steps(instance_id, entered_at);
    CREATE INDEX protocol_steps_owner_user_open_idx ON protocol_steps(owner_user_id, due_date) WHERE status = 'open';
    CREATE INDEX protocol_steps_owner_team_open_idx ON protocol_steps(owner_team_id, due_date) WHERE status = 'open';
    CREATE INDEX protocol_steps_owner_role_open_idx ON protocol_steps(authority_id, owner_role, due_date) WHERE status = 'open';

    -- Timers: each row fires once (fired_at set in the same transaction as its action).
    -- subject_type/subject_id say what it chases (a protocol step, a plan action, a referral, …).
    CREATE TABLE deadlines (
      id bigserial PRIMARY KEY,
      authority_id uuid NOT NULL REFERENCES authorities(id),
      subject_type text NOT NULL,
      subject_id uuid NOT NULL,
      rung int NOT NULL,
      due_at timestamptz NOT NULL,
      action jsonb NOT NULL,
      fired_at timestamptz,
      cancelled_at timestamptz,
      UNIQUE (subject_type, subject_id, rung)
    );
    -- The sweep reads only what is due: cost grows with due rows, not with all open ones (quality.md P4).
    CREATE INDEX deadlines_due_idx ON deadlines(due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;

    -- Messages to people: in-app notifications.
    CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      user_id uuid NOT NULL REFERENCES users(id),
      message text NOT NULL,
      link text,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz
    );
    CREATE INDEX notifications_user_unread_idx ON notifications(user_id, created_at DESC) WHERE read_at IS NULL;

    -- Email outbox: written in the same transaction as what caused it; sent by a worker (quality.md R6).
    CREATE TABLE outbox (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      reference text NOT NULL,
      to_addresses text[] NOT NULL,
      cc_addresses text[] NOT NULL DEFAULT '{}',
      subject text NOT NULL,
      body text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed')),
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      claimed_until timestamptz,
      last_error text,
      transport text,
      provider_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    );
    CREATE INDEX outbox_due_idx ON outbox(next_attempt_at) WHERE status IN ('pending','sending');
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reversed; restore from a backup instead.');
}
