// Browser: a SEND manager opens the SEN2 return from the EHCP page, builds it for the census on 21 January 2027 and
// sees the validation report, each problem with a link to the page that fixes it; follows the UPN problem's link to
// the record's form, is refused a UPN and a reason together, saves the UPN (success banner) and rebuilds with one
// fewer problem; axe on every page, nothing scrolls sideways at 320px.
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
  const before = await s.page.locator('a', { hasText: /^Fix / }).count();
  // The fix link lands on the record's form at the UPN, with why it is not known beside it; both at once is refused.
  await s.click(fix);
  assert.equal(await textOf(s.page.locator('h1')), 'Change details');
  await s.checkAxe();
  const upn = s.page.getByLabel('Unique pupil number (UPN) (optional)');
  await upn.fill('M801200112001');
  await s.page.getByLabel('Why the UPN is not known (optional)').selectOption('UN2');
  await s.click(s.page.getByRole('button', { name: 'Save changes' }));
  assert.match(
    await textOf(s.page.locator('.govuk-error-summary')),
    /Give a UPN or why it is not known, not both: remove the UPN, or choose None/,
  );
  await s.checkAxe();
  await s.page.getByLabel('Why the UPN is not known (optional)').selectOption('');
  await s.click(s.page.getByRole('button', { name: 'Save changes' }));
  assert.match(await textOf(s.page.locator('.govuk-notification-banner--success')), /Details saved/);
  await s.checkAxe();
  // Back to the return, rebuilt: one fewer problem, and BR-B no longer listed.
  await s.goto('/reports/sen2?census=2027-01-21&build=1');
  assert.equal(await s.page.locator('a', { hasText: /^Fix / }).count(), before - 1);
  assert.equal(await s.page.getByRole('link', { name: 'Fix UPN for BR-B' }).count(), 0);
  await s.checkAxe();
  await s.close();
});
