// An outside organisation's members, managed by its own lead (issue 17 part 5): the list, inviting a member (an
// advice giver's account in the organisation, invited by email the way the council invites accounts), deactivating
// one (through the organisations module's applyUserChange: sessions and tokens end at once, audited and alerted)
// and making one a lead. A lead reaches only their own organisation's accounts (anyone else: not found) and never
// grants more than advice_giver. The council's administrator chooses the leads (leadsPage, addLead, removeLead).
import type { Db, Tx } from '../../db/database.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy } from '../audit/repository.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import { applyUserChange } from '../organisations/accounts.ts';
import type { AlertSettings } from '../organisations/grants.ts';
import { createInvitedAccount } from '../organisations/invites.ts';
import * as orgRepo from '../organisations/repository.ts';
import { rehome } from './inbox.ts';
import * as repo from './repository.ts';
import type { LeadInput, MemberInviteInput } from './schemas.ts';

/** How long a member's set-password link works: as long as the council's own invitations (ehcp/invites.ts). */
export const MEMBER_INVITE_HOURS = 72;

export interface MembersDeps {
  db: Db;
  now(): Date;
  alerts: AlertSettings;
}

const NOT_A_LEAD = 'Only a lead of an outside organisation can manage its members. Ask your organisation’s lead.';
const NOT_MEMBER = 'No member of your organisation with that reference.';

/** The organisation the user leads; 403 when they lead none. */
export async function ledOrganisation(db: Db | Tx, user: AuthUser) {
  const org = await repo.organisationOf(db, user);
  if (!org?.isLead) throw new Forbidden(NOT_A_LEAD);
  return org;
}

export async function members(d: MembersDeps, user: AuthUser) {
  const org = await ledOrganisation(d.db, user);
  const rows = await repo.membersOf(d.db, user.authorityId, org.id);
  return {
    organisation: org,
    members: rows.map((m) => ({
      id: m.id,
      display_name: m.display_name,
      email: m.email,
      job_title: m.job_title,
      is_lead: m.lead_user_id !== null,
      // Accounts with more than advice_giver are the council's to change, not the lead's.
      manageable: m.id !== user.id && m.roles.every((r) => r === 'advice_giver'),
    })),
  };
}

export async function inviteMember(d: MembersDeps, user: AuthUser, x: MemberInviteInput): Promise<string> {
  return d.db.transaction().execute(async (tx) => {
    const org = await ledOrganisation(tx, user);
    if (await repo.findUserByEmail(tx, x.email))
      throw new ValidationError({
        email: 'That email address already has a Handover account: ask the council to move it to your organisation',
      });
    const created = await createInvitedAccount(
      tx,
      {
        authorityId: user.authorityId,
        email: x.email,
        displayName: x.display_name,
        jobTitle: x.job_title,
        roles: ['advice_giver'],
        serviceId: org.id,
        createdBy: user.id,
        hours: MEMBER_INVITE_HOURS,
      },
      d.now(),
    );
    const token = created.token;
    await enqueueEmail(tx, {
      authorityId: user.authorityId,
      reference: `invite-${created.id.slice(0, 8)}`,
      to: [x.email],
      subject: `Your Handover account with ${org.name}`,
      body: `Hello ${x.display_name},\n\n${user.displayName} has given you an account on Handover with ${org.name}, to answer requests for advice sent to your organisation.\n\nSet your password to sign in (this link works once, only for this email address, and expires in ${MEMBER_INVITE_HOURS} hours):\n${d.alerts.baseUrl}/invite/${token}\n\nThis email does not contain personal details. Do not reply to it.`,
      at: d.now(),
    });
    await auditBy(tx, user, {
      action: 'invite',
      entity: 'user',
      entityId: created.id,
      detail: { roles: ['advice_giver'], service_id: org.id, by: 'organisation-lead' },
    });
    return created.id;
  });
}

/** A member the lead may change: in their organisation (else not found), an advice giver only, not themselves. */
async function manageableMember(tx: Tx, user: AuthUser, serviceId: string, memberId: string) {
  const m = await repo.findMember(tx, user.authorityId, serviceId, memberId, true);
  if (!m) throw new NotFound(NOT_MEMBER);
  if (m.id === user.id) throw new Forbidden('You cannot change your own account here: ask another lead or the council');
  if (!m.roles.every((r) => r === 'advice_giver'))
    throw new Forbidden('This account has roles in the council too: only the council’s administrator can change it');
  return m;
}

