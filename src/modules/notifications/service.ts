// Messages as people see them: my in-app notifications; the outbox for council IT; the development mailbox.
import type { Db, Executor } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy } from '../audit/repository.ts';
import { messageIdFor } from './outbox.ts';
import {
  countNotifications,
  countUnreadNotifications,
  findOutboxMessage,
  listNotifications,
  listOutbox,
  markAllNotificationsRead,
  markNotificationsRead,
  outboxCounts,
  outboxProblems,
  resolveNotificationsAbout,
  retryFailedEmail,
} from './repository.ts';
import type { MarkReadInput } from './schemas.ts';

/** Counts stop here: the navigation shows "99+" rather than walk a long unread list on every page. */
export const UNREAD_CAP = 100;
const PAGE_LIMIT = 200;
/** Notifications a page of /notifications shows. */
export const NOTIFICATIONS_PAGE = 25;

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;

/**
 * A set-password link's token (/invite/<token>) reaches only the invitee's mailbox: pages that show an email body
 * show the link with its token masked.
 */
export function maskLinkTokens(body: string): string {
  return body.replace(/\/invite\/[A-Za-z0-9_-]+/g, '/invite/[link hidden: only the recipient gets it]');
}

/** Links are written by the app itself; anything that is not a path on this site is not shown as a link. */
function localLink(link: string | null): string | null {
  return link && /^\/(?![/\\])/.test(link) ? link : null;
}

export class NotificationsService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async unreadCount(user: AuthUser): Promise<number> {
    return countUnreadNotifications(this.db, user.id, UNREAD_CAP);
  }

  /** A page of my notifications, newest first: what changed, where (the reference), when, read or resolved. */
  async mine(user: AuthUser, page = 1) {
    const total = await countNotifications(this.db, user.id);
    const pages = Math.max(1, Math.ceil(total / NOTIFICATIONS_PAGE));
    const current = Math.min(page, pages);
    const rows = await listNotifications(this.db, user.id, NOTIFICATIONS_PAGE, (current - 1) * NOTIFICATIONS_PAGE);
    return {
      notifications: rows.map((r) => ({
        id: r.id,
        message: r.message,
        link: localLink(r.link),
        reference: r.reference,
        // `<case>/<item>` names a case; any other reference (a bare case number, a caseload handover) is shown as it is.
        caseNumber: r.reference?.includes('/') ? (r.reference.split('/')[0] ?? null) : null,
        createdAt: r.created_at,
        unread: r.read_at === null,
        resolved: r.resolved_at !== null,
      })),
      unread: await this.unreadCount(user),
      total,
      page: current,
      pages,
    };
  }

  /** Marks the chosen notifications (the user's own) or all of them read; how many changed. */
  async markRead(user: AuthUser, input: MarkReadInput): Promise<number> {
    return input.action === 'all'
      ? markAllNotificationsRead(this.db, user.id, this.now())
      : markNotificationsRead(this.db, user.id, input.ids ?? [], this.now());
  }

  /** A step moved on: what told people about it is resolved, in the engine's transaction (src/services.ts). */
  async stepMoved(tx: Executor, stepId: string, at: Date): Promise<void> {
    await resolveNotificationsAbout(tx, { type: 'protocol_step', id: stepId }, at);
  }

  /** /admin/outbox: how many emails are in each state, and the ones that have not gone, newest first. */
  async outbox(user: AuthUser) {
    const now = this.now();
    const [counts, problems] = await Promise.all([
      outboxCounts(this.db, user.authorityId),
      outboxProblems(this.db, user.authorityId, now, PAGE_LIMIT),
    ]);
    const byStatus = new Map(counts.map((c) => [c.status, Number(c.n)]));
    return {
      counts: OUTBOX_STATUSES.map((status) => ({ status, n: byStatus.get(status) ?? 0 })),
      problems: problems.map((r) => ({
        id: r.id,
        reference: r.reference,
        recipients: [...r.to_addresses, ...r.cc_addresses],
        subject: r.subject,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        nextAttemptAt: r.status === 'failed' ? null : r.next_attempt_at,
        createdAt: r.created_at,
        canRetry: r.status === 'failed',
      })),
    };
  }

  /** A failed email back in the queue, due now, with its attempts reset; audited. */
  async retryEmail(user: AuthUser, outboxId: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await retryFailedEmail(tx, user.authorityId, outboxId, this.now());
      if (!row) throw new NotFound('That email is not waiting to be retried. It may have been retried already.');
      await auditBy(tx, user, {
        action: 'retry',
        entity: 'outbox',
        entityId: row.id,
        detail: { reference: row.reference },
      });
    });
  }

  /** /dev/mail: what the app has "sent" for this authority, newest first. */
  async devMailbox(user: AuthUser) {
    const rows = await listOutbox(this.db, user.authorityId, PAGE_LIMIT);
    return rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      to: r.to_addresses,
      cc: r.cc_addresses,
      subject: r.subject,
      status: r.status,
      createdAt: r.created_at,
      sentAt: r.sent_at,
    }));
  }

  async devMessage(user: AuthUser, outboxId: string) {
    const r = await findOutboxMessage(this.db, user.authorityId, outboxId);
    if (!r) throw new NotFound('There is no message with that id in your council’s outbox.');
    return {
      id: r.id,
      reference: r.reference,
      to: r.to_addresses,
      cc: r.cc_addresses,
      subject: r.subject,
      body: maskLinkTokens(r.body),
      status: r.status,
      attempts: r.attempts,
      transport: r.transport,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      messageId: messageIdFor(r.id),
    };
  }
}
