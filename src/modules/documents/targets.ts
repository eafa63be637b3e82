// Documents on a transfer, a referral or a young person's item on a panel meeting: who may see each (and so list and
// download its documents), and who may act on it (and so upload to it). Each target is on exactly one young
// person's record: a meeting concerns several people, so its documents are attached to one young person's item on
// its agenda, never to the meeting as a whole (docs/decisions.md), and a pseudonymised panel's items take none.
import type { Executor } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { NotFound } from '../../http/errors.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { formatDate } from '../../http/views.ts';
import * as repo from './repository.ts';

export type TargetKind = 'transfer' | 'referral' | 'meeting';

/** A transfer, referral or meeting item the caller may see; `canUpload` when they may also act on it. */
export interface Target {
  kind: TargetKind;
  id: string;
  personId: string;
  breakGlassId: string | null;
  canUpload: boolean;
  /** Its page's address: its documents are at base + '/documents'. */
  base: string;
}

/** Who runs a panel's meetings may attach documents to the young people's items on them. */
export const mayUploadToMeeting = (user: AuthUser) => user.caps.has('panel:manage');
/** The address of a young person's item on a meeting (its documents are under it). */
export const meetingItemBase = (meetingId: string, itemId: string) => `/panels/meetings/${meetingId}/items/${itemId}`;

/** A transfer on the record: seen by whoever may read the record (as its page is); acted on by its workers and managers. */
export async function transferTarget(db: Executor, user: AuthUser, access: PersonAccess, transferId: string) {
  if (!(await repo.targetOnRecord(db, user.authorityId, access.personId, 'transfer', transferId)))
    throw new NotFound('No transfer with that reference on this record.');
  const canUpload = user.caps.has('involvement:manage') || user.caps.has('transfer:manage');
  const base = `/people/${access.personId}/transfers/${transferId}`;
  return { kind: 'transfer', id: transferId, ...access, canUpload, base } satisfies Target;
}

/** A referral on the record: acted on by who sent it, who it was sent to, and the workers who may edit the record. */
export async function referralTarget(db: Executor, user: AuthUser, access: PersonAccess, referralId: string) {
  const r = await repo.referralParties(db, user.authorityId, access.personId, referralId);
  if (!r) throw new NotFound('No referral with that reference on this record.');
  const canUpload = user.id === r.to_user_id || user.id === r.referred_by || user.caps.has('person:edit');
  const base = `/people/${access.personId}/referrals/${referralId}`;
  return { kind: 'referral', id: referralId, ...access, canUpload, base } satisfies Target;
}

/**
 * A young person's item on a meeting the caller may see (`meeting` is what the panels' service showed them, having
 * checked they sit on the panel): acted on by who runs the panel's meetings (panel:manage).
 */
export async function meetingTarget(
  db: Executor,
  user: AuthUser,
  meeting: { id: string; pseudonymised: boolean },
  itemId: string,
) {
  const item = await repo.meetingItem(db, user.authorityId, meeting.id, itemId);
  if (!item || meeting.pseudonymised) throw new NotFound('No item with that reference on this meeting’s agenda.');
  return {
    kind: 'meeting',
    id: itemId,
    personId: item.person_id,
    breakGlassId: null,
    canUpload: mayUploadToMeeting(user),
    base: meetingItemBase(meeting.id, itemId),
  } satisfies Target;
}

type Row = Awaited<ReturnType<typeof repo.listForPerson>>[number];

/** What a document on the record is attached to, in words, and the page it is on (none for the record itself). */
export function attachedTo(d: Row): { about: string; aboutHref: string | null } {
  const base = `/people/${d.person_id}`;
  if (d.target_kind === 'transfer' && d.transfer_requested_at)
    return {
      about: `Transfer requested ${formatDate(londonToday(d.transfer_requested_at))}`,
      aboutHref: `${base}/transfers/${d.target_id}`,
    };
  if (d.target_kind === 'referral' && d.referral_sent_at)
    return {
      about: `Referral${d.referral_to ? ` to ${d.referral_to}` : ''}, sent ${formatDate(londonToday(d.referral_sent_at))}`,
      aboutHref: `${base}/referrals/${d.target_id}`,
    };
  if (d.target_kind === 'meeting' && d.meeting_id)
    return {
      about: `${d.panel_name ?? 'Panel'} meeting${d.meeting_date ? `, ${formatDate(d.meeting_date)}` : ''}`,
      aboutHref: `/panels/meetings/${d.meeting_id}#item-${d.target_id}`,
    };
  if (d.target_kind === 'advice_request') return { about: 'EHCP advice request', aboutHref: null };
  return { about: 'The record', aboutHref: null };
}
