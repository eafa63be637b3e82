// Frozen once landed: add a new migration rather than editing this one.
// Person-led plans, referrals and panels (Devon 16-17 transitions protocol, shared/seeds/000_62c04115495efcf9.md).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One person-led plan (PATH or similar) per young person: their own words, and the protocol outcomes.
    CREATE TABLE plans (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL UNIQUE REFERENCES people(id) ON DELETE CASCADE,
      what_matters text,
      hopes text,
      needs text,
      stall_days int NOT NULL DEFAULT 28 CHECK (stall_days BETWEEN 1 AND 365),
      pathway_agreed boolean NOT NULL DEFAULT false,
      provision_in_place boolean NOT NULL DEFAULT false,
      risk_plan_agreed boolean NOT NULL DEFAULT false,
      barriers_unlocked boolean NOT NULL DEFAULT false,
      commissioning_resolved boolean NOT NULL DEFAULT false,
      version int NOT NULL DEFAULT 1,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE plan_goals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      goal text NOT NULL,
      outcome text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX plan_goals_plan_idx ON plan_goals(plan_id);

    -- Each action has an owner: a named person, or a service with nobody named yet (owner_service_id only).
    CREATE TABLE plan_actions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      goal_id uuid REFERENCES plan_goals(id) ON DELETE SET NULL,
      description text NOT NULL,
      owner_user_id uuid REFERENCES users(id),
      owner_service_id uuid REFERENCES services(id),
      due_date date,
      status text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started','in_progress','done','cancelled')),
      evidence text,
      issue_type text CHECK (issue_type IN ('gap','capacity')),
      issue_service_id uuid REFERENCES services(id),
      commissioning_area text,
      resources_date date,
      contingency text,
      source text NOT NULL DEFAULT 'plan',
      protocol_instance_id uuid REFERENCES protocol_instances(id) ON DELETE SET NULL,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX plan_actions_plan_idx ON plan_actions(plan_id);
    CREATE INDEX plan_actions_owner_open_idx ON plan_actions(owner_user_id, due_date) WHERE status IN ('not_started','in_progress');
    CREATE INDEX plan_actions_issue_idx ON plan_actions(authority_id, issue_type) WHERE issue_type IS NOT NULL;

    CREATE TABLE plan_reviews (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      review_date date NOT NULL,
      attendees text NOT NULL,
      notes text NOT NULL,
      issues_persist boolean NOT NULL DEFAULT false,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX plan_reviews_plan_idx ON plan_reviews(plan_id, review_date DESC);

    -- A referral to a service or a person; its response date is chased and escalated by deadline rows.
    CREATE TABLE referrals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      action_id uuid REFERENCES plan_actions(id) ON DELETE SET NULL,
      to_service_id uuid REFERENCES services(id),
      to_user_id uuid REFERENCES users(id),
      reason text NOT NULL,
      basis text NOT NULL CHECK (basis IN ('consent','lawful_basis')),
      basis_detail text NOT NULL,
      status text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent','accepted','declined','successful','withdrawn')),
      decline_reason text,
      response_due date NOT NULL,
      due_rule text NOT NULL,
      referred_by uuid NOT NULL REFERENCES users(id),
      sent_at timestamptz NOT NULL DEFAULT now(),
      responded_at timestamptz,
      escalations int NOT NULL DEFAULT 0,
      version int NOT NULL DEFAULT 1,
      CHECK (to_service_id IS NOT NULL OR to_user_id IS NOT NULL),
      CHECK (status <> 'declined' OR decline_reason IS NOT NULL)
    );
    CREATE INDEX referrals_person_idx ON referrals(person_id);
    CREATE INDEX referrals_to_user_open_idx ON referrals(to_user_id) WHERE status IN ('sent','accepted');

    -- The 16-17 transitions forum, the Transitions Governance Group and the SEND board.
    CREATE TABLE panels (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      kind text NOT NULL CHECK (kind IN ('forum','governance','send_board')),
      name text NOT NULL,
      -- "without personal details": members see pseudonymised summaries only (quality.md S15).
      pseudonymised boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (authority_id, kind)
    );

    CREATE TABLE panel_members (
      panel_id uuid NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id),
      area text NOT NULL CHECK (area IN ('childrens','adult','education','health','commissioning','specialist','provider')),
      chair boolean NOT NULL DEFAULT false,
      PRIMARY KEY (panel_id, user_id)
    );
    CREATE INDEX panel_members_user_idx ON panel_members(user_id);

    CREATE TABLE panel_meetings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      panel_id uuid NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
      meeting_date date NOT NULL,
      status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','held')),
      minutes text,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX panel_meetings_panel_idx ON panel_meetings(panel_id, meeting_date);

    -- A case on a panel's agenda: from the forum referral form or from a protocol step at the panel's stage.
    CREATE TABLE panel_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      panel_id uuid NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
      meeting_id uuid REFERENCES panel_meetings(id) ON DELETE SET NULL,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      protocol_step_id uuid UNIQUE REFERENCES protocol_steps(id) ON DELETE SET NULL,
      source text NOT NULL CHECK (source IN ('referral_form','protocol')),
      question text NOT NULL,
      issue_type text CHECK (issue_type IN ('gap','capacity','unclear')),
      needs text,
      blocked_by text,
      routes_tried text,
      -- For pseudonymised panels: the summary the system produced, with no direct identifiers (S15).
      summary text,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
      referred_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX panel_items_person_open_idx ON panel_items(person_id) WHERE status = 'open';
    CREATE INDEX panel_items_meeting_idx ON panel_items(meeting_id);

    CREATE TABLE panel_decisions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      item_id uuid NOT NULL REFERENCES panel_items(id) ON DELETE CASCADE,
      meeting_id uuid REFERENCES panel_meetings(id) ON DELETE SET NULL,
      decision text NOT NULL,
      action_id uuid REFERENCES plan_actions(id) ON DELETE SET NULL,
      decided_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX panel_decisions_item_idx ON panel_decisions(item_id);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reversed; restore from a backup instead.');
}
