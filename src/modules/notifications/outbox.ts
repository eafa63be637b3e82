// Writing messages: always inside the caller's transaction, so a message exists if and only if what caused it
// was committed (quality.md R6). Sending is the outbox worker's job (src/jobs/outbox.ts).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { headersAreSafe } from '../../domain/mail.ts';

export { headersAreSafe, messageIdFor } from '../../domain/mail.ts';

export interface EmailMessage {
  authorityId: string;
  /** A reference people can quote: never a child's name or details (quality.md S14). */
  reference: string;
  to: string[];
  cc?: string[];
  subject: string;
  body: string;
  /**
   * When it is first due, on the app's clock (the `now` the sender is given). Without it the database's clock is
   * used, which disagrees with a frozen test clock or a skewed app host, and the message is never (or too early)
   * due. `created_at` stays the database's time of writing, so rows keep the order they were written in.
   */
  at?: Date;
}

/** A message that would be unsafe to send: a line break in a header (injection) or a malformed address. */
export class UnsafeEmail extends Error {}

/** Queues an email. Subjects and addresses with line breaks are refused: no header injection (S14). */
export async function enqueueEmail(db: Executor, m: EmailMessage): Promise<string> {
  if (!headersAreSafe(m.subject, [...m.to, ...(m.cc ?? [])])) {
    throw new UnsafeEmail(
      'An email subject or address contained a line break, or an address was not one plain address',
    );
  }
  if (m.to.length === 0) throw new UnsafeEmail('An email needs at least one recipient');
  const row = await db
    .insertInto('outbox')
    .values({
      authority_id: m.authorityId,
      reference: m.reference,
      to_addresses: m.to,
      cc_addresses: m.cc ?? [],
      subject: m.subject,
      body: m.body,
      ...(m.at ? { next_attempt_at: m.at } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** What a notification is about, so it resolves itself when that moves on (a protocol step: its id). */
export interface NotificationSubject {
  type: 'protocol_step';
  id: string;
}

/**
 * Tells one member of staff something: an in-app notification, and an email carrying only the reference and a
 * link that needs sign-in. `message` says what changed and `reference` where (the case number first, never a name).
 */
export async function notifyUser(
  db: Executor,
  n: {
    authorityId: string;
    userId: string;
    message: string;
    link: string;
    reference: string;
    baseUrl: string;
    email?: boolean;
    /** When it happened, on the app's clock; without it the database's (one time for a whole transaction). */
    at?: Date;
    subject?: NotificationSubject;
  },
): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      authority_id: n.authorityId,
      user_id: n.userId,
      message: n.message,
      link: n.link,
      reference: n.reference,
      subject_type: n.subject?.type ?? null,
      subject_id: n.subject?.id ?? null,
      // The moment it happened: the app's clock if given, else the statement's (not the transaction's start, which
      // gave every notification written in one transaction the same time).
      created_at: n.at ?? sql<Date>`clock_timestamp()`,
    })
    .execute();
  if (n.email === false) return;
  const user = await db
    .selectFrom('users')
    .where('id', '=', n.userId)
    .where('active', '=', true)
    .select(['email', 'display_name'])
    .executeTakeFirst();
  // An address that could not be sent to safely gets the in-app notification only, rather than undoing the
  // caller's transaction (user forms already refuse such addresses).
  if (!user || !headersAreSafe('', [user.email])) return;
  await enqueueEmail(db, {
    authorityId: n.authorityId,
    reference: n.reference,
    to: [user.email],
    subject: `Handover: ${n.message} (ref ${n.reference})`,
    body: `Hello ${user.display_name},\n\n${n.message}.\n\nReference: ${n.reference}\nSign in to see it: ${n.baseUrl}${n.link}\n\nThis email does not contain personal details. Do not reply to it.`,
  });
}
