// Frozen once landed: add a new migration rather than editing this one.
// Issue 12 parts 2 and 3 (transitional safeguarding, Wiltshire): exploitation screenings of young people aged 11-25,
// the events that call for an early re-screen (a missing episode, a placement move, new intelligence), and the
// contextual-safeguarding records a screening can name: places of concern, peer groups and persons of concern, with
// the links between them and the young people. The screening's route (the level confirmed, the review, the early
// re-screen) is its protocol instance; these tables hold the facts only.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE screenings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      instrument_id text NOT NULL,
      instrument_version int NOT NULL,
      screened_on date NOT NULL,
      age_at_screening int NOT NULL,
      send_or_learning_disability boolean NOT NULL,
      -- { indicatorId: { answer, evidence?, basis?, when? } }, as rules.ts reads them
      answers jsonb NOT NULL,
      -- what the instrument's rules proposed, with the reasons, and the significant incidents answered
      suggested_level text NOT NULL,
      suggested_reasons jsonb NOT NULL DEFAULT '[]',
      significant_incidents jsonb NOT NULL DEFAULT '[]',
      -- the practitioner's proposal (the suggestion, or another level with a reason)
      proposed_level text NOT NULL,
      proposed_rank int NOT NULL,
      proposed_reason text,
      proposed_by uuid NOT NULL REFERENCES users(id),
      -- a manager or a meeting confirms or changes the level; both levels are kept
      confirmed_level text,
      confirmed_rank int,
      confirmed_reason text,
      confirmed_by uuid REFERENCES users(id),
      confirmed_at timestamptz,
      confirmed_meeting_id uuid REFERENCES panel_meetings(id) ON DELETE SET NULL,
      review_due date NOT NULL,
      reason text NOT NULL DEFAULT 'first'
        CHECK (reason IN ('first','review','missing_episode','placement_move','new_intelligence','other')),
      risk_event_id uuid,
      summary text,
      protocol_instance_id uuid REFERENCES protocol_instances(id),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT screenings_confirmed CHECK (
        (confirmed_level IS NULL) = (confirmed_by IS NULL) AND (confirmed_level IS NULL) = (confirmed_rank IS NULL))
    );
    CREATE INDEX screenings_person_idx ON screenings(person_id, screened_on DESC, created_at DESC);
    CREATE INDEX screenings_authority_idx ON screenings(authority_id, screened_on DESC);

    -- Events that call for an early re-screen; each starts a new screening task with an owner.
    CREATE TABLE risk_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('missing_episode','placement_move','new_intelligence')),
      occurred_on date NOT NULL,
      -- a missing episode's return date and whether a return interview was offered
      returned_on date,
      return_interview text CHECK (return_interview IN ('offered_accepted','offered_declined','not_offered')),
      details text NOT NULL CHECK (details <> ''),
      recorded_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX risk_events_person_idx ON risk_events(person_id, occurred_on DESC);
    ALTER TABLE screenings ADD CONSTRAINT screenings_risk_event_fk
      FOREIGN KEY (risk_event_id) REFERENCES risk_events(id) ON DELETE SET NULL;

    -- Contextual safeguarding: places, peer groups and persons of concern are the council's, not one record's.
    CREATE TABLE places (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      name text NOT NULL CHECK (name <> ''),
      area text NOT NULL CHECK (area <> ''),
      kind text NOT NULL CHECK (kind IN ('public_space','shop_or_takeaway','transport','address','school_or_college',
        'leisure','online','other')),
      description text,
      closed_on date,
      created_by uuid NOT NULL REFERENCES users(id),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE peer_groups (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      name text NOT NULL CHECK (name <> ''),
      area text NOT NULL CHECK (area <> ''),
      description text,
      closed_on date,
      created_by uuid NOT NULL REFERENCES users(id),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- Adults or peers of concern (not young people on a record): a name or alias and why they are a concern.
    CREATE TABLE persons_of_concern (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      name text NOT NULL CHECK (name <> ''),
      aliases text,
      description text NOT NULL CHECK (description <> ''),
      created_by uuid NOT NULL REFERENCES users(id),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- A young person linked to a place or a peer group, from a screening or by hand.
    CREATE TABLE place_people (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      place_id uuid NOT NULL REFERENCES places(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      screening_id uuid REFERENCES screenings(id) ON DELETE SET NULL,
      note text,
      linked_by uuid NOT NULL REFERENCES users(id),
      linked_at timestamptz NOT NULL DEFAULT now(),
      unlinked_at timestamptz,
      UNIQUE (place_id, person_id)
    );
    CREATE INDEX place_people_person_idx ON place_people(person_id);
    CREATE TABLE peer_group_people (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      peer_group_id uuid NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      screening_id uuid REFERENCES screenings(id) ON DELETE SET NULL,
      note text,
      linked_by uuid NOT NULL REFERENCES users(id),
      linked_at timestamptz NOT NULL DEFAULT now(),
      unlinked_at timestamptz,
      UNIQUE (peer_group_id, person_id)
    );
    CREATE INDEX peer_group_people_person_idx ON peer_group_people(person_id);
    -- A person of concern linked to a young person (through a screening), a place or a peer group: exactly one.
    CREATE TABLE concern_links (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      person_of_concern_id uuid NOT NULL REFERENCES persons_of_concern(id) ON DELETE CASCADE,
      person_id uuid REFERENCES people(id) ON DELETE CASCADE,
      screening_id uuid REFERENCES screenings(id) ON DELETE SET NULL,
      place_id uuid REFERENCES places(id) ON DELETE CASCADE,
      peer_group_id uuid REFERENCES peer_groups(id) ON DELETE CASCADE,
      note text,
      linked_by uuid NOT NULL REFERENCES users(id),
      linked_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT concern_links_one CHECK (num_nonnulls(person_id, place_id, peer_group_id) = 1)
    );
    CREATE INDEX concern_links_person_idx ON concern_links(person_id) WHERE person_id IS NOT NULL;
    CREATE INDEX concern_links_poc_idx ON concern_links(person_of_concern_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE concern_links, peer_group_people, place_people, persons_of_concern, peer_groups, places;
    ALTER TABLE screenings DROP CONSTRAINT screenings_risk_event_fk;
    DROP TABLE risk_events, screenings;
  `.execute(db);
}
