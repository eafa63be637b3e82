// All SQL for messages: in-app notifications and the email outbox. Executor first; the caller owns the
// transaction (style.md 4).
import { type Selectable, sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import type { OutboxTable } from '../../db/schema.ts';

export type OutboxRow = Selectable<OutboxTable>;
/** A claimed row; `reclaimed` when it was taken from a sender that stopped mid-send (its lease ran out). */
export type ClaimedEmail = OutboxRow & { reclaimed: boolean };

// ---- the sender (src/jobs/outbox.ts)

/**
 * Claims up to `batch` due emails for one sender, in one statement that commits before anything is sent.
 * Due: pending and next_attempt_at reached, or 'sending' whose lease has run out (its sender died). A claimed row's
 * next_attempt_at is set to the end of its lease, so both cases are one range scan on outbox_due_idx.
 * FOR UPDATE SKIP LOCKED makes concurrent senders take disjoint rows; a row another sender has just claimed and
 * committed no longer matches when re-checked under READ COMMITTED, so it is never claimed twice within a lease.
 * attempts is incremented here, so it also serves as the claim's fencing token. The sender claims one row just
 * before sending it, so a committed claim is the in-flight mark (the Message-ID is the row id's, messageIdFor);
 * `reclaimed` says the row was in flight in a sender that stopped before recording an outcome.
 */
export async function claimDueEmails(db: Db, now: Date, leaseMs: number, batch: number): Promise<ClaimedEmail[]> {
  const until = new Date(now.getTime() + leaseMs);
  const res = await sql<ClaimedEmail>`
    WITH due AS MATERIALIZED (
      SELECT id, status FROM outbox
      WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${now}
        AND (status = 'pending' OR claimed_until IS NULL OR claimed_until <= ${now})
      ORDER BY next_attempt_at
      LIMIT ${batch}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE outbox o
    SET status = 'sending', claimed_until = ${until}, next_attempt_at = ${until}, attempts = o.attempts + 1
    FROM due
    WHERE o.id = due.id
    RETURNING o.*, due.status = 'sending' AS reclaimed`.execute(db);
  return res.rows;
}

/**
 * Delivered. Not fenced by the claim: if the lease ran out and another sender took the row, the message still went,
 * and saying so is the truth. Committed without waiting for the WAL flush (synchronous_commit off, set for this
 * statement's own transaction by the joined set_config, so it stays one round trip): the time from the server
 * accepting the message to this commit is the window in which a crash makes a second copy, and the flush was a
 * large part of it. Should PostgreSQL itself crash within the next fraction of a second, the row is back at its
 * committed claim, 'sending', and is taken back and flagged like any stopped send.
 */
export async function markEmailSent(
  db: Executor,
  id: string,
  s: { at: Date; transport: string; providerId: string | null; note: string | null },
): Promise<void> {
  await sql`
    UPDATE outbox
    SET status = 'sent', sent_at = ${s.at}, transport = ${s.transport}, provider_id = ${s.providerId},
        last_error = ${s.note}, claimed_until = NULL
    FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed
    WHERE id = ${id} AND status <> 'sent'`.execute(db);
}

/** Not delivered: back to pending for a later attempt, or failed. Only while this sender still holds the claim. */
export async function markEmailAttemptFailed(
  db: Executor,
  id: string,
  claim: number,
  f: { status: 'pending' | 'failed'; nextAttemptAt: Date; error: string },
): Promise<boolean> {
  const res = await db
    .updateTable('outbox')
    .set({ status: f.status, next_attempt_at: f.nextAttemptAt, last_error: f.error, claimed_until: null })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('attempts', '=', claim)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- the outbox pages

export async function outboxCounts(db: Executor, authorityId: string) {
  return db
    .selectFrom('outbox')
    .where('authority_id', '=', authorityId)
    .groupBy('status')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .execute();
}

/** Failed emails, those waiting to be retried, and those whose sender's lease has run out; newest first. */
export async function outboxProblems(db: Executor, authorityId: string, now: Date, limit: number) {
  return db
    .selectFrom('outbox')
    .where('authority_id', '=', authorityId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'failed'),
        eb.and([eb('status', '=', 'pending'), eb('attempts', '>', 0)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<=', now)]),
      ]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .select([
      'id',
      'reference',
      'to_addresses',
      'cc_addresses',
      'subject',
      'status',
      'attempts',
      'last_error',
      'next_attempt_at',
      'created_at',
    ])
    .execute();
}

/** A failed email goes back to the queue as new: due now, with a fresh set of attempts. */
export async function retryFailedEmail(db: Executor, authorityId: string, id: string, now: Date) {
  return db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now, attempts: 0, claimed_until: null })
    .where('id', '=', id)
    .where('authority_id', '=', authorityId)
    .where('status', '=', 'failed')
    .returning(['id', 'reference'])
    .executeTakeFirst();
}

export async function listOutbox(db: Executor, authorityId: string, limit: number) {
  return db
    .selectFrom('outbox')
    .where('authority_id', '=', authorityId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .select(['id', 'reference', 'to_addresses', 'cc_addresses', 'subject', 'status', 'created_at', 'sent_at'])
    .execute();
}

export async function findOutboxMessage(db: Executor, authorityId: string, id: string) {
  return db
    .selectFrom('outbox')
    .where('id', '=', id)
    .where('authority_id', '=', authorityId)
    .selectAll()
    .executeTakeFirst();
}

// ---- in-app notifications

/** A page of a user's notifications, newest first. */
export async function listNotifications(db: Executor, userId: string, limit: number, offset = 0) {
  return db
    .selectFrom('notifications')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .select(['id', 'message', 'link', 'reference', 'created_at', 'read_at', 'resolved_at'])
    .execute();
}

export async function countNotifications(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .where('user_id', '=', userId)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markAllNotificationsRead(db: Executor, userId: string, at: Date): Promise<number> {
  const res = await db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Marks the chosen notifications read: only the user's own, only those still unread. */
export async function markNotificationsRead(db: Executor, userId: string, ids: string[], at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const res = await db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('id', 'in', ids)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * What pointed at a subject that has moved on (a decided or passed-on step) is no longer needed: resolved, and read
 * if it was not, so it stops counting as unread. In the caller's transaction, with the move itself.
 */
export async function resolveNotificationsAbout(
  db: Executor,
  subject: { type: string; id: string },
  at: Date,
): Promise<number> {
  const res = await db
    .updateTable('notifications')
    .set((eb) => ({ resolved_at: at, read_at: eb.fn.coalesce('read_at', eb.val(at)) }))
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Unread count, counting no further than `cap`: an index-only walk of notifications_user_unread_idx. */
export async function countUnreadNotifications(db: Executor, userId: string, cap: number): Promise<number> {
  const res = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM notifications WHERE user_id = ${userId} AND read_at IS NULL LIMIT ${cap}
    ) unread`.execute(db);
  return res.rows[0]?.n ?? 0;
}
