// Browser check of printing (issue 11 capability 14): the record bundle and the record, as printed
// (page.emulateMedia print), show the content without the navigation, back link, buttons or forms; the bundle says
// who printed it; both pages pass axe on screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { startHarness, textOf } from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');
const { allocated } = h.people;

test('the record bundle and the record print without navigation, buttons or forms', async () => {
  const s = await h.session({ as: worker });
  await s.goto(`/people/${allocated.id}`);
  await s.checkAxe();
  await s.click(s.page.getByRole('link', { name: 'Record bundle to print' }));
  assert.deepEqual(await s.page.getByRole('heading', { level: 1 }).allInnerTexts(), ['Record bundle']);
  await s.checkAxe();
  const nav = s.page.getByRole('navigation', { name: 'Menu' });
  assert.equal(await nav.isVisible(), true);
  assert.equal(await s.page.locator('.app-print-only').isVisible(), false);

  await s.page.emulateMedia({ media: 'print' });
  assert.equal(await nav.isVisible(), false, 'no navigation on paper');
  assert.equal(await s.page.getByRole('link', { name: 'Back to the record' }).isVisible(), false);
  assert.equal(await s.page.locator('footer').isVisible(), false);
  assert.match(await textOf(s.page.locator('.app-print-only')), /Printed by Sam Social-Worker on 23 November 2026/);
  for (const section of ['Summary', 'Chronology of significant events', 'Plan', 'Documents'])
    assert.equal(await s.page.getByRole('heading', { name: section, exact: true }).isVisible(), true, section);
  const breaks = await s.page
    .locator('.app-print-break')
    .evaluateAll((els) => els.map((e) => getComputedStyle(e).breakBefore));
  assert.deepEqual(breaks, ['page', 'page', 'page'], 'each later section starts a new page');
  await s.screenshot('bundle-print');

  await s.page.emulateMedia({ media: 'screen' });
  await s.goto(`/people/${allocated.id}`);
  await s.checkAxe();
  await s.page.emulateMedia({ media: 'print' });
  assert.equal(await nav.isVisible(), false);
  assert.equal(await s.page.locator('form').first().isVisible(), false, 'forms are not printed');
  assert.equal(await s.page.getByRole('heading', { level: 1 }).isVisible(), true);
  await s.page.emulateMedia({ media: 'screen' });
  await s.close();
});
