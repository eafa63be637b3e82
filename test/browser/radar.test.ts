// Browser journey (issue 14 part 1): a service manager finds the transitions radar in the navigation, filters the
// headline to 6 months, sees the young person turning 18 in under 4 months without a plan (and not the one turning
// 18 in 8), and follows the row to the record; axe on each page, nothing scrolls sideways at 320px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { personInTeam, userByRole } from '../helpers.ts';
import { startHarness, textOf } from './harness.ts';

const h = await startHarness();
const manager = userByRole(h.org, 'service_manager');
const ypt = h.org.teams.ypt as string;
// Today is 23 November 2026. The manager is a member of the Young People's Team, so its records open to them.
const soon = await personInTeam(h.db, {
  authorityId: h.org.authorityId,
  team: ypt,
  worker: null,
  caseNumber: 'HO930001',
  givenName: 'Rowan',
  familyName: 'Eighteen-Soon',
  dateOfBirth: '2009-03-15',
});
await personInTeam(h.db, {
  authorityId: h.org.authorityId,
  team: ypt,
  worker: null,
  caseNumber: 'HO930002',
  givenName: 'Sasha',
  familyName: 'Eighteen-Later',
  dateOfBirth: '2009-08-01',
});

test('a service manager opens the radar, filters 6 months and follows a row to the record', async () => {
  const s = await h.session({ as: manager });
  const p = s.page;
  await s.goto('/');
  await s.checkAxe();
  await s.click(p.getByRole('link', { name: 'Transitions radar' }));
  assert.equal(await p.title(), 'Transitions radar – Handover');
  await s.checkAxe();
  await p.setViewportSize({ width: 320, height: 800 });
  await p.getByLabel('Turning 18 within').selectOption('6');
  await s.click(p.getByRole('button', { name: 'Apply filters' }));
  assert.match(p.url(), /months=6/);
  const heading = await textOf(p.locator('#list-turning18'));
  assert.match(heading, /within 6 months: \d+$/);
  const table = p.locator('#table-turning18');
  assert.match(await textOf(table.locator('caption')), /you work with/);
  assert.equal(await table.getByRole('link', { name: 'Rowan Eighteen-Soon' }).count(), 1);
  assert.equal(await table.getByRole('link', { name: 'Sasha Eighteen-Later' }).count(), 0);
  assert.equal(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
  await s.checkAxe();
  await s.click(table.getByRole('link', { name: 'Rowan Eighteen-Soon' }));
  assert.match(p.url(), new RegExp(`/people/${soon}$`));
  assert.match(await textOf(p.getByRole('heading', { level: 1 })), /Rowan Eighteen-Soon/);
  await s.checkAxe();
  await s.close();
});
