// The SQL of the single view of risk (issue 12 part 9): one young person's rows across the modules, read-only,
// always within the caller's council, plus the partners' entries (the only table this module writes, append-only).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

export { personHeader } from '../kit/person-header.ts';

type Scope = { authorityId: string; personId: string };

/** Screenings, oldest first (the chart reads left to right): the level proposed and the level confirmed. */
export function screenings(db: Executor, s: Scope) {
  return db
    .selectFrom('screenings')
    .where('authority_id', '=', s.authorityId)
    .where('person_id', '=', s.personId)
    .select([
      'id',
      'screened_on',
      'reason',
      'proposed_level',
      'proposed_rank',
      'confirmed_level',
      'confirmed_rank',
      'confirmed_at',
      'review_due',
    ])
    .orderBy('screened_on')
    .orderBy('created_at')
    .limit(200)
    .execute();
}

/** Missing episodes, placement moves and new intelligence, newest first. */
export function riskEvents(db: Executor, s: Scope) {
  return db
    .selectFrom('risk_events')
    .where('authority_id', '=', s.authorityId)
    .where('person_id', '=', s.personId)
    .select(['id', 'kind', 'occurred_on', 'returned_on', 'return_interview', 'details'])
    .orderBy('occurred_on', 'desc')
    .limit(200)
    .execute();
}

/** Places, peer groups and persons of concern linked to the young person (links still open). */
export async function contexts(db: Executor, s: Scope) {
  const places = await db
    .selectFrom('place_people as l')
    .innerJoin('places as p', 'p.id', 'l.place_id')
    .where('l.authority_id', '=', s.authorityId)
    .where('l.person_id', '=', s.personId)
    .where('l.unlinked_at', 'is', null)
    .select(['p.id', 'p.name', 'p.area', 'p.kind', 'l.note', 'l.linked_at'])
    .orderBy('l.linked_at', 'desc')
    .execute();
  const peerGroups = await db
    .selectFrom('peer_group_people as l')
    .innerJoin('peer_groups as g', 'g.id', 'l.peer_group_id')
    .where('l.authority_id', '=', s.authorityId)
    .where('l.person_id', '=', s.personId)
    .where('l.unlinked_at', 'is', null)
    .select(['g.id', 'g.name', 'g.area', 'l.note', 'l.linked_at'])
    .orderBy('l.linked_at', 'desc')
    .execute();
  const personsOfConcern = await db
    .selectFrom('concern_links as l')
    .innerJoin('persons_of_concern as c', 'c.id', 'l.person_of_concern_id')
    .where('l.authority_id', '=', s.authorityId)
    .where('l.person_id', '=', s.personId)
    .select(['c.id', 'c.name', 'c.aliases', 'c.description', 'l.note', 'l.linked_at'])
    .orderBy('l.linked_at', 'desc')
    .execute();
  return { places, peerGroups, personsOfConcern };
}

/** Panel items about the young person (named-case panels only) with the meeting and its decisions. */
export function meetings(db: Executor, s: Scope) {
  return db
    .selectFrom('panel_items as i')
    .innerJoin('panels as pn', 'pn.id', 'i.panel_id')
    .leftJoin('panel_meetings as m', 'm.id', 'i.meeting_id')
    .where('i.authority_id', '=', s.authorityId)
    .where('i.person_id', '=', s.personId)
    .where('pn.pseudonymised', '=', false)
    .select((eb) => [
      'i.id',
      'i.question',
      'i.status',
      'i.created_at',
      'pn.name as panel_name',
      sql<string>`pn.kind`.as('panel_kind'),
      'm.meeting_date',
      eb
        .selectFrom('panel_decisions as d')
        .whereRef('d.item_id', '=', 'i.id')
        .select(
          sql<{ id: string; decision: string; at: string }[]>`coalesce(json_agg(json_build_object(
          'id', d.id, 'decision', d.decision, 'at', d.created_at) ORDER BY d.created_at), '[]')`.as('d'),
        )
        .as('decisions'),
    ])
    .orderBy('i.created_at', 'desc')
    .limit(200)
    .execute();
}

/** SEND and other statuses (open and ended), newest first; EHC needs assessments. */
export async function send(db: Executor, s: Scope) {
  const statuses = await db
    .selectFrom('person_statuses')
    .where('authority_id', '=', s.authorityId)
    .where('person_id', '=', s.personId)
    .select(['id', 'status', 'start_date', 'end_date'])
    .orderBy('start_date', 'desc')
    .execute();
  const ehcp = await db
    .selectFrom('ehcp_assessments')
    .where('authority_id', '=', s.authorityId)
    .where('person_id', '=', s.personId)
    .select(['id', 'request_date', 'decision_to_assess', 'decision_date'])
    .orderBy('request_date', 'desc')
    .execute();
  return { statuses, ehcp };
}

/** Involvements of health teams (e.g. CAMHS): emotional wellbeing support across agencies. */
export function healthInvolvements(db: Executor, s: Scope) {
  return db
    .selectFrom('involvements as v')
    .innerJoin('teams as t', 't.id', 'v.team_id')
    .innerJoin('services as sv', 'sv.id', 't.service_id')
    .where('v.authority_id', '=', s.authorityId)
    .where('v.person_id', '=', s.personId)
    .where('sv.kind', '=', 'health')
    .select(['v.id', 't.name as team_name', 'sv.name as service_name', 'v.reason', 'v.start_date', 'v.end_date'])
    .orderBy('v.start_date', 'desc')
    .execute();
}

/** Information-sharing decisions, newest first (the current and corrected ones alike). */
export function shares(db: Executor, s: Scope) {
  return db
    .selectFrom('sharing_records')
    .where('authority_id', '=', s.authorityId)
    .where('person_id', '=', s.personId)
    .select(['id', 'decision', 'recipient_organisation', 'decided_on', 'corrects_id'])
    .orderBy('decided_on', 'desc')
    .limit(200)
    .execute();
}

/** Partner agencies' entries, newest first. */
export function partnerEntries(db: Executor, s: Scope) {
  return db
    .selectFrom('risk_partner_entries as e')
    .leftJoin('users as u', 'u.id', 'e.recorded_by')
    .where('e.authority_id', '=', s.authorityId)
    .where('e.person_id', '=', s.personId)
    .select([
      'e.id',
      'e.agency',
      'e.occurred_on',
      'e.what',
      'e.source',
      'e.recorded_at',
      'u.display_name as recorded_by_name',
    ])
    .orderBy('e.occurred_on', 'desc')
    .orderBy('e.recorded_at', 'desc')
    .limit(500)
    .execute();
}

/** The agency a user writes for: their service's organisation (or the service's name). */
export async function agencyOf(db: Executor, userId: string): Promise<string> {
  const r = await db
    .selectFrom('users as u')
    .leftJoin('services as s', 's.id', 'u.service_id')
    .where('u.id', '=', userId)
    .select(['s.organisation', 's.name'])
    .executeTakeFirst();
  return r?.organisation ?? r?.name ?? 'Agency not recorded';
}

export async function insertPartnerEntry(
  db: Executor,
  v: {
    authority_id: string;
    person_id: string;
    agency: string;
    occurred_on: string;
    what: string;
    source: 'evidence' | 'intelligence';
    recorded_by: string;
  },
) {
  const r = await db.insertInto('risk_partner_entries').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
