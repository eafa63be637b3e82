// Advice givers from outside the council: an account with no password, a one-time emailed link to set one, and
// taking the link up.
import { randomBytes } from 'node:crypto';
import type { Tx } from '../../db/database.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { sha256 } from '../auth/service.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { EhcpDeps } from './context.ts';

const INVITE_DAYS = 7;

/**
 * An advice giver from outside, invited by email: an account with no password, and a one-time link to set one.
 * The token is random (32 bytes); only its SHA-256 is stored; it expires in 7 days.
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
  const created = await tx
    .insertInto('users')
    .values({
      authority_id: user.authorityId,
      email,
      display_name: name,
      roles: ['advice_giver'],
      service_id: serviceId,
      password_hash: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = randomBytes(32).toString('base64url');
  await tx
    .insertInto('user_invites')
    .values({
      authority_id: user.authorityId,
      user_id: created.id,
      token_hash: sha256(token),
      expires_at: new Date(d.now().getTime() + INVITE_DAYS * 86_400_000),
      created_by: user.id,
    })
    .execute();
  await enqueueEmail(tx, {
    authorityId: user.authorityId,
    reference: `invite-${created.id.slice(0, 8)}`,
    to: [email],
    subject: 'You have been invited to Handover to give advice',
    body: `Hello ${name},\n\n${user.displayName} has asked you for advice for an education, health and care needs assessment, through Handover.\n\nSet your password to sign in (this link works once and expires in ${INVITE_DAYS} days):\n${d.config.baseUrl}/invite/${token}\n\nThis email does not contain personal details. Do not reply to it.`,
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

/** The invitation behind a token, if it is still usable. */
export async function findInvite(d: EhcpDeps, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  return d.db
    .selectFrom('user_invites as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .where('i.token_hash', '=', sha256(token))
    .where('i.used_at', 'is', null)
    .where('i.expires_at', '>', d.now())
    .where('u.active', '=', true)
    .select(['i.id', 'i.user_id', 'i.authority_id', 'u.email', 'u.display_name'])
    .executeTakeFirst();
}

export async function acceptInvite(d: EhcpDeps, token: string, passwordHash: string): Promise<boolean> {
  return d.db.transaction().execute(async (tx) => {
    const inv = await tx
      .selectFrom('user_invites')
      .where('token_hash', '=', sha256(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', d.now())
      .forUpdate()
      .select(['id', 'user_id', 'authority_id'])
      .executeTakeFirst();
    if (!inv) return false;
    await tx.updateTable('user_invites').set({ used_at: d.now() }).where('id', '=', inv.id).execute();
    await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', inv.user_id).execute();
    await insertAudit(tx, {
      authorityId: inv.authority_id,
      actorId: inv.user_id,
      action: 'set-password',
      entity: 'user',
      entityId: inv.user_id,
    });
    return true;
  });
}
