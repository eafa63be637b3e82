// The SEND Support Hubs demo of a Devon-like county (issue 13 part 10), as `npm run demo` makes it: 8 hubs and 4
// localities in use with their staff, 40 settings each with a SENCO's account, about 300 requests at every stage
// (some overdue today) whose status is the projection of where their protocol instance is, weekly triage meetings
// with the triaged requests linked, and a month of advice calls.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { addDays, dayOfWeek, isWorkingDay, toDayNumber } from '../src/domain/calendar.ts';
import { ensureDemo } from '../src/modules/demo/seed.ts';
import { FAMILY, GIVEN, rng } from '../src/modules/kit/fake.ts';
import { planRequests } from '../src/modules/send-hubs/demo-plan.ts';
import { STATUS_OF_STEP } from '../src/modules/send-hubs/flow.ts';
import type { SupportRequestStep } from '../src/protocols/send-support-request.ts';
import { fixedClock, testConfig, testDatabase } from './helpers.ts';

const { db } = await testDatabase({ demo: true });
const TODAY = '2026-11-23';
const clock = fixedClock(`${TODAY}T10:00:00Z`);
const started = Date.now();
await ensureDemo(db, { config: testConfig(), now: clock.now });
const seconds = (Date.now() - started) / 1000;
const authority = await db.selectFrom('authorities').where('code', '=', 'DEMO').select('id').executeTakeFirstOrThrow();
const a = authority.id;

const count = (rows: unknown[]) => rows.length;

test('8 hubs and 4 localities in use: managers, teams with 2-3 Navigators, services, targets', async () => {
  console.log(`ensureDemo took ${seconds.toFixed(1)} s`);
  const hubs = await db.selectFrom('hubs').where('authority_id', '=', a).selectAll().execute();
  assert.equal(hubs.length, 8);
  for (const h of hubs) {
    assert.ok(h.manager_user_id, `${h.name} has a manager`);
    assert.ok(h.team_id, `${h.name} has a team`);
    const navigators = await db
      .selectFrom('team_members as tm')
      .innerJoin('users as u', 'u.id', 'tm.user_id')
      .where('tm.team_id', '=', h.team_id)
      .where(sql<boolean>`'hub_practitioner' = ANY(u.roles)`)
      .select('u.id')
      .execute();
    assert.ok(navigators.length >= 2 && navigators.length <= 3, `${h.name}: ${navigators.length} Navigators`);
    const services = await db.selectFrom('hub_services').where('hub_id', '=', h.id).select('id').execute();
    assert.ok(services.length >= 4, `${h.name} has its services`);
  }
  assert.ok(
    hubs.some((h) => h.first_response_working_days !== 10),
    'a hub has its own first-response target',
  );
  assert.ok(new Set(hubs.map((h) => h.triage_weekday)).size > 1, 'hubs triage on different days');
  const localities = await db.selectFrom('localities').where('authority_id', '=', a).selectAll().execute();
  assert.equal(localities.length, 4);
  for (const l of localities) assert.ok(l.manager_user_id && l.team_id, `${l.name} has a manager and a team`);
  const signIns = await db
    .selectFrom('users')
    .where('email', 'in', ['senco@demoshire.example', 'hub.manager@demoshire.example'])
    .select('roles')
    .execute();
  assert.deepEqual(signIns.map((u) => u.roles[0]).sort(), ['hub_manager', 'setting_user']);
});

