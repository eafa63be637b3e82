// Browser journey: the single view of risk at 320px from the record: the screenings chart (an SVG image with its
// description) and its table, then a partner entry with the form's error summary, banner and the entry shown with
// its agency; axe on every page, nothing scrolls sideways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');
const { allocated } = h.people;

async function on(s: Session, h1: string, title: string) {
  assert.deepEqual(
    (await s.page.getByRole('heading', { level: 1 }).allInnerTexts()).map((t) => t.trim()),
    [h1],
  );
  assert.equal(await s.page.title(), `${title} – Handover`);
  assert.equal(
    await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
  );
  await s.checkAxe();
}

test('a worker reads the single view of risk and adds an entry for their agency', async () => {
  for (const [on_, level, rank] of [
    ['2026-05-01', 'low', 0],
    ['2026-11-20', 'medium', 1],
  ] as const)
    await h.db
      .insertInto('screenings')
      .values({
        authority_id: h.org.authorityId,
        person_id: allocated.id,
        instrument_id: 'child-exploitation',
        instrument_version: 1,
        screened_on: on_,
        age_at_screening: 15,
        send_or_learning_disability: false,
        answers: JSON.stringify({}),
        suggested_level: level,
        proposed_level: level,
        proposed_rank: rank,
        proposed_by: worker.id,
        review_due: '2027-02-20',
      })
      .execute();
  const s = await h.session({ as: worker });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto(`/people/${allocated.id}`);
  await s.checkAxe();
  await s.click(s.page.getByRole('link', { name: 'Single view of risk' }));
  await on(s, 'Single view of risk', 'Single view of risk');
  const p = s.page;
  assert.equal(await p.getByRole('img', { name: 'Screening levels over time' }).count(), 1);
  assert.match(await textOf(p.locator('#risk-chart-desc')), /the level has risen/);
  assert.equal(await p.locator('table.govuk-table tbody tr').count(), 2);
  await s.click(p.getByRole('button', { name: 'Add an entry for your agency' }));
  await on(s, 'Add an entry to the single view of risk', 'Add an entry to the single view of risk');
  await s.click(p.getByRole('button', { name: 'Save entry' }));
  await on(s, 'Add an entry to the single view of risk', 'Error: Add an entry to the single view of risk');
  assert.match(await textOf(p.locator('.govuk-error-summary')), /Enter what happened or what is known/);
  const date = p.getByRole('group', { name: 'When did it happen, or become known?' });
  await date.getByLabel('Day').fill('21');
  await date.getByLabel('Month').fill('11');
  await date.getByLabel('Year').fill('2026');
  await p.getByLabel('What happened or what is known').fill('Seen at the station late at night');
  await p.getByRole('radio', { name: /Evidence/ }).check();
  await s.click(p.getByRole('button', { name: 'Save entry' }));
  await on(s, 'Single view of risk', 'Single view of risk');
  assert.match(await textOf(p.locator('.govuk-notification-banner')), /Entry added to the single view of risk/);
  assert.match(
    await textOf(p.locator('#partner-entries + a + ul li, #partner-entries ~ ul li').first()),
    /21 November 2026 \(evidence\): Seen at the station late at night/,
  );
  await s.close();
});
