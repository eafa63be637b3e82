// Multi-agency triage at a SEND Support Hub (issue 13 part 4): the hub's weekly triage meetings, each with an agenda
// built by rule (the hub's requests waiting for triage received by the meeting's date, oldest first), and the
// outcome recorded for each request. An outcome moves the request's send-support-request instance on (the engine's
// hooks project the request's status); the request's own columns, the young person's timeline and audit, and the
// setting's notice (reference and link only) are written in the same transaction.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { addDays, addWorkingDays, dayOfWeek, toDayNumber } from '../../domain/calendar.ts';
import { Conflict } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit, logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import { type HubRow, requireHub } from './access.ts';
import { contextSummary } from './context.ts';
import type { HubCtx } from './flow.ts';
import * as repo from './repository-triage.ts';
import type { InfoReceivedInput, MeetingHeldInput, MeetingInput, OutcomeInput } from './schemas-triage.ts';
import { TRIAGE_OUTCOMES } from './schemas-triage.ts';
import { startEhcAssessment, type TriageDeps } from './triage-ehc.ts';
import { notifySetting } from './triage-notify.ts';

export type Channel = 'page' | 'api';

/** The first date on or after `from` that falls on the hub's triage weekday (1 Monday … 5 Friday). */
export function nextTriageDay(from: string, weekday: number): string {
  const gap = (weekday - dayOfWeek(toDayNumber(from)) + 7) % 7;
  return addDays(from, gap);
}

/** The hub's meetings, next first (then those held), and what the scheduling form offers. */
export async function meetings(ctx: HubCtx, user: AuthUser, hubId: string) {
  const hub = await requireHub(ctx.db, user, hubId);
  const list = await repo.meetingsOf(ctx.db, hub.id);
  const today = ctx.today();
  return {
    hub,
    upcoming: list.filter((m) => !m.held),
    held: list.filter((m) => m.held).reverse(),
    nextDate: nextTriageDay(today, hub.triage_weekday),
    chairs: await repo.membersOf(ctx.db, [hub.team_id]),
    canManage: user.caps.has('send-hub:manage'),
  };
}

export async function scheduleMeeting(ctx: HubCtx, user: AuthUser, hubId: string, input: MeetingInput) {
  return ctx.db.transaction().execute(async (tx) => {
    const hub = await requireHub(tx, user, hubId);
    if (input.chair_user_id) {
      const chairs = await repo.membersOf(tx, [hub.team_id]);
      if (!chairs.some((c) => c.id === input.chair_user_id))
        throw new ValidationError({ chair_user_id: 'Choose the chair from the hub’s team' });
    }
    const id = await repo.insertMeeting(tx, {
      authorityId: user.authorityId,
      hubId: hub.id,
      date: input.meeting_date,
      chair: input.chair_user_id,
      attendees: input.attendees,
    });
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: 'triage_meeting.scheduled',
      entity: 'triage_meeting',
      entityId: id,
      personId: null,
      detail: { hub_id: hub.id, meeting_date: input.meeting_date },
    });
    return id;
  });
}

/**
 * A meeting with its agenda (waiting requests received by its date) and the requests decided at it. Each young
 * person named is a read of their record by hub staff: logged in the same transaction.
 */
export async function meeting(ctx: HubCtx, user: AuthUser, hubId: string, meetingId: string, channel: Channel) {
  return ctx.db.transaction().execute(async (tx) => {
    const hub = await requireHub(tx, user, hubId);
    const m = await repo.meetingOf(tx, hub.id, meetingId);
    const agenda = await repo.agendaOf(tx, hub.id, m.meeting_date);
    const decided = await tx
      .selectFrom('support_requests as r')
      .innerJoin('settings as s', 's.id', 'r.setting_id')
      .innerJoin('people as p', 'p.id', 'r.person_id')
      .where('r.triage_meeting_id', '=', m.id)
      .select(['r.id', 'r.reference', 'r.person_id', 'r.outcome', 's.name as setting', 'p.given_name', 'p.family_name'])
      .orderBy('r.reference')
      .execute();
    const today = ctx.today();
    const people = new Set([...agenda, ...decided].map((r) => r.person_id));
    for (const personId of people)
      await logRead(tx, user, { personId, breakGlassId: null }, channel, 'send-hub-triage-agenda');
    return {
      hub,
      meeting: m,
      agenda: agenda.map((a) => ({ ...a, overdue: a.due !== null && a.due < today })),
      decided,
      canManage: user.caps.has('send-hub:manage'),
    };
  });
}

