// The national builder (bench/national-db.ts) at a small scale: it writes what the three P3 reports read, so each
// report has rows to find, and the P3 bench (bench/p3-national.ts) runs through the services and reports its sizes.
// If a report stops reading a table the builder fills, or the builder stops filling one, this fails before the
// bench quietly times an empty report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildNational } from '../bench/national-db.ts';
import { benchNational, p3Rows } from '../bench/p3-national.ts';
import { londonToday } from '../src/domain/calendar.ts';
import { buildWeeklyReport } from '../src/modules/ehcp/report.ts';
import { register } from '../src/modules/transitions/repository.ts';
import { testDatabase } from './helpers.ts';

const { db } = await testDatabase();
const sizes = { people: 3_000, staff: 400, teams: 20, actions: 6_000 };
const authorityId = await buildNational(db, sizes, () => {});
const today = londonToday(new Date());

test('the builder writes the people and what the reports read, in the proportions chosen', async () => {
  const count = async (
    t: 'people' | 'plans' | 'plan_actions' | 'ehc_plans' | 'ehcp_advice_requests' | 'transition_plans',
  ) =>
    Number(
      (
        await db
          .selectFrom(t)
          .where('authority_id', '=', authorityId)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  assert.equal(await count('people'), 3_000);
  assert.equal(await count('plan_actions'), 6_000);
  const ehc = await count('ehc_plans');
  // 1 in 5 of those under 25 (25/26 of the people).
  assert.ok(ehc > 450 && ehc < 700, `EHC plans: ${ehc}`);
  assert.ok((await count('ehcp_advice_requests')) > 0);
  assert.ok((await count('transition_plans')) > 0);
});

test('each P3 report finds rows in the built council', async () => {
  const weekly = await buildWeeklyReport(db, authorityId, today);
  assert.ok(weekly.followUps.length > 0, 'open follow-ups');
  assert.ok(weekly.counts.adviceOutstanding > 0, 'advice outstanding');
  assert.ok(weekly.plans.reviewsOverdue.length > 0, 'reviews overdue');
  assert.ok(weekly.plans.amendmentsWaiting.length > 0, 'amendments waiting');
  const rows = await register(db, authorityId, today);
  assert.deepEqual([...new Set(rows.map((r) => r.issue_type))].sort(), ['capacity', 'gap']);
});

test('the P3 bench runs every report and gives a row for each, every list of the radar non-empty', async () => {
  const r = await benchNational({ db, authorityId, runs: 2, log: () => {} });
  assert.equal(r.people, 3_000);
  assert.equal(r.radar.runs.length, 2);
  assert.ok(r.sizes.weeklyFollowUps > 0 && r.sizes.registerRows > 0);
  for (const [list, total] of Object.entries(r.sizes.radarLists)) assert.ok(total > 0, `radar list ${list} is empty`);
  assert.equal(Object.keys(r.sizes.radarLists).length, 6);
  const lists = await db.selectFrom('audit_log').where('entity', '=', 'radar').select('detail').executeTakeFirst();
  assert.ok(lists, 'the radar read is audited');
  assert.deepEqual(
    p3Rows(r).map((x) => x.id),
    ['P3a', 'P3b', 'P3c', 'P3d', 'P3e'],
  );
});
