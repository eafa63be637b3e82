// The plan-changes module's SQL: plans (read and locked), amendments and their representations, cessations, plans
// transferred in, and the 25th-birthday candidates.
import type { Insertable, Updateable } from 'kysely';
import type { Executor, Tx } from '../../db/database.ts';
import type {
  EhcPlanAmendmentRepresentationTable,
  EhcPlanAmendmentTable,
  EhcPlanCessationTable,
  EhcPlanTransferInTable,
} from '../../db/schema-ehc-plan-changes.ts';

const PLAN_COLUMNS = [
  'p.id',
  'p.authority_id',
  'p.person_id',
  'p.status',
  'p.coordinator_id',
  'p.first_issued_date',
  'p.last_issued_date',
  'p.last_review_date',
  'p.review_due_date',
  'p.ceased_date',
  'p.cease_reason',
  'p.transfer_date',
  'p.transferred_from_authority_id',
  'p.version',
] as const;

export function findPlan(db: Executor, authorityId: string, planId: string) {
  return db
    .selectFrom('ehc_plans as p')
    .innerJoin('people as pe', 'pe.id', 'p.person_id')
    .where('p.id', '=', planId)
    .where('p.authority_id', '=', authorityId)
    .select([...PLAN_COLUMNS, 'pe.case_number', 'pe.given_name', 'pe.family_name', 'pe.date_of_birth'])
    .executeTakeFirst();
}

export async function lockPlan(tx: Tx, planId: string) {
  await tx.selectFrom('ehc_plans').where('id', '=', planId).select('id').forUpdate().execute();
  return tx
    .selectFrom('ehc_plans as p')
    .innerJoin('people as pe', 'pe.id', 'p.person_id')
    .where('p.id', '=', planId)
    .select([...PLAN_COLUMNS, 'pe.case_number', 'pe.given_name', 'pe.family_name', 'pe.date_of_birth'])
    .executeTakeFirst();
}

export function bumpPlan(tx: Tx, planId: string, set: Record<string, unknown>, at: Date) {
  return tx
    .updateTable('ehc_plans')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', planId)
    .execute();
}

