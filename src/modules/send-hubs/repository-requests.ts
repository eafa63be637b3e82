// SEND hubs (issue 13 parts 2 and 3): the SQL behind the setting's and the hub's request pages. The setting's reads
// select only what a setting may see (the child's name as it gave it, the status, never the record or hub notes).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { SupportRequestStatus } from '../../db/schema-send-hubs.ts';

/** The settings whose accounts this user holds, with their hub. */
export function settingsOfUser(db: Executor, user: { id: string; authorityId: string }) {
  return db
    .selectFrom('setting_members as m')
    .innerJoin('settings as s', 's.id', 'm.setting_id')
    .innerJoin('hubs as h', 'h.id', 's.hub_id')
    .where('m.user_id', '=', user.id)
    .where('s.authority_id', '=', user.authorityId)
    .where('s.active', '=', true)
    .select(['s.id', 's.name', 's.hub_id', 'h.name as hub_name'])
    .orderBy('s.name')
    .execute();
}

/** The active settings a hub serves. */
export function settingsOfHub(db: Executor, hubId: string) {
  return db
    .selectFrom('settings')
    .where('hub_id', '=', hubId)
    .where('active', '=', true)
    .select(['id', 'name'])
    .orderBy('name')
    .execute();
}

/** What a setting sees of its requests: status only. */
const SETTING_COLUMNS = [
  'r.id',
  'r.reference',
  'r.setting_id',
  'r.child_name',
  'r.received_on',
  'r.status',
  'r.consent',
  'r.outcome',
  'r.result',
  'r.closed_on',
  'r.protocol_instance_id',
] as const;

export function requestsOfSettings(db: Executor, authorityId: string, settingIds: string[]) {
  if (!settingIds.length) return Promise.resolve([]);
  return db
    .selectFrom('support_requests as r')
    .where('r.authority_id', '=', authorityId)
    .where('r.setting_id', 'in', settingIds)
    .select(SETTING_COLUMNS)
    .orderBy('r.received_on', 'desc')
    .orderBy('r.reference', 'desc')
    .execute();
}

export function settingRequest(db: Executor, requestId: string, settingId: string) {
  return db
    .selectFrom('support_requests as r')
    .innerJoin('settings as s', 's.id', 'r.setting_id')
    .where('r.id', '=', requestId)
    .where('r.setting_id', '=', settingId)
    .select([...SETTING_COLUMNS, 's.name as setting_name'])
    .executeTakeFirst();
}
export type SettingRequestRow = NonNullable<Awaited<ReturnType<typeof settingRequest>>>;

/** The hubs with their requests counted by status. */
export async function hubsWithCounts(db: Executor, hubIds: string[]) {
  if (!hubIds.length) return [];
  const hubs = await db
    .selectFrom('hubs as h')
    .innerJoin('localities as l', 'l.id', 'h.locality_id')
    .where('h.id', 'in', hubIds)
    .select(['h.id', 'h.name', 'l.name as locality_name'])
    .orderBy('h.name')
    .execute();
  const counts = await db
    .selectFrom('support_requests')
    .where('hub_id', 'in', hubIds)
    .select(['hub_id', 'status', sql<number>`count(*)::int`.as('n')])
    .groupBy(['hub_id', 'status'])
    .execute();
  return hubs.map((h) => ({
    ...h,
    counts: Object.fromEntries(counts.filter((c) => c.hub_id === h.id).map((c) => [c.status, c.n])) as Partial<
      Record<SupportRequestStatus, number>
    >,
  }));
}

