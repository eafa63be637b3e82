// Browser journey (issue 14 part 3, its Done): a service manager opens the radar, filters 6 months, subscribes to
// the list by email from the radar's link (the filters carried), sees the success banner and the subscription in
// words, then unsubscribes after the confirmation; axe on every page, the W3C checker on close, nothing scrolls
// sideways at 320px, and the form is used from the keyboard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { personInTeam, userByRole } from '../helpers.ts';
import { startHarness, textOf } from './harness.ts';

const h = await startHarness();
const manager = userByRole(h.org, 'service_manager');
await personInTeam(h.db, {
  authorityId: h.org.authorityId,
  team: h.org.teams.ypt as string,
  worker: null,
  caseNumber: 'HO940001',
  givenName: 'Robin',
  familyName: 'Subscribed-Soon',
  dateOfBirth: '2009-03-15',
});

const noSidewaysScroll = (s: { page: import('playwright-core').Page }) =>
  s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('a service manager subscribes to the radar weekly from its page, sees the banner, and unsubscribes', async () => {
  const s = await h.session({ as: manager });
  const p = s.page;
  await p.setViewportSize({ width: 320, height: 800 });
  await s.goto('/radar?months=6');
  await s.checkAxe();
  await s.click(p.getByRole('link', { name: 'Subscribe to this list by email' }));
  assert.match(p.url(), /\/subscriptions\/new\?list=radar&months=6/);
  assert.equal(await p.title(), 'Subscribe to the Transitions radar – Handover');
  assert.match(await textOf(p.locator('main')), /Turning 18 within 6 months/);
  assert.equal(await noSidewaysScroll(s), 0);
  await s.checkAxe();

  // Subscribe without choosing: the error names the field; then choose Weekly from the keyboard.
  await s.click(p.getByRole('button', { name: 'Subscribe' }));
  assert.match(await textOf(p.locator('.govuk-error-summary')), /Choose how often/);
  await s.checkAxe();
  await p.getByLabel('Weekly, on Mondays').focus();
  await p.keyboard.press('Space');
  await s.follow(() => p.keyboard.press('Enter'));
  assert.match(p.url(), /\/subscriptions\?saved=subscribed$/);
  assert.match(await textOf(p.locator('.govuk-notification-banner--success')), /You are subscribed/);
  const card = p.locator('.govuk-summary-card', { hasText: 'Transitions radar' });
  assert.match(await textOf(card), /Turning 18 within 6 months/);
  assert.match(await textOf(card), /Weekly, on Mondays/);
  assert.equal(await noSidewaysScroll(s), 0);
  await s.checkAxe();

  await s.click(card.getByRole('link', { name: /Unsubscribe/ }));
  assert.match(await textOf(p.getByRole('heading', { level: 1 })), /Unsubscribe from the Transitions radar\?/);
  await s.checkAxe();
  await s.click(p.getByRole('button', { name: 'Unsubscribe' }));
  assert.match(await textOf(p.locator('.govuk-notification-banner--success')), /You are unsubscribed/);
  assert.equal(await p.locator('.govuk-summary-card', { hasText: 'Transitions radar' }).count(), 0);
  assert.equal(await noSidewaysScroll(s), 0);
  await s.checkAxe();
  await s.close();
});