// ---- amendments
export function insertAmendment(tx: Tx, row: Insertable<EhcPlanAmendmentTable>) {
  return tx.insertInto('ehc_plan_amendments').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateAmendment(tx: Tx, id: string, set: Updateable<EhcPlanAmendmentTable>, at: Date) {
  return tx
    .updateTable('ehc_plan_amendments')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .execute();
}

export function amendmentByInstance(db: Executor, instanceId: string) {
  return db
    .selectFrom('ehc_plan_amendments')
    .where('protocol_instance_id', '=', instanceId)
    .selectAll()
    .executeTakeFirst();
}

export function findAmendment(db: Executor, planId: string, amendmentId: string) {
  return db
    .selectFrom('ehc_plan_amendments')
    .where('id', '=', amendmentId)
    .where('plan_id', '=', planId)
    .selectAll()
    .executeTakeFirst();
}

export function lockAmendment(tx: Tx, planId: string, amendmentId: string) {
  return tx
    .selectFrom('ehc_plan_amendments')
    .where('id', '=', amendmentId)
    .where('plan_id', '=', planId)
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
}

export function amendmentsOfPlan(db: Executor, planId: string) {
  return db
    .selectFrom('ehc_plan_amendments')
    .where('plan_id', '=', planId)
    .selectAll()
    .orderBy('created_at', 'desc')
    .execute();
}

export function openAmendment(db: Executor, planId: string) {
  return db
    .selectFrom('ehc_plan_amendments')
    .where('plan_id', '=', planId)
    .where('outcome', 'is', null)
    .selectAll()
    .executeTakeFirst();
}

/** Withdraws every version of the plan still being edited (the plan has ceased or left the council). */
export function withdrawEditingVersions(tx: Tx, planId: string, at: Date) {
  return tx
    .updateTable('ehc_plan_versions')
    .set((eb) => ({ state: 'withdrawn', version: eb('version', '+', 1), updated_at: at }))
    .where('plan_id', '=', planId)
    .where('state', '=', 'editing')
    .execute();
}

export function insertRepresentation(tx: Tx, row: Insertable<EhcPlanAmendmentRepresentationTable>) {
  return tx.insertInto('ehc_plan_amendment_representations').values(row).returning('id').executeTakeFirstOrThrow();
}

export function representationsOf(db: Executor, amendmentId: string) {
  return db
    .selectFrom('ehc_plan_amendment_representations as r')
    .leftJoin('users as u', 'u.id', 'r.recorded_by')
    .where('r.amendment_id', '=', amendmentId)
    .select([
      'r.id',
      'r.received_date',
      'r.from_whom',
      'r.summary',
      'r.setting_requested',
      'r.meeting_requested',
      'u.display_name as recorded_by_name',
    ])
    .orderBy('r.received_date')
    .orderBy('r.created_at')
    .execute();
}

export function versionOf(db: Executor, planId: string, versionId: string | null) {
  if (!versionId) return Promise.resolve(undefined);
  return db
    .selectFrom('ehc_plan_versions')
    .where('id', '=', versionId)
    .where('plan_id', '=', planId)
    .select(['id', 'number', 'kind', 'state', 'issued_date'])
    .executeTakeFirst();
}

export function editingVersion(db: Executor, planId: string) {
  return db
    .selectFrom('ehc_plan_versions')
    .where('plan_id', '=', planId)
    .where('state', '=', 'editing')
    .select(['id', 'number', 'kind', 'state', 'issued_date'])
    .executeTakeFirst();
}

// ---- cessations
export function insertCessation(tx: Tx, row: Insertable<EhcPlanCessationTable>) {
  return tx.insertInto('ehc_plan_cessations').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateCessation(tx: Tx, id: string, set: Updateable<EhcPlanCessationTable>, at: Date) {
  return tx
    .updateTable('ehc_plan_cessations')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .execute();
}

export function cessationByInstance(db: Executor, instanceId: string) {
  return db
    .selectFrom('ehc_plan_cessations')
    .where('protocol_instance_id', '=', instanceId)
    .selectAll()
    .executeTakeFirst();
}

export function findCessation(db: Executor, planId: string, cessationId: string) {
  return db
    .selectFrom('ehc_plan_cessations')
    .where('id', '=', cessationId)
    .where('plan_id', '=', planId)
    .selectAll()
    .executeTakeFirst();
}

export function lockCessation(tx: Tx, planId: string, cessationId: string) {
  return tx
    .selectFrom('ehc_plan_cessations')
    .where('id', '=', cessationId)
    .where('plan_id', '=', planId)
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
}

export function cessationsOfPlan(db: Executor, planId: string) {
  return db
    .selectFrom('ehc_plan_cessations')
    .where('plan_id', '=', planId)
    .selectAll()
    .orderBy('created_at', 'desc')
    .execute();
}

export function openCessation(db: Executor, planId: string) {
  return db
    .selectFrom('ehc_plan_cessations')
    .where('plan_id', '=', planId)
    .where('outcome', 'is', null)
    .selectAll()
    .executeTakeFirst();
}

/** Final plans whose young person was born on or before `bornBy` and that have had no 25th-birthday cessation. */
export function age25Candidates(db: Executor, bornBy: string) {
  return db
    .selectFrom('ehc_plans as p')
    .innerJoin('people as pe', 'pe.id', 'p.person_id')
    .where('p.status', '=', 'final')
    .where('pe.date_of_birth', '<=', bornBy)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('ehc_plan_cessations as c')
            .whereRef('c.plan_id', '=', 'p.id')
            .where('c.started_how', '=', 'age_25')
            .select('c.id'),
        ),
      ),
    )
    .select(['p.id', 'p.authority_id', 'p.person_id', 'p.coordinator_id', 'pe.date_of_birth'])
    .orderBy('p.id')
    .execute();
}

/** A SEND manager of the council, to own a job-raised cessation on a plan without a coordinator. */
export async function aSendManager(db: Executor, authorityId: string) {
  const row = await db
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where('active', '=', true)
    .where('roles', '@>', ['send_manager'])
    .select('id')
    .orderBy('created_at')
    .executeTakeFirst();
  return row?.id ?? null;
}

// ---- transfers in
export function insertTransferIn(tx: Tx, row: Insertable<EhcPlanTransferInTable>) {
  return tx.insertInto('ehc_plan_transfers_in').values(row).returningAll().executeTakeFirstOrThrow();
}

export function transferInOfPlan(db: Executor, planId: string) {
  return db
    .selectFrom('ehc_plan_transfers_in as t')
    .innerJoin('authorities as a', 'a.id', 't.from_authority_id')
    .where('t.plan_id', '=', planId)
    .selectAll('t')
    .select('a.name as from_authority_name')
    .executeTakeFirst();
}

/** The plan's transfer-in row locked for a change (its version checked against the form's). */
export function lockTransferIn(tx: Tx, planId: string) {
  return tx
    .selectFrom('ehc_plan_transfers_in')
    .where('plan_id', '=', planId)
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
}

export function transferInByInstance(db: Executor, instanceId: string) {
  return db
    .selectFrom('ehc_plan_transfers_in')
    .where('protocol_instance_id', '=', instanceId)
    .selectAll()
    .executeTakeFirst();
}

export function updateTransferIn(tx: Tx, id: string, set: Updateable<EhcPlanTransferInTable>, at: Date) {
  return tx
    .updateTable('ehc_plan_transfers_in')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .execute();
}
