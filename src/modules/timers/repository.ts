// Timers as rows: a deadline fires once, when the sweep sets fired_at in the same transaction as its action.
import { type Selectable, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DeadlineTable } from '../../db/schema.ts';

export type Deadline = Selectable<DeadlineTable>;

export interface NewDeadline {
  authorityId: string;
  subjectType: string;
  subjectId: string;
  rung: number;
  dueAt: Date;
  action: Record<string, unknown>;
}

export async function scheduleDeadlines(db: Executor, rows: NewDeadline[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('deadlines')
    .values(
      rows.map((r) => ({
        authority_id: r.authorityId,
        subject_type: r.subjectType,
        subject_id: r.subjectId,
        rung: r.rung,
        due_at: r.dueAt,
        action: JSON.stringify(r.action),
      })),
    )
    .onConflict((oc) => oc.columns(['subject_type', 'subject_id', 'rung']).doNothing())
    .execute();
}

/** Stops the ladder of a subject that is done: its unfired rungs never fire. */
export async function cancelDeadlines(db: Executor, subjectType: string, subjectId: string, at: Date): Promise<void> {
  await db
    .updateTable('deadlines')
    .set({ cancelled_at: at })
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .execute();
}

/**
 * Open deadlines due by `now`, oldest first, locked until the caller's transaction ends; rows another sweeper has
 * locked are skipped, so concurrent sweepers share the work instead of waiting or doubling it. The WHERE clause
 * repeats the predicate of deadlines_due_idx so the planner can use it: cost grows with due rows, not with all
 * open ones (quality.md P4). Returned as a query so a test or benchmark can EXPLAIN exactly what the sweep runs.
 */
export function dueDeadlinesQuery(db: Executor, now: Date, limit: number) {
  return db
    .selectFrom('deadlines')
    .selectAll()
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked();
}

export async function markDeadlinesFired(db: Executor, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('deadlines').set({ fired_at: at }).where('id', 'in', ids).execute();
}

/** What a failed attempt leaves on the row: the error's name and SQLSTATE only, never its message (it may carry personal data). */
export interface DeadlineFailure {
  error: string;
  code: string | null;
  at: string;
}

/** Puts a deadline whose action failed back in the queue for `retryAt`, recording the failure and counting attempts. */
export async function postponeDeadline(
  db: Executor,
  id: number,
  retryAt: Date,
  failure: DeadlineFailure,
): Promise<void> {
  await db
    .updateTable('deadlines')
    .set({
      due_at: retryAt,
      action: sql<string>`jsonb_set(action, '{last_error}', ${JSON.stringify(failure)}::jsonb || jsonb_build_object('attempts', coalesce((action #>> '{last_error,attempts}')::int, 0) + 1))`,
    })
    .where('id', '=', id)
    .execute();
}

const londonHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', hourCycle: 'h23' });

/**
 * The instant a London calendar date ends (midnight at the start of the next day, in UTC). Deadlines are due
 * "by" a day, so they are overdue from this instant, in GMT or BST alike: clocks change at 01:00 UTC, never
 * at London midnight.
 */
export function endOfLondonDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d + 1);
  const offsetHours = Number(londonHour.format(new Date(utcMidnight)));
  return new Date(utcMidnight - offsetHours * 3_600_000);
}
