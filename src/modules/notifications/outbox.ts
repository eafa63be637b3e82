// Writing messages: always inside the caller's transaction, so a message exists if and only if what caused it
// was committed (quality.md R6). Sending is the outbox worker's job (src/jobs/outbox.ts).
import type { Executor } from '../../db/database.ts';

export interface EmailMessage {
  authorityId: string;
  /** A reference people can quote: never a child's name or details (quality.md S14). */
  reference: string;
  to: string[];
  cc?: string[];
  subject: string;
  body: string;
}

const HEADER_UNSAFE = /[\r\n]/;

/** Queues an email. Subjects and addresses with line breaks are refused: no header injection. */
export async function enqueueEmail(db: Executor, m: EmailMessage): Promise<string> {
  if (HEADER_UNSAFE.test(m.subject) || [...m.to, ...(m.cc ?? [])].some((a) => HEADER_UNSAFE.test(a))) {
    throw new Error('An email subject or address contained a line break');
  }
  if (m.to.length === 0) throw new Error('An email needs at least one recipient');
  const row = await db
    .insertInto('outbox')
    .values({ authority_id: m.authorityId, reference: m.reference, to_addresses: m.to, cc_addresses: m.cc ?? [], subject: m.subject, body: m.body })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Tells one member of staff something: an in-app notification, and an email carrying only the reference and a
 * link that needs sign-in.
 */
export async function notifyUser(
  db: Executor,
  n: { authorityId: string; userId: string; message: string; link: string; reference: string; baseUrl: string; email?: boolean },
): Promise<void> {
  await db.insertInto('notifications').values({ authority_id: n.authorityId, user_id: n.userId, message: n.message, link: n.link }).execute();
  if (n.email === false) return;
  const user = await db.selectFrom('users').where('id', '=', n.userId).where('active', '=', true).select(['email', 'display_name']).executeTakeFirst();
  if (!user) return;
  await enqueueEmail(db, {
    authorityId: n.authorityId,
    reference: n.reference,
    to: [user.email],
    subject: `Handover: ${n.message} (ref ${n.reference})`,
    body: `Hello ${user.display_name},\n\n${n.message}.\n\nReference: ${n.reference}\nSign in to see it: ${n.baseUrl}${n.link}\n\nThis email does not contain personal details. Do not reply to it.`,
  });
}
