// Browser: a SEND manager opens the SEN2 return from the EHCP page, builds it for the census on 21 January 2027 and
// sees the validation report, each problem with a link to the page that fixes it; axe on every page, nothing
// scrolls sideways at 320px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { seedSen2Council } from '../sen2-setup.ts';
import { startHarness, textOf } from './harness.ts';

const h = await startHarness();
const s2 = await seedSen2Council(h.db, h.org, 'BR');

test('a SEND manager builds the SEN2 return and sees the validation report', async () => {
  const s = await h.session({ as: userByRole(h.org, 'send_manager') });
  await s.page.setViewportSize({ width: 320, height: 900 });
  await s.goto('/ehcp');
  await s.checkAxe();
  await s.click(s.page.getByRole('link', { name: /SEN2 return/ }));
  assert.equal(await textOf(s.page.locator('h1')), 'SEN2 return');
  await s.checkAxe();
  await s.click(s.page.getByRole('button', { name: 'Build the return' }));
  assert.match(
    await textOf(s.page.locator('.govuk-error-summary')),
    /Enter the census date, one of: 2026-01-15, 2027-01-21/,
  );
  await s.checkAxe();
  await s.page.getByLabel('21 January 2027').check();
  await s.click(s.page.getByRole('button', { name: 'Build the return' }));
  assert.match(await textOf(s.page.locator('h2', { hasText: 'Return for the census' })), /21 January 2027/);
  const report = await textOf(s.page.getByRole('region', { name: 'Records that would fail' }));
  assert.match(report, /BR-B.*Person.*UPN.*No unique pupil number/s);
  assert.match(report, /BR-C.*NamedPlan.*PlanDetail/s);
  const fix = s.page.getByRole('link', { name: 'Fix UPN for BR-B' });
  assert.equal(await fix.getAttribute('href'), `/people/${s2.b.personId}/edit#upn`);
  assert.equal(
    await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
  );
  await s.checkAxe();
  await s.close();
});
