// SEND hubs (issue 13 parts 4, 5, 6): the SQL of triage meetings and their agendas, a request as the hub's triage
// and Navigator pages read it, the people a form may choose (hub services, Navigators, EHCP coordinators, locality
// workers), the contact log, the setting's recipients and what is known of a young person's wider context.
import { type Insertable, sql } from 'kysely';
import type { Executor, Tx } from '../../db/database.ts';
import type { SupportRequestContactTable } from '../../db/schema-send-hubs.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';

export async function meetingsOf(db: Executor, hubId: string) {
  return db
    .selectFrom('triage_meetings as m')
    .leftJoin('users as c', 'c.id', 'm.chair_user_id')
    .where('m.hub_id', '=', hubId)
    .select(['m.id', 'm.meeting_date', 'm.attendees', 'm.held', 'm.version', 'c.display_name as chair'])
    .orderBy('m.held', 'asc')
    .orderBy('m.meeting_date', 'asc')
    .execute();
}

export async function meetingOf(db: Executor, hubId: string, meetingId: string) {
  const m = await db
    .selectFrom('triage_meetings as m')
    .leftJoin('users as c', 'c.id', 'm.chair_user_id')
    .where('m.hub_id', '=', hubId)
    .where('m.id', '=', meetingId)
    .select([
      'm.id',
      'm.hub_id',
      'm.meeting_date',
      'm.attendees',
      'm.held',
      'm.version',
      'm.chair_user_id',
      'c.display_name as chair',
    ])
    .executeTakeFirst();
  if (!m) throw new NotFound('No triage meeting with that reference.');
  return m;
}

export async function meetingOn(db: Executor, hubId: string, date: string) {
  return db
    .selectFrom('triage_meetings')
    .where('hub_id', '=', hubId)
    .where('meeting_date', '=', date)
    .select('id')
    .executeTakeFirst();
}

