// Frozen once landed: add a new migration rather than editing this one.
// Kent team remits and transfer protocol (shared/seeds/002_ef5c06fd8026eae8.txt): transfer points, assessments,
// transfers with their standards checklist, written notices, remedial actions, capacity escalations, the
// information-sharing ledger, contingency suspensions, and the never-unallocated rule in the database.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Transfer points as data: a case in from_team moves to to_team at an age or when a case type starts
    -- (step up) or ends (step down). The team remits themselves are on teams (age band, case types, locality).
    CREATE TABLE transfer_points (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      from_team_id uuid NOT NULL REFERENCES teams(id),
      to_team_id uuid NOT NULL REFERENCES teams(id),
      at_age int CHECK (at_age BETWEEN 0 AND 26),
      case_type text,
      direction text NOT NULL CHECK (direction IN ('age','step_up','step_down')),
      note text,
      CHECK (from_team_id <> to_team_id),
      CHECK (at_age IS NOT NULL OR case_type IS NOT NULL)
    );
    CREATE INDEX transfer_points_from_idx ON transfer_points(from_team_id);

    -- The dated assessments on a case: the latest one decides whether a transfer summary is needed.
    CREATE TABLE assessments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      involvement_id uuid NOT NULL REFERENCES involvements(id),
      kind text NOT NULL,
      completed_on date NOT NULL,
      summary text,
      recorded_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX assessments_involvement_idx ON assessments(involvement_id, completed_on DESC);

    CREATE TABLE transfers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      from_involvement_id uuid NOT NULL REFERENCES involvements(id),
      from_team_id uuid NOT NULL REFERENCES teams(id),
      to_team_id uuid REFERENCES teams(id),
      to_authority_name text,
      to_involvement_id uuid REFERENCES involvements(id),
      status text NOT NULL DEFAULT 'requested'
        CHECK (status IN ('requested','sent','returned','accepted','completed','cancelled')),
      reason text NOT NULL,
      proposed_by_remit boolean NOT NULL DEFAULT false,
      requested_by uuid NOT NULL REFERENCES users(id),
      requested_at timestamptz NOT NULL,
      summary_updated_information text,
      summary_important_dates text,
      summary_urgent_actions text,
      summary_signed_off_by uuid REFERENCES users(id),
      summary_signed_off_at timestamptz,
      qa_by uuid REFERENCES users(id),
      qa_at timestamptz,
      qa_notes text,
      notices_sent_at timestamptz,
      meeting_date date,
      meeting_not_possible_reason text,
      sent_at timestamptz,
      returned_at timestamptz,
      returns int NOT NULL DEFAULT 0,
      accepted_by uuid REFERENCES users(id),
      accepted_at timestamptz,
      allocated_worker_id uuid REFERENCES users(id),
      completed_at timestamptz,
      version int NOT NULL DEFAULT 1,
      CHECK ((to_team_id IS NULL) <> (to_authority_name IS NULL))
    );
    CREATE INDEX transfers_person_idx ON transfers(person_id);
    CREATE INDEX transfers_to_team_open_idx ON transfers(to_team_id) WHERE status IN ('sent','returned','accepted');
    CREATE INDEX transfers_from_team_open_idx ON transfers(from_team_id) WHERE status IN ('requested','sent','returned','accepted');
    -- One live transfer per involvement.
    CREATE UNIQUE INDEX transfers_one_live_idx ON transfers(from_involvement_id) WHERE status IN ('requested','sent','returned','accepted');

    -- Letters and documents the service generated (the written notices, transfer packs): kept as sent.
    CREATE TABLE generated_documents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      transfer_id uuid REFERENCES transfers(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('letter','transfer_pack')),
      recipient text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX generated_documents_transfer_idx ON generated_documents(transfer_id);

    -- Each written notice of a transfer: who, how (letter or email), and what was produced.
    CREATE TABLE transfer_notices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      transfer_id uuid NOT NULL REFERENCES transfers(id) ON DELETE CASCADE,
      recipient_kind text NOT NULL CHECK (recipient_kind IN ('family','professional','agency')),
      recipient_name text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('letter','email')),
      outbox_id uuid REFERENCES outbox(id),
      document_id uuid REFERENCES generated_documents(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((channel = 'email') = (outbox_id IS NOT NULL)),
      CHECK ((channel = 'letter') = (document_id IS NOT NULL))
    );
    CREATE INDEX transfer_notices_transfer_idx ON transfer_notices(transfer_id);

    -- Owned work on a case: remedial work a receiving team sent back, and the team leader's visiting, review and
    -- oversight of a child in need who cannot be allocated.
    CREATE TABLE case_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      involvement_id uuid REFERENCES involvements(id),
      transfer_id uuid REFERENCES transfers(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('remedial','visit','review','oversight')),
      description text NOT NULL,
      owner_user_id uuid REFERENCES users(id),
      owner_team_id uuid REFERENCES teams(id),
      due_date date NOT NULL,
      done_at timestamptz,
      done_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (owner_user_id IS NOT NULL OR owner_team_id IS NOT NULL)
    );
    CREATE INDEX case_tasks_transfer_idx ON case_tasks(transfer_id);
    CREATE INDEX case_tasks_owner_open_idx ON case_tasks(owner_user_id, due_date) WHERE done_at IS NULL;

    -- A receiving team that cannot allocate: escalated to the service manager, with an owner and a deadline.
    CREATE TABLE capacity_escalations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      transfer_id uuid REFERENCES transfers(id) ON DELETE CASCADE,
      team_id uuid NOT NULL REFERENCES teams(id),
      owner_user_id uuid REFERENCES users(id),
      owner_label text NOT NULL,
      reason text NOT NULL,
      due_date date NOT NULL,
      due_rule text NOT NULL,
      raised_by uuid NOT NULL REFERENCES users(id),
      raised_at timestamptz NOT NULL,
      resolved_at timestamptz,
      chased int NOT NULL DEFAULT 0
    );
    CREATE INDEX capacity_escalations_open_idx ON capacity_escalations(authority_id) WHERE resolved_at IS NULL;

    -- The information-sharing ledger: what was shared, with whom, why, and on what lawful basis.
    CREATE TABLE information_sharing (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      what text NOT NULL,
      with_whom text NOT NULL,
      purpose text NOT NULL,
      lawful_basis text NOT NULL,
      shared_by uuid NOT NULL REFERENCES users(id),
      shared_at timestamptz NOT NULL,
      document_id uuid REFERENCES generated_documents(id)
    );
    CREATE INDEX information_sharing_person_idx ON information_sharing(person_id, shared_at DESC);

    -- Contingency planning (the Kent protocol's Appendix 1): a written request to suspend part of the protocol.
    CREATE TABLE protocol_suspensions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      team_id uuid REFERENCES teams(id),
      part text NOT NULL,
      reason text NOT NULL,
      impact text NOT NULL,
      mitigations text NOT NULL,
      starts_on date NOT NULL,
      ends_on date NOT NULL,
      status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested','approved','refused')),
      requested_by uuid NOT NULL REFERENCES users(id),
      requested_at timestamptz NOT NULL,
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      decision_note text,
      version int NOT NULL DEFAULT 1,
      CHECK (ends_on >= starts_on),
      -- Time-limited: no suspension runs longer than 90 days.
      CHECK (ends_on - starts_on <= 90)
    );

    -- How long a child has waited for a worker: kept by the database, whichever code changes the allocation.
    ALTER TABLE involvements ADD COLUMN unallocated_since timestamptz;
    UPDATE involvements SET unallocated_since = created_at WHERE worker_id IS NULL AND end_date IS NULL;
    CREATE FUNCTION involvements_track_unallocated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.worker_id IS NULL AND NEW.end_date IS NULL THEN
        IF TG_OP = 'INSERT' THEN
          NEW.unallocated_since := coalesce(NEW.unallocated_since, now());
        ELSIF OLD.worker_id IS NOT NULL OR OLD.end_date IS NOT NULL OR OLD.unallocated_since IS NULL THEN
          NEW.unallocated_since := coalesce(NEW.unallocated_since, now());
        END IF;
      ELSE
        NEW.unallocated_since := NULL;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER involvements_track_unallocated BEFORE INSERT OR UPDATE OF worker_id, end_date ON involvements
      FOR EACH ROW EXECUTE FUNCTION involvements_track_unallocated();
    CREATE INDEX involvements_unallocated_idx ON involvements(authority_id, unallocated_since)
      WHERE worker_id IS NULL AND end_date IS NULL;

    -- Never unallocated (Kent protocol 2.5): at commit, a child with an open child protection plan or in care has
    -- at least one open involvement with an allocated worker. Records that arrive whole in one transaction (an
    -- import of legacy data, a demo build) are taken as they are, because there is nobody yet to allocate; they
    -- show on the unallocated list. Every later change to such a child is held to the rule.
    CREATE FUNCTION person_is_allocated_if_protected(pid uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT NOT EXISTS (
          SELECT 1 FROM person_statuses s
          WHERE s.person_id = pid AND s.end_date IS NULL
            AND s.status IN ('child_protection_plan','child_in_care'))
        OR EXISTS (
          SELECT 1 FROM involvements i
          WHERE i.person_id = pid AND i.end_date IS NULL AND i.worker_id IS NOT NULL)
    $$;
    CREATE FUNCTION check_never_unallocated() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE pid uuid; born_here boolean;
    BEGIN
      pid := CASE WHEN TG_OP = 'DELETE' THEN OLD.person_id ELSE NEW.person_id END;
      -- Locking the person serialises concurrent changes to one child: the second to commit re-checks after the
      -- first, so two workers each letting go of one of two allocations cannot both succeed.
      SELECT p.xmin = pg_current_xact_id()::xid INTO born_here FROM people p WHERE p.id = pid FOR NO KEY UPDATE;
      -- The person is gone (deleted with the case) or was created in this very transaction: nothing to hold.
      IF born_here IS NULL OR born_here THEN RETURN NULL; END IF;
      IF NOT person_is_allocated_if_protected(pid) THEN
        RAISE EXCEPTION 'never unallocated: a child on a child protection plan or in care must keep an allocated worker'
          USING ERRCODE = 'check_violation', CONSTRAINT = 'never_unallocated';
      END IF;
      RETURN NULL;
    END $$;
    CREATE CONSTRAINT TRIGGER involvements_never_unallocated
      AFTER INSERT OR UPDATE OR DELETE ON involvements DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION check_never_unallocated();
    CREATE CONSTRAINT TRIGGER person_statuses_never_unallocated
      AFTER INSERT OR UPDATE ON person_statuses DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION check_never_unallocated();
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reversed; restore from a backup instead.');
}
