// An organisation's team inbox of EHCP advice requests (issue 17 part 5): a request addressed to the organisation
// rather than one person. While nobody has taken it, its giver and responsible person (who gets its deadline
// notices and escalations) is the organisation's lead; every active member sees it and may open it (that request
// only, never the record: the adviceRequest rule, access.ts); "Take this request" makes the member its giver and
// responsible person. When the holder's account is deactivated (by the lead, the council or provisioning) the request
// goes back to the inbox, held by a lead again, in the deactivation's transaction: it never depends on one account.
// The engine's step of an advice request stays with the coordinator (src/protocols/ehc-advice-request.ts): a step
// owner opens the whole record, which an outside organisation's member must never do.
import type { Db, Executor, Tx } from '../../db/database.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AdviceAccess, AuthUser } from '../../http/types.ts';
import { ADVICE_KINDS, adviceRef } from '../ehcp/labels.ts';
import { recordChange } from '../kit/record.ts';
import { notifyUser } from '../notifications/outbox.ts';
import * as repo from './repository.ts';

export interface InboxDeps {
  db: Db;
  now(): Date;
  today(): string;
  config: { baseUrl: string };
}

/** The organisations a coordinator may address a request to (at least one active lead). */
export const inboxServices = (db: Executor, authorityId: string) => repo.servicesWithInbox(db, authorityId);

/**
 * Files a new advice request in an organisation's inbox (called by the EHCP module, in its transaction): who holds it
 * meanwhile (the lead), or a field error when the organisation has no inbox.
 */
export async function inboxHolder(tx: Tx, authorityId: string, serviceId: string) {
  const service = await repo.findExternalService(tx, authorityId, serviceId);
  const lead = service?.external ? await repo.inboxOwner(tx, serviceId) : undefined;
  if (!service || !lead)
    throw new ValidationError({
      inbox_service_id: 'Choose an organisation from the list of organisations with a team inbox',
    });
  return { id: lead.id, service: { id: service.id, name: service.name } };
}

/** After the request is written: the inbox row, and every other member told in Handover (the lead gets the email). */
export async function fileInInbox(
  tx: Tx,
  d: { baseUrl: string },
  r: { id: string; authorityId: string; serviceId: string; leadId: string; reference: string; due: string },
) {
  await tx
    .insertInto('advice_inbox_requests')
    .values({ request_id: r.id, authority_id: r.authorityId, service_id: r.serviceId })
    .execute();
  for (const m of await repo.membersOf(tx, r.authorityId, r.serviceId))
    if (m.id !== r.leadId)
      await notifyUser(tx, {
        authorityId: r.authorityId,
        userId: m.id,
        message: `Your organisation’s inbox has a new request for advice, due ${r.due}`,
        link: '/organisation/inbox',
        reference: r.reference,
        baseUrl: d.baseUrl,
        email: false,
      });
}

/** The inbox of the user's organisation, or null when they are not a member of an outside organisation. */
export async function inbox(d: InboxDeps, user: AuthUser) {
  const org = await repo.organisationOf(d.db, user);
  if (!org) return null;
  const today = d.today();
  const items = (await repo.inboxOf(d.db, user.authorityId, org.id)).map((r) => ({
    id: r.id,
    reference: adviceRef(r.case_number, r.id),
    kind: r.kind,
    kindLabel: ADVICE_KINDS[r.kind] ?? r.kind,
    status: r.status,
    due_date: r.due_date,
    requested_date: r.requested_date,
    overdue: r.status === 'requested' && today > r.due_date,
    taken_by: r.taken_by,
    taken_by_name: r.taken_by_name,
    taken_at: r.taken_at,
  }));
  return { organisation: org, items };
}

