// SQL for partner organisations: their leads, members, and the advice requests in their team inbox. Nothing else.
import type { Executor } from '../../db/database.ts';

/** The outside organisation (external service) a user belongs to, with whether they lead it; null if none. */
export async function organisationOf(db: Executor, user: { id: string; authorityId: string }) {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('services as s', 's.id', 'u.service_id')
    .leftJoin('organisation_leads as l', (j) => j.onRef('l.service_id', '=', 's.id').onRef('l.user_id', '=', 'u.id'))
    .where('u.id', '=', user.id)
    .where('u.authority_id', '=', user.authorityId)
    .where('u.active', '=', true)
    .where('s.external', '=', true)
    .select(['s.id', 's.name', 'l.user_id as lead_user_id'])
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, isLead: row.lead_user_id !== null } : null;
}

export async function findExternalService(db: Executor, authorityId: string, serviceId: string) {
  return db
    .selectFrom('services')
    .where('id', '=', serviceId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'name', 'external'])
    .executeTakeFirst();
}

/** The active accounts of an organisation, leads first, with whether each leads it. */
export async function membersOf(db: Executor, authorityId: string, serviceId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('organisation_leads as l', (j) =>
      j.onRef('l.service_id', '=', 'u.service_id').onRef('l.user_id', '=', 'u.id'),
    )
    .where('u.authority_id', '=', authorityId)
    .where('u.service_id', '=', serviceId)
    .where('u.active', '=', true)
    .orderBy('u.display_name')
    .select(['u.id', 'u.display_name', 'u.email', 'u.job_title', 'u.roles', 'l.user_id as lead_user_id'])
    .limit(1000)
    .execute();
}

