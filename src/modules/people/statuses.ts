// A young person's statuses (child in need, child protection plan, child in care, EHC plan, …): start one, and end
// one on a date with a reason after the worker confirms it (issue 11 defect 7). Each change is recorded on the
// timeline and audited in the same transaction; the never-unallocated rule holds through both.
import { sql } from 'kysely';
import type { Db, Tx } from '../../db/database.ts';
import { PERSON_STATUSES } from '../../domain/roles.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { formatDate } from '../../http/views.ts';
import { recordChange } from '../kit/record.ts';
import type { AllocationGuards } from './allocation-guards.ts';
import * as repo from './repository.ts';
import type { StatusEndInput, StatusInput } from './schemas.ts';

export const statusLabel = (status: string) => PERSON_STATUSES[status as keyof typeof PERSON_STATUSES] ?? status;

/** Starts a status on the record, after the registered checks (a protected status needs an allocated worker). */
export async function add(db: Db, guards: AllocationGuards, user: AuthUser, personId: string, input: StatusInput) {
  return db.transaction().execute(async (tx) => {
    if (await repo.hasOpen(tx, personId, { table: 'person_statuses', status: input.status }))
      throw new ValidationError({
        status: `${statusLabel(input.status)} is already recorded; end it before starting it again`,
      });
    await guards.statusStarting(tx, personId, input.status);
    const row = await tx
      .insertInto('person_statuses')
      .values({ authority_id: user.authorityId, person_id: personId, ...input })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(tx, {
      actor: user,
      personId: personId,
      kind: 'status',
      title: `${statusLabel(input.status)} started`,
      audit: { action: 'create', entity: 'person_status', entityId: row.id, detail: input },
    });
    return row.id;
  });
}

/** An open status on the record, for the page that asks to confirm its end. */
export async function open(db: Db, user: AuthUser, personId: string, statusId: string) {
  const row = await db
    .selectFrom('person_statuses as s')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .where('s.id', '=', statusId)
    .where('s.person_id', '=', personId)
    .where('p.authority_id', '=', user.authorityId)
    .where('s.end_date', 'is', null)
    .select(['s.id', 's.status', 's.start_date', 'p.id as person_id', 'p.case_number'])
    .executeTakeFirst();
  if (!row) throw new NotFound('That status is not open on this record.');
  return { ...row, label: statusLabel(row.status) };
}

/**
 * Ends an open status on the date given (not before it started), with the reason. A child who would still be on
 * a child protection plan or in care afterwards must keep an allocated worker (the never-unallocated constraint
 * triggers): refused here with the page's message rather than at commit.
 */
export async function end(db: Db, user: AuthUser, personId: string, statusId: string, input: StatusEndInput) {
  await db.transaction().execute(async (tx) => {
    const open = await tx
      .selectFrom('person_statuses')
      .where('id', '=', statusId)
      .where('person_id', '=', personId)
      .where('authority_id', '=', user.authorityId)
      .where('end_date', 'is', null)
      .select(['status', 'start_date'])
      .forUpdate()
      .executeTakeFirst();
    if (!open) throw new NotFound('That status is not open on this record.');
    const label = statusLabel(open.status);
    if (input.end_date < open.start_date)
      throw new ValidationError({
        end_date: `End date must be on or after ${formatDate(open.start_date)}, when ${label.toLowerCase()} started`,
      });
    await tx
      .updateTable('person_statuses')
      .set({ end_date: input.end_date, end_reason: input.reason })
      .where('id', '=', statusId)
      .execute();
    await stillAllocatedIfProtected(tx, personId);
    await recordChange(tx, {
      actor: user,
      personId: personId,
      kind: 'status',
      title: `${label} ended on ${formatDate(input.end_date)}`,
      detail: input.reason,
      audit: { action: 'end', entity: 'person_status', entityId: statusId, detail: { end_date: input.end_date } },
    });
  });
}

/** The database's own never-unallocated test, asked before commit so the worker gets a message, not a 500. */
async function stillAllocatedIfProtected(tx: Tx, personId: string) {
  const { rows } = await sql<{ ok: boolean }>`SELECT person_is_allocated_if_protected(${personId}) AS ok`.execute(tx);
  if (rows[0]?.ok === false)
    throw new ValidationError({
      end_date:
        'This child would still be on a child protection plan or in care with no allocated worker: allocate a worker first, then end this status',
    });
}
