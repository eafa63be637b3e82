// SEND hubs (issue 13 part 2): telling the setting where its request is. Each time the request's status changes
// (held for consent, waiting for triage, then each triage outcome), the setting's team inbox gets an email and each
// of its accounts an in-app notification: the reference and a link to /setting/requests/:id, never the child's name
// or anything from the record (quality.md S14). Called from the engine's hooks (flow.ts), inside their transaction.
import type { Tx } from '../../db/database.ts';
import type { SupportRequestStatus } from '../../db/schema-send-hubs.ts';
import type { ModuleContext } from '../kit/context.ts';
import { enqueueEmail, notifyUser } from '../notifications/outbox.ts';
import { requestStatus, settingAudience } from './repository-requests.ts';

/** What a request's end result means to the setting, in plain words. */
export const RESULT_WORDS: Record<string, string> = {
  advice: 'the hub has given advice and signposting',
  declined: 'the hub could not take it on and has suggested an alternative',
  ehc_assessment: 'an EHC needs assessment has been requested',
  further_support: 'the locality team has taken on Further SEND Support',
  closed: 'the support has ended: needs met',
  withdrawn: 'it was withdrawn',
};

/** The line a notice carries: the reference and what happened (no name). */
export function noticeText(
  reference: string,
  status: SupportRequestStatus,
  consent: string,
  result: string | null,
): string {
  switch (status) {
    case 'held':
      return consent === 'refused'
        ? `Request ${reference} is held: the parent carer has refused consent`
        : `Request ${reference} is held: parent carer consent is missing`;
    case 'waiting':
      return `Request ${reference} is waiting for the hub’s triage`;
    case 'more_info':
      return `The hub needs more information for request ${reference}`;
    case 'starting':
      return `Request ${reference} is accepted: First SEND Support is starting`;
    case 'in_support':
      return `Request ${reference}: First SEND Support has started`;
    case 'with_locality':
      return `Request ${reference} is referred to the locality team for Further SEND Support`;
    case 'closed':
      return `Request ${reference} is closed: ${RESULT_WORDS[result ?? ''] ?? 'see its page'}`;
  }
}

/**
 * Tells the setting its request moved, when the status is new (or the request is held without consent). `previous`
 * is the status before the engine's hook wrote the new one.
 */
export async function tellSettingOfStatus(
  ctx: ModuleContext,
  tx: Tx,
  requestId: string,
  previous: SupportRequestStatus | null,
): Promise<void> {
  const r = await requestStatus(tx, requestId);
  if (!r) return;
  // A request submitted with consent passes through "held" on its way to triage: only a real hold is told.
  if (r.status === 'held' ? r.consent === 'given' : r.status === previous) return;
  const who = await settingAudience(tx, requestId);
  if (!who) return;
  const message = noticeText(who.reference, r.status, r.consent, r.result);
  const link = `/setting/requests/${requestId}`;
  const at = ctx.now();
  for (const userId of who.userIds)
    await notifyUser(tx, {
      authorityId: who.authority_id,
      userId,
      message,
      link,
      reference: who.reference,
      baseUrl: ctx.config.baseUrl,
      email: !who.inbox_email,
      at,
    });
  if (who.inbox_email)
    await enqueueEmail(tx, {
      authorityId: who.authority_id,
      reference: who.reference,
      to: [who.inbox_email],
      subject: `Handover: ${message}`,
      body: `Hello,\n\n${message}.\n\nReference: ${who.reference}\nSign in to see it: ${ctx.config.baseUrl}${link}\n\nThis email does not contain personal details. Do not reply to it.`,
      at,
    });
}