/** A hub's open requests and those closed since `closedSince`, with the young person named (hub staff only). */
export function hubRequests(
  db: Executor,
  hubId: string,
  o: { closedSince: string; status?: SupportRequestStatus | null },
) {
  let q = db
    .selectFrom('support_requests as r')
    .innerJoin('settings as s', 's.id', 'r.setting_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .where('r.hub_id', '=', hubId)
    .where((eb) => eb.or([eb('r.status', '<>', 'closed'), eb('r.closed_on', '>=', o.closedSince)]));
  if (o.status) q = q.where('r.status', '=', o.status);
  return q
    .select([
      'r.id',
      'r.reference',
      'r.person_id',
      'p.given_name',
      'p.family_name',
      's.name as setting_name',
      'r.setting_id',
      'r.received_on',
      'r.received_via',
      'r.status',
      'r.consent',
      'r.outcome',
      'r.result',
      'r.closed_on',
      'r.areas_of_need',
      'r.protocol_instance_id',
    ])
    .orderBy('r.received_on')
    .orderBy('r.reference')
    .execute();
}
export type HubRequestRow = Awaited<ReturnType<typeof hubRequests>>[number];

/** One request of one hub, everything submitted and where it is. */
export function hubRequest(db: Executor, authorityId: string, requestId: string) {
  return db
    .selectFrom('support_requests as r')
    .innerJoin('settings as s', 's.id', 'r.setting_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('users as u', 'u.id', 'r.submitted_by')
    .leftJoin('users as nav', 'nav.id', 'r.navigator_user_id')
    .where('r.id', '=', requestId)
    .where('r.authority_id', '=', authorityId)
    .selectAll('r')
    .select([
      's.name as setting_name',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'p.upn',
      'p.case_number',
      'u.display_name as submitted_by_name',
      'nav.display_name as navigator_name',
    ])
    .executeTakeFirst();
}
export type HubRequestDetail = NonNullable<Awaited<ReturnType<typeof hubRequest>>>;

/** The steps the request's instance has been through, oldest first. */
export function instanceHistory(db: Executor, instanceId: string) {
  return db
    .selectFrom('protocol_steps as s')
    .leftJoin('users as d', 'd.id', 's.decided_by')
    .where('s.instance_id', '=', instanceId)
    .orderBy('s.entered_at')
    .orderBy('s.id')
    .select([
      's.step_key',
      's.status',
      's.entered_at',
      's.due_date',
      's.owner_label',
      's.escalations',
      's.outcome',
      's.decided_at',
      'd.display_name as decided_by_name',
    ])
    .execute();
}

/** Other requests for the same young person (the hub sees earlier ones). */
export function otherRequestsOf(db: Executor, personId: string, notId: string) {
  return db
    .selectFrom('support_requests as r')
    .innerJoin('hubs as h', 'h.id', 'r.hub_id')
    .where('r.person_id', '=', personId)
    .where('r.id', '<>', notId)
    .select(['r.id', 'r.reference', 'r.hub_id', 'h.name as hub_name', 'r.received_on', 'r.status', 'r.result'])
    .orderBy('r.received_on', 'desc')
    .execute();
}

/** Who a request's notices go to: the setting's team inbox and each of its accounts. */
export async function settingAudience(db: Executor, requestId: string) {
  const row = await db
    .selectFrom('support_requests as r')
    .innerJoin('settings as s', 's.id', 'r.setting_id')
    .where('r.id', '=', requestId)
    .select(['r.id', 'r.authority_id', 'r.reference', 'r.setting_id', 's.inbox_email'])
    .executeTakeFirst();
  if (!row) return null;
  const members = await db
    .selectFrom('setting_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.setting_id', '=', row.setting_id)
    .where('u.active', '=', true)
    .select(['u.id'])
    .execute();
  return { ...row, userIds: members.map((m) => m.id) };
}

/** A request's status and consent, locked for a change (consent recorded). */
export function lockRequest(db: Executor, authorityId: string, requestId: string) {
  return db
    .selectFrom('support_requests')
    .where('id', '=', requestId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'hub_id', 'status', 'consent', 'result'])
    .forUpdate()
    .executeTakeFirst();
}

/** A request's status, consent and end result now. */
export function requestStatus(db: Executor, requestId: string) {
  return db
    .selectFrom('support_requests')
    .where('id', '=', requestId)
    .select(['status', 'consent', 'result'])
    .executeTakeFirst();
}

/**
 * Other records that may be the same child: the same date of birth and the same first or last name (intake never
 * guesses: an inexact match makes a new record). Case numbers only; opening one still needs a relationship.
 */
export function likelyDuplicates(
  db: Executor,
  authorityId: string,
  p: { id: string; date_of_birth: string | null; given_name: string; family_name: string },
) {
  if (!p.date_of_birth) return Promise.resolve([]);
  return db
    .selectFrom('people')
    .where('authority_id', '=', authorityId)
    .where('id', '<>', p.id)
    .where('date_of_birth', '=', p.date_of_birth)
    .where((eb) =>
      eb.or([
        eb(sql<string>`lower(trim(given_name))`, '=', p.given_name.trim().toLowerCase()),
        eb(sql<string>`lower(trim(family_name))`, '=', p.family_name.trim().toLowerCase()),
      ]),
    )
    .select(['id', 'case_number'])
    .orderBy('case_number')
    .limit(5)
    .execute();
}
