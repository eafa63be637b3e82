// The SQL of information-sharing decisions, and nothing else. Rows are only ever inserted (the table refuses UPDATE).
import type { Executor } from '../../db/database.ts';
import type { SharingRecordTable } from '../../db/schema.ts';

export { personHeader } from '../kit/person-header.ts';

type Values = Omit<SharingRecordTable, 'id' | 'recorded_at'>;

export async function insertRecord(db: Executor, v: Values): Promise<string> {
  const row = await db.insertInto('sharing_records').values(v).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Whether an entry is on this record (what a correction may name). */
export async function onRecord(db: Executor, authorityId: string, personId: string, id: string) {
  const r = await db
    .selectFrom('sharing_records')
    .where('id', '=', id)
    .where('authority_id', '=', authorityId)
    .where('person_id', '=', personId)
    .select('id')
    .executeTakeFirst();
  return r !== undefined;
}

const recorder = (db: Executor) =>
  db
    .selectFrom('sharing_records as s')
    .leftJoin('users as u', 'u.id', 's.recorded_by')
    .selectAll('s')
    .select('u.display_name as recorded_by_name');

/** The entries on one young person's record, newest decision first. */
export function listForPerson(db: Executor, authorityId: string, personId: string) {
  return recorder(db)
    .where('s.authority_id', '=', authorityId)
    .where('s.person_id', '=', personId)
    .orderBy('s.decided_on', 'desc')
    .orderBy('s.recorded_at', 'desc')
    .limit(1000)
    .execute();
}

/** The council's entries (the data protection officer's register), newest first, with the case number. */
export function listForCouncil(db: Executor, authorityId: string, from: string | null, to: string | null) {
  let q = recorder(db)
    .innerJoin('people as p', 'p.id', 's.person_id')
    .select('p.case_number')
    .where('s.authority_id', '=', authorityId);
  if (from) q = q.where('s.decided_on', '>=', from);
  if (to) q = q.where('s.decided_on', '<=', to);
  return q.orderBy('s.decided_on', 'desc').orderBy('s.recorded_at', 'desc').limit(10_000).execute();
}
