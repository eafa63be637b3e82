// The security role hears of every account the directory reopens (F3 of the review): reopening restores the
// account's roles and teams as they were, so it gives back access to case records without anyone in Handover
// choosing to. In-app and by email, in the same transaction as the change; staff names only.
import type { Tx } from '../../db/database.ts';
import { notifyUser } from '../notifications/outbox.ts';
import type { AlertSettings } from '../organisations/grants.ts';

export async function alertReactivated(
  tx: Tx,
  settings: AlertSettings,
  authorityId: string,
  user: { id: string; display_name: string },
  at: Date,
) {
  const message = `The council’s directory (provisioning) reactivated ${user.display_name}’s account, with the roles and teams it had`;
  const link = `/admin/users/${user.id}`;
  await tx
    .insertInto('alerts')
    .values({
      authority_id: authorityId,
      role: settings.securityAlertRole,
      kind: 'account-reactivated',
      message,
      link,
      created_at: at,
    })
    .execute();
  const holders = await tx
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where('active', '=', true)
    .where((eb) => eb(eb.val(settings.securityAlertRole), '=', eb.fn.any('roles')))
    .select('id')
    .execute();
  for (const h of holders)
    await notifyUser(tx, {
      authorityId,
      userId: h.id,
      message,
      link,
      reference: `user-${user.id.slice(0, 8)}`,
      baseUrl: settings.baseUrl,
      at,
    });
}
