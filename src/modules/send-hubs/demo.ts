// The demo of a Devon-like county's SEND Support Hubs (issue 13 part 10), for `npm run demo` / `npm start` only:
// the 8 hubs and 4 localities in use with their staff and 40 settings (demo-org.ts), about 300 requests over the
// last six months at every stage (demo-plan.ts), written through the module's own intake and moved with the
// workflow on the demo clock, so the protocol steps, deadlines (some overdue today), timeline, audit and status
// projection are the real ones; weekly triage meetings with the triaged requests linked; a month of telephone
// advice calls (demo-calls.ts). Outcome columns are set as the triage part sets them (schema-send-hubs.ts).
// Fake children only (kit/fake.ts). Imports no demo module.
import { sql, type Updateable } from 'kysely';
import type { Db, Tx } from '../../db/database.ts';
import type { SupportRequestTable } from '../../db/schema-send-hubs.ts';
import { addDays, addWorkingDays, londonToday } from '../../domain/calendar.ts';
import type { DemoDayClock, DemoOrganisation } from '../kit/demo.ts';
import { FAMILY, fakeDob, fakeNhsNumber, fakeUpn, GIVEN, int, pick, type Rng, rng } from '../kit/fake.ts';
import { recordChange } from '../kit/record.ts';
import { seedAdviceCalls } from './demo-calls.ts';
import { type DemoHub, seedHubsInUse } from './demo-org.ts';
import { type Action, planRequests, type RequestPlan } from './demo-plan.ts';
import {
  apdrCycles,
  areasOfNeed,
  askingFor,
  CONTACT_SUMMARIES,
  childBand,
  DECLINES,
  PARENT_VIEWS,
  TRIAGE_NOTES,
} from './demo-text.ts';
import type { HubCtx } from './flow.ts';
import { type ChildDetails, recordConsent, submitRequest } from './intake.ts';

export interface SendHubsDemoSummary {
  requests: number;
  calls: number;
}

/** Seeds the county's hubs in use, requests, meetings and calls; does nothing if the council has any request. */
export async function seedSendHubsDemo(
  db: Db,
  ctx: HubCtx,
  clock: DemoDayClock,
  org: DemoOrganisation,
): Promise<SendHubsDemoSummary> {
  const already = await db
    .selectFrom('support_requests')
    .where('authority_id', '=', org.authorityId)
    .select('id')
    .executeTakeFirst();
  if (already || org.hubIds.length === 0) return { requests: 0, calls: 0 };
  const today = londonToday(clock.now());
  const domain = (org.users[0]?.email ?? '@demoshire.example').split('@')[1] as string;
  const r = rng(20261210);
  const hubs = await db.transaction().execute((tx) => seedHubsInUse(tx, org, today, domain));
  const plans = planRequests(r, hubs, today);
  const people = new Map<number, ChildDetails>();
  let serial = 0;
  try {
    for (const [i, plan] of plans.entries()) {
      const hub = hubs[plan.hub] as DemoHub;
      const setting = pick(r, hub.settings);
      const child = repeatOf(r, plans, i, people) ?? newChild(r, setting, today, serial++);
      people.set(i, child);
      await db.transaction().execute((tx) => runPlan(tx, { ctx, clock, org, r }, hub, setting, child, plan));
    }
  } finally {
    clock.reset();
  }
  const calls = await db.transaction().execute((tx) => seedAdviceCalls(tx, org.authorityId, hubs, r, today));
  return { requests: plans.length, calls };
}

/** A few children come back: a later request for a child whose earlier one at the same hub has closed. */
function repeatOf(r: Rng, plans: RequestPlan[], i: number, people: Map<number, ChildDetails>): ChildDetails | null {
  const plan = plans[i] as RequestPlan;
  if (!['waiting', 'more_info', 'starting'].includes(plan.fate) || r() > 0.3) return null;
  for (let j = 0; j < i; j++) {
    const earlier = plans[j] as RequestPlan;
    if (earlier.hub === plan.hub && ['advice', 'declined', 'support_closed'].includes(earlier.fate) && r() < 0.2)
      return people.get(j) ?? null;
  }
  return null;
}

function newChild(r: Rng, setting: DemoHub['settings'][number], today: string, serial: number): ChildDetails {
  const band = childBand(setting.kind, setting.name, r);
  return {
    given_name: pick(r, GIVEN),
    family_name: pick(r, FAMILY),
    date_of_birth: fakeDob(r, today, band.min, band.max),
    upn: setting.kind === 'early_years' || setting.kind === 'further_education' ? null : fakeUpn(r, 500 + serial),
    gender: pick(r, ['Female', 'Male']),
  };
}

interface Run {
  ctx: HubCtx;
  clock: DemoDayClock;
  org: DemoOrganisation;
  r: Rng;
}