test('40 settings of every kind, each with a team inbox and a SENCO account', async () => {
  const settings = await db.selectFrom('settings').where('authority_id', '=', a).selectAll().execute();
  assert.equal(settings.length, 40);
  assert.deepEqual([...new Set(settings.map((s) => s.kind))].sort(), [
    'early_years',
    'further_education',
    'school',
    'special_school',
  ]);
  for (const s of settings) {
    assert.match(s.inbox_email ?? '', /@demoshire\.example$/, `${s.name} has a team inbox`);
    const senco = await db
      .selectFrom('setting_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('m.setting_id', '=', s.id)
      .where('m.position', '=', 'senco')
      .select('u.roles')
      .executeTakeFirst();
    assert.deepEqual(senco?.roles, ['setting_user'], `${s.name} has a SENCO account`);
  }
  const hubsServed = new Set(settings.map((s) => s.hub_id));
  assert.equal(hubsServed.size, 8, 'every hub serves settings');
  const northgate = await db
    .selectFrom('setting_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('settings as s', 's.id', 'm.setting_id')
    .where('s.name', '=', 'Northgate Primary School')
    .select('u.email')
    .execute();
  assert.deepEqual(northgate.map((u) => u.email).sort(), ['head.teacher@demoshire.example', 'senco@demoshire.example']);
});

async function requests() {
  return db
    .selectFrom('support_requests as r')
    .innerJoin('protocol_instances as i', 'i.id', 'r.protocol_instance_id')
    .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .where('r.authority_id', '=', a)
    .select([
      'r.id',
      'r.hub_id',
      'r.status',
      'r.result',
      'r.outcome',
      'r.received_on',
      'r.first_response_on',
      'r.triage_meeting_id',
      'r.navigator_user_id',
      'r.support_started_on',
      'r.decline_reason',
      'r.decline_alternative',
      'r.closed_on',
      'i.status as instance_status',
      'i.result as instance_result',
      's.id as step_id',
      's.step_key',
      's.status as step_status',
      's.due_date',
    ])
    .execute();
}

test('about 300 requests over six months at every stage, each status the projection of its open step', async () => {
  const rows = await requests();
  assert.ok(rows.length >= 280 && rows.length <= 320, `${rows.length} requests`);
  const statuses = new Set(rows.map((r) => r.status));
  for (const s of ['held', 'waiting', 'more_info', 'starting', 'in_support', 'with_locality', 'closed'])
    assert.ok(statuses.has(s as never), `a request is ${s}`);
  const results = new Set(rows.filter((r) => r.status === 'closed').map((r) => r.result));
  for (const x of ['advice', 'closed', 'further_support', 'ehc_assessment', 'declined', 'withdrawn'])
    assert.ok(results.has(x), `a request closed with ${x}`);
  for (const r of rows) {
    if (r.status === 'closed') {
      assert.equal(r.instance_status, 'ended', 'a closed request has an ended instance');
      assert.equal(r.result, r.instance_result);
      assert.ok(r.closed_on && r.closed_on <= TODAY && r.closed_on >= r.received_on);
    } else {
      assert.equal(r.step_status, 'open');
      assert.equal(STATUS_OF_STEP[r.step_key as SupportRequestStep], r.status, `${r.status} at ${r.step_key}`);
    }
    assert.ok(r.received_on <= TODAY && r.received_on >= addDays(TODAY, -200), `received ${r.received_on}`);
    if (r.first_response_on) assert.ok(r.first_response_on >= r.received_on);
    if (r.outcome === 'declined') assert.ok(r.decline_reason && r.decline_alternative, 'a decline has both');
    if (['starting', 'in_support'].includes(r.status)) assert.ok(r.navigator_user_id, 'support has a Navigator');
    if (r.status === 'in_support') assert.ok(r.support_started_on);
  }
  const by = (k: (r: (typeof rows)[number]) => string | null) => {
    const n = new Map<string, number>();
    for (const r of rows) n.set(String(k(r)), (n.get(String(k(r))) ?? 0) + 1);
    return [...n].map(([x, c]) => `${x} ${c}`);
  };
  const span = await sql<{
    s: number;
  }>`SELECT extract(epoch FROM max(created_at) - min(created_at))::float AS s FROM support_requests`.execute(db);
  console.log(`statuses: ${by((r) => r.status).join(', ')}; results: ${by((r) => r.result).join(', ')}`);
  console.log(`the requests took ${span.rows[0]?.s.toFixed(1)} s of the demo's ${seconds.toFixed(1)} s`);
  const months = new Set(rows.map((r) => r.received_on.slice(0, 7)));
  assert.ok(months.size >= 6, `received over ${months.size} months`);
});

test('some open steps are overdue today: held, waiting for triage, starting support, with the locality', async () => {
  const rows = await requests();
  const overdue = rows.filter((r) => r.step_status === 'open' && r.due_date && r.due_date < TODAY);
  const at = new Set(overdue.map((r) => r.step_key));
  for (const s of ['consent', 'triage', 'support', 'locality', 'more_info']) assert.ok(at.has(s), `overdue at ${s}`);
  const onTime = rows.filter((r) => r.step_status === 'open' && r.due_date && r.due_date >= TODAY);
  assert.ok(onTime.length > overdue.length / 2, 'most open steps are not overdue');
  // Each overdue step's escalation ladder waits for the deadline sweep: it escalates by itself.
  const waiting = await db
    .selectFrom('deadlines')
    .where('subject_type', '=', 'protocol_step')
    .where(
      'subject_id',
      'in',
      overdue.map((r) => r.step_id as string),
    )
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('due_at', '<=', clock.now())
    .select('subject_id')
    .distinct()
    .execute();
  assert.equal(waiting.length, overdue.length, 'every overdue step has a rung due for the sweep');
});

test('weekly triage meetings: held over the past weeks, the next one planned, triaged requests linked', async () => {
  const meetings = await db.selectFrom('triage_meetings').where('authority_id', '=', a).selectAll().execute();
  const rows = await requests();
  for (const hubId of new Set(meetings.map((m) => m.hub_id))) {
    const mine = meetings.filter((m) => m.hub_id === hubId);
    const recent = mine.filter((m) => m.held && m.meeting_date >= addDays(TODAY, -56) && m.meeting_date < TODAY);
    assert.ok(recent.length >= 7, `8 weeks of held meetings (${recent.length})`);
    const planned = mine.filter((m) => !m.held);
    assert.equal(planned.length, 1, 'the next one is planned');
    assert.ok((planned[0]?.meeting_date ?? '') >= TODAY);
  }
  assert.equal(new Set(meetings.map((m) => m.hub_id)).size, 8);
  const byId = new Map(meetings.map((m) => [m.id, m]));
  const triaged = rows.filter((r) => r.first_response_on);
  assert.ok(triaged.length > 150);
  for (const r of triaged) {
    const m = byId.get(r.triage_meeting_id ?? '');
    assert.ok(m, 'a triaged request is linked to its meeting');
    assert.equal(m.hub_id, r.hub_id);
    assert.ok(m.held && m.meeting_date >= (r.first_response_on as string));
  }
});

test('a month of advice calls: about ten a week per hub, topics, callers, follow-ups open, some linked', async () => {
  const calls = await db.selectFrom('advice_calls').where('authority_id', '=', a).selectAll().execute();
  assert.ok(calls.length >= 250 && calls.length <= 400, `${calls.length} calls`);
  for (const c of calls) assert.ok(c.called_on <= TODAY && c.called_on >= addDays(TODAY, -31));
  assert.ok(new Set(calls.map((c) => c.topic)).size >= 6, 'several topics');
  assert.ok(new Set(calls.map((c) => c.caller_type)).size >= 5, 'several caller types');
  const open = calls.filter((c) => c.follow_up && !c.follow_up_done_on);
  assert.ok(open.length > 0, 'some follow-ups are open');
  assert.ok(
    open.some((c) => (c.follow_up_due ?? '') < TODAY),
    'some open follow-ups are past due',
  );
  assert.ok(
    calls.some((c) => c.follow_up_done_on),
    'some follow-ups are done',
  );
  assert.ok(calls.some((c) => c.person_id) && calls.some((c) => !c.person_id), 'linked and anonymous calls');
  assert.equal(count(calls.filter((c) => c.follow_up && !c.follow_up_owner_id)), 0);
});

test('the children are fictional: names from the demo lists, created through the intake', async () => {
  const people = await db
    .selectFrom('support_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .where('r.authority_id', '=', a)
    .select(['p.given_name', 'p.family_name'])
    .distinct()
    .execute();
  for (const p of people) {
    assert.ok((GIVEN as readonly string[]).includes(p.given_name), p.given_name);
    assert.ok((FAMILY as readonly string[]).includes(p.family_name), p.family_name);
  }
  const created = await db
    .selectFrom('audit_log')
    .where('authority_id', '=', a)
    .where('action', '=', 'support_request.received')
    .select('seq')
    .execute();
  assert.equal(created.length, (await requests()).length, 'every request came in through the intake');
});

test('the plan holds on any day of the year: every action valid where the request is, none after today', () => {
  const next: Record<string, Partial<Record<string, string>>> = {
    consent: { consent: 'triage', withdraw: 'end' },
    triage: {
      advice: 'end',
      declined: 'end',
      ehc_assessment: 'end',
      first_support: 'support',
      further_support: 'locality',
      more_info: 'more_info',
    },
    more_info: { info_received: 'triage', withdraw: 'end' },
    support: { started: 'review', contact: 'support' },
    review: {
      continue: 'review',
      closed: 'end',
      ehc_assessment: 'end',
      further_support: 'locality',
      contact: 'review',
    },
    locality: { accepted: 'end' },
  };
  for (let d = 0; d < 366; d += 3) {
    const today = addDays('2026-01-01', d);
    const hubs = [1, 3, 5].map((weekday, index) => {
      const held = [];
      for (let k = 1; k <= 200 && held.length < 27; k++) {
        const day = addDays(today, -k);
        if (dayOfWeek(toDayNumber(day)) === weekday && isWorkingDay(day)) held.push({ id: day, date: day });
      }
      return { index, held, supportStart: 10 };
    });
    const plans = planRequests(rng(d), hubs, today);
    assert.equal(plans.length, 300);
    for (const p of plans) {
      let at = 'new';
      for (const { on, act } of p.actions) {
        assert.ok(on <= today, `${today}: ${p.fate} acts on ${on}`);
        if (act.kind === 'submit') {
          assert.equal(at, 'new');
          at = act.consent ? 'triage' : 'consent';
          continue;
        }
        const key = act.kind === 'triage' || act.kind === 'review' ? act.outcome : act.kind;
        const to = next[at]?.[key];
        assert.ok(to, `${today}: ${p.fate}: ${key} at ${at}`);
        if (act.kind === 'triage') assert.ok(hubs[p.hub]?.held.some((m) => m.id === act.meetingId && m.date === on));
        at = to;
      }
    }
  }
});
