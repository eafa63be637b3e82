// EHC needs assessments on statutory clocks (SEND Regulations 2014 regs 5-13), with Cumbria's advice-query
// protocol (shared/seeds/003): advice requests to advice givers in and outside the council, follow-ups, the draft
// accuracy check, delay notices to parents and the weekly report. The rules and transactions live in the files
// named below, one idea each; SQL in repository.ts. This class is the module's face to routes, jobs and tests.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Body } from '../../http/forms.ts';
import type { AdviceAccess, AuthUser, PersonAccess } from '../../http/types.ts';
import type { ProtocolService } from '../protocols/service.ts';
import * as advice from './advice.ts';
import * as assessments from './assessments.ts';
import { type EhcpDeps, todayOf } from './context.ts';
import * as draft from './draft.ts';
import { driveEhcp } from './flows.ts';
import * as followUps from './follow-ups.ts';
import * as giver from './giver.ts';
import * as invites from './invites.ts';
import { buildWeeklyReport, type WeeklyReport } from './report.ts';

export class EhcpService {
  private readonly d: EhcpDeps;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService) {
    // The module's workflows are built-in protocols it drives; their hooks read `this.d` when they run.
    this.d = { db, config, now, flows: driveEhcp(protocols, () => this.d) };
  }

  today(): string {
    return todayOf(this.d);
  }

  // ---- assessments (assessments.ts) -------------------------------------------------------------------

  /** For the record page, which logs its own read. */
  forPerson(personId: string) {
    return assessments.forPerson(this.d, personId);
  }

  personAssessments(user: AuthUser, access: PersonAccess) {
    return assessments.personAssessments(this.d, user, access);
  }

  listForPerson(user: AuthUser, access: PersonAccess) {
    return assessments.listForPerson(this.d, user, access);
  }

  mine(user: AuthUser) {
    return assessments.mine(this.d, user);
  }

  create(user: AuthUser, personId: string, body: Body) {
    return assessments.create(this.d, user, personId, body);
  }

  assessment(user: AuthUser, access: PersonAccess, assessmentId: string, channel: 'page' | 'api' = 'page') {
    return assessments.assessment(this.d, user, access, assessmentId, channel);
  }

  decideToAssess(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    return assessments.decideToAssess(this.d, user, personId, assessmentId, body);
  }

  recordException(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    return assessments.recordException(this.d, user, personId, assessmentId, body);
  }

  issueFinal(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    return assessments.issueFinal(this.d, user, personId, assessmentId, body);
  }

  decideNotToIssue(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    return assessments.decideNotToIssue(this.d, user, personId, assessmentId, body);
  }

  // ---- advice requests and givers (advice.ts, invites.ts) ---------------------------------------------

  adviceGiverOptions(user: AuthUser) {
    return advice.adviceGiverOptions(this.d, user);
  }

  externalServices(user: AuthUser) {
    return advice.externalServices(this.d, user);
  }

  requestAdvice(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    return advice.requestAdvice(this.d, user, personId, assessmentId, body);
  }

  adviceForCoordinator(user: AuthUser, access: PersonAccess, assessmentId: string, requestId: string) {
    return advice.adviceForCoordinator(this.d, user, access, assessmentId, requestId);
  }

  myRequests(user: AuthUser) {
    return giver.myRequests(this.d, user);
  }

  requestForGiver(user: AuthUser, access: AdviceAccess, channel: 'page' | 'api' = 'page') {
    return giver.requestForGiver(this.d, user, access, channel);
  }

  submitAdvice(user: AuthUser, access: AdviceAccess, body: Body) {
    return advice.submitAdvice(this.d, user, access, body);
  }

  submitDraftFeedback(user: AuthUser, access: AdviceAccess, body: Body) {
    return advice.submitDraftFeedback(this.d, user, access, body);
  }

  inviteUsable(token: string) {
    return invites.inviteUsable(this.d, token);
  }

  acceptInvite(token: string, email: string, passwordHash: string) {
    return invites.acceptInvite(this.d, token, email, passwordHash);
  }

  // ---- Cumbria follow-ups (follow-ups.ts) -------------------------------------------------------------

  markUnclear(user: AuthUser, personId: string, assessmentId: string, requestId: string, body: Body) {
    return followUps.markUnclear(this.d, user, personId, assessmentId, requestId, body);
  }

  // ---- the draft, its accuracy check, delay notices (draft.ts) ----------------------------------------

  serveDraft(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    return draft.serveDraft(this.d, user, personId, assessmentId, body);
  }

  sendDelayNotice(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    return draft.sendDelayNotice(this.d, user, personId, assessmentId, body);
  }

  // ---- report (report.ts) -----------------------------------------------------------------------------

  weeklyReport(user: AuthUser): Promise<WeeklyReport> {
    return buildWeeklyReport(this.d.db, user.authorityId, this.today());
  }
}
