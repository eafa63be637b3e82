// Browser journey (issue 15 item 12, R9): a service manager logs a subject access request, sees the ICO clock,
// extends it, is stopped from releasing while other people's data is undecided, reviews it (a reason to withhold),
// releases the export and downloads the zip. Every page is checked with axe (and the W3C checker at close), each
// save shows its success banner, the release is reached by keyboard, and nothing scrolls sideways at 320px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const manager = userByRole(h.org, 'service_manager');
const { allocated } = h.people;
const authority = await h.db
  .selectFrom('people')
  .where('id', '=', allocated.id)
  .select('authority_id')
  .executeTakeFirstOrThrow();
const neighbour = await h.db
  .insertInto('contacts')
  .values({
    authority_id: authority.authority_id,
    person_id: allocated.id,
    name: 'Morgan Neighbour',
    relationship: 'Neighbour',
    created_at: new Date('2026-11-01T10:00:00Z'),
  })
  .returning('id')
  .executeTakeFirstOrThrow();

async function on(s: Session, h1: string, title: string) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.trim()),
    [h1],
  );
  assert.equal(await s.page.title(), `${title} – Handover`);
  assert.equal(
    await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
    `${h1}: nothing scrolls sideways at 320px`,
  );
  await s.checkAxe();
}

async function banner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

test('a service manager logs a request, extends it, reviews other people’s data and releases the export', async () => {
  const s = await h.session({ as: manager });
  await s.goto('/');
  await s.checkAxe();
  await s.click(s.page.getByRole('navigation').getByRole('link', { name: 'Subject access', exact: true }));
  await s.page.setViewportSize({ width: 320, height: 800 });
  await on(s, 'Subject access requests', 'Subject access requests');
  await s.click(s.page.getByRole('button', { name: 'Log a subject access request' }));
  await on(s, 'Log a subject access request', 'Log a subject access request');

  await s.click(s.page.getByRole('button', { name: 'Log request' }));
  await on(s, 'Log a subject access request', 'Error: Log a subject access request');
  const summary = s.page.getByRole('alert').filter({ hasText: 'There is a problem' });
  assert.deepEqual(await summary.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href'))), [
    '#case_number',
    '#requester_name',
    '#requester_relationship',
    '#received_date-day',
  ]);
  await s.page.getByLabel('Case number of the young person').fill(allocated.caseNumber);
  await s.page.getByLabel('Name of the person asking').fill('Jordan Parent');
  await s.page.getByLabel('A parent with parental responsibility').check();
  const date = s.page.getByRole('group', { name: 'Date the request was received' });
  await date.getByLabel('Day').fill('20');
  await date.getByLabel('Month').fill('11');
  await date.getByLabel('Year').fill('2026');
  await s.click(s.page.getByRole('button', { name: 'Log request' }));
  await on(s, 'Subject access request', 'Subject access request');
  assert.equal(await banner(s), 'Subject access request logged');
  const due = await textOf(s.page.locator('.govuk-summary-list__row', { hasText: 'Response due' }));
  assert.match(due, /21 December 2026: 28 days left/);
  assert.match(due, /One calendar month from receipt/);

  await s.click(s.page.getByRole('link', { name: 'Extend the deadline' }));
  await on(s, 'Extend the deadline', 'Extend the deadline');
  await s.page.getByLabel('1 month (2 months from receipt)').check();
  await s.page.getByLabel('Why the request is complex').fill('Records from three teams to review');
  await s.click(s.page.getByRole('button', { name: 'Extend deadline' }));
  await on(s, 'Subject access request', 'Subject access request');
  assert.equal(await banner(s), 'Deadline extended');
  assert.match(
    await textOf(s.page.locator('.govuk-summary-list__row', { hasText: 'Response due' })),
    /20 January 2027: 58 days left/,
  );

  // Released too early: the page again, with what is still to decide.
  await s.click(s.page.getByRole('button', { name: 'Release the export' }));
  await on(s, 'Subject access request', 'Error: Subject access request');
  assert.match(await textOf(s.page.getByRole('alert')), /Review the 2 items of other people’s data not yet decided/);

  await s.click(s.page.getByRole('link', { name: 'Review other people’s data' }));
  await on(s, 'Review other people’s data', 'Review other people’s data');
  // The fixture's own contact is included; the neighbour withheld.
  for (const include of await s.page.getByRole('radio', { name: 'Include' }).all()) await include.check();
  const item = s.page.getByRole('group', { name: 'The contact (Neighbour)' });
  await item.getByLabel('Withhold').check();
  await s.click(s.page.getByRole('button', { name: 'Save decisions' }));
  await on(s, 'Review other people’s data', 'Error: Review other people’s data');
  assert.match(await textOf(s.page.getByRole('alert')), /Enter why the contact \(Neighbour\) is withheld/);
  await s.page.locator(`#reason-contacts-${neighbour.id}`).fill('A neighbour’s details');
  await s.click(s.page.getByRole('button', { name: 'Save decisions' }));
  await on(s, 'Subject access request', 'Subject access request');
  assert.equal(await banner(s), 'Review decisions saved');

  // The release by keyboard.
  await s.tabTo((f) => f.tag === 'button' && f.text === 'Release the export');
  await s.follow(() => s.page.keyboard.press('Enter'));
  await on(s, 'Subject access request', 'Subject access request');
  assert.equal(await banner(s), 'Export released: download it below');
  const link = s.page.getByRole('link', { name: /Download the export/ });
  const res = await s.context.request.get((await link.getAttribute('href')) as string);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/zip');
  const files = unzipSync(new Uint8Array(await res.body()));
  assert.ok(files['index.html'] && files['export.json']);
  assert.ok(!new TextDecoder().decode(files['export.json']).includes('Morgan Neighbour'), 'the withheld contact');
  await s.close();
});
