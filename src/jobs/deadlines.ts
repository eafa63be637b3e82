// The deadline sweep: fires every due deadline exactly once (quality.md R5). Each batch is one transaction that
// locks its rows (SKIP LOCKED, so concurrent sweepers in other processes share the work), runs each row's action
// in a savepoint and sets fired_at in the same transaction: a crash anywhere rolls back both the actions and
// their fired_at together, so the next sweep does them again, once.
import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';
import {
  type Deadline,
  type DeadlineFailure,
  dueDeadlinesQuery,
  markDeadlinesFired,
  postponeDeadline,
} from '../modules/timers/repository.ts';

/** Structured logging, pino-shaped (Fastify's logger fits). Callers pass ids and counts, never personal data. */
export interface JobLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Does what a deadline asks (notify, escalate, …) inside the sweep's transaction, so its writes commit together
 * with fired_at. Throw to have the row retried later; the error's message is never stored or logged.
 */
export type DeadlineHandler = (tx: Tx, row: Deadline, now: Date) => Promise<void>;

export interface SweepResult {
  fired: number;
  failed: number;
}

/** A failed action is tried again this much later (the row's due_at moves forward; it stays unfired). */
export const RETRY_DELAY_MS = 5 * 60_000;

const handlers = new Map<string, DeadlineHandler>();
const reportedUnknown = new Set<string>();

/**
 * Modules register what their deadlines do by subject type (e.g. the protocol engine: 'protocol_step'). Both
 * `handover serve` and `handover worker` must load the registering modules before jobs start. Returns a function
 * that unregisters (for tests).
 */
export function registerDeadlineHandler(subjectType: string, handler: DeadlineHandler): () => void {
  if (handlers.has(subjectType)) throw new Error(`A deadline handler for "${subjectType}" is already registered.`);
  handlers.set(subjectType, handler);
  return () => {
    if (handlers.get(subjectType) === handler) handlers.delete(subjectType);
  };
}

const consoleLog: JobLog = {
  info: () => {},
  warn: (obj, msg) => console.warn(msg, JSON.stringify(obj)),
  error: (obj, msg) => console.error(msg, JSON.stringify(obj)),
};

/** The error's class name and SQLSTATE: enough to diagnose, and free of the values a message may quote. */
export function describeError(e: unknown): { error: string; code: string | null } {
  // The class name (DatabaseError, TypeError, ActionHasNoOwner); pg's errors all say name 'error'.
  const name =
    e instanceof Error
      ? e.constructor.name !== 'Error'
        ? e.constructor.name
        : e.name
      : e === null
        ? 'null'
        : typeof e;
  const code = (e as { code?: unknown } | null)?.code;
  return { error: name, code: typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null };
}

/**
 * Fires every open deadline due by `now`, `batch` rows per transaction, until a batch comes back short. A row
 * whose action throws, or whose subject type has no handler, is rolled back to its savepoint, moved
 * RETRY_DELAY_MS later with the failure recorded in action.last_error, and counted as failed; the others in
 * its batch still fire.
 */
export async function sweepDue(db: Db, now: Date, opts: { batch?: number; log?: JobLog } = {}): Promise<SweepResult> {
  const batch = opts.batch ?? 500;
  const log = opts.log ?? consoleLog;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError('batch must be a whole number of at least 1');
  const retryAt = new Date(now.getTime() + RETRY_DELAY_MS);
  const total: SweepResult = { fired: 0, failed: 0 };
  for (;;) {
    const done = await db.transaction().execute(async (tx) => {
      const rows = await dueDeadlinesQuery(tx, now, batch).execute();
      const fired: number[] = [];
      const failures: { id: number; failure: DeadlineFailure }[] = [];
      // Each action runs inside the savepoint: one that fails is rolled back to it, undoing only its own writes.
      // ROLLBACK TO keeps the savepoint, and a success releases it and sets the next in one round trip (a query
      // without parameters goes by PostgreSQL's simple protocol, which takes several statements): a row costs its
      // handler's queries plus one. If the connection itself is gone these throw, and the whole batch rolls back.
      if (rows.length) await sql`SAVEPOINT deadline_action`.execute(tx);
      for (const row of rows) {
        const handler = handlers.get(row.subject_type);
        if (!handler) {
          if (!reportedUnknown.has(row.subject_type)) {
            reportedUnknown.add(row.subject_type);
            log.error(
              { subjectType: row.subject_type, deadlineId: row.id },
              'No handler is registered for this deadline subject type; its deadlines are retried later.',
            );
          }
          failures.push({ id: row.id, failure: failure({ error: 'NoHandler', code: null }, now) });
          continue;
        }
        try {
          await handler(tx, row, now);
          await sql.raw('RELEASE SAVEPOINT deadline_action; SAVEPOINT deadline_action').execute(tx);
          fired.push(row.id);
        } catch (e) {
          await sql`ROLLBACK TO SAVEPOINT deadline_action`.execute(tx);
          const described = describeError(e);
          failures.push({ id: row.id, failure: failure(described, now) });
          log.warn(
            { ...described, subjectType: row.subject_type, deadlineId: row.id, retryAt: retryAt.toISOString() },
            'A deadline action failed; it will be retried.',
          );
        }
      }
      if (rows.length) await sql`RELEASE SAVEPOINT deadline_action`.execute(tx);
      await markDeadlinesFired(tx, fired, now);
      for (const f of failures) await postponeDeadline(tx, f.id, retryAt, f.failure);
      return { claimed: rows.length, fired: fired.length, failed: failures.length };
    });
    total.fired += done.fired;
    total.failed += done.failed;
    if (done.claimed < batch) return total;
  }
}

function failure(d: { error: string; code: string | null }, now: Date): DeadlineFailure {
  return { error: d.error, code: d.code, at: now.toISOString() };
}
