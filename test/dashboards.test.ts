// Managers' dashboards (issue 14 part 2): figures on seeded rows against hand counts for a team, its service and the
// council; who may open which scope (another is not found, the same as one that does not exist); each table as CSV;
// the API gives the page's numbers; canaries (quality.md S15): no name, case number or date of birth in the page,
// a CSV or the API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { primaryReports } from '../src/db/reports.ts';
import type { AuthUser } from '../src/http/types.ts';
import { authUserById } from '../src/modules/auth/service.ts';
import { CSV_KEYS } from '../src/modules/dashboards/schemas.ts';
import { dashboardSubscribable } from '../src/modules/dashboards/subscribable.ts';
import { assessmentClocks } from '../src/modules/ehcp/clocks.ts';
import { tokenFor } from './contextual-setup.ts';
import { fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const testDb = await testDatabase();
const { db } = testDb;
const owner = testDb.asOwner();
const org = await seedOrganisation(db, 'dash');
const clock = fixedClock('2026-12-07T10:00:00Z');
const app = await testApp(db, { now: clock.now });
const a = org.authorityId;
const tm = userByRole(org, 'team_manager');
const sm = userByRole(org, 'service_manager');
const worker = userByRole(org, 'social_worker');

const csc = await db.selectFrom('users').where('id', '=', sm.id).select('service_id').executeTakeFirstOrThrow();
const newTeam = async (name: string) =>
  (
    await db
      .insertInto('teams')
      .values({ authority_id: a, service_id: csc.service_id as string, name })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const teamA = await newTeam('Dashboard Team A');
const teamB = await newTeam('Dashboard Team B');
await db.insertInto('team_members').values({ team_id: teamA, user_id: tm.id }).execute();
const lead = await db
  .insertInto('users')
  .values({ authority_id: a, email: 'lead@dash.test.example', display_name: 'Lead', roles: ['service_lead'] })
  .returning('id')
  .executeTakeFirstOrThrow();
const as = {
  tm: await tokenFor(db, tm.id),
  sm: await tokenFor(db, sm.id),
  lead: await tokenFor(db, lead.id),
  worker: await tokenFor(db, worker.id),
};

// Canary values: none of them may appear on a dashboard.
const CANARY = { given: 'Zebedee', family: 'Canarywood', case: 'CANARY', dob: '2010-03-14' };
let n = 0;
const person = (team: string, allocated: boolean) =>
  personInTeam(db, {
    authorityId: a,
    team,
    worker: allocated ? worker.id : null,
    caseNumber: `${CANARY.case}${++n}`,
    givenName: CANARY.given,
    familyName: `${CANARY.family}${n}`,
    dateOfBirth: CANARY.dob,
  });
const status = (personId: string, s: string) =>
  db
    .insertInto('person_statuses')
    .values({ authority_id: a, person_id: personId, status: s, start_date: '2026-01-01' })
    .execute();

// The database refuses an unallocated child on a plan or in care (migration 2026_11_22_0030's never_unallocated): the
// dashboard's "must be 0" figure is the check that it holds, so to see it count, the trigger is off while seeding.
await sql`ALTER TABLE person_statuses DISABLE TRIGGER person_statuses_never_unallocated`.execute(owner);
// Team A: three unallocated (one on a child protection plan), one allocated. Team B: one unallocated child in care.
const pCp = await person(teamA, false);
await status(pCp, 'child_protection_plan');
const pWait = await person(teamA, false);
await person(teamA, false);
const pAlloc = await person(teamA, true);
const pB = await person(teamB, false);
await status(pB, 'child_in_care');
await sql`ALTER TABLE person_statuses ENABLE TRIGGER person_statuses_never_unallocated`.execute(owner);

// Protocol steps: on team A's case two overdue steps (one escalated twice) and one not yet due; on team B's, one
// overdue, escalated once. A step done in October after being due in September was overdue at September's end.
const version = await db
  .selectFrom('protocol_versions')
  .select(['protocol_id', 'version', 'title'])
  .executeTakeFirstOrThrow();
const involvementOf = async (personId: string) =>
  (await db.selectFrom('involvements').where('person_id', '=', personId).select('id').executeTakeFirstOrThrow()).id;
const instance = async (personId: string) =>
  (
    await db
      .insertInto('protocol_instances')
      .values({
        authority_id: a,
        person_id: personId,
        involvement_id: await involvementOf(personId),
        protocol_id: version.protocol_id,
        protocol_version: version.version,
        started_by: tm.id,
        anchors: '{}',
        data: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const step = async (
  inst: string,
  personId: string,
  key: string,
  due: string,
  o: { escalations?: number; done?: string; entered?: string } = {},
) =>
  db
    .insertInto('protocol_steps')
    .values({
      authority_id: a,
      instance_id: inst,
      person_id: personId,
      step_key: key,
      due_date: due,
      owner_label: 'A team',
      entered_at: new Date(`${o.entered ?? '2026-06-01'}T09:00:00Z`),
      entered_on: o.entered ?? '2026-06-01',
      escalations: o.escalations ?? 0,
      ...(o.done ? { status: 'done' as const, decided_at: new Date(`${o.done}T09:00:00Z`) } : {}),
    })
    .execute();
const instA = await instance(pCp);
await step(instA, pCp, 'step-one', '2026-12-01');
await step(instA, pCp, 'step-one', '2026-11-20', { escalations: 2 });
await step(instA, pCp, 'step-two', '2026-12-20');
await step(instA, pCp, 'step-two', '2026-09-10', { done: '2026-10-05' });
const instB = await instance(pB);
await step(instB, pB, 'step-one', '2026-11-01', { escalations: 1 });

// A transfer out of team A, requested five weeks ago and sent.
await db
  .insertInto('transfers')
  .values({
    authority_id: a,
    person_id: pWait,
    from_involvement_id: await involvementOf(pWait),
    from_team_id: teamA,
    to_team_id: teamB,
    status: 'sent',
    reason: 'Moving on',
    requested_by: tm.id,
    requested_at: new Date('2026-11-02T10:00:00Z'),
  })
  .execute();

// EHC assessments of team A's allocated child: a plan issued late (no exceptions), a plan issued in time with an
// exception, one still waiting for the decision whether to assess, past its 6 weeks.
const late = {
  request_date: '2026-02-02',
  decision_to_assess: 'assess' as const,
  decision_date: '2026-03-09',
  not_issue_date: null,
  draft_served_date: '2026-06-01',
  final_issued_date: '2026-07-01',
};
const ontime = { ...late, request_date: '2026-03-02', final_issued_date: '2026-07-13' };
const waiting = {
  ...late,
  request_date: '2026-10-01',
  decision_to_assess: null,
  decision_date: null,
  draft_served_date: null,
  final_issued_date: null,
};
for (const v of [late, ontime, waiting]) {
  const row = await db
    .insertInto('ehcp_assessments')
    .values({ authority_id: a, person_id: pAlloc, requested_by: 'parent', ...v })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (v === ontime)
    await db
      .insertInto('ehcp_exceptions')
      .values({
        authority_id: a,
        assessment_id: row.id,
        person_id: pAlloc,
        type: 'school_closure',
        start_date: '2026-04-01',
        end_date: '2026-04-14',
        reason: 'Closed',
      })
      .execute();
}

// A mentoring referral waiting 20 days; a plan action that is a gap, with no owner, overdue; an open system block
// linked to team A's child.
await db
  .insertInto('mentoring_referrals')
  .values({ authority_id: a, person_id: pWait, referred_by: tm.id, referred_on: '2026-11-17', reason: 'r', hopes: 'h' })
  .execute();
const plan = await db
  .insertInto('plans')
  .values({ authority_id: a, person_id: pWait })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('plan_actions')
  .values({
    authority_id: a,
    plan_id: plan.id,
    person_id: pWait,
    description: 'Find a flat',
    issue_type: 'gap',
    due_date: '2026-12-01',
  })
  .execute();
const block = await db
  .insertInto('system_blocks')
  .values({
    authority_id: a,
    kind: 'no_provider',
    description: 'No provider',
    raised_by: tm.id,
    raised_on: '2026-10-01',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('system_block_cases')
  .values({ authority_id: a, block_id: block.id, person_id: pCp, linked_by: tm.id })
  .execute();

type Api = {
  tables: { key: string; rows: { label: string; values: number[] }[] }[];
  headline: { label: string; count: number }[];
  trends: { key: string; months: { month: string; counts: Record<string, number> }[] }[];
};
const get = async (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers });
const api = async (url: string, headers: Record<string, string>) => {
  const res = await get(url, headers);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Api;
};
const table = (d: Api, key: string) =>
  Object.fromEntries(d.tables.find((t) => t.key === key)?.rows.map((r) => [r.label, r.values]) ?? []);

test('a team’s dashboard counts its own cases, by hand', async () => {
  const d = await api(`/api/v1/dashboards/team/${teamA}`, as.tm);
  const overdue = table(d, 'overdue');
  assert.deepEqual(
    Object.values(overdue).reduce((s, v) => s + (v[0] as number), 0),
    2,
    'two overdue steps',
  );
  assert.deepEqual(table(d, 'escalations'), {
    'Level 1 (escalated once)': [0],
    'Level 2 (escalated twice)': [1],
    'Level 3 or more': [0],
    'Capacity escalations': [0],
  });
  assert.deepEqual(table(d, 'unallocated'), {
    'All unallocated': [3],
    'With a child protection plan (must be 0)': [1],
    'Child in care (must be 0)': [0],
  });
  assert.deepEqual(table(d, 'transfers')['Sent to the receiving team'], [1, 0, 1, 0, 0, 0]);
  assert.deepEqual(table(d, 'referrals')['Mentoring referrals'], [1, 0, 1, 0]);
  assert.deepEqual(table(d, 'gaps')['Gap in provision'], [1, 1, 1]);
  assert.deepEqual(table(d, 'blocks')['No provider available'], [1, 1]);
  assert.deepEqual(table(d, 'blocks')['Plan actions with no owner'], [1, 1]);
  // The overdue trend: September's end held the step done in October.
  const trend = d.trends.find((t) => t.key === 'overdue')?.months ?? [];
  assert.equal(trend.length, 12);
  assert.equal(trend.find((m) => m.month === '2026-09')?.counts.Overdue, 1);
  assert.equal(trend.find((m) => m.month === '2026-12')?.counts.Overdue, 2);
});

test('EHC figures are the EHCP clocks’ own: 6/16/20 weeks, with and without exceptions', async () => {
  const d = await api(`/api/v1/dashboards/team/${teamA}`, as.tm);
  const today = '2026-12-07';
  const expect = (key: string) => {
    const states = [late, ontime, waiting].map(
      (v) =>
        assessmentClocks(
          v,
          v === ontime ? [{ start_date: '2026-04-01', end_date: '2026-04-14' }] : [],
          [],
          today,
        ).clocks.find((c) => c.key === key)?.state,
    );
    return ['done', 'done_late', 'overdue', 'open'].map((s) => states.filter((x) => x === s).length);
  };
  const t = table(d, 'assessments');
  assert.deepEqual(t['6 weeks: decision whether to assess'], expect('decision_to_assess'));
  assert.deepEqual(t['20 weeks: final plan issued'], expect('final_plan'));
  assert.deepEqual(t['6 weeks: decision whether to assess'], [2, 0, 1, 0], 'two decided in time, one overdue');
  assert.deepEqual(t['20 weeks: final plan issued'], [1, 1, 0, 1]);
  assert.deepEqual(table(d, 'timeliness'), {
    'All plans issued': [2, 1, 50],
    'Excluding exceptions': [1, 0, 0],
  });
});

test('the council and a service count every team; a scope not the viewer’s is not found', async () => {
  const council = await api('/api/v1/dashboards/council', as.lead);
  assert.deepEqual(table(council, 'unallocated')['Child in care (must be 0)'], [1]);
  assert.ok((table(council, 'unallocated')['All unallocated']?.[0] ?? 0) >= 4);
  const service = await api(`/api/v1/dashboards/service/${csc.service_id}`, as.sm);
  assert.deepEqual(table(service, 'escalations')['Level 1 (escalated once)'], [1]);
  // The team manager sees team A only: team B, the service and the council are not found.
  for (const url of [
    `/api/v1/dashboards/team/${teamB}`,
    `/api/v1/dashboards/service/${csc.service_id}`,
    '/api/v1/dashboards/council',
    `/dashboards/team/${teamB}`,
    `/dashboards/team/${teamB}/overdue.csv`,
    '/api/v1/dashboards/team/not-an-id',
  ]) {
    const res = await get(url, as.tm);
    assert.equal(res.statusCode, 404, url);
    assert.match(res.body, /No dashboard with that reference/);
  }
  // A social worker has no dashboard capability at all.
  assert.equal((await get(`/api/v1/dashboards/team/${teamA}`, as.worker)).statusCode, 403);
  const chooser = (await get('/api/v1/dashboards', as.tm)).json() as { kind: string; id: string }[];
  assert.deepEqual(
    chooser.filter((c) => c.id === teamA || c.id === teamB).map((c) => c.id),
    [teamA],
  );
  const mine = (await get('/api/v1/dashboards', as.worker)).json() as unknown[];
  assert.deepEqual(mine, []);
});

test('the page draws each table as a chart with a table, links each CSV, and every CSV has the API’s numbers', async () => {
  const page = await get(`/dashboards/team/${teamA}`, as.tm);
  assert.equal(page.statusCode, 200);
  assert.equal((page.body.match(/role="img"/g) ?? []).length, 12);
  assert.match(page.body, /govuk-tag--red">1: must be 0/);
  assert.match(page.body, /\/subscriptions\/new\?list=dashboard&amp;scope=team&amp;id=/);
  const d = await api(`/api/v1/dashboards/team/${teamA}`, as.tm);
  for (const key of CSV_KEYS) {
    assert.match(page.body, new RegExp(`/dashboards/team/${teamA}/${key}.csv`));
    const res = await get(`/dashboards/team/${teamA}/${key}.csv`, as.tm);
    assert.equal(res.statusCode, 200, key);
    assert.match(res.headers['content-type'] as string, /text\/csv/);
    if (key === 'unallocated') assert.match(res.body, /"With a child protection plan \(must be 0\)","1"/);
    if (!key.startsWith('trend-'))
      assert.equal(res.body.trim().split('\r\n').length, (d.tables.find((t) => t.key === key)?.rows.length ?? 0) + 1);
  }
  assert.equal((await get(`/dashboards/team/${teamA}/nothing.csv`, as.tm)).statusCode, 404);
});

test('canaries: no name, case number or date of birth on a page, a CSV or the API (S15)', async () => {
  const urls = [
    `/dashboards/team/${teamA}`,
    `/api/v1/dashboards/team/${teamA}`,
    ...CSV_KEYS.map((k) => `/dashboards/team/${teamA}/${k}.csv`),
  ];
  const leadUrls = [
    '/dashboards/council',
    '/api/v1/dashboards/council',
    ...CSV_KEYS.map((k) => `/dashboards/council/${k}.csv`),
  ];
  for (const [url, who] of [...urls.map((u) => [u, as.tm] as const), ...leadUrls.map((u) => [u, as.lead] as const)]) {
    const res = await get(url, who);
    assert.equal(res.statusCode, 200, url);
    for (const c of [CANARY.given, CANARY.family, CANARY.case, CANARY.dob, pCp, pB])
      assert.ok(!res.body.includes(c), `${url} contains ${c}`);
  }
});

test('the dashboard subscription: headline counts for a scope the subscriber may see, none for one they may not', async () => {
  const ctx = { authorityId: a, today: '2026-12-07', db, reports: primaryReports(db) };
  const manager = (await authUserById(db, tm.id)) as AuthUser;
  const ok = await dashboardSubscribable.checkFilters(db, a, { scope: 'team', id: teamA }, manager);
  assert.deepEqual(ok, { ok: true, filters: { scope: 'team', id: teamA } });
  const bad = await dashboardSubscribable.checkFilters(db, a, { scope: 'team', id: 'nope' }, manager);
  assert.equal(bad.ok, false);
  // A team of the council that is not the subscriber's, and the council's own: refused as on the pages.
  const notTheirs = await dashboardSubscribable.checkFilters(db, a, { scope: 'team', id: teamB }, manager);
  assert.deepEqual(notTheirs, { ok: false, errors: { id: 'Choose a team from the dashboards page' } });
  const council = await dashboardSubscribable.checkFilters(db, a, { scope: 'council' }, manager);
  assert.equal(council.ok, false);
  const counts = await dashboardSubscribable.counts({ ...ctx, userId: tm.id, filters: { scope: 'team', id: teamA } });
  assert.equal(counts.find((c) => c.label === 'Unallocated children')?.count, 3);
  assert.deepEqual(
    await dashboardSubscribable.counts({ ...ctx, userId: tm.id, filters: { scope: 'team', id: teamB } }),
    [],
  );
  assert.equal(dashboardSubscribable.path({ scope: 'team', id: teamA }), `/dashboards/team/${teamA}`);
});

test('a service manager’s membership of a team in another service opens that team, never that service', async () => {
  const other = await db
    .insertInto('services')
    .values({ authority_id: a, name: 'Dashboard other service', kind: 'education' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const otherTeam = (
    await db
      .insertInto('teams')
      .values({ authority_id: a, service_id: other.id, name: 'Dashboard other team' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await db.insertInto('team_members').values({ team_id: otherTeam, user_id: sm.id }).execute();
  for (const url of [`/api/v1/dashboards/service/${other.id}`, `/dashboards/service/${other.id}`]) {
    const res = await get(url, as.sm);
    assert.equal(res.statusCode, 404, url);
    assert.match(res.body, /No dashboard with that reference/);
  }
  assert.equal((await get(`/api/v1/dashboards/team/${otherTeam}`, as.sm)).statusCode, 200, 'their own team');
  assert.equal((await get(`/api/v1/dashboards/service/${csc.service_id}`, as.sm)).statusCode, 200, 'their service');
  const chooser = (await get('/api/v1/dashboards', as.sm)).json() as { kind: string; id: string }[];
  assert.deepEqual(
    chooser.filter((c) => c.kind === 'service').map((c) => c.id),
    [csc.service_id],
  );
  // An account that holds no service takes its service from its teams (docs/decisions.md).
  const noService = await db
    .insertInto('users')
    .values({ authority_id: a, email: 'sm2@dash.test.example', display_name: 'SM two', roles: ['service_manager'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('team_members').values({ team_id: otherTeam, user_id: noService.id }).execute();
  const sm2 = await tokenFor(db, noService.id);
  assert.equal((await get(`/api/v1/dashboards/service/${other.id}`, sm2)).statusCode, 200);
  assert.equal((await get(`/api/v1/dashboards/service/${csc.service_id}`, sm2)).statusCode, 404);
});

test('plan actions are counted per young person and summed: open only, each person once (one statement)', async () => {
  const teamC = await newTeam('Dashboard Team C');
  await db.insertInto('team_members').values({ team_id: teamC, user_id: lead.id }).execute();
  const [p1, p2] = [await person(teamC, true), await person(teamC, true)];
  const plans = new Map<string, string>();
  for (const p of [p1, p2])
    plans.set(
      p,
      (await db.insertInto('plans').values({ authority_id: a, person_id: p }).returning('id').executeTakeFirstOrThrow())
        .id,
    );
  const action = async (
    p: string,
    o: { issue?: 'gap' | 'capacity'; due: string; owned?: boolean; status?: 'done' | 'in_progress' },
  ) =>
    db
      .insertInto('plan_actions')
      .values({
        authority_id: a,
        plan_id: plans.get(p) as string,
        person_id: p,
        description: 'An action',
        due_date: o.due,
        ...(o.issue ? { issue_type: o.issue } : {}),
        ...(o.owned ? { owner_user_id: worker.id } : {}),
        ...(o.status ? { status: o.status } : {}),
      })
      .execute();
  // p1: two gaps (one overdue, owned; one not due, no owner), a capacity issue that is done (not counted).
  await action(p1, { issue: 'gap', due: '2026-12-01', owned: true });
  await action(p1, { issue: 'gap', due: '2027-01-10' });
  await action(p1, { issue: 'capacity', due: '2026-11-01', status: 'done' });
  // p2: a capacity issue in progress and overdue with no owner; an ordinary action owned and overdue.
  await action(p2, { issue: 'capacity', due: '2026-11-20', status: 'in_progress' });
  await action(p2, { due: '2026-11-30', owned: true });
  const d = await api(`/api/v1/dashboards/team/${teamC}`, as.lead);
  assert.deepEqual(table(d, 'gaps'), { 'Gap in provision': [2, 1, 1], Capacity: [1, 1, 1] });
  assert.deepEqual(table(d, 'blocks'), { 'Plan actions with no owner': [2, 2], 'Plan actions overdue': [2, 2] });
});
