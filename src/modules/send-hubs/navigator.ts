// The Navigator (issue 13 part 5): every request given First SEND Support has a named Navigator who owns its
// support and review steps (so My work shows them and the record opens to them), keeps the support plan (owned
// actions with due dates on the young person's plan, chased by plan-action-chase like every other action), the
// contact log with the family and setting, records when support started (the review clock starts), and reviews
// it: continue, refer to the locality team, request an EHC needs assessment, or close. Every change moves the
// request's instance (the hooks project its status) and is recorded on the timeline and audit in one transaction.
import type { Tx } from '../../db/database.ts';
import { addDays } from '../../domain/calendar.ts';
import { Forbidden } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { SUPPORT_REVIEW_WEEKS } from '../../protocols/send-support-request.ts';
import { logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import { requireHub } from './access.ts';
import type { HubCtx } from './flow.ts';
import * as repo from './repository-triage.ts';
import type {
  ContactInput,
  NavigatorInput,
  SupportActionInput,
  SupportReviewInput,
  SupportStartedInput,
} from './schemas-triage.ts';
import { REVIEW_DECISIONS } from './schemas-triage.ts';
import { type Channel, requireNavigator, requireStep } from './triage.ts';
import { startEhcAssessment, type TriageDeps } from './triage-ehc.ts';
import { notifySetting } from './triage-notify.ts';

const SUPPORT_STEPS = ['support', 'review'];

/** Everything the Navigator's page shows (the read logged). */
export async function navigatorPage(ctx: HubCtx, user: AuthUser, hubId: string, requestId: string, channel: Channel) {
  return ctx.db.transaction().execute(async (tx) => {
    const hub = await requireHub(tx, user, hubId);
    const request = await repo.requestOfHub(tx, hub.id, requestId);
    await logRead(tx, user, { personId: request.person_id, breakGlassId: null }, channel, 'send-hub-navigator');
    const state = request.protocol_instance_id ? await ctx.flow.state(tx, request.protocol_instance_id) : null;
    return {
      hub,
      request,
      state,
      inSupport: Boolean(state?.step && SUPPORT_STEPS.includes(state.step)),
      navigators: await repo.navigatorsOf(tx, hub.team_id),
      owners: await repo.membersOf(tx, [hub.team_id, hub.locality_team_id]),
      coordinators: await repo.coordinatorsOf(tx, user.authorityId),
      contacts: await repo.contactsOf(tx, request.id),
      actions: await repo.planActionsOf(tx, request.person_id),
    };
  });
}

/** The request of the hub, locked, for a change (the caller's transaction). */
async function locked(tx: Tx, user: AuthUser, hubId: string, requestId: string) {
  const hub = await requireHub(tx, user, hubId);
  await repo.lockRequest(tx, requestId);
  return { hub, r: await repo.requestOfHub(tx, hub.id, requestId) };
}

const bump = (tx: Tx, id: string, set: Record<string, unknown> = {}) =>
  tx
    .updateTable('support_requests')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();

/** Names (or changes) the Navigator: the open support or review step passes to them. */
export async function changeNavigator(
  ctx: HubCtx,
  user: AuthUser,
  hubId: string,
  requestId: string,
  x: NavigatorInput,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const { hub, r } = await locked(tx, user, hubId, requestId);
    // Naming the Navigator opens the record to them: the hub's managers and the Navigator now may pass it on, not
    // anyone in the hub to themselves.
    if (!user.caps.has('send-hub:manage') && user.id !== r.navigator_user_id)
      throw new Forbidden('Only the hub manager or the Navigator now can change the Navigator. Ask the hub manager.');
    await requireStep(ctx, tx, r.protocol_instance_id, SUPPORT_STEPS, 'in First SEND Support');
    const n = await requireNavigator(tx, hub.team_id, x.navigator_id);
    if (n.id === r.navigator_user_id) return;
    await ctx.flow.update(tx, r.protocol_instance_id as string, { data: { navigator_id: n.id } }, { reown: true });
    await bump(tx, r.id, { navigator_user_id: n.id });
    await recordChange(tx, {
      actor: user,
      personId: r.person_id,
      kind: 'send',
      title: `Navigator for request ${r.reference}: ${n.display_name}`,
      audit: {
        action: 'support_request.navigator',
        entity: 'support_request',
        entityId: r.id,
        detail: { from: r.navigator_user_id, to: n.id },
      },
    });
  });
}

/**
 * Adds an action to the support plan: an owned action with a due date on the young person's plan (the plan is
 * started for the support if they have none), chased by plan-action-chase.
 */
export async function addSupportAction(
  ctx: HubCtx,
  deps: TriageDeps,
  user: AuthUser,
  hubId: string,
  requestId: string,
  x: SupportActionInput,
): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const { hub, r } = await locked(tx, user, hubId, requestId);
    await requireStep(ctx, tx, r.protocol_instance_id, SUPPORT_STEPS, 'in First SEND Support');
    const owners = await repo.membersOf(tx, [hub.team_id, hub.locality_team_id]);
    if (!owners.some((o) => o.id === x.owner_user_id))
      throw new ValidationError({ owner_user_id: 'Choose the owner from the hub’s or the locality’s team' });
    if (!(await repo.planOf(tx, r.person_id))) {
      const planId = await repo.insertPlan(tx, {
        authorityId: user.authorityId,
        personId: r.person_id,
        needs: `First SEND Support from ${hub.name} (${r.reference})`,
        by: user.id,
      });
      await recordChange(tx, {
        actor: user,
        personId: r.person_id,
        kind: 'plan',
        title: `Support plan started for request ${r.reference}`,
        audit: { action: 'create', entity: 'plan', entityId: planId, detail: { source: 'send_hub' } },
      });
    }
    return deps.insertAction(
      tx,
      user,
      r.person_id,
      {
        description: x.description,
        goal_id: null,
        owner_user_id: x.owner_user_id,
        owner_service_id: null,
        due_date: x.due_date,
        status: 'not_started',
        evidence: null,
        issue_type: null,
        issue_service_id: null,
        commissioning_area: null,
      },
      'send_hub',
    );
  });
}

