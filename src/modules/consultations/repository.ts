// The SQL of the consultation forums, and nothing else.
import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { ConsultationFollowUpTable, ConsultationTable } from '../../db/schema.ts';

export async function insertConsultation(db: Executor, v: Insertable<ConsultationTable>): Promise<string> {
  return (await db.insertInto('consultations').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertFollowUp(db: Executor, v: Insertable<ConsultationFollowUpTable>): Promise<string> {
  return (await db.insertInto('consultation_follow_ups').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

export function personByCase(db: Executor, authorityId: string, caseNumber: string) {
  return db
    .selectFrom('people')
    .where('authority_id', '=', authorityId)
    .where('case_number', '=', caseNumber)
    .select(['id', 'case_number'])
    .executeTakeFirst();
}

const rows = (db: Executor) =>
  db
    .selectFrom('consultations as c')
    .innerJoin('users as b', 'b.id', 'c.booked_by')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .selectAll('c')
    .select(['b.display_name as booked_by_name', 'p.case_number']);

/** The consultations a user may see: their own bookings, or every one for the forum. */
export function visible(db: Executor, user: { id: string; authorityId: string }, forum: boolean) {
  let q = rows(db).where('c.authority_id', '=', user.authorityId);
  if (!forum) q = q.where('c.booked_by', '=', user.id);
  return q.orderBy('c.forum_date', 'desc').limit(500).execute();
}

export function find(db: Executor, authorityId: string, id: string, lock = false) {
  const q = rows(db).where('c.id', '=', id).where('c.authority_id', '=', authorityId);
  return (lock ? q.forUpdate('c') : q).executeTakeFirst();
}

export function forPerson(db: Executor, authorityId: string, personId: string) {
  return rows(db).where('c.authority_id', '=', authorityId).where('c.person_id', '=', personId).execute();
}

export function followUps(db: Executor, consultationId: string) {
  return db
    .selectFrom('consultation_follow_ups as f')
    .innerJoin('users as o', 'o.id', 'f.owner_user_id')
    .selectAll('f')
    .select('o.display_name as owner_name')
    .where('f.consultation_id', '=', consultationId)
    .orderBy('f.created_at')
    .execute();
}

export function followUp(db: Executor, consultationId: string, id: string) {
  return db
    .selectFrom('consultation_follow_ups')
    .where('id', '=', id)
    .where('consultation_id', '=', consultationId)
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
}

export async function recordAdvice(db: Executor, id: string, advice: string, by: string, at: Date) {
  await db
    .updateTable('consultations')
    .set((eb) => ({ advice, advised_by: by, advised_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function markDone(db: Executor, id: string, on: string) {
  await db.updateTable('consultation_follow_ups').set({ done_on: on }).where('id', '=', id).execute();
}

export async function setFollowUpInstance(db: Executor, id: string, instanceId: string) {
  await db
    .updateTable('consultation_follow_ups')
    .set({ protocol_instance_id: instanceId })
    .where('id', '=', id)
    .execute();
}