/** One active member of the organisation, locked when asked; undefined when they are not its member. */
export async function findMember(db: Executor, authorityId: string, serviceId: string, userId: string, lock = false) {
  let q = db
    .selectFrom('users as u')
    .where('u.id', '=', userId)
    .where('u.authority_id', '=', authorityId)
    .where('u.service_id', '=', serviceId)
    .where('u.active', '=', true)
    .select(['u.id', 'u.display_name', 'u.roles']);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function isLead(db: Executor, serviceId: string, userId: string) {
  const row = await db
    .selectFrom('organisation_leads')
    .where('service_id', '=', serviceId)
    .where('user_id', '=', userId)
    .select('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertLead(
  db: Executor,
  row: { authority_id: string; service_id: string; user_id: string; created_by: string },
) {
  await db
    .insertInto('organisation_leads')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteLead(db: Executor, serviceId: string, userId: string) {
  await db.deleteFrom('organisation_leads').where('service_id', '=', serviceId).where('user_id', '=', userId).execute();
}

/** The lead who owns an organisation's untaken requests: the longest-serving active lead still in it. */
export async function inboxOwner(db: Executor, serviceId: string, except: string | null = null) {
  let q = db
    .selectFrom('organisation_leads as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .where('l.service_id', '=', serviceId)
    .where('u.service_id', '=', serviceId)
    .where('u.active', '=', true)
    .orderBy('l.created_at')
    .orderBy('u.id')
    .select(['u.id', 'u.display_name']);
  if (except) q = q.where('u.id', '!=', except);
  return q.executeTakeFirst();
}

/** The council's outside organisations that have a team inbox (at least one active lead). */
export async function servicesWithInbox(db: Executor, authorityId: string) {
  return db
    .selectFrom('services as s')
    .where('s.authority_id', '=', authorityId)
    .where('s.external', '=', true)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('organisation_leads as l')
          .innerJoin('users as u', 'u.id', 'l.user_id')
          .whereRef('l.service_id', '=', 's.id')
          .whereRef('u.service_id', '=', 's.id')
          .where('u.active', '=', true)
          .select('l.user_id'),
      ),
    )
    .orderBy('s.name')
    .select(['s.id', 's.name'])
    .execute();
}

/** The requests in an organisation's inbox (not cancelled): by case reference only, soonest due first. */
export async function inboxOf(db: Executor, authorityId: string, serviceId: string) {
  return db
    .selectFrom('advice_inbox_requests as i')
    .innerJoin('ehcp_advice_requests as r', 'r.id', 'i.request_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .leftJoin('users as t', 't.id', 'i.taken_by')
    .where('i.authority_id', '=', authorityId)
    .where('i.service_id', '=', serviceId)
    .where('r.status', '!=', 'cancelled')
    .orderBy('r.due_date')
    .orderBy('r.id')
    .select([
      'r.id',
      'r.kind',
      'r.status',
      'r.due_date',
      'r.requested_date',
      'i.taken_by',
      'i.taken_at',
      't.display_name as taken_by_name',
      'p.case_number',
    ])
    .limit(500)
    .execute();
}

/** Whether the request is in the inbox of an organisation this user is an active member of. */
export async function inboxMemberOf(db: Executor, user: { id: string; authorityId: string }, requestId: string) {
  return db
    .selectFrom('advice_inbox_requests as i')
    .innerJoin('ehcp_advice_requests as r', 'r.id', 'i.request_id')
    .innerJoin('users as u', 'u.service_id', 'i.service_id')
    .where('i.request_id', '=', requestId)
    .where('i.authority_id', '=', user.authorityId)
    .where('u.id', '=', user.id)
    .where('u.active', '=', true)
    .where('r.status', '!=', 'cancelled')
    .select('r.person_id')
    .executeTakeFirst();
}

export async function lockInboxRequest(db: Executor, requestId: string) {
  return db
    .selectFrom('advice_inbox_requests as i')
    .innerJoin('ehcp_advice_requests as r', 'r.id', 'i.request_id')
    .where('i.request_id', '=', requestId)
    .forUpdate()
    .select([
      'i.request_id',
      'i.authority_id',
      'i.service_id',
      'i.taken_by',
      'r.person_id',
      'r.status',
      'r.giver_user_id',
      'r.responsible_user_id',
      'r.assessment_id',
    ])
    .executeTakeFirst();
}

/** Inbox requests (not cancelled) a person holds: taken by them, or owned by them as lead while untaken. */
export async function inboxRequestsHeldBy(db: Executor, userId: string, only: 'taken' | 'untaken' | 'both') {
  return db
    .selectFrom('advice_inbox_requests as i')
    .innerJoin('ehcp_advice_requests as r', 'r.id', 'i.request_id')
    .where('r.status', '!=', 'cancelled')
    .where((eb) => {
      const taken = eb('i.taken_by', '=', userId);
      const untaken = eb.and([eb('i.taken_by', 'is', null), eb('r.responsible_user_id', '=', userId)]);
      return only === 'taken' ? taken : only === 'untaken' ? untaken : eb.or([taken, untaken]);
    })
    .forUpdate()
    .select(['i.request_id', 'i.authority_id', 'i.service_id', 'i.taken_by', 'r.person_id', 'r.assessment_id'])
    .execute();
}

/** Puts the request with `userId` as its giver and responsible person; `takenBy` null: back in the inbox. */
export async function setHolder(db: Executor, requestId: string, userId: string, takenBy: string | null, at: Date) {
  await db
    .updateTable('ehcp_advice_requests')
    .set((eb) => ({ giver_user_id: userId, responsible_user_id: userId, version: eb('version', '+', 1) }))
    .where('id', '=', requestId)
    .execute();
  await db
    .updateTable('advice_inbox_requests')
    .set({ taken_by: takenBy, taken_at: takenBy ? at : null })
    .where('request_id', '=', requestId)
    .execute();
}

/** When nobody in the organisation can hold it: the coordinator answers for it (the giver is left as it was). */
export async function setResponsibleOnly(db: Executor, requestId: string, userId: string) {
  await db
    .updateTable('ehcp_advice_requests')
    .set((eb) => ({ responsible_user_id: userId, version: eb('version', '+', 1) }))
    .where('id', '=', requestId)
    .execute();
  await db
    .updateTable('advice_inbox_requests')
    .set({ taken_by: null, taken_at: null })
    .where('request_id', '=', requestId)
    .execute();
}

export async function coordinatorOf(db: Executor, assessmentId: string) {
  const row = await db
    .selectFrom('ehcp_assessments')
    .where('id', '=', assessmentId)
    .select('coordinator_id')
    .executeTakeFirst();
  return row?.coordinator_id ?? null;
}

export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').where('email', '=', email).select(['id']).executeTakeFirst();
}
