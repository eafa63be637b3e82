// Person-led plans with owned actions, referrals with chase-and-escalate, and the panels of the Devon 16-17
// transitions protocol (16-17 forum, Transitions Governance Group, SEND board). Rules and transactions here;
// SQL in repository.ts; the protocol itself runs on the engine (modules/protocols) as devon-transitions-16-17.
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import { addWorkingDays, londonToday } from '../../domain/calendar.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { type Body, text, ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { DEVON_TRANSITIONS_ID, PANEL_STAGES } from '../../protocols/devon-transitions-16-17.ts';
import { insertAccess, insertAudit } from '../audit/repository.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { findPerson, insertEvent } from '../people/repository.ts';
import type { ProtocolService, StepEntered } from '../protocols/service.ts';
import { cancelDeadlines, endOfLondonDay, scheduleDeadlines } from '../timers/repository.ts';
import { daysUntil18, eighteenthBirthday, type Identity, pseudonym, pseudonymisedSummary } from './redact.ts';
import * as repo from './repository.ts';
import {
  OUTCOMES,
  type OutcomeKey,
  type ReferralStatus,
  readActionInput,
  readDecisionInput,
  readForumReferral,
  readGoalInput,
  readMeetingInput,
  readMemberInput,
  readPlanInput,
  readReferralInput,
  readReviewInput,
} from './validation.ts';

export const REFERRAL_SUBJECT = 'referral';
export const ACTION_SUBJECT = 'plan_action';
/** A referral's response is due this many working days after it is sent, unless the referrer sets a date. */
export const REFERRAL_RESPONSE_WORKING_DAYS = 10;
/** Provision not in place this close to 18 is flagged (Devon protocol outcome: "provision in place by 18"). */
export const PROVISION_WARNING_DAYS = 183;

const PANEL_NAMES = {
  forum: '16-17 Transitions Forum',
  governance: 'Transitions Governance Group',
  send_board: 'SEND Board',
} as const;
type PanelKind = keyof typeof PANEL_NAMES;

const OPEN_ACTION = ['not_started', 'in_progress'] as const;
const TERMINAL_REFERRAL: ReferralStatus[] = ['declined', 'successful', 'withdrawn'];
const NEXT_STATUSES: Record<ReferralStatus, ReferralStatus[]> = {
  sent: ['accepted', 'declined', 'successful', 'withdrawn'],
  accepted: ['declined', 'successful', 'withdrawn'],
  declined: [],
  successful: [],
  withdrawn: [],
};

type Channel = 'page' | 'api';