/** Marks the meeting held and (unless told not to) schedules the next one a week later on the triage day. */
export async function markHeld(
  ctx: HubCtx,
  user: AuthUser,
  hubId: string,
  meetingId: string,
  input: MeetingHeldInput,
): Promise<{ nextId: string | null }> {
  return ctx.db.transaction().execute(async (tx) => {
    const hub = await requireHub(tx, user, hubId);
    const m = await repo.meetingOf(tx, hub.id, meetingId);
    if (m.held) throw new Conflict('This triage meeting is already marked held. Reload the page to see it.');
    await tx
      .updateTable('triage_meetings')
      .set((eb) => ({ held: true, version: eb('version', '+', 1) }))
      .where('id', '=', m.id)
      .execute();
    let nextId: string | null = null;
    if (input.next) {
      const date = nextTriageDay(addDays(m.meeting_date, 7), hub.triage_weekday);
      nextId =
        (await repo.meetingOn(tx, hub.id, date))?.id ??
        (await repo.insertMeeting(tx, {
          authorityId: user.authorityId,
          hubId: hub.id,
          date,
          chair: m.chair_user_id,
          attendees: m.attendees,
        }));
    }
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: 'triage_meeting.held',
      entity: 'triage_meeting',
      entityId: m.id,
      personId: null,
      detail: { next_meeting_id: nextId },
    });
    return { nextId };
  });
}

/** What the outcome form offers for one request (its read logged). */
export async function outcomeForm(ctx: HubCtx, user: AuthUser, hubId: string, requestId: string) {
  return ctx.db.transaction().execute(async (tx) => {
    const hub = await requireHub(tx, user, hubId);
    const request = await repo.requestOfHub(tx, hub.id, requestId);
    // The context shown opens the record only as the viewer's access allows; a read under break-glass is logged so.
    const context = await contextSummary(ctx, tx, user, request);
    const breakGlassId = context.breakGlassId;
    await logRead(tx, user, { personId: request.person_id, breakGlassId }, 'page', 'send-hub-triage');
    return {
      hub,
      request,
      services: await repo.hubServicesOf(tx, hub.id),
      navigators: await repo.navigatorsOf(tx, hub.team_id),
      coordinators: await repo.coordinatorsOf(tx, user.authorityId),
      meetings: (await repo.meetingsOf(tx, hub.id)).filter((m) => !m.held || m.meeting_date >= ctx.today()),
      context,
    };
  });
}

/** The open step of the request's instance must be one of `at`; else the request has moved on. */
export async function requireStep(ctx: HubCtx, tx: Tx, instanceId: string | null, at: string[], what: string) {
  const state = instanceId ? await ctx.flow.state(tx, instanceId) : null;
  if (!state?.step || !at.includes(state.step))
    throw new Conflict(`This request is not ${what} now. Reload the page to see where it is.`);
  return state;
}

