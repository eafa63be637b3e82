// SEND hubs (issue 13 parts 2, 3 and 8): the hub's side of requests. Hub staff (send-hub:work) see the hubs they
// work in, each hub's requests by status with the due date of the open step, log a request received by phone or
// email, and open a request's page: everything submitted, its clocks (working days, from the hub's targets), where
// its route is and its history. Each read of a named young person is logged in the read's transaction.
import type { SupportRequestStatus } from '../../db/schema-send-hubs.ts';
import { addDays, workingDaysBetween } from '../../domain/calendar.ts';
import { NotFound } from '../../http/errors.ts';
import type { Body } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { sendSupportRequest } from '../../protocols/send-support-request.ts';
import { findRelationship } from '../access/repository.ts';
import { logRead } from '../audit/repository.ts';
import { hubIdsOf, requireHub } from './access.ts';
import type { HubCtx } from './flow.ts';
import { submitRequest } from './intake.ts';
import * as repo from './repository-requests.ts';
import { consentTo, missingOf, OUTCOME_WORDS, readRequest, statusWords } from './requests.ts';

/** The order (and headings) of the hub home's groups. */
export const HUB_GROUPS: { status: SupportRequestStatus; heading: string }[] = [
  { status: 'held', heading: 'Held: waiting for consent' },
  { status: 'waiting', heading: 'Waiting for triage' },
  { status: 'more_info', heading: 'More information asked for' },
  { status: 'starting', heading: 'Starting First SEND Support' },
  { status: 'in_support', heading: 'In First SEND Support' },
  { status: 'with_locality', heading: 'With the locality team' },
  { status: 'closed', heading: 'Closed in the last 30 days' },
];
export const STATUSES = HUB_GROUPS.map((g) => g.status);

type Channel = 'page' | 'api';

/** The hubs this member of staff works in, each with its requests counted by status. */
export async function myHubs(ctx: HubCtx, user: AuthUser) {
  return repo.hubsWithCounts(ctx.db, await hubIdsOf(ctx.db, user));
}

/** A hub's requests (open, and closed in the last 30 days), with the open step's due date; each named read logged. */
export async function hubHome(
  ctx: HubCtx,
  user: AuthUser,
  hubId: string,
  o: { status?: SupportRequestStatus | null; channel: Channel },
) {
  const hub = await requireHub(ctx.db, user, hubId);
  const today = ctx.today();
  const rows = await ctx.db.transaction().execute(async (tx) => {
    const found = await repo.hubRequests(tx, hubId, { closedSince: addDays(today, -30), status: o.status ?? null });
    for (const personId of new Set(found.map((r) => r.person_id)))
      await logRead(tx, user, { personId, breakGlassId: null }, o.channel, 'send-hub');
    return found;
  });
  const states = await ctx.flow.states(
    ctx.db,
    rows.flatMap((r) => (r.protocol_instance_id ? [r.protocol_instance_id] : [])),
  );
  const requests = rows.map((r) => {
    const s = r.protocol_instance_id ? states.get(r.protocol_instance_id) : undefined;
    const due = s?.status === 'open' ? s.due : null;
    return {
      ...r,
      status_words: statusWords(r),
      missing: missingOf(r),
      step: s?.step ?? null,
      due,
      overdue_by: due && due < today ? workingDaysBetween(due, today) : 0,
    };
  });
  return {
    hub,
    requests,
    groups: HUB_GROUPS.map((g) => ({ ...g, requests: requests.filter((r) => r.status === g.status) })),
  };
}

/** Hub staff log a request received by phone or email, for one of the hub's settings. */
export async function logForHub(ctx: HubCtx, user: AuthUser, hubId: string, body: Body) {
  await requireHub(ctx.db, user, hubId);
  const settings = await repo.settingsOfHub(ctx.db, hubId);
  const input = readRequest(body, ctx.today(), { kind: 'hub', settingIds: settings.map((s) => s.id) });
  return ctx.db.transaction().execute(async (tx) => {
    const r = await submitRequest(ctx, tx, { id: user.id, authorityId: user.authorityId }, input);
    return { id: r.id, reference: r.reference, held: input.consent !== 'given' };
  });
}

/** Hub staff submit through the API for any setting of the hubs they work in (received_via says how it came). */
export async function hubSettingIds(ctx: HubCtx, user: AuthUser) {
  const ids = await hubIdsOf(ctx.db, user);
  const out: string[] = [];
  for (const id of ids) out.push(...(await repo.settingsOfHub(ctx.db, id)).map((s) => s.id));
  return out;
}

/** The hub's settings (the form's choice). */
export async function hubSettings(ctx: HubCtx, user: AuthUser, hubId: string) {
  const hub = await requireHub(ctx.db, user, hubId);
  return { hub, settings: await repo.settingsOfHub(ctx.db, hubId) };
}

