// Person-led plans with owned actions, referrals with chase-and-escalate, and the panels of the Devon 16-17
// transitions protocol (16-17 forum, Transitions Governance Group, SEND board). Rules and transactions are in the
// files this class delegates to (see context.ts); SQL in repository.ts; the protocol itself runs on the engine
// (modules/protocols) as devon-transitions-16-17.
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { devonTransitions } from '../../protocols/devon-transitions-16-17.ts';
import { planActionChase } from '../../protocols/plan-action-chase.ts';
import type { ReferralResponse } from '../../protocols/referral-chase.ts';
import { referralChase } from '../../protocols/referral-chase.ts';
import { moduleContext } from '../kit/context.ts';
import type { Actor } from '../protocols/runtime.ts';
import type { ProtocolService } from '../protocols/service.ts';
import * as actions from './actions.ts';
import * as audience from './audience.ts';
import type { Ctx } from './context.ts';
import * as escalation from './escalation.ts';
import * as meetings from './meetings.ts';
import * as panels from './panels.ts';
import * as plans from './plans.ts';
import * as referrals from './referrals.ts';
import * as register from './register.ts';
import type {
  ActionInput,
  ActionUpdateInput,
  AudienceSummaryInput,
  DecisionInput,
  EscalationInput,
  ForumReferralInput,
  GoalInput,
  MeetingInput,
  MemberInput,
  MinutesInput,
  PlanInput,
  ReferralInput,
  ResponseInput,
  ReviewInput,
} from './schemas.ts';

export { REFERRAL_RESPONSE_WORKING_DAYS } from '../../protocols/referral-chase.ts';
export { PROVISION_WARNING_DAYS } from './plans.ts';