export async function addContact(
  ctx: HubCtx,
  user: AuthUser,
  hubId: string,
  requestId: string,
  x: ContactInput,
): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const { r } = await locked(tx, user, hubId, requestId);
    const id = await repo.insertContact(tx, {
      authority_id: user.authorityId,
      request_id: r.id,
      person_id: r.person_id,
      contact_on: x.contact_on,
      with_whom: x.with_whom,
      method: x.method,
      summary: x.summary,
      recorded_by: user.id,
    });
    await recordChange(tx, {
      actor: user,
      personId: r.person_id,
      kind: 'send',
      title: `Contact recorded for request ${r.reference} (${x.with_whom.replace(/_/g, ' ')}, ${x.method})`,
      detail: x.summary,
      audit: { action: 'create', entity: 'support_request_contact', entityId: id, detail: { request_id: r.id } },
    });
    return id;
  });
}

/** The contact log, read by hub staff (logged). */
export async function contacts(ctx: HubCtx, user: AuthUser, hubId: string, requestId: string, channel: Channel) {
  return ctx.db.transaction().execute(async (tx) => {
    const hub = await requireHub(tx, user, hubId);
    const r = await repo.requestOfHub(tx, hub.id, requestId);
    await logRead(tx, user, { personId: r.person_id, breakGlassId: null }, channel, 'send-hub-contacts');
    return repo.contactsOf(tx, r.id);
  });
}

/** Support started: the review clock starts (6 weeks, or the date chosen). */
export async function supportStarted(
  ctx: HubCtx,
  user: AuthUser,
  hubId: string,
  requestId: string,
  x: SupportStartedInput,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const { r } = await locked(tx, user, hubId, requestId);
    await requireStep(ctx, tx, r.protocol_instance_id, ['support'], 'waiting for support to start');
    const reviewDue = x.review_date ?? addDays(x.started_on, SUPPORT_REVIEW_WEEKS * 7);
    if (reviewDue <= x.started_on)
      throw new ValidationError({ review_date: 'Review date must be after the date support started' });
    const instanceId = r.protocol_instance_id as string;
    await ctx.flow.update(tx, instanceId, { anchors: { review_due: reviewDue } });
    await ctx.flow.advance(tx, instanceId, 'started', user.id, { at: ['support'] });
    await bump(tx, r.id, { support_started_on: x.started_on });
    await recordChange(tx, {
      actor: user,
      personId: r.person_id,
      kind: 'send',
      title: `First SEND Support started on ${x.started_on} (request ${r.reference})`,
      detail: `Review due ${reviewDue}`,
      audit: {
        action: 'support_request.started',
        entity: 'support_request',
        entityId: r.id,
        detail: { started_on: x.started_on, review_due: reviewDue },
      },
    });
    await notifySetting(ctx, tx, r, `First SEND Support has started for request ${r.reference}`);
  });
}

/** A review of First SEND Support: continue (next review), refer to the locality team, request an EHC needs
 *  assessment, or close. */
export async function review(
  ctx: HubCtx,
  deps: TriageDeps,
  user: AuthUser,
  hubId: string,
  requestId: string,
  x: SupportReviewInput,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const { hub, r } = await locked(tx, user, hubId, requestId);
    await requireStep(ctx, tx, r.protocol_instance_id, ['review'], 'due a review');
    const instanceId = r.protocol_instance_id as string;
    const today = ctx.today();
    let detail = x.notes;
    if (x.decision === 'continue') {
      const next = x.next_review ?? addDays(today, SUPPORT_REVIEW_WEEKS * 7);
      if (next <= today) throw new ValidationError({ next_review: 'Next review date must be after today' });
      await ctx.flow.update(tx, instanceId, { anchors: { review_due: next } });
      detail = `${x.notes}\nNext review ${next}`;
    } else if (x.decision === 'further_support') {
      await bump(tx, r.id, { outcome: 'further_support', locality_team_id: hub.locality_team_id });
      detail = `${x.notes}\nWhy Further SEND Support: ${x.further_reason}`;
    } else if (x.decision === 'ehc_assessment') {
      const id = await startEhcAssessment(ctx, deps, tx, user, r, x.coordinator_id as string, 'review');
      await bump(tx, r.id, { outcome: 'ehc_assessment', ehcp_assessment_id: id });
    }
    await ctx.flow.advance(tx, instanceId, x.decision, user.id, { at: ['review'] });
    await bump(tx, r.id);
    const label = REVIEW_DECISIONS[x.decision];
    await recordChange(tx, {
      actor: user,
      personId: r.person_id,
      kind: 'send',
      title: `First SEND Support reviewed (request ${r.reference}): ${label}`,
      detail,
      audit: {
        action: 'support_request.reviewed',
        entity: 'support_request',
        entityId: r.id,
        detail: { decision: x.decision },
      },
    });
    if (x.decision !== 'continue')
      await notifySetting(ctx, tx, r, `First SEND Support reviewed for request ${r.reference}: ${label}`);
  });
}
