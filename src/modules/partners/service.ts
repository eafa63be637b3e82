// Partner organisations (issue 17 part 5): what the app calls. Members and leads: members.ts; the team inbox: inbox.ts.
import type { Db } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import type { AdviceAccess, AuthUser } from '../../http/types.ts';
import type { AlertSettings } from '../organisations/grants.ts';
import * as inbox from './inbox.ts';
import * as members from './members.ts';
import type { LeadInput, MemberInviteInput } from './schemas.ts';

export class PartnersService {
  private readonly d: members.MembersDeps & inbox.InboxDeps;

  constructor(db: Db, config: AlertSettings, now: () => Date) {
    this.d = { db, now, today: () => londonToday(now()), alerts: config, config };
  }

  today(): string {
    return this.d.today();
  }

  members(user: AuthUser) {
    return members.members(this.d, user);
  }
  inviteMember(user: AuthUser, x: MemberInviteInput) {
    return members.inviteMember(this.d, user, x);
  }
  deactivateMember(user: AuthUser, memberId: string) {
    return members.deactivateMember(this.d, user, memberId);
  }
  makeLead(user: AuthUser, memberId: string) {
    return members.makeLead(this.d, user, memberId);
  }
  leadsPage(user: AuthUser, serviceId: string) {
    return members.leadsPage(this.d, user, serviceId);
  }
  addLead(user: AuthUser, serviceId: string, x: LeadInput) {
    return members.addLead(this.d, user, serviceId, x);
  }
  removeLead(user: AuthUser, serviceId: string, leadId: string) {
    return members.removeLead(this.d, user, serviceId, leadId);
  }
  inbox(user: AuthUser) {
    return inbox.inbox(this.d, user);
  }
  take(user: AuthUser, access: AdviceAccess) {
    return inbox.take(this.d, user, access);
  }
  giveBack(user: AuthUser, access: AdviceAccess) {
    return inbox.giveBack(this.d, user, access);
  }
}
