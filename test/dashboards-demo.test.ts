// The demo council's dashboards (issue 14 part 2): as `npm start` builds it, the team manager's team, the service
// manager's service, the service lead's council and a hub manager's hub each show figures (not an empty page), and
// the council's "must be 0" figure is 0 (the demo never leaves a child on a plan or in care unallocated).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authUserById } from '../src/modules/auth/service.ts';
import { ensureDemo } from '../src/modules/demo/seed.ts';
import { fixedClock, testApp, testConfig, testDatabase } from './helpers.ts';

const { db } = await testDatabase({ demo: true });
const clock = fixedClock('2026-11-23T10:00:00Z');
const demo = await ensureDemo(db, { config: testConfig(), now: clock.now });
const app = await testApp(db, { now: clock.now });
const sum = (d: Awaited<ReturnType<typeof app.services.dashboards.dashboard>>) =>
  d.headline.reduce((a, h) => a + h.count, 0) +
  d.trends.reduce(
    (a, t) => a + t.months.reduce((b, m) => b + Object.values(m.counts).reduce((x, y) => x + y, 0), 0),
    0,
  );

test('each demo manager has a dashboard with figures', async () => {
  const seen: Record<string, number> = {};
  for (const role of ['team_manager', 'service_manager', 'service_lead', 'hub_manager']) {
    const who = demo.users.find((u) => u.role === role);
    assert.ok(who, role);
    const user = await authUserById(db, who.id);
    assert.ok(user);
    const choices = await app.services.dashboards.choices(user);
    assert.ok(choices.length > 0, `${role} has dashboards`);
    const best = Math.max(
      ...(await Promise.all(
        choices.slice(0, 4).map(async (c) => sum(await app.services.dashboards.dashboard(user, c.kind, c.id))),
      )),
    );
    seen[role] = best;
    assert.ok(best > 0, `${role}: a dashboard with figures`);
  }
  console.log('demo dashboards, largest figure total by role:', seen);
  const lead = await authUserById(db, demo.users.find((u) => u.role === 'service_lead')?.id as string);
  const council = await app.services.dashboards.dashboard(lead as NonNullable<typeof lead>, 'council', null);
  assert.equal(council.headline.find((h) => h.mustBeZero)?.count, 0);
});