interface Written {
  id: string;
  reference: string;
  personId: string;
  instanceId: string;
  navigator: string;
}

/** One request from receipt to where its plan leaves it, in one transaction, each action on its own day. */
async function runPlan(
  tx: Tx,
  run: Run,
  hub: DemoHub,
  setting: DemoHub['settings'][number],
  child: ChildDetails,
  plan: RequestPlan,
): Promise<void> {
  const { r, org } = run;
  let w: Written | null = null;
  for (const { on, act } of plan.actions) {
    run.clock.on(on);
    if (act.kind === 'submit') {
      w = await submit(tx, run, hub, setting, child, on, act.consent);
      continue;
    }
    if (!w) throw new Error('a demo request must be received first');
    const actor = { id: w.navigator, authorityId: org.authorityId };
    await step(tx, run, hub, w, act, on, actor, r);
  }
}

async function submit(
  tx: Tx,
  run: Run,
  hub: DemoHub,
  setting: DemoHub['settings'][number],
  child: ChildDetails,
  on: string,
  consent: boolean,
): Promise<Written> {
  const { r, org, ctx } = run;
  const online = r() < 0.8;
  const navigator = pick(r, hub.navigators);
  const areas = areasOfNeed(r);
  const band = childBand(setting.kind, setting.name, r);
  const age = Math.max(band.min, Number(on.slice(0, 4)) - Number(child.date_of_birth.slice(0, 4)));
  const written = await submitRequest(
    ctx,
    tx,
    { id: online ? setting.sencoId : navigator, authorityId: org.authorityId },
    {
      setting_id: setting.id,
      child,
      received_on: on,
      received_via: online ? 'online' : pick(r, ['phone', 'email'] as const),
      contact_name: 'The SENCO',
      year_group: band.year(age),
      areas_of_need: areas,
      apdr_cycles: apdrCycles(r, areas, on),
      sen_support_since: addDays(on, -int(r, 120, 500)),
      plan_review_date: addDays(on, int(r, 14, 60)),
      current_plan: 'SEN support plan with targets reviewed termly; provision map attached by the setting',
      asking_for: askingFor(r, areas),
      parent_views: consent ? pick(r, PARENT_VIEWS) : null,
      consent: consent ? 'given' : 'not_yet',
      consent_on: consent ? on : null,
    },
  );
  if (written.personCreated) {
    // What the council's own systems hold for a child new to Handover: an NHS number, the school, the locality.
    await tx
      .updateTable('people')
      .set({
        nhs_number: await freeNhsNumber(tx, org.authorityId, r),
        school: setting.name,
        locality_id: hub.localityId,
      })
      .where('id', '=', written.personId)
      .execute();
    await tx
      .insertInto('contacts')
      .values({
        authority_id: org.authorityId,
        person_id: written.personId,
        name: `${pick(r, ['Kim', 'Lee', 'Chris', 'Pat', 'Robin', 'Jess'])} ${child.family_name}`,
        relationship: pick(r, ['Mother', 'Father', 'Grandparent', 'Foster carer']),
        phone: '01632 960 123',
        parental_responsibility: true,
      })
      .execute();
  }
  return { ...written, navigator };
}

/** A test-range NHS number no one in the council has yet (the index is unique). */
async function freeNhsNumber(tx: Tx, authorityId: string, r: Rng): Promise<string> {
  for (;;) {
    const candidate = fakeNhsNumber(r);
    const taken = await tx
      .selectFrom('people')
      .where('authority_id', '=', authorityId)
      .where('nhs_number', '=', candidate)
      .select('id')
      .executeTakeFirst();
    if (!taken) return candidate;
  }
}