/** "Take this request": the member becomes its giver and responsible person. */
export async function take(d: InboxDeps, user: AuthUser, access: AdviceAccess) {
  return d.db.transaction().execute(async (tx) => {
    const r = await repo.lockInboxRequest(tx, access.requestId);
    if (!r || r.status === 'cancelled' || r.authority_id !== user.authorityId)
      throw new ValidationError({ request: 'This request is not in an organisation’s inbox: nothing to take' });
    const member = await repo.findMember(tx, user.authorityId, r.service_id, user.id);
    if (!member) throw new NotFound('No record with that reference.');
    if (r.taken_by === user.id) throw new ValidationError({ request: 'You have already taken this request' });
    if (r.taken_by) {
      const holder = await repo.findMember(tx, user.authorityId, r.service_id, r.taken_by);
      throw new ValidationError({
        request: `${holder?.display_name ?? 'Someone else'} has already taken this request: ask them, or your organisation’s lead`,
      });
    }
    await repo.setHolder(tx, r.request_id, user.id, user.id, d.now());
    await recordChange(tx, {
      actor: user,
      personId: r.person_id,
      kind: 'ehcp',
      title: `Advice request taken from the organisation’s inbox by ${user.displayName}`,
      detail: null,
      audit: {
        action: 'take',
        entity: 'ehcp_advice_request',
        entityId: r.request_id,
        detail: { from: r.responsible_user_id, to: user.id, service_id: r.service_id },
      },
    });
  });
}

/** "Put back in the inbox" (someone away, or taken by mistake): by who took it, or a lead of the organisation. */
export async function giveBack(d: InboxDeps, user: AuthUser, access: AdviceAccess) {
  return d.db.transaction().execute(async (tx) => {
    const r = await repo.lockInboxRequest(tx, access.requestId);
    if (!r || r.status === 'cancelled' || r.authority_id !== user.authorityId)
      throw new ValidationError({ request: 'This request is not in an organisation’s inbox: nothing to put back' });
    if (!(await repo.findMember(tx, user.authorityId, r.service_id, user.id)))
      throw new NotFound('No record with that reference.');
    if (!r.taken_by) throw new ValidationError({ request: 'This request is already in the inbox' });
    if (r.taken_by !== user.id && !(await repo.isLead(tx, r.service_id, user.id)))
      throw new Forbidden('Only the person who took this request, or a lead of your organisation, can put it back.');
    await rehome(tx, user, r, r.taken_by, `Put back in the inbox by ${user.displayName}`, null);
  });
}

/**
 * A deactivated account holds no inbox request (called in the deactivation's transaction): each one it took, or held
 * as lead, goes back to the inbox with another active lead; with none, the coordinator answers for it until a lead is
 * set (a deactivated lead stops being a lead). Returns how many moved.
 */
export async function releaseHeldBy(tx: Tx, actor: { id: string; authorityId: string }, userId: string) {
  const held = await repo.inboxRequestsHeldBy(tx, userId, 'both');
  await tx.deleteFrom('organisation_leads').where('user_id', '=', userId).execute();
  for (const r of held) await rehome(tx, actor, r, userId, 'The person who held it can no longer sign in');
  return held.length;
}

/** Hands a request back to the inbox: held by another active lead, or (with none) the coordinator. */
export async function rehome(
  tx: Tx,
  actor: { id: string; authorityId: string },
  r: { request_id: string; service_id: string; person_id: string; assessment_id: string },
  from: string,
  why: string,
  /** A lead who cannot hold it (the one leaving); null when any active lead may. */
  except: string | null = from,
) {
  const lead = await repo.inboxOwner(tx, r.service_id, except);
  const coordinator = lead ? null : await repo.coordinatorOf(tx, r.assessment_id);
  if (lead) await repo.setHolder(tx, r.request_id, lead.id, null, new Date());
  else if (coordinator) await repo.setResponsibleOnly(tx, r.request_id, coordinator);
  await recordChange(tx, {
    actor,
    personId: r.person_id,
    kind: 'ehcp',
    title: lead
      ? `Advice request back in the organisation’s inbox, held by ${lead.display_name} (lead)`
      : 'Advice request back in the organisation’s inbox: it has no lead, so the coordinator is responsible',
    detail: why,
    audit: {
      action: 'return-to-inbox',
      entity: 'ehcp_advice_request',
      entityId: r.request_id,
      detail: { from, to: lead?.id ?? coordinator, service_id: r.service_id },
    },
  });
}