/** Deactivates a member: they cannot sign in, their sessions and tokens end, what they held goes back to the inbox. */
export async function deactivateMember(d: MembersDeps, user: AuthUser, memberId: string) {
  return d.db.transaction().execute(async (tx) => {
    const org = await ledOrganisation(tx, user);
    const m = await manageableMember(tx, user, org.id, memberId);
    const before = await orgRepo.findUser(tx, user.authorityId, m.id, { lock: true });
    if (!before) throw new NotFound(NOT_MEMBER);
    const teamIds = (await orgRepo.membershipsOf(tx, user.authorityId, [m.id])).map((t) => t.id);
    // applyUserChange returns what they held to the inbox (partners/inbox.ts releaseHeldBy), like any deactivation.
    await applyUserChange(tx, { alerts: d.alerts, at: d.now() }, user, before, teamIds, { active: false });
    return m.display_name;
  });
}

export async function makeLead(d: MembersDeps, user: AuthUser, memberId: string) {
  return d.db.transaction().execute(async (tx) => {
    const org = await ledOrganisation(tx, user);
    const m = await manageableMember(tx, user, org.id, memberId);
    if (await repo.isLead(tx, org.id, m.id))
      throw new ValidationError({ user_id: `${m.display_name} is already a lead` });
    await repo.insertLead(tx, {
      authority_id: user.authorityId,
      service_id: org.id,
      user_id: m.id,
      created_by: user.id,
    });
    await auditBy(tx, user, { action: 'add-lead', entity: 'service', entityId: org.id, detail: { user_id: m.id } });
    return m.display_name;
  });
}

// ---- the council's administrator: who leads an outside organisation

async function externalService(db: Db | Tx, user: AuthUser, serviceId: string) {
  const s = await repo.findExternalService(db, user.authorityId, serviceId);
  if (!s) throw new NotFound('No service with that reference.');
  return s;
}

export async function leadsPage(d: MembersDeps, user: AuthUser, serviceId: string) {
  const service = await externalService(d.db, user, serviceId);
  const rows = service.external ? await repo.membersOf(d.db, user.authorityId, serviceId) : [];
  const accounts = rows.map((m) => ({
    id: m.id,
    display_name: m.display_name,
    job_title: m.job_title,
    is_lead: m.lead_user_id !== null,
  }));
  return { service, accounts, leads: accounts.filter((a) => a.is_lead) };
}

export async function addLead(d: MembersDeps, user: AuthUser, serviceId: string, x: LeadInput) {
  return d.db.transaction().execute(async (tx) => {
    const s = await externalService(tx, user, serviceId);
    if (!s.external)
      throw new ValidationError({
        user_id: 'Only an outside organisation has leads: this is one of the council’s services',
      });
    const m = await repo.findMember(tx, user.authorityId, serviceId, x.user_id);
    if (!m) throw new ValidationError({ user_id: 'Choose the person from the list of the organisation’s accounts' });
    if (await repo.isLead(tx, serviceId, m.id))
      throw new ValidationError({ user_id: `${m.display_name} is already a lead` });
    await repo.insertLead(tx, {
      authority_id: user.authorityId,
      service_id: serviceId,
      user_id: m.id,
      created_by: user.id,
    });
    await auditBy(tx, user, { action: 'add-lead', entity: 'service', entityId: serviceId, detail: { user_id: m.id } });
    return m.display_name;
  });
}

/** Takes a lead off; the untaken requests they held pass to another lead (refused if they are the only one). */
export async function removeLead(d: MembersDeps, user: AuthUser, serviceId: string, leadId: string) {
  return d.db.transaction().execute(async (tx) => {
    await externalService(tx, user, serviceId);
    if (!(await repo.isLead(tx, serviceId, leadId)))
      throw new NotFound('That person is not a lead of this organisation.');
    const held = (await repo.inboxRequestsHeldBy(tx, leadId, 'untaken')).filter((r) => r.service_id === serviceId);
    if (held.length && !(await repo.inboxOwner(tx, serviceId, leadId)))
      throw new ValidationError({
        user_id: `This is the organisation’s only lead and its inbox holds ${held.length} request${held.length === 1 ? '' : 's'}: make someone else a lead first`,
      });
    await repo.deleteLead(tx, serviceId, leadId);
    for (const r of held) await rehome(tx, user, r, leadId, 'Their lead changed');
    await auditBy(tx, user, {
      action: 'remove-lead',
      entity: 'service',
      entityId: serviceId,
      detail: { user_id: leadId },
    });
  });
}
