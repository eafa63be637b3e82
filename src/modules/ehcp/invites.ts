// Advice givers from outside the council: an account with no password, a one-time emailed link to set one, and
// taking the link up. The link's token is in the email only: never stored (only its SHA-256), logged or shown on a page.
import type { Db, Tx } from '../../db/database.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { sha256 } from '../auth/service.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import { createInvitedAccount } from '../organisations/invites.ts';
import type { EhcpDeps } from './context.ts';

/** How long a set-password link works (docs/decisions.md). */
export const INVITE_HOURS = 72;
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * An advice giver from outside, invited by email: an account with no password, and a one-time link to set one.
 * The token is random (32 bytes); only its SHA-256 is stored; it expires in INVITE_HOURS.
 */
export async function invite(
  d: EhcpDeps,
  tx: Tx,
  user: AuthUser,
  email: string,
  name: string,
  serviceId: string,
): Promise<string> {
  const service = await tx
    .selectFrom('services')
    .where('id', '=', serviceId)
    .where('authority_id', '=', user.authorityId)
    .select('id')
    .executeTakeFirst();
  if (!service) throw new ValidationError({ invite_service_id: 'Choose an organisation from the list' });
  const existing = await tx
    .selectFrom('users')
    .where('email', '=', email)
    .select(['id', 'authority_id', 'active'])
    .executeTakeFirst();
  if (existing) {
    if (existing.authority_id !== user.authorityId || !existing.active)
      throw new ValidationError({
        invite_email: 'That email address belongs to an account you cannot ask: choose someone else',
      });
    return existing.id;
  }
  const created = await createInvitedAccount(
    tx,
    {
      authorityId: user.authorityId,
      email,
      displayName: name,
      roles: ['advice_giver'],
      serviceId,
      createdBy: user.id,
      hours: INVITE_HOURS,
    },
    d.now(),
  );
  const token = created.token;
  await enqueueEmail(tx, {
    authorityId: user.authorityId,
    reference: `invite-${created.id.slice(0, 8)}`,
    to: [email],
    subject: 'You have been invited to Handover to give advice',
    body: `Hello ${name},\n\n${user.displayName} has asked you for advice for an education, health and care needs assessment, through Handover.\n\nSet your password to sign in (this link works once, only for this email address, and expires in ${INVITE_HOURS} hours):\n${d.config.baseUrl}/invite/${token}\n\nThis email does not contain personal details. Do not reply to it.`,
  });
  await insertAudit(tx, {
    authorityId: user.authorityId,
    actorId: user.id,
    action: 'invite',
    entity: 'user',
    entityId: created.id,
  });
  return created.id;
}

/** The usable invitation behind a token: unused, unexpired, for an active account that has never had a password. */
function usableInvite(d: EhcpDeps, db: Db | Tx, token: string) {
  return db
    .selectFrom('user_invites as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .where('i.token_hash', '=', sha256(token))
    .where('i.used_at', 'is', null)
    .where('i.expires_at', '>', d.now())
    .where('u.active', '=', true)
    .where('u.password_hash', 'is', null)
    .select(['i.id', 'i.user_id', 'i.authority_id', 'u.email']);
}

/** Whether a token is still usable. Says nothing about the account: the invitee types the address it was sent to. */
export async function inviteUsable(d: EhcpDeps, token: string): Promise<boolean> {
  if (!TOKEN.test(token)) return false;
  return (await usableInvite(d, d.db, token).executeTakeFirst()) !== undefined;
}

export type AcceptResult = 'ok' | 'unusable' | 'wrong-email';

/**
 * Sets the invited account's password, once: the token must be usable and `email` must be the address the invitation
 * was sent to (so a token sets only that account's password). Marks the invitation used in the same transaction.
 */
export async function acceptInvite(
  d: EhcpDeps,
  token: string,
  email: string,
  passwordHash: string,
): Promise<AcceptResult> {
  if (!TOKEN.test(token)) return 'unusable';
  return d.db.transaction().execute(async (tx) => {
    // Locks the invitation and the account: a second redemption racing this one waits, then finds it used.
    const inv = await usableInvite(d, tx, token).forUpdate().executeTakeFirst();
    if (!inv) return 'unusable';
    if (inv.email.toLowerCase() !== email.trim().toLowerCase()) return 'wrong-email';
    await tx.updateTable('user_invites').set({ used_at: d.now() }).where('id', '=', inv.id).execute();
    await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', inv.user_id).execute();
    await insertAudit(tx, {
      authorityId: inv.authority_id,
      actorId: inv.user_id,
      action: 'set-password',
      entity: 'user',
      entityId: inv.user_id,
    });
    return 'ok';
  });
}
