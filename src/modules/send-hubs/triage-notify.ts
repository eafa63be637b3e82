// SEND hubs (issue 13): telling a setting that its request moved on. Its accounts get an in-app notification and
// an email, and its team inbox an email, so a request never depends on one person's account. Each carries the
// request's reference and a link to the setting's status page only: never the child's name or details (S14).
import type { Tx } from '../../db/database.ts';
import { enqueueEmail, notifyUser } from '../notifications/outbox.ts';
import type { HubCtx } from './flow.ts';
import { settingRecipients } from './repository-triage.ts';

export async function notifySetting(
  ctx: HubCtx,
  tx: Tx,
  r: { id: string; reference: string; authority_id: string; setting_id: string },
  message: string,
): Promise<void> {
  const link = `/setting/requests/${r.id}`;
  const { userIds, inbox } = await settingRecipients(tx, r.setting_id);
  for (const userId of userIds)
    await notifyUser(tx, {
      authorityId: r.authority_id,
      userId,
      message,
      link,
      reference: r.reference,
      baseUrl: ctx.config.baseUrl,
      at: ctx.now(),
    });
  if (inbox)
    await enqueueEmail(tx, {
      authorityId: r.authority_id,
      reference: r.reference,
      to: [inbox],
      subject: `Handover: ${message} (ref ${r.reference})`,
      body: `Hello,\n\n${message}.\n\nReference: ${r.reference}\nSign in to see it: ${ctx.config.baseUrl}${link}\n\nThis email does not contain personal details. Do not reply to it.`,
      at: ctx.now(),
    });
}
