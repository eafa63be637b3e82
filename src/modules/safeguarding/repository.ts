// The safeguarding module's SQL: screenings, risk events and the links a screening writes to places, peer groups
// and persons of concern. Every read is scoped to the council.
import type { Insertable } from 'kysely';
import type { Executor, Tx } from '../../db/database.ts';
import type { RiskEventTable, ScreeningTable } from '../../db/schema.ts';

const SCREENING_COLUMNS = [
  's.id',
  's.authority_id',
  's.person_id',
  's.instrument_id',
  's.instrument_version',
  's.screened_on',
  's.age_at_screening',
  's.send_or_learning_disability',
  's.answers',
  's.suggested_level',
  's.suggested_reasons',
  's.significant_incidents',
  's.proposed_level',
  's.proposed_rank',
  's.proposed_reason',
  's.proposed_by',
  's.confirmed_level',
  's.confirmed_rank',
  's.confirmed_reason',
  's.confirmed_by',
  's.confirmed_at',
  's.confirmed_meeting_id',
  's.review_due',
  's.reason',
  's.risk_event_id',
  's.summary',
  's.protocol_instance_id',
  's.version',
  's.created_at',
] as const;

/** A screening, locked for a change in `tx`. */
export function lockScreening(tx: Tx, authorityId: string, id: string) {
  return tx
    .selectFrom('screenings as s')
    .where('s.id', '=', id)
    .where('s.authority_id', '=', authorityId)
    .select(SCREENING_COLUMNS)
    .forUpdate()
    .executeTakeFirst();
}

export type ScreeningRow = NonNullable<Awaited<ReturnType<typeof lockScreening>>>;

export function findScreening(db: Executor, authorityId: string, personId: string, id: string) {
  return db
    .selectFrom('screenings as s')
    .innerJoin('users as p', 'p.id', 's.proposed_by')
    .leftJoin('users as c', 'c.id', 's.confirmed_by')
    .where('s.id', '=', id)
    .where('s.person_id', '=', personId)
    .where('s.authority_id', '=', authorityId)
    .select(SCREENING_COLUMNS)
    .select(['p.display_name as proposed_by_name', 'c.display_name as confirmed_by_name'])
    .executeTakeFirst();
}

export function listScreenings(db: Executor, authorityId: string, personId: string) {
  return db
    .selectFrom('screenings as s')
    .innerJoin('users as p', 'p.id', 's.proposed_by')
    .where('s.person_id', '=', personId)
    .where('s.authority_id', '=', authorityId)
    .select(SCREENING_COLUMNS)
    .select(['p.display_name as proposed_by_name'])
    .orderBy('s.screened_on', 'desc')
    .orderBy('s.created_at', 'desc')
    .execute();
}

export async function insertScreening(tx: Tx, row: Insertable<ScreeningTable>): Promise<string> {
  const r = await tx.insertInto('screenings').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function setInstance(tx: Tx, id: string, instanceId: string) {
  await tx.updateTable('screenings').set({ protocol_instance_id: instanceId }).where('id', '=', id).execute();
}

export async function setConfirmed(
  tx: Tx,
  id: string,
  c: Pick<
    Insertable<ScreeningTable>,
    'confirmed_level' | 'confirmed_rank' | 'confirmed_reason' | 'confirmed_by' | 'confirmed_at' | 'confirmed_meeting_id'
  >,
) {
  await tx
    .updateTable('screenings')
    .set((eb) => ({ ...c, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function insertRiskEvent(tx: Tx, row: Insertable<RiskEventTable>): Promise<string> {
  const r = await tx.insertInto('risk_events').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export function listRiskEvents(db: Executor, authorityId: string, personId: string) {
  return db
    .selectFrom('risk_events as e')
    .innerJoin('users as u', 'u.id', 'e.recorded_by')
    .where('e.person_id', '=', personId)
    .where('e.authority_id', '=', authorityId)
    .select([
      'e.id',
      'e.kind',
      'e.occurred_on',
      'e.returned_on',
      'e.return_interview',
      'e.details',
      'e.created_at',
      'u.display_name as recorded_by_name',
    ])
    .orderBy('e.occurred_on', 'desc')
    .orderBy('e.created_at', 'desc')
    .execute();
}

/** The person's newest screening whose instance is still open (the one a new screening or an event acts on). */
export function openScreening(tx: Executor, authorityId: string, personId: string) {
  return tx
    .selectFrom('screenings as s')
    .innerJoin('protocol_instances as i', 'i.id', 's.protocol_instance_id')
    .where('s.person_id', '=', personId)
    .where('s.authority_id', '=', authorityId)
    .where('i.status', '=', 'open')
    .select(['s.id', 's.protocol_instance_id'])
    .orderBy('s.screened_on', 'desc')
    .orderBy('s.created_at', 'desc')
    .execute();
}

export function riskEventOf(db: Executor, authorityId: string, personId: string, id: string) {
  return db
    .selectFrom('risk_events')
    .where('id', '=', id)
    .where('person_id', '=', personId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'kind'])
    .executeTakeFirst();
}

/** The person's open instances of a protocol (the early re-screen and the immediate referral). */
export function openInstances(db: Executor, authorityId: string, personId: string, protocolId: string) {
  return db
    .selectFrom('protocol_instances')
    .where('person_id', '=', personId)
    .where('authority_id', '=', authorityId)
    .where('protocol_id', '=', protocolId)
    .where('status', '=', 'open')
    .select(['id', 'data'])
    .execute();
}

/** The case's involvement for a new task: one of the user's, else the first open one. */
export async function caseInvolvement(db: Executor, personId: string, userId: string) {
  const open = await db
    .selectFrom('involvements')
    .where('person_id', '=', personId)
    .where('end_date', 'is', null)
    .orderBy('start_date')
    .select(['id', 'worker_id'])
    .execute();
  return (open.find((i) => i.worker_id === userId) ?? open[0])?.id ?? null;
}
