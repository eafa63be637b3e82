// The shared pieces of the transfer service: its context (the module kit's, with the two flows), reading and
// locking a transfer, and the small reads the parts share.
import type { Db, Tx } from '../../db/database.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import type { kentCapacityEscalation } from '../../protocols/kent-capacity-escalation.ts';
import type { kentTeamTransfer } from '../../protocols/kent-team-transfer.ts';
import { logRead } from '../audit/repository.ts';
import type { ModuleContext } from '../kit/context.ts';
import type { Flow } from '../protocols/service.ts';
import * as repo from './repository.ts';
import type { TransferStatus } from './rules.ts';

/** The module kit's context (db, config, clock, London today, the engine): what the flows' hooks read. */
export type BaseCtx = ModuleContext;

/** What the transfer functions share: the base, and the two workflows on the protocol engine (flow.ts). */
export interface Ctx extends ModuleContext {
  /** The transfer itself (kent-team-transfer): its only status. */
  readonly transfer: Flow<typeof kentTeamTransfer>;
  /** A capacity block escalated to the service manager (kent-capacity-escalation). */
  readonly capacity: Flow<typeof kentCapacityEscalation>;
  /** Told, inside the allocation's transaction, when a transfer to another council completes (TransferService.onCompletedAcross). */
  readonly acrossCompleted: AcrossListener[];
}

/** A transfer to another council on this installation has completed: the child's record in each council. */
export interface AcrossCompleted {
  transferId: string;
  fromAuthorityId: string;
  fromPersonId: string;
  toAuthorityId: string;
  toPersonId: string;
  /** Who allocated the receiving worker (a member of staff of the receiving council). */
  actorId: string;
  /** The day the move completed, YYYY-MM-DD. */
  date: string;
}
export type AcrossListener = (tx: Tx, e: AcrossCompleted) => Promise<void>;

export type Loaded = NonNullable<Awaited<ReturnType<typeof repo.findTransfer>>>;

/** Where the originating team prepares the transfer: requested, or returned with missing work. */
export const PREPARING: readonly TransferStatus[] = ['requested', 'returned'];

export const ref = (caseNumber: string) => `${caseNumber}/transfer`;

export async function readPerson(
  tx: Tx,
  user: AuthUser,
  access: PersonAccess,
  purpose: string,
  channel: 'page' | 'api' | 'export' | 'print' = 'page',
) {
  const person = await tx
    .selectFrom('people')
    .where('id', '=', access.personId)
    .where('authority_id', '=', user.authorityId)
    .select(['id', 'case_number', 'given_name', 'family_name', 'date_of_birth', 'locality_id', 'address', 'postcode'])
    .executeTakeFirst();
  if (!person) throw new NotFound('No record with that reference.');
  await logRead(tx, user, access, channel, purpose);
  return person;
}

export function isManagerOf(user: AuthUser, teamId: string) {
  return user.caps.has('transfer:manage') && user.teamIds.includes(teamId);
}

export async function load(tx: Tx, user: AuthUser, personId: string, transferId: string) {
  const x = await repo.findTransfer(tx, user.authorityId, personId, transferId);
  if (!x) throw new NotFound('No transfer with that reference on this record.');
  return x;
}

export async function teamWorkers(db: Tx | Db, teamId: string) {
  return db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.team_id', '=', teamId)
    .where('u.active', '=', true)
    .orderBy('u.display_name')
    .select(['u.id', 'u.display_name'])
    .execute();
}

/**
 * Locks the transfer, checks the version the user read (when given) and that it is at one of `statuses` (the
 * engine's step, as the flow's hooks record it on the transfer), and returns it.
 */
export async function forChange(
  tx: Tx,
  user: AuthUser,
  personId: string,
  transferId: string,
  version: number | null | undefined,
  statuses: readonly TransferStatus[],
) {
  const locked = await repo.lockTransfer(tx, transferId);
  // The receiving authority of a transfer across a boundary acts on it too (its own checks follow).
  const mine =
    locked?.authority_id === user.authorityId ||
    (locked?.to_authority_id === user.authorityId && locked.sent_at !== null);
  if (!locked || locked.person_id !== personId || !mine)
    throw new NotFound('No transfer with that reference on this record.');
  if (version !== null && version !== undefined && version !== locked.version)
    throw new Conflict(
      'Someone else changed this transfer while you were looking at it. Reload the page and try again.',
    );
  if (!statuses.includes(locked.status as TransferStatus))
    throw new Conflict(
      `This transfer is ${locked.status.replace(/_/g, ' ')}, so that cannot be done now. Reload the page to see where it is.`,
    );
  const x = await repo.findTransfer(tx, locked.authority_id, personId, transferId);
  if (!x) throw new NotFound('No transfer with that reference on this record.');
  return x;
}

/** A step the receiving team takes (accept, return, allocate, escalate): locked at `status`, by its manager. */
export async function forReceiving(
  tx: Tx,
  user: AuthUser,
  at: { personId: string; transferId: string; version?: number | null },
  status: TransferStatus,
  does: string,
) {
  const x = await forChange(tx, user, at.personId, at.transferId, at.version, [status]);
  if (!x.to_team_id || !isManagerOf(user, x.to_team_id))
    throw new Forbidden(`A team manager of the receiving team ${does}.`);
  return { ...x, to_team_id: x.to_team_id };
}

export async function touch(tx: Tx, transferId: string, set: Record<string, unknown>) {
  await tx
    .updateTable('transfers')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', transferId)
    .execute();
}

/** The transfer's instance: every transfer has one (migration 0045 onwards). */
export function instanceOf(x: { protocol_instance_id: string | null }): string {
  if (!x.protocol_instance_id) throw new Conflict('This transfer has no protocol instance. Reload the page.');
  return x.protocol_instance_id;
}

/** The case number of a record, for the references in notifications (never the child's name). */
export async function caseNumberOf(tx: Tx, personId: string) {
  const person = await tx
    .selectFrom('people')
    .where('id', '=', personId)
    .select('case_number')
    .executeTakeFirstOrThrow();
  return person.case_number;
}

/** The statuses open on a record today (child in need, child protection plan, child in care...). */
export async function openStatuses(tx: Tx, personId: string) {
  const rows = await tx
    .selectFrom('person_statuses')
    .where('person_id', '=', personId)
    .where('end_date', 'is', null)
    .select('status')
    .execute();
  return rows.map((s) => s.status);
}

/** Ends an involvement that is still open, as of `today`. */
export async function endInvolvement(tx: Tx, involvementId: string, today: string) {
  await tx
    .updateTable('involvements')
    .set((eb) => ({ end_date: today, version: eb('version', '+', 1) }))
    .where('id', '=', involvementId)
    .where('end_date', 'is', null)
    .execute();
}