/** The change on the request's columns the way the triage part makes it, then the instance moved on. */
async function step(
  tx: Tx,
  run: Run,
  hub: DemoHub,
  w: Written,
  act: Exclude<Action, { kind: 'submit' }>,
  on: string,
  actor: { id: string; authorityId: string },
  r: Rng,
): Promise<void> {
  const { flow } = run.ctx;
  const note = async (title: string, action: string, by = actor) =>
    recordChange(tx, {
      actor: by,
      personId: w.personId,
      kind: 'send',
      title: `${title} (${w.reference})`,
      audit: { action, entity: 'support_request', entityId: w.id },
    });
  const set = (values: Updateable<SupportRequestTable>) =>
    tx.updateTable('support_requests').set(values).where('id', '=', w.id).execute();
  switch (act.kind) {
    case 'consent':
      return recordConsent(run.ctx, tx, actor, w.id, { given_on: on, parent_views: pick(r, PARENT_VIEWS) });
    case 'withdraw':
      await set({ outcome: 'withdrawn', outcome_notes: 'Withdrawn by the setting: needs now met in school' });
      await flow.advance(tx, w.instanceId, 'withdrawn', actor.id, { at: ['consent', 'more_info'] });
      return note('Request for SEND support withdrawn by the setting', 'support_request.withdrawn');
    case 'triage': {
      const chair = { id: hub.managerId, authorityId: actor.authorityId };
      await triage(tx, run, hub, w, act, on, chair, r);
      return note(`Triage outcome: ${act.outcome.replace(/_/g, ' ')}`, 'support_request.outcome', chair);
    }
    case 'info_received':
      await flow.update(tx, w.instanceId, { anchors: { first_response_due: addWorkingDays(on, hub.firstResponse) } });
      await flow.advance(tx, w.instanceId, 'info_received', actor.id, { at: ['more_info'] });
      return note('Information received: back to triage', 'support_request.info_received');
    case 'started':
      await set({ support_started_on: on });
      await flow.update(tx, w.instanceId, { anchors: { review_due: addDays(on, 42) } });
      await flow.advance(tx, w.instanceId, 'started', actor.id, { at: ['support'] });
      return note('First SEND Support started', 'support_request.started');
    case 'review':
      if (act.outcome === 'continue') await flow.update(tx, w.instanceId, { anchors: { review_due: addDays(on, 42) } });
      if (act.outcome === 'further_support') await set({ locality_team_id: hub.localityTeamId });
      await flow.advance(tx, w.instanceId, act.outcome, actor.id, { at: ['review'] });
      return note(`Support reviewed: ${act.outcome.replace(/_/g, ' ')}`, 'support_request.reviewed');
    case 'accepted':
      await accepted(tx, run, hub, w, on);
      return note('Accepted by the locality team for Further SEND Support', 'support_request.accepted', {
        id: hub.localityManagerId,
        authorityId: actor.authorityId,
      });
    case 'contact':
      return contact(tx, w, on, actor, r);
  }
}

/** The locality team takes it on: an involvement with a worker (the locality manager), then the step ends. */
async function accepted(tx: Tx, run: Run, hub: DemoHub, w: Written, on: string) {
  await tx
    .insertInto('involvements')
    .values({
      authority_id: run.org.authorityId,
      person_id: w.personId,
      team_id: hub.localityTeamId,
      worker_id: hub.localityManagerId,
      reason: `Further SEND Support (request ${w.reference})`,
      start_date: on,
    })
    .execute();
  await run.ctx.flow.advance(tx, w.instanceId, 'accepted', hub.localityManagerId, { at: ['locality'] });
}

/** A line in the request's contact log by its Navigator. */
async function contact(tx: Tx, w: Written, on: string, actor: { id: string; authorityId: string }, r: Rng) {
  await tx
    .insertInto('support_request_contacts')
    .values({
      authority_id: actor.authorityId,
      request_id: w.id,
      person_id: w.personId,
      contact_on: on,
      with_whom: pick(r, ['parent_carer', 'setting'] as const),
      method: pick(r, ['phone', 'visit', 'meeting', 'video'] as const),
      summary: pick(r, CONTACT_SUMMARIES),
      recorded_by: actor.id,
    })
    .execute();
}

async function triage(
  tx: Tx,
  run: Run,
  hub: DemoHub,
  w: Written,
  act: Extract<Action, { kind: 'triage' }>,
  on: string,
  actor: { id: string; authorityId: string },
  r: Rng,
): Promise<void> {
  const { flow } = run.ctx;
  const declined = act.outcome === 'declined' ? pick(r, DECLINES) : null;
  const services =
    act.outcome === 'first_support' ? [...new Set([pick(r, hub.serviceIds), pick(r, hub.serviceIds)])] : [];
  await tx
    .updateTable('support_requests')
    .set({
      outcome: act.outcome,
      outcome_notes: declined ? null : pick(r, TRIAGE_NOTES[act.outcome]),
      decline_reason: declined?.[0] ?? null,
      decline_alternative: declined?.[1] ?? null,
      triage_meeting_id: act.meetingId,
      first_response_on: sql<string>`coalesce(first_response_on, ${on}::date)`,
      ...(act.outcome === 'first_support' ? { navigator_user_id: w.navigator, hub_service_ids: services } : {}),
      ...(act.outcome === 'further_support' ? { locality_team_id: hub.localityTeamId } : {}),
    })
    .where('id', '=', w.id)
    .execute();
  if (act.outcome === 'first_support')
    await flow.update(tx, w.instanceId, {
      data: { navigator_id: w.navigator },
      anchors: { triaged: on, support_start_due: addWorkingDays(on, hub.supportStart) },
    });
  await flow.advance(tx, w.instanceId, act.outcome, actor.id, { at: ['triage'] });
}