export class TransitionsService {
  private readonly ctx: Ctx;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService) {
    // The workflows are protocol definitions; this module supplies their side effects (hooks, in the engine's
    // transaction) and moves them on with its own changes.
    const flows = {
      devon: protocols.drive(devonTransitions, {
        where: 'the plan page moves some steps on (referrals, the forum referral form)',
        pages: true,
        hooks: { entered: (e) => escalation.stepEntered(this.ctx, e) },
      }),
      referral: protocols.drive(referralChase, {
        where: 'record the response on the person-led plan, under Referrals',
      }),
      action: protocols.drive(planActionChase, {
        where: 'change the action on the person-led plan, under Actions',
      }),
    };
    this.ctx = { ...moduleContext({ db, config, now, protocols }), flows };
  }

  today(): string {
    return this.ctx.today();
  }

  /** The referral chase and the plan-action chase, for reading where an instance is (tests, other modules). */
  get referralFlow() {
    return this.ctx.flows.referral;
  }
  get actionFlow() {
    return this.ctx.flows.action;
  }

  // ---- plans ----------------------------------------------------------------------------------------

  plan(user: AuthUser, access: PersonAccess, channel: plans.Channel) {
    return plans.plan(this.ctx, user, access, channel);
  }
  savePlan(user: AuthUser, personId: string, input: PlanInput): Promise<void> {
    return plans.savePlan(this.ctx, user, personId, input);
  }
  addGoal(user: AuthUser, personId: string, input: GoalInput): Promise<string> {
    return plans.addGoal(this.ctx, user, personId, input);
  }
  addAction(user: AuthUser, personId: string, input: ActionInput): Promise<string> {
    return actions.addAction(this.ctx, user, personId, input);
  }
  /** Adds an owned action (chased like any other) inside another module's transaction (a SEND hub's Navigator). */
  insertAction(tx: Tx, user: AuthUser, personId: string, input: ActionInput, source: string): Promise<string> {
    return actions.insertAction(this.ctx, tx, user, personId, input, source);
  }
  updateAction(user: AuthUser, personId: string, actionId: string, input: ActionUpdateInput): Promise<void> {
    return actions.updateAction(this.ctx, user, personId, actionId, input);
  }
  /** Bulk reallocation: passes a locked, open action to `to` in the caller's transaction (actions.reownAction). */
  reownAction(tx: Tx, user: AuthUser, actionId: string, to: { id: string; name: string }, why: string) {
    return actions.reownAction(this.ctx, tx, user, actionId, to, why);
  }
  addReview(user: AuthUser, personId: string, input: ReviewInput): Promise<string> {
    return plans.addReview(this.ctx, user, personId, input);
  }
  options(user: AuthUser, o: { service?: string; q?: string; current?: string | null } = {}) {
    return plans.options(this.ctx, user, o);
  }

  // ---- the Devon protocol ---------------------------------------------------------------------------

  escalateAction(user: AuthUser, personId: string, actionId: string, input: EscalationInput): Promise<string> {
    return escalation.escalateAction(this.ctx, user, personId, actionId, input);
  }

  // ---- referrals ------------------------------------------------------------------------------------

  refer(user: AuthUser, personId: string, input: ReferralInput): Promise<string> {
    return referrals.refer(this.ctx, user, personId, input);
  }
  respond(user: AuthUser, personId: string, referralId: string, input: ResponseInput): Promise<void> {
    return referrals.respond(this.ctx, user, personId, referralId, input);
  }
  /** How long a referral has for its response when the referrer sets no date (the referral chase in force). */
  referralResponseTime(): string {
    return referrals.responseTime(this.ctx);
  }
  /** Demo data: a referral with its chase, already answered with `response` if given. */
  async seedReferral(
    tx: Tx,
    actor: Actor,
    personId: string,
    input: Parameters<typeof referrals.insertReferral>[4],
    response: ReferralResponse | null,
    declineReason: string | null,
  ): Promise<void> {
    const { id, instanceId } = await referrals.insertReferral(this.ctx, tx, actor, personId, input);
    if (!response) return;
    await this.ctx.flows.referral.advance(tx, instanceId, response, actor.id);
    await tx
      .updateTable('referrals')
      .set({ decline_reason: declineReason, responded_at: this.ctx.now() })
      .where('id', '=', id)
      .execute();
  }

  // ---- panels, meetings and agendas -----------------------------------------------------------------

  ensurePanels(tx: Tx | Db, authorityId: string) {
    return panels.ensurePanels(tx, authorityId);
  }
  setUpPanels(user: AuthUser): Promise<void> {
    return panels.setUpPanels(this.ctx, user);
  }
  panels(user: AuthUser) {
    return panels.panels(this.ctx, user);
  }
  panel(user: AuthUser, panelId: string) {
    return panels.panel(this.ctx, user, panelId);
  }
  addMember(user: AuthUser, panelId: string, input: MemberInput) {
    return panels.addMember(this.ctx, user, panelId, input);
  }
  referToForum(user: AuthUser, personId: string, input: ForumReferralInput): Promise<string> {
    return meetings.referToForum(this.ctx, user, personId, input);
  }
  createMeeting(user: AuthUser, panelId: string, input: MeetingInput): Promise<string> {
    return meetings.createMeeting(this.ctx, user, panelId, input);
  }
  meeting(user: AuthUser, meetingId: string) {
    return meetings.meeting(this.ctx, user, meetingId);
  }
  recordDecision(user: AuthUser, meetingId: string, itemId: string, input: DecisionInput): Promise<void> {
    return meetings.recordDecision(this.ctx, user, meetingId, itemId, input);
  }
  saveMinutes(user: AuthUser, meetingId: string, input: MinutesInput): Promise<void> {
    return meetings.saveMinutes(this.ctx, user, meetingId, input);
  }

  // ---- summaries written for a pseudonymised panel ---------------------------------------------------

  audienceSummary(user: AuthUser, personId: string, kind: audience.Audience) {
    return audience.audienceSummary(this.ctx, user, personId, kind);
  }
  saveAudienceSummary(user: AuthUser, personId: string, kind: audience.Audience, input: AudienceSummaryInput) {
    return audience.saveAudienceSummary(this.ctx, user, personId, kind, input);
  }
  audienceFindings(user: AuthUser, draft: string) {
    return audience.findingsFor(this.ctx, user, draft);
  }

  // ---- the register ---------------------------------------------------------------------------------

  register(user: AuthUser) {
    return register.register(this.ctx, user);
  }
}