/** Records the triage outcome and moves the request on (see the file's comment). */
export async function recordOutcome(
  ctx: HubCtx,
  deps: TriageDeps,
  user: AuthUser,
  hubId: string,
  requestId: string,
  x: OutcomeInput,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const hub = await requireHub(tx, user, hubId);
    await repo.lockRequest(tx, requestId);
    const r = await repo.requestOfHub(tx, hub.id, requestId);
    await requireStep(ctx, tx, r.protocol_instance_id, ['triage'], 'waiting for triage');
    const instanceId = r.protocol_instance_id as string;
    if (x.meeting_id) await repo.meetingOf(tx, hub.id, x.meeting_id).catch(() => badMeeting());
    const today = ctx.today();
    const set = await prepareOutcome(ctx, deps, tx, user, hub, r, x);
    await ctx.flow.advance(tx, instanceId, x.outcome, user.id, { at: ['triage'] });
    await tx
      .updateTable('support_requests')
      .set((eb) => ({
        ...set,
        first_response_on: sql<string>`coalesce(first_response_on, ${today}::date)`,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', r.id)
      .execute();
    const label = TRIAGE_OUTCOMES[x.outcome];
    await recordChange(tx, {
      actor: user,
      personId: r.person_id,
      kind: 'send',
      title: `Triage outcome for request ${r.reference}: ${label}`,
      detail: outcomeDetail(x),
      audit: {
        action: 'support_request.triaged',
        entity: 'support_request',
        entityId: r.id,
        detail: { outcome: x.outcome, meeting_id: x.meeting_id, hub_id: hub.id },
      },
    });
    await notifySetting(ctx, tx, r, `Triage outcome recorded for request ${r.reference}: ${label}`);
  });
}

/**
 * What an outcome needs before the instance moves on (checked, or started: the Navigator's anchors, the EHC needs
 * assessment) and the request's columns it sets.
 */
async function prepareOutcome(
  ctx: HubCtx,
  deps: TriageDeps,
  tx: Tx,
  user: AuthUser,
  hub: HubRow,
  r: repo.HubRequest,
  x: OutcomeInput,
): Promise<Record<string, unknown>> {
  const today = ctx.today();
  const set: Record<string, unknown> = { outcome: x.outcome, triage_meeting_id: x.meeting_id };
  if (x.outcome === 'first_support') {
    const services = await repo.hubServicesOf(tx, hub.id);
    const ids = x.hub_service_ids ?? [];
    if (ids.some((id) => !services.some((s) => s.id === id)))
      throw new ValidationError({ hub_service_ids: 'Choose hub services of this hub from the list' });
    await requireNavigator(tx, hub.team_id, x.navigator_id as string);
    await ctx.flow.update(tx, r.protocol_instance_id as string, {
      data: { navigator_id: x.navigator_id },
      anchors: { triaged: today, support_start_due: addWorkingDays(today, hub.support_start_working_days) },
    });
    return { ...set, hub_service_ids: ids, navigator_user_id: x.navigator_id, outcome_notes: null };
  }
  if (x.outcome === 'ehc_assessment') {
    const id = await startEhcAssessment(ctx, deps, tx, user, r, x.coordinator_id as string, 'triage');
    return { ...set, ehcp_assessment_id: id, outcome_notes: null };
  }
  if (x.outcome === 'further_support')
    return { ...set, locality_team_id: hub.locality_team_id, outcome_notes: x.further_reason };
  if (x.outcome === 'advice')
    return { ...set, outcome_notes: `Advice given: ${x.advice_given}\nSignposted to: ${x.signposted_to}` };
  if (x.outcome === 'more_info') return { ...set, outcome_notes: x.info_needed };
  return { ...set, decline_reason: x.decline_reason, decline_alternative: x.decline_alternative };
}

function badMeeting(): never {
  throw new ValidationError({ meeting_id: 'Choose a triage meeting of this hub, or leave it empty' });
}

/** The Navigator named must be a member of the hub's team who is a hub practitioner or hub manager. */
export async function requireNavigator(tx: Tx, teamId: string | null, navigatorId: string, field = 'navigator_id') {
  const navigators = await repo.navigatorsOf(tx, teamId);
  const n = navigators.find((u) => u.id === navigatorId);
  if (!n) throw new ValidationError({ [field]: 'Choose a Navigator from the hub’s team' });
  return n;
}

function outcomeDetail(x: OutcomeInput): string | null {
  switch (x.outcome) {
    case 'advice':
      return `Advice given: ${x.advice_given}. Signposted to: ${x.signposted_to}`;
    case 'further_support':
      return x.further_reason;
    case 'more_info':
      return `Information needed: ${x.info_needed}`;
    case 'declined':
      return `Reason: ${x.decline_reason}. Suggested alternative: ${x.decline_alternative}`;
    default:
      return null;
  }
}

/** The information triage asked for has arrived: the request goes back to triage with a new first-response date. */
export async function infoReceived(
  ctx: HubCtx,
  user: AuthUser,
  hubId: string,
  requestId: string,
  x: InfoReceivedInput,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const hub = await requireHub(tx, user, hubId);
    await repo.lockRequest(tx, requestId);
    const r = await repo.requestOfHub(tx, hub.id, requestId);
    await requireStep(ctx, tx, r.protocol_instance_id, ['more_info'], 'waiting for more information');
    const instanceId = r.protocol_instance_id as string;
    const from = [ctx.today(), x.received_on].sort()[1] as string;
    await ctx.flow.update(tx, instanceId, {
      anchors: { first_response_due: addWorkingDays(from, hub.first_response_working_days) },
    });
    await ctx.flow.advance(tx, instanceId, 'info_received', user.id, { at: ['more_info'] });
    await tx
      .updateTable('support_requests')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', r.id)
      .execute();
    await recordChange(tx, {
      actor: user,
      personId: r.person_id,
      kind: 'send',
      title: `Information received for request ${r.reference}: back to triage`,
      detail: x.info_received,
      audit: {
        action: 'support_request.info_received',
        entity: 'support_request',
        entityId: r.id,
        detail: { received_on: x.received_on },
      },
    });
  });
}
