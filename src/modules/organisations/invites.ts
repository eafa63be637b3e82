// An account made by invitation (issue 17, shared by the EHCP advice invite and an organisation lead's invite): no
// password, and a one-time set-password token of which only the hash is kept (redeemed at /invite/:token).
import { randomBytes } from 'node:crypto';
import type { Tx } from '../../db/database.ts';
import { sha256 } from '../auth/service.ts';

export interface InvitedAccount {
  authorityId: string;
  email: string;
  displayName: string;
  jobTitle?: string | null;
  roles: string[];
  serviceId: string;
  /** Who invited them. */
  createdBy: string;
  /** How long the link works. */
  hours: number;
}

/** Writes the account and its invitation in the caller's transaction; returns the id and the token for the email. */
export async function createInvitedAccount(
  tx: Tx,
  a: InvitedAccount,
  at: Date,
): Promise<{ id: string; token: string }> {
  const created = await tx
    .insertInto('users')
    .values({
      authority_id: a.authorityId,
      email: a.email,
      display_name: a.displayName,
      job_title: a.jobTitle ?? null,
      roles: a.roles,
      service_id: a.serviceId,
      password_hash: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = randomBytes(32).toString('base64url');
  await tx
    .insertInto('user_invites')
    .values({
      authority_id: a.authorityId,
      user_id: created.id,
      token_hash: sha256(token),
      expires_at: new Date(at.getTime() + a.hours * 3_600_000),
      created_by: a.createdBy,
    })
    .execute();
  return { id: created.id, token };
}
