// Browser journey: the council's IT administrator sets the retention schedule for young people's records (an error
// first), turns automatic purge on, places a legal hold by case number and releases it. Every page is checked with
// axe (and the W3C checker), each save shows the success banner with the focus on it, nothing scrolls sideways at
// 320px, and the whole journey is done with the keyboard-reachable links and buttons.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const admin = userByRole(h.org, 'admin');
const { allocated } = h.people;

async function on(s: Session, h1: string) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.trim()),
    [h1],
    `the h1 on ${s.page.url()}`,
  );
  assert.equal(
    await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
    `nothing scrolls sideways at 320px on ${s.page.url()}`,
  );
  await s.checkAxe();
}

async function focusedBanner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

test('the administrator sets a retention schedule, automatic purge and a legal hold, and releases it', async () => {
  const s = await h.session({ as: admin });
  const p = s.page;
  await p.setViewportSize({ width: 320, height: 800 });
  await s.goto('/admin');
  await s.checkAxe();
  await s.click(p.getByRole('link', { name: 'Manage retention and legal holds' }));
  await on(s, 'Retention and legal holds');
  assert.match(await textOf(p.locator('main')), /Kept: no schedule set/);

  await s.click(p.getByRole('link', { name: 'Set how long to keep: Young person’s whole record' }));
  await on(s, 'How long to keep: Young person’s whole record');
  await p.getByLabel('Years kept after closure').fill('seven');
  await s.click(p.getByRole('button', { name: 'Save schedule' }));
  await on(s, 'How long to keep: Young person’s whole record');
  assert.match(await textOf(p.locator('.govuk-error-summary')), /Years kept after closure must be a whole number/);
  await p.getByLabel('Years kept after closure').fill('7');
  await p.getByLabel('Keep until at least this age (optional)').fill('25');
  await s.click(p.getByRole('button', { name: 'Save schedule' }));
  assert.equal(await focusedBanner(s), 'Retention schedule saved');
  await on(s, 'Retention and legal holds');
  assert.match(await textOf(p.locator('main')), /7 years after closure, and until at least age 25/);

  await s.click(p.getByRole('link', { name: 'Change automatic purge' }));
  await on(s, 'Should the nightly run delete records that are due?');
  await p.getByLabel('Yes, delete them every night').check();
  await s.click(p.getByRole('button', { name: 'Save' }));
  assert.equal(await focusedBanner(s), 'Automatic purge setting saved');
  await on(s, 'Retention and legal holds');

  await s.click(p.getByRole('link', { name: 'Manage legal holds' }));
  await on(s, 'Legal holds');
  await s.click(p.getByRole('button', { name: 'Place a legal hold' }));
  await on(s, 'Place a legal hold');
  await p.getByLabel('Case number').fill(allocated.caseNumber);
  await p.getByLabel('Reason for the hold').fill('Claim 2026/17: records kept for the court');
  await s.click(p.getByRole('button', { name: 'Place legal hold' }));
  assert.equal(await focusedBanner(s), 'Legal hold placed: the record will not be purged while it is held');
  await on(s, 'Legal holds');
  const table = await textOf(p.locator('.govuk-summary-card').first());
  assert.ok(table.includes(allocated.caseNumber) && table.includes('Claim 2026/17'), table);
  assert.ok(!table.includes(allocated.familyName), 'the administrator sees the case number, never the name');

  await s.click(p.getByRole('link', { name: new RegExp(`^Release the hold on ${allocated.caseNumber}`) }));
  await on(s, `Release the legal hold on ${allocated.caseNumber}`);
  await s.click(p.getByRole('button', { name: 'Release legal hold' }));
  await on(s, `Release the legal hold on ${allocated.caseNumber}`);
  assert.match(await textOf(p.locator('.govuk-error-summary')), /Enter the reason for releasing the hold/);
  await p.getByLabel('Reason for releasing the hold').fill('Claim settled');
  await s.click(p.getByRole('button', { name: 'Release legal hold' }));
  assert.equal(await focusedBanner(s), 'Legal hold released');
  await on(s, 'Legal holds');
  assert.match(await textOf(p.locator('main')), /No records are under a legal hold/);
  assert.match(await textOf(p.locator('main')), /Claim settled/);
  await s.close();
});