export class TransitionsService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => Date,
    private readonly protocols: ProtocolService,
  ) {}

  today(): string {
    return londonToday(this.now());
  }

  // ---- plans ----------------------------------------------------------------------------------------

  /** The plan page: the plan, its actions with flags, reviews, referrals, panel items; one logged read (S6). */
  async plan(user: AuthUser, access: PersonAccess, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const person = await findPerson(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      await insertAccess(tx, {
        authorityId: user.authorityId,
        personId: person.id,
        userId: user.id,
        channel,
        purpose: access.breakGlassId ? 'break-glass' : 'plan',
        breakGlassId: access.breakGlassId,
      });
      const today = this.today();
      const plan = (await repo.planOf(tx, person.id)) ?? null;
      const [goals, actionRows, reviews, referrals, items] = plan
        ? await Promise.all([
            repo.goalsOf(tx, plan.id),
            repo.actionsOf(tx, plan.id),
            repo.reviewsOf(tx, plan.id),
            repo.referralsOf(tx, person.id),
            repo.panelItemsOfPerson(tx, person.id),
          ])
        : [[], [], [], await repo.referralsOf(tx, person.id), await repo.panelItemsOfPerson(tx, person.id)];
      const decisions = await repo.decisionsOfItems(
        tx,
        items.map((i) => i.id),
      );
      const stallDays = plan?.stall_days ?? 28;
      const stallBefore = new Date(this.now().getTime() - stallDays * 86_400_000);
      const actions = actionRows.map((a) => {
        const open = (OPEN_ACTION as readonly string[]).includes(a.status);
        return {
          ...a,
          ownerLabel: a.owner_name
            ? `${a.owner_name}${a.owner_service_name ? ` (${a.owner_service_name})` : ''}`
            : a.owner_service_name
              ? `${a.owner_service_name} (nobody named yet)`
              : null,
          open,
          unowned: open && !a.owner_user_id && !a.owner_service_id,
          overdue: open && a.due_date !== null && a.due_date < today,
          stalled: open && a.updated_at < stallBefore,
        };
      });
      // On the transaction's own connection: a second pool connection per request could exhaust the pool.
      const instances = await tx
        .selectFrom('protocol_instances')
        .where('person_id', '=', person.id)
        .where('protocol_id', '=', DEVON_TRANSITIONS_ID)
        .orderBy('started_at', 'desc')
        .select(['id', 'status', 'result', 'started_at'])
        .execute();
      const currentSteps = await this.currentSteps(
        tx,
        instances.filter((i) => i.status === 'open').map((i) => i.id),
      );
      const daysTo18 = daysUntil18(person.date_of_birth, today);
      return {
        person,
        age: ageOn(person.date_of_birth, today),
        eighteenth: eighteenthBirthday(person.date_of_birth),
        daysTo18,
        provisionWarning:
          Boolean(plan) && !plan?.provision_in_place && daysTo18 >= 0 && daysTo18 <= PROVISION_WARNING_DAYS,
        plan,
        outcomes: (Object.keys(OUTCOMES) as OutcomeKey[]).map((k) => ({
          key: k,
          label: OUTCOMES[k],
          met: Boolean(plan?.[k]),
        })),
        goals,
        actions,
        counts: {
          unowned: actions.filter((a) => a.unowned).length,
          overdue: actions.filter((a) => a.overdue).length,
          stalled: actions.filter((a) => a.stalled).length,
        },
        stallDays,
        reviews,
        referrals: referrals.map((r) => ({
          ...r,
          overdue: (r.status === 'sent' || r.status === 'accepted') && r.response_due < today,
        })),
        panelItems: items.map((i) => ({ ...i, decisions: decisions.filter((d) => d.item_id === i.id) })),
        escalations: instances.map((i) => ({ ...i, current: currentSteps.get(i.id) ?? null })),
        breakGlass: Boolean(access.breakGlassId),
      };
    });
  }

  private async currentSteps(tx: Tx, instanceIds: string[]) {
    const out = new Map<string, { step_key: string; title: string; owner_label: string; due_date: string | null }>();
    if (!instanceIds.length) return out;
    const def = await this.protocols.definition(DEVON_TRANSITIONS_ID, 1);
    const rows = await tx
      .selectFrom('protocol_steps')
      .where('instance_id', 'in', instanceIds)
      .where('status', '=', 'open')
      .select(['instance_id', 'step_key', 'owner_label', 'due_date'])
      .execute();
    for (const r of rows)
      out.set(r.instance_id, { ...r, title: def.steps.find((s) => s.id === r.step_key)?.title ?? r.step_key });
    return out;
  }

  /** Creates the plan, or updates it (version-checked, R3). */
  async savePlan(user: AuthUser, personId: string, body: Body): Promise<void> {
    const { input, errors } = readPlanInput(body);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const before = await tx
        .selectFrom('plans')
        .where('person_id', '=', personId)
        .selectAll()
        .forUpdate()
        .executeTakeFirst();
      if (!before) {
        const row = await tx
          .insertInto('plans')
          .values({ authority_id: user.authorityId, person_id: personId, ...input, created_by: user.id })
          .returning('id')
          .executeTakeFirstOrThrow();
        await this.record(tx, user, personId, 'create', 'plan', row.id, 'Person-led plan started', null, {
          fields: Object.keys(input),
        });
        return;
      }
      const version = Number(body.version);
      if (!Number.isInteger(version) || version < 1)
        throw new ValidationError({ version: 'version is required: send the version of the plan you read' });
      if (version !== before.version)
        throw new Conflict(
          'Someone else changed this plan while you were editing it. Reload it and make your changes again.',
        );
      await tx
        .updateTable('plans')
        .set({ ...input, version: before.version + 1, updated_at: this.now() })
        .where('id', '=', before.id)
        .execute();
      const newlyMet = (Object.keys(OUTCOMES) as OutcomeKey[]).filter((k) => input[k] && !before[k]);
      await this.record(
        tx,
        user,
        personId,
        'update',
        'plan',
        before.id,
        'Person-led plan updated',
        newlyMet.length ? `Outcomes met: ${newlyMet.map((k) => OUTCOMES[k]).join('; ')}` : null,
        { version: before.version + 1, outcomes_met: newlyMet },
      );
    });
  }

  private async requirePlan(tx: Tx, personId: string) {
    const plan = await repo.planOf(tx, personId);
    if (!plan) throw new ValidationError({ plan: 'Write the person-led plan first: what matters to the young person' });
    return plan;
  }

  async addGoal(user: AuthUser, personId: string, body: Body): Promise<string> {
    const { input, errors } = readGoalInput(body);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => {
      const plan = await this.requirePlan(tx, personId);
      const row = await tx
        .insertInto('plan_goals')
        .values({ authority_id: user.authorityId, plan_id: plan.id, person_id: personId, ...input })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.record(tx, user, personId, 'create', 'plan_goal', row.id, 'Goal added to the plan', null, {});
      return row.id;
    });
  }

  /** Checks an owner (a member of staff, or a service) belongs to the user's council; returns its label. */
  private async checkOwner(
    tx: Tx,
    authorityId: string,
    ownerUserId: string | null,
    ownerServiceId: string | null,
    fields = { user: 'owner_user_id', service: 'owner_service_id' },
  ): Promise<string | null> {
    let label: string | null = null;
    if (ownerServiceId) {
      const s = await tx
        .selectFrom('services')
        .where('id', '=', ownerServiceId)
        .where('authority_id', '=', authorityId)
        .select('name')
        .executeTakeFirst();
      if (!s) throw new ValidationError({ [fields.service]: 'Choose a service from the list' });
      label = `${s.name} (nobody named yet)`;
    }
    if (ownerUserId) {
      const u = await tx
        .selectFrom('users')
        .where('id', '=', ownerUserId)
        .where('authority_id', '=', authorityId)
        .where('active', '=', true)
        .select('display_name')
        .executeTakeFirst();
      if (!u) throw new ValidationError({ [fields.user]: 'Choose an active member of staff in your council' });
      label = u.display_name;
    }
    return label;
  }

  async addAction(user: AuthUser, personId: string, body: Body, source = 'plan'): Promise<string> {
    const { input, errors } = readActionInput(body);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => this.insertAction(tx, user, personId, input, source));
  }

  private async insertAction(
    tx: Tx,
    user: AuthUser,
    personId: string,
    input: ReturnType<typeof readActionInput>['input'],
    source: string,
  ): Promise<string> {
    const plan = await this.requirePlan(tx, personId);
    if (input.goal_id) {
      const g = await tx
        .selectFrom('plan_goals')
        .where('id', '=', input.goal_id)
        .where('plan_id', '=', plan.id)
        .select('id')
        .executeTakeFirst();
      if (!g) throw new ValidationError({ goal_id: 'Choose one of this plan’s goals' });
    }
    const label = await this.checkOwner(tx, user.authorityId, input.owner_user_id, input.owner_service_id);
    if (input.issue_service_id)
      await this.checkOwner(tx, user.authorityId, null, input.issue_service_id, {
        user: 'x',
        service: 'issue_service_id',
      });
    const row = await tx
      .insertInto('plan_actions')
      .values({
        authority_id: user.authorityId,
        plan_id: plan.id,
        person_id: personId,
        ...input,
        source,
        updated_at: this.now(),
      })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    await this.scheduleActionLadder(tx, user.authorityId, row.id, row.version, input.due_date, input.owner_user_id);
    await this.record(
      tx,
      user,
      personId,
      'create',
      'plan_action',
      row.id,
      label ? `Action added, owned by ${label}` : 'Action added with no owner yet',
      input.due_date ? `Due ${input.due_date}` : null,
      { source, owner_user_id: input.owner_user_id, owner_service_id: input.owner_service_id },
    );
    return row.id;
  }

  /**
   * The action's own chase ladder: remind its named owner when it passes its due date, then tell their line
   * manager 5 working days later. Rung numbers carry the action's version, so a changed date gets a new ladder.
   */
  private async scheduleActionLadder(
    tx: Tx,
    authorityId: string,
    actionId: string,
    version: number,
    due: string | null,
    ownerUserId: string | null,
  ) {
    await cancelDeadlines(tx, ACTION_SUBJECT, actionId, this.now());
    if (!due || !ownerUserId) return;
    await scheduleDeadlines(tx, [
      {
        authorityId,
        subjectType: ACTION_SUBJECT,
        subjectId: actionId,
        rung: version * 10,
        dueAt: endOfLondonDay(due),
        action: { step: 'remind' },
      },
      {
        authorityId,
        subjectType: ACTION_SUBJECT,
        subjectId: actionId,
        rung: version * 10 + 1,
        dueAt: endOfLondonDay(addWorkingDays(due, 5)),
        action: { step: 'line_manager' },
      },
    ]);
  }

  async updateAction(user: AuthUser, personId: string, actionId: string, body: Body): Promise<void> {
    const { input, errors } = readActionInput(body);
    const version = Number(body.version);
    if (!Number.isInteger(version) || version < 1) errors.version = 'version is required: send the version you read';
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const before = await tx
        .selectFrom('plan_actions')
        .where('id', '=', actionId)
        .where('person_id', '=', personId)
        .selectAll()
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw new NotFound('No action with that reference on this plan.');
      if (before.version !== version)
        throw new Conflict(
          'Someone else changed this action while you were editing it. Reload the plan and try again.',
        );
      const label = await this.checkOwner(tx, user.authorityId, input.owner_user_id, input.owner_service_id);
      if (input.issue_service_id)
        await this.checkOwner(tx, user.authorityId, null, input.issue_service_id, {
          user: 'x',
          service: 'issue_service_id',
        });
      await tx
        .updateTable('plan_actions')
        .set({ ...input, version: before.version + 1, updated_at: this.now() })
        .where('id', '=', before.id)
        .execute();
      const open = (OPEN_ACTION as readonly string[]).includes(input.status);
      await this.scheduleActionLadder(
        tx,
        user.authorityId,
        before.id,
        before.version + 1,
        open ? input.due_date : null,
        input.owner_user_id,
      );
      const changed = (
        ['description', 'owner_user_id', 'owner_service_id', 'due_date', 'status', 'evidence', 'issue_type'] as const
      ).filter((k) => before[k] !== input[k]);
      await this.record(
        tx,
        user,
        personId,
        'update',
        'plan_action',
        before.id,
        input.status !== before.status ? `Action ${input.status.replace('_', ' ')}` : 'Action updated',
        label ? `Owner: ${label}` : 'No owner yet',
        { changed, version: before.version + 1 },
      );
    });
  }

  async addReview(user: AuthUser, personId: string, body: Body): Promise<string> {
    const { input, errors } = readReviewInput(body, this.today());
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => {
      const plan = await this.requirePlan(tx, personId);
      const row = await tx
        .insertInto('plan_reviews')
        .values({
          authority_id: user.authorityId,
          plan_id: plan.id,
          person_id: personId,
          ...input,
          created_by: user.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.record(
        tx,
        user,
        personId,
        'create',
        'plan_review',
        row.id,
        'Plan reviewed with the young person, family and teams',
        input.issues_persist ? 'Issues persist' : null,
        { issues_persist: input.issues_persist },
      );
      return row.id;
    });
  }

  /**
   * Starts the Devon protocol from an action that has no owner (its step 2). Steps 1 and 2 are recorded at once:
   * the plan exists and this action has no owner, so the case goes straight to step 3.
   */
  async escalateAction(user: AuthUser, personId: string, actionId: string, body: Body): Promise<string> {
    const routesTried = text(body, 'routes_tried');
    if (!routesTried)
      throw new ValidationError({
        routes_tried:
          'Enter the usual escalation routes you have already tried: the protocol is for when they are exhausted',
      });
    const action = await this.db
      .selectFrom('plan_actions')
      .where('id', '=', actionId)
      .where('person_id', '=', personId)
      .select(['id', 'description', 'owner_user_id', 'owner_service_id', 'protocol_instance_id', 'status'])
      .executeTakeFirst();
    if (!action) throw new NotFound('No action with that reference on this plan.');
    if (action.owner_user_id || action.owner_service_id)
      throw new ValidationError({
        action_id: 'This action already has an owner: the protocol is for actions with none',
      });
    if (action.protocol_instance_id) {
      const running = await this.db
        .selectFrom('protocol_instances')
        .where('id', '=', action.protocol_instance_id)
        .where('status', '=', 'open')
        .select('id')
        .executeTakeFirst();
      if (running) throw new ValidationError({ action_id: 'The protocol is already running for this action' });
    }
    const instanceId = await this.protocols.start(user, personId, {
      protocol_id: DEVON_TRANSITIONS_ID,
      routes_tried: routesTried,
      involvement_id: text(body, 'involvement_id') || undefined,
    });
    await this.db
      .updateTable('plan_actions')
      .set((eb) => ({ protocol_instance_id: instanceId, version: eb('version', '+', 1), updated_at: this.now() }))
      .where('id', '=', actionId)
      .execute();
    for (const outcome of ['plan_written', 'unowned']) {
      const step = await this.openStep(instanceId);
      if (step) await this.protocols.decide(user, personId, instanceId, step.id, { outcome, version: step.version });
    }
    return instanceId;
  }

  private async openStep(instanceId: string) {
    return this.db
      .selectFrom('protocol_steps')
      .where('instance_id', '=', instanceId)
      .where('status', '=', 'open')
      .select(['id', 'step_key', 'version', 'person_id'])
      .executeTakeFirst();
  }

  /** Moves the person's running Devon protocol on from `stepKey`, if it is there and the user may decide it. */
  private async advanceIfAt(user: AuthUser, personId: string, stepKey: string, outcome: string, extra: Body = {}) {
    const step = await this.db
      .selectFrom('protocol_steps as s')
      .innerJoin('protocol_instances as i', 'i.id', 's.instance_id')
      .where('s.person_id', '=', personId)
      .where('s.status', '=', 'open')
      .where('s.step_key', '=', stepKey)
      .where('i.protocol_id', '=', DEVON_TRANSITIONS_ID)
      .select([
        's.id',
        's.instance_id',
        's.version',
        's.owner_user_id',
        's.owner_team_id',
        's.owner_role',
        's.owner_service_id',
      ])
      .executeTakeFirst();
    if (!step || !(await this.protocols.mayAct(user, step, 'decide'))) return false;
    await this.protocols.decide(user, personId, step.instance_id, step.id, {
      ...extra,
      outcome,
      version: step.version,
    });
    return true;
  }

  // ---- referrals ------------------------------------------------------------------------------------

  async refer(user: AuthUser, personId: string, body: Body): Promise<string> {
    const today = this.today();
    const { input, errors } = readReferralInput(body, today);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const due = input.response_due ?? addWorkingDays(today, REFERRAL_RESPONSE_WORKING_DAYS);
    const dueRule = input.response_due
      ? `set by the referrer on ${today}`
      : `${REFERRAL_RESPONSE_WORKING_DAYS} working days from the referral on ${today} (local standard)`;
    const id = await this.db.transaction().execute(async (tx) => {
      const label = await this.checkOwner(tx, user.authorityId, input.to_user_id, input.to_service_id, {
        user: 'to_user_id',
        service: 'to_service_id',
      });
      if (input.action_id) {
        const a = await tx
          .selectFrom('plan_actions')
          .where('id', '=', input.action_id)
          .where('person_id', '=', personId)
          .select('id')
          .executeTakeFirst();
        if (!a) throw new ValidationError({ action_id: 'Choose one of this plan’s actions' });
      }
      const person = await tx
        .selectFrom('people')
        .where('id', '=', personId)
        .select('case_number')
        .executeTakeFirstOrThrow();
      const row = await tx
        .insertInto('referrals')
        .values({
          authority_id: user.authorityId,
          person_id: personId,
          ...input,
          response_due: due,
          due_rule: dueRule,
          referred_by: user.id,
          sent_at: this.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Chase and escalate: remind the referrer when the response is overdue, then their line manager.
      await scheduleDeadlines(tx, [
        {
          authorityId: user.authorityId,
          subjectType: REFERRAL_SUBJECT,
          subjectId: row.id,
          rung: 0,
          dueAt: endOfLondonDay(due),
          action: { step: 'remind' },
        },
        {
          authorityId: user.authorityId,
          subjectType: REFERRAL_SUBJECT,
          subjectId: row.id,
          rung: 1,
          dueAt: endOfLondonDay(addWorkingDays(due, 3)),
          action: { step: 'escalate' },
        },
      ]);
      if (input.to_user_id)
        await notifyUser(tx, {
          authorityId: user.authorityId,
          userId: input.to_user_id,
          message: 'A referral has been sent to you',
          link: `/people/${personId}/plan#referrals`,
          reference: `${person.case_number}/referral`,
          baseUrl: this.config.baseUrl,
        });
      await this.record(
        tx,
        user,
        personId,
        'create',
        'referral',
        row.id,
        `Referral sent to ${label}`,
        `Response due ${due} (${dueRule})`,
        {
          to_user_id: input.to_user_id,
          to_service_id: input.to_service_id,
          basis: input.basis,
        },
      );
      return row.id;
    });
    await this.advanceIfAt(user, personId, 'make_referral', 'referred');
    return id;
  }

  /** Records the response to a referral; a successful one gives the linked action its owner. */
  async respond(user: AuthUser, personId: string, referralId: string, body: Body): Promise<void> {
    const status = text(body, 'status') as ReferralStatus;
    const version = Number(body.version);
    const errors: Record<string, string> = {};
    if (!['accepted', 'declined', 'successful', 'withdrawn'].includes(status))
      errors.status = 'Choose the response: accepted, declined, successful or withdrawn';
    const declineReason = text(body, 'decline_reason');
    if (status === 'declined' && !declineReason) errors.decline_reason = 'Enter why the referral was declined';
    if (declineReason.length > 2000) errors.decline_reason = 'Reason must be 2000 characters or fewer';
    if (!Number.isInteger(version)) errors.version = 'version is required: send the version you read';
    if (Object.keys(errors).length) throw new ValidationError(errors);
    let failed = false;
    let succeeded = false;
    await this.db.transaction().execute(async (tx) => {
      const r = await tx
        .selectFrom('referrals')
        .where('id', '=', referralId)
        .where('person_id', '=', personId)
        .selectAll()
        .forUpdate()
        .executeTakeFirst();
      if (!r) throw new NotFound('No referral with that reference on this record.');
      if (r.version !== version)
        throw new Conflict('Someone else recorded a response to this referral. Reload the plan to see it.');
      if (!(user.id === r.to_user_id || user.id === r.referred_by || user.caps.has('person:edit')))
        throw new Forbidden(
          'Only the referrer, the person referred to or a worker on the case can record the response.',
        );
      if (!NEXT_STATUSES[r.status].includes(status))
        throw new ValidationError({ status: `A referral that is ${r.status} cannot become ${status}` });
      const now = this.now();
      await tx
        .updateTable('referrals')
        .set({
          status,
          decline_reason: status === 'declined' ? declineReason : r.decline_reason,
          responded_at: now,
          version: r.version + 1,
        })
        .where('id', '=', r.id)
        .execute();
      if (TERMINAL_REFERRAL.includes(status)) await cancelDeadlines(tx, REFERRAL_SUBJECT, r.id, now);
      let detail: string | null = status === 'declined' ? `Reason: ${declineReason}` : null;
      if (status === 'successful' && r.action_id) {
        const a = await tx
          .selectFrom('plan_actions')
          .where('id', '=', r.action_id)
          .selectAll()
          .forUpdate()
          .executeTakeFirst();
        if (a) {
          const version2 = a.version + 1;
          await tx
            .updateTable('plan_actions')
            .set({
              owner_user_id: r.to_user_id,
              owner_service_id: r.to_service_id,
              status: a.status === 'not_started' ? 'in_progress' : a.status,
              version: version2,
              updated_at: now,
            })
            .where('id', '=', a.id)
            .execute();
          await this.scheduleActionLadder(tx, r.authority_id, a.id, version2, a.due_date, r.to_user_id);
          const label = await this.checkOwner(tx, r.authority_id, r.to_user_id, r.to_service_id);
          detail = `The plan is updated: “${a.description}” is now owned by ${label}`;
        }
      }
      failed = status === 'declined' || status === 'withdrawn';
      succeeded = status === 'successful';
      await this.record(tx, user, personId, 'respond', 'referral', r.id, `Referral ${status}`, detail, { status });
    });
    if (succeeded) await this.advanceIfAt(user, personId, 'await_referral', 'successful');
    if (failed) await this.advanceIfAt(user, personId, 'await_referral', 'failed');
  }

  /** Deadline rows for referrals: remind the referrer, then escalate to their line manager. */
  async fireReferralRung(tx: Tx, referralId: string, step: string): Promise<void> {
    const r = await tx
      .selectFrom('referrals as r')
      .innerJoin('people as p', 'p.id', 'r.person_id')
      .innerJoin('users as b', 'b.id', 'r.referred_by')
      .where('r.id', '=', referralId)
      .select([
        'r.id',
        'r.authority_id',
        'r.person_id',
        'r.status',
        'r.referred_by',
        'b.display_name',
        'b.line_manager_id',
        'p.case_number',
      ])
      .executeTakeFirst();
    if (!r || (r.status !== 'sent' && r.status !== 'accepted')) return;
    const link = `/people/${r.person_id}/plan#referrals`;
    const reference = `${r.case_number}/referral`;
    let title: string;
    if (step === 'remind' || !r.line_manager_id) {
      await notifyUser(tx, {
        authorityId: r.authority_id,
        userId: r.referred_by,
        message: 'Overdue: no response to your referral yet; chase it',
        link,
        reference,
        baseUrl: this.config.baseUrl,
      });
      title = `Referral response overdue: reminder sent to ${r.display_name}`;
    } else {
      await notifyUser(tx, {
        authorityId: r.authority_id,
        userId: r.line_manager_id,
        message: 'Escalated to you: a referral by someone you manage has had no response',
        link,
        reference,
        baseUrl: this.config.baseUrl,
      });
      await tx
        .updateTable('referrals')
        .set((eb) => ({ escalations: eb('escalations', '+', 1) }))
        .where('id', '=', r.id)
        .execute();
      const lm = await tx
        .selectFrom('users')
        .where('id', '=', r.line_manager_id)
        .select('display_name')
        .executeTakeFirst();
      title = `Referral response overdue: escalated to ${lm?.display_name ?? 'the line manager'}`;
    }
    await insertEvent(tx, {
      authority_id: r.authority_id,
      person_id: r.person_id,
      kind: 'referral',
      title,
      actor_id: null,
    });
    await insertAudit(tx, {
      authorityId: r.authority_id,
      actorId: null,
      action: 'overdue',
      entity: 'referral',
      entityId: r.id,
      personId: r.person_id,
      detail: { step },
    });
  }

  /** Deadline rows for plan actions: remind the owner, then tell their line manager. */
  async fireActionRung(tx: Tx, actionId: string, rung: number): Promise<void> {
    const a = await tx
      .selectFrom('plan_actions as a')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .leftJoin('users as o', 'o.id', 'a.owner_user_id')
      .where('a.id', '=', actionId)
      .select([
        'a.id',
        'a.authority_id',
        'a.person_id',
        'a.status',
        'a.version',
        'a.owner_user_id',
        'o.display_name',
        'o.line_manager_id',
        'p.case_number',
      ])
      .executeTakeFirst();
    // A ladder from an older version of the action (its date or owner changed) does nothing.
    if (
      !a?.owner_user_id ||
      !(OPEN_ACTION as readonly string[]).includes(a.status) ||
      Math.floor(rung / 10) !== a.version
    )
      return;
    const toManager = rung % 10 === 1 && a.line_manager_id;
    await notifyUser(tx, {
      authorityId: a.authority_id,
      userId: toManager ? (a.line_manager_id as string) : a.owner_user_id,
      message: toManager ? 'Overdue plan action owned by someone you manage' : 'Overdue: a plan action you own',
      link: `/people/${a.person_id}/plan#actions`,
      reference: `${a.case_number}/action`,
      baseUrl: this.config.baseUrl,
    });
    await insertEvent(tx, {
      authority_id: a.authority_id,
      person_id: a.person_id,
      kind: 'plan',
      title: toManager
        ? `Plan action overdue: ${a.display_name}’s line manager told`
        : `Plan action overdue: reminder sent to ${a.display_name}`,
      actor_id: null,
    });
  }

  // ---- panels ---------------------------------------------------------------------------------------

  /** The three panels of the protocol, created the first time they are needed. */
  async ensurePanels(tx: Tx | Db, authorityId: string): Promise<Record<PanelKind, string>> {
    await tx
      .insertInto('panels')
      .values(
        (Object.keys(PANEL_NAMES) as PanelKind[]).map((kind) => ({
          authority_id: authorityId,
          kind,
          name: PANEL_NAMES[kind],
          pseudonymised: kind !== 'forum',
        })),
      )
      .onConflict((oc) => oc.columns(['authority_id', 'kind']).doNothing())
      .execute();
    const rows = await tx.selectFrom('panels').where('authority_id', '=', authorityId).select(['id', 'kind']).execute();
    return Object.fromEntries(rows.map((r) => [r.kind, r.id])) as Record<PanelKind, string>;
  }

  /** The next planned meeting of a panel, on or after today. */
  private async nextMeeting(tx: Tx, panelId: string) {
    return tx
      .selectFrom('panel_meetings')
      .where('panel_id', '=', panelId)
      .where('status', '=', 'planned')
      .where('meeting_date', '>=', this.today())
      .orderBy('meeting_date')
      .select('id')
      .executeTakeFirst();
  }

  /** Needs and blockers for a panel, from the plan: the young person's needs and the actions without an owner. */
  private async caseFacts(tx: Tx, personId: string) {
    const plan = await repo.planOf(tx, personId);
    if (!plan) return { needs: null, blockedBy: null, issueType: null as 'gap' | 'capacity' | null };
    const actions = await repo.actionsOf(tx, plan.id);
    const today = this.today();
    const blocked = actions
      .filter((a) => (OPEN_ACTION as readonly string[]).includes(a.status))
      .filter((a) => (!a.owner_user_id && !a.owner_service_id) || (a.due_date !== null && a.due_date < today))
      .map((a) => `${a.description}${!a.owner_user_id && !a.owner_service_id ? ' (no owner)' : ' (overdue)'}`);
    const issue = actions.find((a) => a.issue_type)?.issue_type ?? null;
    return { needs: plan.needs, blockedBy: blocked.join('; ') || null, issueType: issue };
  }

  private async summaryFor(
    tx: Tx,
    personId: string,
    item: { needs: string | null; blocked_by: string | null; question: string | null; issue_type: string | null },
  ) {
    const identity: Identity = await repo.identityOf(tx, personId);
    // The label is filled in per meeting (A, B, C in agenda order): see meeting().
    return pseudonymisedSummary('{label}', identity, this.today(), {
      needs: item.needs,
      blockedBy: item.blocked_by,
      question: item.question,
      issueType: item.issue_type,
    });
  }

  /**
   * Listener for the protocol engine: a step at the forum, Governance Group or SEND board stage puts the case on
   * that panel's agenda (its next planned meeting, or the list awaiting one). It also copies the service lead's
   * gap-or-capacity answer onto the plan action the protocol is about.
   */
  readonly stepEntered = async (e: StepEntered): Promise<void> => {
    if (e.protocolId !== DEVON_TRANSITIONS_ID) return;
    const { tx } = e;
    await this.syncIssueType(tx, e);
    const kind = PANEL_STAGES[e.stepKey];
    if (!kind) return;
    const panels = await this.ensurePanels(tx, e.authorityId);
    const panelId = panels[kind];
    const meeting = await this.nextMeeting(tx, panelId);
    // A case already open on this panel (a forum referral form, an earlier forum step) stays one agenda item.
    const waiting = await tx
      .selectFrom('panel_items')
      .where('panel_id', '=', panelId)
      .where('person_id', '=', e.personId)
      .where('status', '=', 'open')
      .select('id')
      .executeTakeFirst();
    if (waiting) {
      await tx.updateTable('panel_items').set({ protocol_step_id: e.stepId }).where('id', '=', waiting.id).execute();
      return;
    }
    const def = await this.protocols.definition(DEVON_TRANSITIONS_ID, 1);
    const facts = await this.caseFacts(tx, e.personId);
    const question = def.steps.find((s) => s.id === e.stepKey)?.title.replace(/^[\d\s,.and-]+\.\s*/, '') ?? e.stepKey;
    const issue = e.stepKey === 'governance_group' || e.stepKey === 'send_board' ? 'unclear' : facts.issueType;
    const item = { needs: facts.needs, blocked_by: facts.blockedBy, question, issue_type: issue };
    await tx
      .insertInto('panel_items')
      .values({
        authority_id: e.authorityId,
        panel_id: panelId,
        meeting_id: meeting?.id ?? null,
        person_id: e.personId,
        protocol_step_id: e.stepId,
        source: 'protocol',
        question,
        issue_type: issue,
        needs: kind === 'forum' ? facts.needs : null,
        blocked_by: kind === 'forum' ? facts.blockedBy : null,
        routes_tried: kind === 'forum' ? ((e.data.routes_tried as string | undefined) ?? null) : null,
        summary: kind === 'forum' ? null : await this.summaryFor(tx, e.personId, item),
        referred_by: null,
      })
      .execute();
    await insertEvent(tx, {
      authority_id: e.authorityId,
      person_id: e.personId,
      kind: 'panel',
      title: `On the agenda of the ${PANEL_NAMES[kind]}${kind === 'forum' ? '' : ' (without personal details)'}`,
      actor_id: null,
    });
  };

  private async syncIssueType(tx: Tx, e: StepEntered) {
    const decided = await tx
      .selectFrom('protocol_steps')
      .where('instance_id', '=', e.instanceId)
      .where('step_key', '=', 'identify_issue_type')
      .where('status', '=', 'done')
      .orderBy('decided_at', 'desc')
      .select('outcome')
      .executeTakeFirst();
    if (decided?.outcome !== 'gap' && decided?.outcome !== 'capacity') return;
    const set: { issue_type: 'gap' | 'capacity'; resources_date?: string; contingency?: string } = {
      issue_type: decided.outcome,
    };
    if (typeof e.data.resources_available === 'string') set.resources_date = e.data.resources_available;
    if (typeof e.data.contingency_plan === 'string') set.contingency = e.data.contingency_plan;
    await tx
      .updateTable('plan_actions')
      .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: this.now() }))
      .where('protocol_instance_id', '=', e.instanceId)
      .execute();
  }

  /** The forum referral form (Devon protocol steps 4, 7, 9): puts the case on the forum's agenda. */
  async referToForum(user: AuthUser, personId: string, body: Body): Promise<string> {
    const { input, errors } = readForumReferral(body);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const id = await this.db.transaction().execute(async (tx) => {
      const panels = await this.ensurePanels(tx, user.authorityId);
      const meeting = await this.nextMeeting(tx, panels.forum);
      const row = await tx
        .insertInto('panel_items')
        .values({
          authority_id: user.authorityId,
          panel_id: panels.forum,
          meeting_id: meeting?.id ?? null,
          person_id: personId,
          source: 'referral_form',
          ...input,
          referred_by: user.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.record(
        tx,
        user,
        personId,
        'create',
        'panel_item',
        row.id,
        'Referred to the 16-17 Transitions Forum',
        null,
        {
          issue_type: input.issue_type,
        },
      );
      return row.id;
    });
    await this.advanceIfAt(user, personId, 'forum_referral', 'referred');
    return id;
  }

  /** Sets up the three panels for the council (they are also created the first time a case reaches one). */
  async setUpPanels(user: AuthUser): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await this.ensurePanels(tx, user.authorityId);
      await insertAudit(tx, { authorityId: user.authorityId, actorId: user.id, action: 'set-up', entity: 'panels' });
    });
  }

  async panels(user: AuthUser) {
    return this.db
      .selectFrom('panels as p')
      .where('p.authority_id', '=', user.authorityId)
      .orderBy(sql`array_position(ARRAY['forum','governance','send_board'], p.kind)`)
      .select((eb) => [
        'p.id',
        'p.name',
        'p.kind',
        'p.pseudonymised',
        eb
          .exists(
            eb
              .selectFrom('panel_members as m')
              .whereRef('m.panel_id', '=', 'p.id')
              .where('m.user_id', '=', user.id)
              .select('m.user_id'),
          )
          .as('member'),
        eb
          .selectFrom('panel_items as i')
          .whereRef('i.panel_id', '=', 'p.id')
          .where('i.status', '=', 'open')
          .select((x) => x.fn.countAll<number>().as('n'))
          .as('open_items'),
        eb
          .selectFrom('panel_meetings as m')
          .whereRef('m.panel_id', '=', 'p.id')
          .where('m.status', '=', 'planned')
          .where('m.meeting_date', '>=', this.today())
          .orderBy('m.meeting_date')
          .limit(1)
          .select('m.meeting_date')
          .as('next_meeting'),
      ])
      .execute();
  }

  /** Members, chairs (panel:manage) and the people who refer (service managers and leads) may see a panel. */
  private async mayView(user: AuthUser, panelId: string) {
    return user.caps.has('panel:manage') || (await repo.isPanelMember(this.db, panelId, user.id));
  }

  private async panelRow(user: AuthUser, panelId: string) {
    const p = await this.db
      .selectFrom('panels')
      .where('id', '=', panelId)
      .where('authority_id', '=', user.authorityId)
      .selectAll()
      .executeTakeFirst();
    if (!p) throw new NotFound('No panel with that reference.');
    return p;
  }

  async panel(user: AuthUser, panelId: string) {
    const p = await this.panelRow(user, panelId);
    if (!(await this.mayView(user, p.id))) throw new Forbidden('Only the panel’s members can see it.');
    const [members, meetings, awaiting] = await Promise.all([
      repo.membersOf(this.db, p.id),
      this.db
        .selectFrom('panel_meetings as m')
        .where('m.panel_id', '=', p.id)
        .orderBy('m.meeting_date', 'desc')
        .select((eb) => [
          'm.id',
          'm.meeting_date',
          'm.status',
          eb
            .selectFrom('panel_items as i')
            .whereRef('i.meeting_id', '=', 'm.id')
            .select((x) => x.fn.countAll<number>().as('n'))
            .as('items'),
        ])
        .execute(),
      this.db
        .selectFrom('panel_items')
        .where('panel_id', '=', p.id)
        .where('meeting_id', 'is', null)
        .where('status', '=', 'open')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    const staff = user.caps.has('panel:manage')
      ? await this.db
          .selectFrom('users')
          .where('authority_id', '=', user.authorityId)
          .where('active', '=', true)
          .orderBy('display_name')
          .select(['id', 'display_name', 'job_title'])
          .execute()
      : [];
    return {
      panel: p,
      members,
      meetings,
      awaiting: Number(awaiting.n),
      staff,
      canManage: user.caps.has('panel:manage'),
    };
  }

  async addMember(user: AuthUser, panelId: string, body: Body) {
    const { input, errors } = readMemberInput(body);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const p = await this.panelRow(user, panelId);
      await this.checkOwner(tx, user.authorityId, input.user_id, null, { user: 'user_id', service: 'x' });
      await tx
        .insertInto('panel_members')
        .values({ panel_id: p.id, ...input })
        .onConflict((oc) => oc.columns(['panel_id', 'user_id']).doUpdateSet({ area: input.area, chair: input.chair }))
        .execute();
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'add-member',
        entity: 'panel',
        entityId: p.id,
        detail: { user_id: input.user_id, area: input.area, chair: input.chair },
      });
    });
  }

  /** A new meeting; the cases referred and waiting for a meeting go on its agenda. */
  async createMeeting(user: AuthUser, panelId: string, body: Body): Promise<string> {
    const { input, errors } = readMeetingInput(body, this.today());
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => {
      const p = await this.panelRow(user, panelId);
      const row = await tx
        .insertInto('panel_meetings')
        .values({ authority_id: user.authorityId, panel_id: p.id, meeting_date: input.meeting_date })
        .returning('id')
        .executeTakeFirstOrThrow();
      const added = await tx
        .updateTable('panel_items')
        .set({ meeting_id: row.id })
        .where('panel_id', '=', p.id)
        .where('meeting_id', 'is', null)
        .where('status', '=', 'open')
        .executeTakeFirst();
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'create',
        entity: 'panel_meeting',
        entityId: row.id,
        detail: { panel_id: p.id, meeting_date: input.meeting_date, agenda_items: Number(added.numUpdatedRows) },
      });
      return row.id;
    });
  }

  private async meetingRow(user: AuthUser, meetingId: string) {
    const m = await this.db
      .selectFrom('panel_meetings as m')
      .innerJoin('panels as p', 'p.id', 'm.panel_id')
      .where('m.id', '=', meetingId)
      .where('m.authority_id', '=', user.authorityId)
      .select([
        'm.id',
        'm.panel_id',
        'm.meeting_date',
        'm.status',
        'm.minutes',
        'm.version',
        'p.name as panel_name',
        'p.kind',
        'p.pseudonymised',
      ])
      .executeTakeFirst();
    if (!m) throw new NotFound('No meeting with that reference.');
    if (!(await this.mayView(user, m.panel_id))) throw new Forbidden('Only the panel’s members can see its meetings.');
    return m;
  }

  /**
   * A meeting and its agenda. On a pseudonymised panel each item is only "Young person A" and the summary the
   * system produced: no name, date of birth, address or identifier reaches the page (quality.md S15).
   * On the forum, members see names and link to the record (their agenda item opens it: modules/access).
   */
  async meeting(user: AuthUser, meetingId: string) {
    const m = await this.meetingRow(user, meetingId);
    const rows = await repo.agendaOf(this.db, m.id);
    const decisions = await repo.decisionsOfItems(
      this.db,
      rows.map((r) => r.id),
    );
    const items = rows.map((r, i) => {
      const label = pseudonym(i);
      const mine = decisions
        .filter((d) => d.item_id === r.id)
        .map((d) => ({
          ...d,
          decision: d.decision,
          action_description: m.pseudonymised ? null : d.action_description,
        }));
      if (m.pseudonymised)
        return {
          id: r.id,
          label,
          summary: (r.summary ?? '').replace('{label}', label),
          status: r.status,
          issue_type: r.issue_type,
          decisions: mine,
        };
      return { ...r, label: `${r.given_name} ${r.family_name}`, decisions: mine };
    });
    const services = m.pseudonymised
      ? []
      : await this.db
          .selectFrom('services')
          .where('authority_id', '=', user.authorityId)
          .orderBy('name')
          .select(['id', 'name'])
          .execute();
    const staff =
      m.pseudonymised || !user.caps.has('panel:manage')
        ? []
        : await this.db
            .selectFrom('users')
            .where('authority_id', '=', user.authorityId)
            .where('active', '=', true)
            .orderBy('display_name')
            .select(['id', 'display_name'])
            .execute();
    const members = await repo.membersOf(this.db, m.panel_id);
    return { meeting: m, items, services, staff, members, canManage: user.caps.has('panel:manage') };
  }

  /** A decision on an agenda item; on the forum it can create an owned action on the young person's plan. */
  async recordDecision(user: AuthUser, meetingId: string, itemId: string, body: Body): Promise<void> {
    const { input, errors } = readDecisionInput(body);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const m = await this.meetingRow(user, meetingId);
    if (m.pseudonymised && input.action_description)
      throw new ValidationError({
        action_description:
          'The Governance Group and SEND board work without personal details: record the responsible service in the decision, and the forum adds the action to the plan',
      });
    await this.db.transaction().execute(async (tx) => {
      const item = await tx
        .selectFrom('panel_items')
        .where('id', '=', itemId)
        .where('meeting_id', '=', m.id)
        .selectAll()
        .forUpdate()
        .executeTakeFirst();
      if (!item) throw new NotFound('No item with that reference on this agenda.');
      let actionId: string | null = null;
      if (input.action_description) {
        actionId = await this.insertAction(
          tx,
          user,
          item.person_id,
          {
            description: input.action_description,
            goal_id: null,
            owner_user_id: input.owner_user_id,
            owner_service_id: input.owner_service_id,
            due_date: input.due_date,
            status: 'not_started',
            evidence: null,
            issue_type: null,
            issue_service_id: null,
            commissioning_area: null,
          },
          `${m.panel_name} decision`,
        );
      }
      const row = await tx
        .insertInto('panel_decisions')
        .values({
          authority_id: user.authorityId,
          item_id: item.id,
          meeting_id: m.id,
          decision: input.decision,
          action_id: actionId,
          decided_by: user.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (input.close)
        await tx.updateTable('panel_items').set({ status: 'closed' }).where('id', '=', item.id).execute();
      await insertEvent(tx, {
        authority_id: user.authorityId,
        person_id: item.person_id,
        kind: 'panel',
        title: `${m.panel_name} decision recorded`,
        // The decision text of a pseudonymised panel is about "Young person A": it is safe on the record too.
        detail: input.decision,
        actor_id: user.id,
      });
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'decide',
        entity: 'panel_item',
        entityId: item.id,
        personId: item.person_id,
        detail: { decision_id: row.id, action_id: actionId, closed: input.close },
      });
    });
  }

  async saveMinutes(user: AuthUser, meetingId: string, body: Body): Promise<void> {
    const minutes = text(body, 'minutes');
    const version = Number(body.version);
    const errors: Record<string, string> = {};
    if (!minutes) errors.minutes = 'Enter the minutes of the meeting';
    if (minutes.length > 20000) errors.minutes = 'Minutes must be 20000 characters or fewer';
    if (!Number.isInteger(version)) errors.version = 'version is required: send the version you read';
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const m = await this.meetingRow(user, meetingId);
    await this.db.transaction().execute(async (tx) => {
      const res = await tx
        .updateTable('panel_meetings')
        .set({ minutes, status: 'held', version: m.version + 1 })
        .where('id', '=', m.id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1)
        throw new Conflict('Someone else changed these minutes. Reload the meeting and make your changes again.');
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'minutes',
        entity: 'panel_meeting',
        entityId: m.id,
      });
    });
  }

  // ---- the register ---------------------------------------------------------------------------------

  /** Gap vs capacity across all cases, by service and commissioning area (counts only: no personal data). */
  async register(user: AuthUser) {
    const rows = await repo.register(this.db, user.authorityId, this.today());
    return rows.map((r) => ({
      ...r,
      total: Number(r.total),
      open: Number(r.open),
      overdue: Number(r.overdue),
      people: Number(r.people),
    }));
  }

  // ---- form options ---------------------------------------------------------------------------------

  async options(user: AuthUser) {
    const [services, staff] = await Promise.all([
      this.db
        .selectFrom('services')
        .where('authority_id', '=', user.authorityId)
        .orderBy('name')
        .select(['id', 'name'])
        .execute(),
      this.db
        .selectFrom('users')
        .where('authority_id', '=', user.authorityId)
        .where('active', '=', true)
        .orderBy('display_name')
        .select(['id', 'display_name', 'job_title'])
        .execute(),
    ]);
    return { services, staff };
  }

  /** Timeline entry and audit row for a change, in the same transaction. */
  private async record(
    tx: Tx,
    user: AuthUser,
    personId: string,
    action: string,
    entity: string,
    entityId: string,
    title: string,
    detail: string | null,
    audit: Record<string, unknown>,
  ) {
    await insertEvent(tx, {
      authority_id: user.authorityId,
      person_id: personId,
      kind: 'plan',
      title,
      detail,
      actor_id: user.id,
    });
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action,
      entity,
      entityId,
      personId,
      detail: audit,
    });
  }
}
