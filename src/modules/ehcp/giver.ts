// What the advice giver sees: the requests addressed to them, and one request with its submissions and any open
// follow-up. Only that request: the read is logged against the young person (quality.md S6).

import { NotFound } from '../../http/errors.ts';
import type { AdviceAccess, AuthUser } from '../../http/types.ts';
import { insertAccess } from '../audit/repository.ts';
import type { EhcpDeps } from './context.ts';
import { ADVICE_KINDS, adviceRef } from './labels.ts';
import * as repo from './repository.ts';

export async function myRequests(d: EhcpDeps, user: AuthUser) {
  const today = d.today();
  return (await repo.requestsAddressedTo(d.db, user)).map((r) => ({
    ...r,
    kindLabel: ADVICE_KINDS[r.kind] ?? r.kind,
    reference: adviceRef(r.case_number, r.id),
    followUpOpen: r.follow_up_sent_on !== null && r.follow_up_closed_on === null,
    overdue: r.status === 'requested' && today > r.due_date,
  }));
}

/** What the advice giver sees: this request only. The read is logged against the young person (S6). */
export async function requestForGiver(
  d: EhcpDeps,
  user: AuthUser,
  access: AdviceAccess,
  channel: 'page' | 'api' = 'page',
) {
  return d.db.transaction().execute(async (tx) => {
    const r = await repo.adviceRequestForGiver(tx, access.requestId);
    if (!r) throw new NotFound('No record with that reference.');
    await insertAccess(tx, {
      authorityId: user.authorityId,
      personId: r.person_id,
      userId: user.id,
      channel,
      purpose: 'advice-request',
      breakGlassId: null,
    });
    const submissions = await repo.submissionsOf(tx, [r.id]);
    let followUpNeed: string | null = null;
    if (r.follow_up_instance_id && r.follow_up_sent_on && !r.follow_up_closed_on) {
      const inst = await tx
        .selectFrom('protocol_instances')
        .where('id', '=', r.follow_up_instance_id)
        .select(['data', 'status'])
        .executeTakeFirst();
      if (inst?.status === 'open' && typeof inst.data.what_is_needed === 'string')
        followUpNeed = inst.data.what_is_needed;
    }
    const today = d.today();
    return {
      request: r,
      reference: adviceRef(r.case_number, r.id),
      kindLabel: ADVICE_KINDS[r.kind] ?? r.kind,
      submissions,
      followUpOpen: Boolean(followUpNeed),
      followUpNeed,
      overdue: r.status === 'requested' && today > r.due_date,
      draftCheckOpen: r.draft_check_due !== null && r.draft_feedback_on === null,
      responsibleIsMe: r.responsible_user_id === user.id,
      today,
    };
  });
}
