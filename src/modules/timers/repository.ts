// Timers as rows: a deadline fires once, when the sweep sets fired_at in the same transaction as its action.
import type { Executor } from '../../db/database.ts';

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
    .values(rows.map((r) => ({ authority_id: r.authorityId, subject_type: r.subjectType, subject_id: r.subjectId, rung: r.rung, due_at: r.dueAt, action: JSON.stringify(r.action) })))
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
