// The hub dashboard (issue 13 part 8) from requests taken in through the module's intake, their triage and support
// dates set in the test data (the dashboard reads the request's columns and its instance's anchors): requests
// waiting now, working days to first response and to support starting (median, 90th percentile, % within the
// hub's target, still waiting), outcomes, areas of need, settings, declines, overdue now; the page's SVG charts
// each with a table, the CSV, the locality view; a Navigator is refused, another hub's manager gets not found.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SupportRequestStatus, TriageOutcome } from '../src/db/schema-send-hubs.ts';
import { hubsSetup } from './send-hubs-setup.ts';

const s = await hubsSetup('dashboard');
const { db, app, org, hub1, hub2, users, api } = s;
// Today is Monday 23 November 2026; the hub's targets are 10 working days each.

async function settle(
  r: { id: string; instanceId: string },
  set: {
    status: SupportRequestStatus;
    outcome?: TriageOutcome;
    first_response_on?: string;
    support_started_on?: string;
    decline_reason?: string;
    decline_alternative?: string;
  },
) {
  await db.updateTable('support_requests').set(set).where('id', '=', r.id).execute();
  // Its triage is over: the step the intake opened is no longer open (so it is not overdue).
  await db
    .updateTable('protocol_steps')
    .set({ status: 'done' })
    .where('instance_id', '=', r.instanceId)
    .where('status', '=', 'open')
    .execute();
}

const r1 = await s.newRequest({ receivedOn: '2026-11-02' });
await settle(r1, { status: 'closed', outcome: 'advice', first_response_on: '2026-11-04' });
const r2 = await s.newRequest({ receivedOn: '2026-11-02' });
await settle(r2, {
  status: 'in_support',
  outcome: 'first_support',
  first_response_on: '2026-11-20',
  support_started_on: '2026-11-23',
});
const r3 = await s.newRequest({ receivedOn: '2026-11-09', areas: ['cognition_learning', 'semh'] });
await settle(r3, {
  status: 'closed',
  outcome: 'declined',
  first_response_on: '2026-11-13',
  decline_reason: '=Needs met by the setting’s own graduated response',
  decline_alternative: 'Advice line and the SENCO network meeting',
});
const r4 = await s.newRequest({ receivedOn: '2026-11-16', setting: 'riverside' });
await settle(r4, { status: 'starting', outcome: 'first_support', first_response_on: '2026-11-19' });
await s.newRequest({ receivedOn: '2026-11-23', areas: ['semh'] }); // waiting for triage, 0 days so far
await s.newRequest({ receivedOn: '2026-11-23', consent: 'not_yet' }); // held
await s.newRequest({ receivedOn: '2026-11-02' }); // waiting 15 working days: triage overdue since 16 November
const old = await s.newRequest({ receivedOn: '2025-06-02' });
await settle(old, { status: 'closed', outcome: 'advice', first_response_on: '2025-06-04' });

const get = (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers });
const count = (list: { key: string; count: number }[], key: string) => list.find((c) => c.key === key)?.count;

test('the figures: waiting now, response times against the target, outcomes, areas, settings, declines, overdue', async () => {
  const res = await get(`/api/v1/send/hubs/${hub1}/dashboard`, api.hubManager);
  assert.equal(res.statusCode, 200, res.body);
  const d = res.json();
  assert.deepEqual(d.period, { months: 12, from: '2025-11-23', to: '2026-11-23' });
  assert.equal(d.hub.first_response_target_working_days, 10);
  assert.equal(d.received, 7);
  assert.deepEqual(
    d.waiting_now.map((w: { key: string; count: number }) => [w.key, w.count]),
    [
      ['held', 1],
      ['waiting', 2],
      ['more_info', 0],
      ['starting', 1],
      ['in_support', 1],
      ['with_locality', 0],
    ],
  );
  // First response: 2, 14, 4 and 3 working days; two still waiting (0 and 15 days).
  assert.deepEqual(d.first_response, {
    count: 4,
    median: 3.5,
    p90: 11,
    within_target: 3,
    percent_within_target: 75,
    waiting: 2,
    longest_wait: 15,
  });
  // Support starting: 1 working day (triaged Friday, started Monday); one waiting 2 days since triage.
  assert.deepEqual(d.support_start, {
    count: 1,
    median: 1,
    p90: 1,
    within_target: 1,
    percent_within_target: 100,
    waiting: 1,
    longest_wait: 2,
  });
  assert.equal(count(d.outcomes, 'advice'), 1);
  assert.equal(count(d.outcomes, 'first_support'), 2);
  assert.equal(count(d.outcomes, 'declined'), 1);
  assert.equal(count(d.outcomes, 'ehc_assessment'), 0);
  assert.equal(d.not_yet_triaged, 3);
  assert.equal(count(d.by_area_of_need, 'communication_interaction'), 5);
  assert.equal(count(d.by_area_of_need, 'semh'), 2);
  assert.equal(count(d.by_area_of_need, 'cognition_learning'), 1);
  const names = await db.selectFrom('settings').where('hub_id', '=', hub1).select(['id', 'name']).execute();
  const name = (id: string) => names.find((n) => n.id === id)?.name as string;
  assert.equal(count(d.by_setting, name(org.settings.northgate)), 6);
  assert.equal(count(d.by_setting, name(org.settings.riverside)), 1);
  assert.equal(d.declines.length, 1);
  assert.equal(d.declines[0].alternative, 'Advice line and the SENCO network meeting');
  assert.equal(count(d.overdue_now, 'triage'), 1);

  // 24 months takes in the older request too.
  const longer = (await get(`/api/v1/send/hubs/${hub1}/dashboard?months=24`, api.hubManager)).json();
  assert.equal(longer.received, 8);
  assert.equal(longer.first_response.count, 5);
  const bad = await get(`/api/v1/send/hubs/${hub1}/dashboard?months=7`, api.hubManager);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().fields.months, 'Choose the period from the list: 1, 3, 6, 12 or 24 months');
});