export async function insertMeeting(
  tx: Tx,
  v: { authorityId: string; hubId: string; date: string; chair: string | null; attendees: string | null },
): Promise<string> {
  if (await meetingOn(tx, v.hubId, v.date))
    throw new ValidationError({ meeting_date: 'The hub already has a triage meeting on that date: choose another' });
  const row = await tx
    .insertInto('triage_meetings')
    .values({
      authority_id: v.authorityId,
      hub_id: v.hubId,
      meeting_date: v.date,
      chair_user_id: v.chair,
      attendees: v.attendees,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The agenda by rule: the hub's requests waiting for triage received on or before the date, oldest first. */
export async function agendaOf(db: Executor, hubId: string, date: string) {
  return db
    .selectFrom('support_requests as r')
    .innerJoin('settings as s', 's.id', 'r.setting_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .leftJoin('protocol_steps as st', (j) =>
      j.onRef('st.instance_id', '=', 'r.protocol_instance_id').on('st.status', '=', 'open'),
    )
    .where('r.hub_id', '=', hubId)
    .where('r.status', '=', 'waiting')
    .where('r.received_on', '<=', date)
    .select([
      'r.id',
      'r.reference',
      'r.person_id',
      'r.received_on',
      'r.areas_of_need',
      'r.outcome',
      's.name as setting',
      'p.given_name',
      'p.family_name',
      'st.due_date as due',
    ])
    .orderBy('r.received_on', 'asc')
    .orderBy('r.reference', 'asc')
    .execute();
}

/** One request of the hub, with its setting and the young person's name. */
export async function requestOfHub(db: Executor, hubId: string, requestId: string) {
  const r = await db
    .selectFrom('support_requests as r')
    .innerJoin('settings as s', 's.id', 'r.setting_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .leftJoin('users as n', 'n.id', 'r.navigator_user_id')
    .where('r.hub_id', '=', hubId)
    .where('r.id', '=', requestId)
    .selectAll('r')
    .select([
      's.name as setting_name',
      's.inbox_email',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'p.case_number',
      'n.display_name as navigator_name',
    ])
    .executeTakeFirst();
  if (!r) throw new NotFound('No request with that reference.');
  return r;
}
export type HubRequest = Awaited<ReturnType<typeof requestOfHub>>;

/** The request locked for a change (the caller has checked it is the hub's). */
export async function lockRequest(tx: Tx, requestId: string) {
  await tx.selectFrom('support_requests').where('id', '=', requestId).select('id').forUpdate().execute();
}

export async function hubServicesOf(db: Executor, hubId: string) {
  return db
    .selectFrom('hub_services')
    .where('hub_id', '=', hubId)
    .where('active', '=', true)
    .select(['id', 'name', 'kind'])
    .orderBy('name')
    .execute();
}

/** Navigators a hub may name: members of its team who are hub practitioners or hub managers, active. */
export async function navigatorsOf(db: Executor, teamId: string | null) {
  if (!teamId) return [];
  return db
    .selectFrom('team_members as tm')
    .innerJoin('users as u', 'u.id', 'tm.user_id')
    .where('tm.team_id', '=', teamId)
    .where('u.active', '=', true)
    .where(sql<boolean>`u.roles && ARRAY['hub_practitioner','hub_manager']::text[]`)
    .select(['u.id', 'u.display_name', 'u.job_title'])
    .orderBy('u.display_name')
    .execute();
}

/** The council's active EHCP coordinators. */
export async function coordinatorsOf(db: Executor, authorityId: string) {
  return db
    .selectFrom('users as u')
    .where('u.authority_id', '=', authorityId)
    .where('u.active', '=', true)
    .where(sql<boolean>`'ehcp_coordinator' = ANY(u.roles)`)
    .select(['u.id', 'u.display_name', 'u.job_title'])
    .orderBy('u.display_name')
    .execute();
}

/** The active members of a team (the locality team's workers; the owners a support plan action may have). */
export async function membersOf(db: Executor, teamIds: (string | null)[]) {
  const ids = teamIds.filter((t): t is string => Boolean(t));
  if (!ids.length) return [];
  return db
    .selectFrom('team_members as tm')
    .innerJoin('users as u', 'u.id', 'tm.user_id')
    .where('tm.team_id', 'in', ids)
    .where('u.active', '=', true)
    .select(['u.id', 'u.display_name', 'u.job_title'])
    .distinct()
    .orderBy('u.display_name')
    .execute();
}

export async function insertContact(tx: Tx, v: Insertable<SupportRequestContactTable>) {
  const row = await tx.insertInto('support_request_contacts').values(v).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function contactsOf(db: Executor, requestId: string) {
  return db
    .selectFrom('support_request_contacts as c')
    .innerJoin('users as u', 'u.id', 'c.recorded_by')
    .where('c.request_id', '=', requestId)
    .select(['c.id', 'c.contact_on', 'c.with_whom', 'c.method', 'c.summary', 'u.display_name as recorded_by'])
    .orderBy('c.contact_on', 'desc')
    .orderBy('c.created_at', 'desc')
    .execute();
}

/** Who hears about the request at its setting: its accounts and its team inbox. */
export async function settingRecipients(db: Executor, settingId: string) {
  const members = await db
    .selectFrom('setting_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.setting_id', '=', settingId)
    .where('u.active', '=', true)
    .select('u.id')
    .execute();
  const s = await db.selectFrom('settings').where('id', '=', settingId).select('inbox_email').executeTakeFirst();
  return { userIds: members.map((m) => m.id), inbox: s?.inbox_email ?? null };
}

/**
 * The hub's support plan actions on the young person's plan (the transitions module's plan), newest due last: only
 * those the hub added, never the rest of the plan, which opens only with a relationship to the record.
 */
export async function planActionsOf(db: Executor, personId: string) {
  return db
    .selectFrom('plan_actions as a')
    .leftJoin('users as u', 'u.id', 'a.owner_user_id')
    .where('a.person_id', '=', personId)
    .where('a.source', '=', 'send_hub')
    .select(['a.id', 'a.description', 'a.due_date', 'a.status', 'a.source', 'u.display_name as owner'])
    .orderBy('a.due_date', 'asc')
    .execute();
}

export async function planOf(db: Executor, personId: string) {
  return db.selectFrom('plans').where('person_id', '=', personId).select('id').executeTakeFirst();
}

export async function insertPlan(tx: Tx, v: { authorityId: string; personId: string; needs: string; by: string }) {
  const row = await tx
    .insertInto('plans')
    .values({
      authority_id: v.authorityId,
      person_id: v.personId,
      needs: v.needs,
      created_by: v.by,
      created_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The locality team's open involvement on the young person, if any. */
export async function openInvolvement(tx: Tx, personId: string, teamId: string) {
  return tx
    .selectFrom('involvements')
    .where('person_id', '=', personId)
    .where('team_id', '=', teamId)
    .where('end_date', 'is', null)
    .select(['id', 'worker_id', 'version'])
    .forUpdate()
    .executeTakeFirst();
}

export async function setWorker(tx: Tx, involvementId: string, workerId: string, version: number) {
  await tx
    .updateTable('involvements')
    .set({ worker_id: workerId, version: version + 1 })
    .where('id', '=', involvementId)
    .execute();
}

// ---- needs in context

export async function previousRequests(db: Executor, personId: string, exceptId: string) {
  return db
    .selectFrom('support_requests as r')
    .innerJoin('hubs as h', 'h.id', 'r.hub_id')
    .innerJoin('settings as s', 's.id', 'r.setting_id')
    .where('r.person_id', '=', personId)
    .where('r.id', '<>', exceptId)
    .select([
      'r.id',
      'r.reference',
      'r.received_on',
      'r.status',
      'r.outcome',
      'r.result',
      'h.name as hub',
      's.name as setting',
    ])
    .orderBy('r.received_on', 'desc')
    .execute();
}

export async function familyOf(db: Executor, personId: string) {
  return db
    .selectFrom('contacts')
    .where('person_id', '=', personId)
    .select(['id', 'name', 'relationship', 'parental_responsibility'])
    .orderBy('created_at')
    .execute();
}

export async function agenciesOf(db: Executor, personId: string) {
  return db
    .selectFrom('involvements as i')
    .innerJoin('teams as t', 't.id', 'i.team_id')
    .innerJoin('services as sv', 'sv.id', 't.service_id')
    .leftJoin('users as w', 'w.id', 'i.worker_id')
    .where('i.person_id', '=', personId)
    .where('i.end_date', 'is', null)
    .select(['i.id', 't.name as team', 'sv.name as service', 'i.start_date', 'w.display_name as worker'])
    .orderBy('i.start_date')
    .execute();
}

export async function statusesOf(db: Executor, personId: string) {
  return db
    .selectFrom('person_statuses')
    .where('person_id', '=', personId)
    .select(['id', 'status', 'start_date', 'end_date'])
    .orderBy('end_date', (o) => o.nullsFirst())
    .orderBy('start_date', 'desc')
    .execute();
}

/** The hub of a request in the user's council (the API names only the request); the caller checks the hub is theirs. */
export async function hubIdOfRequest(db: Executor, authorityId: string, requestId: string): Promise<string> {
  const r = await db
    .selectFrom('support_requests')
    .where('id', '=', requestId)
    .where('authority_id', '=', authorityId)
    .select('hub_id')
    .executeTakeFirst();
  if (!r) throw new NotFound('No request with that reference.');
  return r.hub_id;
}

/** Where a request is now, for the API's answers (no names). */
export async function requestState(db: Executor, requestId: string) {
  return db
    .selectFrom('support_requests as r')
    .leftJoin('protocol_steps as st', (j) =>
      j.onRef('st.instance_id', '=', 'r.protocol_instance_id').on('st.status', '=', 'open'),
    )
    .where('r.id', '=', requestId)
    .select([
      'r.id',
      'r.reference',
      'r.status',
      'r.outcome',
      'r.result',
      'r.navigator_user_id',
      'r.first_response_on',
      'r.support_started_on',
      'r.ehcp_assessment_id',
      'r.locality_team_id',
      'r.triage_meeting_id',
      'r.closed_on',
      'r.version',
      'st.step_key as step',
      'st.due_date as due',
    ])
    .executeTakeFirstOrThrow();
}
