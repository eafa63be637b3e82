// Never unallocated (Kent protocol 2.5): the services refuse, with a clear message, a change the database would
// refuse at commit (the constraint triggers of migration 2026_11_22_0030).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AllocationGuard } from '../people/allocation-guards.ts';

export const PROTECTED_STATUSES = ['child_protection_plan', 'child_in_care'] as const;

/** A change that would leave a child on a child protection plan or in care with no allocated worker. */
export class WouldLeaveUnallocated extends ValidationError {
  constructor(field = 'worker_id') {
    super({
      [field]:
        'A child on a child protection plan or in care must always have an allocated worker: allocate another worker first, or transfer the case so the receiving worker is allocated before this one lets go',
    });
  }
}

/** Locks the person (serialising changes to their allocation) and says whether the rule applies to them now. */
export async function isProtected(db: Executor, personId: string): Promise<boolean> {
  await sql`SELECT 1 FROM people WHERE id = ${personId} FOR NO KEY UPDATE`.execute(db);
  const row = await db
    .selectFrom('person_statuses')
    .where('person_id', '=', personId)
    .where('end_date', 'is', null)
    .where('status', 'in', PROTECTED_STATUSES)
    .select('id')
    .executeTakeFirst();
  return Boolean(row);
}

/** Allocated open involvements other than `exceptInvolvementId`. */
export async function otherAllocations(db: Executor, personId: string, exceptInvolvementId: string | null) {
  let q = db
    .selectFrom('involvements')
    .where('person_id', '=', personId)
    .where('end_date', 'is', null)
    .where('worker_id', 'is not', null);
  if (exceptInvolvementId) q = q.where('id', '<>', exceptInvolvementId);
  const row = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Throws before a change that would leave a protected child with no allocated worker. */
export async function assertStaysAllocated(
  db: Executor,
  personId: string,
  losingInvolvementId: string,
  field = 'worker_id',
): Promise<void> {
  if (!(await isProtected(db, personId))) return;
  if ((await otherAllocations(db, personId, losingInvolvementId)) === 0) throw new WouldLeaveUnallocated(field);
}

/** Throws before a protected status starts on a child who has no allocated worker. */
export async function assertAllocatedBeforeProtectedStatus(db: Executor, personId: string, status: string) {
  if (!(PROTECTED_STATUSES as readonly string[]).includes(status)) return;
  await sql`SELECT 1 FROM people WHERE id = ${personId} FOR NO KEY UPDATE`.execute(db);
  if ((await otherAllocations(db, personId, null)) === 0)
    throw new ValidationError({
      status:
        'Allocate a worker before recording a child protection plan or care: such a child must never be unallocated',
    });
}

/** Kent 2.5 as a check the people module runs before a change to who holds a case (registered in services.ts). */
export const neverUnallocated: AllocationGuard = {
  losingWorker: (tx, personId, involvementId, field) => assertStaysAllocated(tx, personId, involvementId, field),
  statusStarting: (tx, personId, status) => assertAllocatedBeforeProtectedStatus(tx, personId, status),
};