test('the page: SVG charts named by their title and description, each followed by a table; no names', async () => {
  const b = await s.browser(users.hubManager.email);
  const page = await b.get(`/hubs/${hub1}/dashboard`);
  assert.equal(page.statusCode, 200);
  for (const id of ['chart-waiting', 'chart-outcomes', 'chart-areas', 'chart-settings', 'chart-overdue']) {
    assert.match(page.body, new RegExp(`role="img" aria-labelledby="${id}-title ${id}-desc"`));
    assert.match(page.body, new RegExp(`<title id="${id}-title">`));
    assert.match(page.body, new RegExp(`<table class="govuk-table" id="${id}-table">`));
  }
  assert.match(page.body, /3\.5 working days/);
  assert.match(page.body, /75% \(3 of 4\)/);
  assert.match(page.body, /Waiting 2, the longest 15 working days/);
  assert.match(page.body, /Advice line and the SENCO network meeting/);
  assert.doesNotMatch(page.body, /Testington|Child\d/);
  assert.match(page.body, /href="\/hubs\/[0-9a-f-]+\/dashboard.csv\?months=12"/);
  const bad = await b.get(`/hubs/${hub1}/dashboard?months=forever`);
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /There is a problem/);
  assert.match(bad.body, /Choose the period from the list/);
});

test('the CSV: a header, the figures, the decline with a formula-safe reason', async () => {
  const b = await s.browser(users.localityManager.email);
  const res = await b.get(`/hubs/${hub1}/dashboard.csv`);
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/csv/);
  const lines = res.body.trimEnd().split('\r\n');
  assert.equal(lines[0], '"Section","Measure","Value","Alternative offered"');
  assert.ok(lines.includes('"First response (working days)","Median","3.5",""'));
  assert.ok(lines.includes('"First response (working days)","Per cent within target","75",""'));
  const decline = lines.find((l) => l.startsWith('"Decline SR-'));
  assert.ok(decline?.includes(`"'=Needs met by the setting’s own graduated response"`), decline);
  assert.doesNotMatch(res.body, /Testington/);
});

test('the locality view: every hub the viewer works in, each with its figures, and all together', async () => {
  const b = await s.browser(users.localityManager.email);
  const page = await b.get('/hubs/dashboard');
  assert.equal(page.statusCode, 200);
  const hubs = await db.selectFrom('hubs').where('id', 'in', [hub1, hub2]).select(['id', 'name']).execute();
  for (const h of hubs) assert.match(page.body, new RegExp(`href="/hubs/${h.id}/dashboard\\?months=12"`));
  assert.match(page.body, /All these hubs together/);
  assert.match(page.body, /role="img"/);
});

test('a Navigator (no send-hub:manage) is refused; a manager of other hubs gets not found', async () => {
  assert.equal((await get(`/api/v1/send/hubs/${hub1}/dashboard`, api.navigator)).statusCode, 403);
  const nav = await s.browser(users.navigator.email);
  assert.equal((await nav.get(`/hubs/${hub1}/dashboard`)).statusCode, 403);
  assert.equal((await nav.get('/hubs/dashboard')).statusCode, 403);
  const elsewhere = org.hubIds[2] as string;
  assert.equal((await get(`/api/v1/send/hubs/${elsewhere}/dashboard`, api.hubManager)).statusCode, 404);
  const m = await s.browser(users.hubManager.email);
  assert.equal((await m.get(`/hubs/${elsewhere}/dashboard`)).statusCode, 404);
  assert.equal((await m.get(`/hubs/${elsewhere}/dashboard.csv`)).statusCode, 404);
});