/**
 * One request, for hub staff of its hub (404 for anyone else's hub): everything submitted, the clocks, where its
 * route is, its history and other requests for the same young person. The read is logged.
 */
export async function hubRequestPage(
  ctx: HubCtx,
  user: AuthUser,
  hubId: string | null,
  requestId: string,
  channel: Channel,
) {
  const r = await ctx.db.transaction().execute(async (tx) => {
    const found = await repo.hubRequest(tx, user.authorityId, requestId);
    if (!found || (hubId && found.hub_id !== hubId)) throw new NotFound('No request with that reference.');
    await requireHub(tx, user, found.hub_id);
    await logRead(tx, user, { personId: found.person_id, breakGlassId: null }, channel, 'send-hub');
    return found;
  });
  const hub = await requireHub(ctx.db, user, r.hub_id);
  const state = r.protocol_instance_id ? await ctx.flow.state(ctx.db, r.protocol_instance_id) : null;
  const history = r.protocol_instance_id ? await repo.instanceHistory(ctx.db, r.protocol_instance_id) : [];
  const rel = await findRelationship(ctx.db, user, r.person_id, ctx.now());
  const today = ctx.today();
  return {
    hub,
    request: { ...r, status_words: statusWords(r), missing: missingOf(r) },
    outcome_words: r.outcome ? (OUTCOME_WORDS[r.outcome] ?? r.outcome) : null,
    clocks: clocksOf(r, state?.anchors ?? {}, state?.status === 'open' ? state.due : null, today, hub),
    state,
    history: history.map((h) => {
      const step = sendSupportRequest.steps.find((s) => s.id === h.step_key);
      const outcomes: readonly { id: string; label: string }[] = step?.outcomes ?? [];
      return {
        ...h,
        title: step?.title ?? h.step_key,
        outcome_label: h.outcome ? (outcomes.find((o) => o.id === h.outcome)?.label ?? h.outcome) : null,
      };
    }),
    others: await repo.otherRequestsOf(ctx.db, r.person_id, r.id),
    duplicates: await repo.likelyDuplicates(ctx.db, user.authorityId, {
      id: r.person_id,
      date_of_birth: r.date_of_birth,
      given_name: r.given_name,
      family_name: r.family_name,
    }),
    mayOpenRecord: rel.related,
    links: linksOf(r.status, r.hub_id, r.id),
  };
}
export type HubRequestPage = Awaited<ReturnType<typeof hubRequestPage>>;

/** The response-time clocks, in working days, from the anchors the route keeps and the hub's targets. */
export function clocksOf(
  r: { received_on: string; first_response_on: string | null; support_started_on: string | null },
  anchors: Record<string, string>,
  due: string | null,
  today: string,
  hub: { first_response_working_days: number; support_start_working_days: number },
) {
  const complete = anchors.complete ?? null;
  const triaged = anchors.triaged ?? null;
  return {
    received_on: r.received_on,
    complete_on: complete,
    first_response_target: hub.first_response_working_days,
    first_response_due: anchors.first_response_due ?? null,
    first_response_on: r.first_response_on,
    first_response_days: complete ? workingDaysBetween(complete, r.first_response_on ?? today) : null,
    support_start_target: hub.support_start_working_days,
    support_start_due: anchors.support_start_due ?? null,
    support_started_on: r.support_started_on,
    support_start_days: triaged ? workingDaysBetween(triaged, r.support_started_on ?? today) : null,
    days_since_received: workingDaysBetween(r.received_on, today),
    due,
    overdue_by: due && due < today ? workingDaysBetween(due, today) : 0,
  };
}

/** The triage part's pages a request's status calls for. */
export function linksOf(status: SupportRequestStatus, hubId: string, requestId: string) {
  const base = `/hubs/${hubId}/requests/${requestId}`;
  const links: { href: string; text: string }[] = [];
  if (status === 'waiting') links.push({ href: `${base}/outcome`, text: 'Record the triage outcome' });
  if (status === 'more_info') links.push({ href: `${base}/more-info`, text: 'Record the information received' });
  if (status === 'starting' || status === 'in_support')
    links.push({ href: `${base}/navigator`, text: 'Navigator: support plan, contacts and reviews' });
  if (status === 'with_locality') links.push({ href: `${base}/locality`, text: 'Locality team: accept or return' });
  if (status !== 'closed') links.push({ href: `${base}/context`, text: 'Needs in context' });
  return links;
}

/** Hub staff record the parent carer's consent on a held request. */
export async function consentByHub(ctx: HubCtx, user: AuthUser, hubId: string, requestId: string, body: Body) {
  await requireHub(ctx.db, user, hubId);
  await ctx.db.transaction().execute(async (tx) => {
    const r = await repo.lockRequest(tx, user.authorityId, requestId);
    if (r?.hub_id !== hubId) throw new NotFound('No request with that reference.');
    await consentTo(ctx, tx, user, requestId, body);
  });
}
