// Browser journey (issue 14 part 2): a team manager finds Dashboards in the navigation, opens their team's dashboard
// with the keyboard only, reads a chart's table and downloads nothing but counts; axe and the W3C checker on each
// page, nothing scrolls sideways at 320 px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { personInTeam, userByRole } from '../helpers.ts';
import { startHarness, textOf } from './harness.ts';

const h = await startHarness();
const manager = userByRole(h.org, 'team_manager');
const team = h.org.teams['dct-north'] as string;
await personInTeam(h.db, {
  authorityId: h.org.authorityId,
  team,
  worker: null,
  caseNumber: 'HO940001',
  givenName: 'Quinn',
  familyName: 'Dashboard-Waiting',
  dateOfBirth: '2012-05-01',
});

test('a team manager opens their team’s dashboard by keyboard; charts have tables; nothing scrolls at 320 px', async () => {
  const s = await h.session({ as: manager });
  const p = s.page;
  await s.goto('/');
  await s.checkAxe();
  await s.click(p.getByRole('link', { name: 'Dashboards' }));
  assert.equal(await p.title(), 'Dashboards – Handover');
  await s.checkAxe();
  const teamName = await textOf(p.locator(`a[href="/dashboards/team/${team}"]`));
  await s.tabTo((f) => f.href?.endsWith(`/dashboards/team/${team}`) ?? false);
  await s.follow(() => p.keyboard.press('Enter'));
  assert.match(p.url(), new RegExp(`/dashboards/team/${team}$`));
  assert.equal(await textOf(p.getByRole('heading', { level: 1 })), teamName);
  await s.checkAxe();
  const chart = p.getByRole('img', { name: 'Unallocated children' });
  assert.equal(await chart.count(), 1);
  const rows = p.locator('#unallocated-table tbody tr');
  assert.match(await textOf(rows.first()), /All unallocated\s*[1-9]/);
  assert.equal(await p.getByText('Quinn').count(), 0, 'no name on a dashboard');
  await p.setViewportSize({ width: 320, height: 800 });
  assert.equal(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
  await s.checkAxe();
  await s.close();
});
