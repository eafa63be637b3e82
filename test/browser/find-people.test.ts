// Browser journey (issue 11 capability 11): a worker finds a young person by filter (age band and status, then
// nobody allocated), opens the record and sees it under Recently viewed; axe on every page, the W3C checker at the
// end, no name in any address, no sideways scroll at 320 px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { startHarness } from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');
const { allocated, waiting } = h.people;

test('find a young person by filter, open the record, find it again under Recently viewed', async () => {
  const s = await h.session({ as: worker });
  await s.goto('/people');
  await s.checkAxe();
  const page = s.page;
  await page.getByLabel('Age').selectOption({ label: '11 to 15' });
  await page.getByLabel('Status').selectOption({ label: 'Child in need' });
  await s.click(page.getByRole('button', { name: 'Search' }));
  await s.checkAxe();
  const url = new URL(page.url());
  assert.equal(url.pathname, '/people');
  assert.equal(url.searchParams.get('age'), '11-15');
  assert.equal(url.searchParams.get('status'), 'child_in_need');
  assert.doesNotMatch(page.url(), /Amara|Quillfeather/i);
  const table = page.getByRole('table', { name: 'Search results' });
  assert.deepEqual(
    (await table.getByRole('link').allInnerTexts()).map((t) => t.trim()),
    [allocated.fullName],
  );
  assert.match((await table.textContent()) ?? '', /Disabled Children's Team North: Sam Social-Worker/);
  // The filters stay chosen on the page of results.
  assert.equal(await page.getByLabel('Age').inputValue(), '11-15');

  // Nobody allocated: the young person waiting for a worker.
  await page.getByLabel('Age').selectOption({ label: 'Any age' });
  await page.getByLabel('Status').selectOption({ label: 'Any status' });
  await page.getByLabel('Allocated worker').selectOption({ label: 'Nobody allocated' });
  await s.click(page.getByRole('button', { name: 'Search' }));
  await s.checkAxe();
  assert.deepEqual(
    (await table.getByRole('link').allInnerTexts()).map((t) => t.trim()),
    [waiting.fullName],
  );

  // At 320 px nothing scrolls sideways.
  await page.setViewportSize({ width: 320, height: 800 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 320, `the page is ${wide}px wide at 320px`);
  await page.setViewportSize({ width: 1024, height: 800 });

  await s.click(table.getByRole('link', { name: waiting.fullName }));
  await s.checkAxe();
  await s.goto('/people');
  await s.checkAxe();
  const recent = page.locator('#recently-viewed');
  assert.deepEqual(
    (await recent.getByRole('link').allInnerTexts()).map((t) => t.trim()),
    [waiting.fullName],
  );
  await s.close();
});
