// Browser journey: the coordinator arranges an annual review meeting and asks an advice giver for advice, the giver
// answers on their own page, and the coordinator sees the answer and the phase-transfer cohort; every page is
// checked with axe and the W3C checker (on close), at 320px without sideways scrolling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays } from '../../src/domain/calendar.ts';
import { personInTeam, userByRole } from '../helpers.ts';
import { type Session, startHarness } from './harness.ts';

const h = await startHarness();
const coordinator = userByRole(h.org, 'ehcp_coordinator');
const giver = userByRole(h.org, 'advice_giver');
const today = h.clock.now().toISOString().slice(0, 10);

const personId = await personInTeam(h.db, {
  authorityId: h.org.authorityId,
  team: h.org.teams['send-statutory'] as string,
  worker: coordinator.id,
  caseNumber: 'HO990001',
  givenName: 'Rowan',
  familyName: 'Reviewtest',
  dateOfBirth: '2015-10-10',
});
const plan = await h.db
  .insertInto('ehc_plans')
  .values({
    authority_id: h.org.authorityId,
    person_id: personId,
    coordinator_id: coordinator.id,
    status: 'final',
    first_issued_date: addDays(today, -200),
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await h.db.transaction().execute((tx) =>
  h.app.services.ehcReviews.events.emit(tx, 'finalIssued', {
    planId: plan.id,
    personId,
    authorityId: h.org.authorityId,
    actorId: coordinator.id,
    at: h.clock.now(),
    date: addDays(today, -200),
  }),
);

async function overflow(s: Session): Promise<number> {
  return s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('the coordinator arranges a review and asks for advice; the giver answers; the cohort page', async () => {
  const review = await h.db
    .selectFrom('ehc_reviews')
    .where('plan_id', '=', plan.id)
    .select('id')
    .executeTakeFirstOrThrow();
  const s = await h.session({ as: coordinator });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto(`/ehc-plans/${plan.id}/reviews/${review.id}`);
  await s.checkAxe();
  assert.equal(await overflow(s), 0);
  const meeting = addDays(today, 21);
  const date = s.page.getByRole('group', { name: 'Date of the review meeting' });
  await date.getByLabel('Day').fill(String(Number(meeting.slice(8, 10))));
  await date.getByLabel('Month').fill(String(Number(meeting.slice(5, 7))));
  await date.getByLabel('Year').fill(meeting.slice(0, 4));
  await s.page.getByRole('button', { name: 'Record the meeting and invitations sent' }).click();
  await s.page.waitForURL(/saved=arranged/);
  await s.checkAxe();
  await s.page.getByLabel('Advice giver').selectOption(giver.id);
  await s.page.getByLabel('What advice is needed').fill('Progress on the communication outcomes');
  await s.page.getByRole('button', { name: 'Request advice' }).click();
  await s.page.waitForURL(/saved=advice/);
  await s.checkAxe();

  const g = await h.session({ as: giver });
  await g.page.setViewportSize({ width: 320, height: 800 });
  await g.goto('/ehc-plans/review-advice');
  await g.checkAxe();
  await g.page.getByRole('link', { name: /HO990001\/RA-/ }).click();
  await g.page.waitForURL(/review-advice\//);
  await g.checkAxe();
  await g.page.getByRole('button', { name: 'Send your advice' }).click();
  await g.checkAxe();
  assert.match((await g.page.locator('.govuk-error-summary').textContent()) ?? '', /Enter your advice/);
  await g.page.getByLabel('Your advice').fill('Good progress; keep weekly therapy.');
  await g.page.getByRole('button', { name: 'Send your advice' }).click();
  await g.page.waitForURL(/saved=answered/);
  await g.checkAxe();
  assert.equal(await overflow(g), 0);
  await g.close();

  await s.goto(`/ehc-plans/${plan.id}/reviews/${review.id}`);
  await s.checkAxe();
  assert.match((await s.page.locator('main').textContent()) ?? '', /Good progress; keep weekly therapy\./);
  await s.goto(`/ehc-plans/${plan.id}/reviews`);
  await s.checkAxe();
  await s.goto('/ehc-plans/phase-transfers?phase=secondary&year=2027');
  await s.checkAxe();
  assert.match((await s.page.locator('main').textContent()) ?? '', /HO990001/);
  assert.equal(await overflow(s), 0);
  await s.close();
});
