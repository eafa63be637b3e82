// Browser journey: a worker records an information-sharing decision from the record; the empty form's error summary,
// the saved entry with its banner; every page checked with axe, nothing scrolls sideways at 320px.
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

test('a worker records a decision not to share, from the record', async () => {
  const s = await h.session({ as: worker });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto(`/people/${allocated.id}`);
  await s.checkAxe();
  await s.click(s.page.getByRole('link', { name: 'Information sharing' }));
  await on(s, 'Information sharing', 'Information sharing');
  await s.click(s.page.getByRole('button', { name: 'Record a sharing decision' }));
  await on(s, 'Record a sharing decision', 'Record a sharing decision');
  await s.click(s.page.getByRole('button', { name: 'Save sharing decision' }));
  await on(s, 'Record a sharing decision', 'Error: Record a sharing decision');
  const p = s.page;
  await p.getByRole('group', { name: 'Decision' }).getByLabel('Not share', { exact: true }).check();
  await p.getByLabel('What information', { exact: true }).fill('Health assessment');
  await p.getByLabel('Organisation', { exact: true }).fill('Youth club');
  const date = p.getByRole('group', { name: 'Date of the decision' });
  await date.getByLabel('Day').fill('20');
  await date.getByLabel('Month').fill('11');
  await date.getByLabel('Year').fill('2026');
  await p.getByLabel('Purpose', { exact: true }).fill('They asked for it');
  await p.getByLabel('Why it is necessary and proportionate').fill('Not needed for their purpose');
  await p.getByLabel('Public task (Article 6(1)(e))').check();
  await p.getByRole('group', { name: 'Does it include special category data?' }).getByLabel('No').check();
  await p.getByLabel('Without consent').check();
  await p.getByRole('group', { name: 'Was the young person or their family told?' }).getByLabel('Yes').check();
  await p.getByLabel('Reasoning', { exact: true }).fill('No need to share');
  await s.click(p.getByRole('button', { name: 'Save sharing decision' }));
  await on(s, 'Information sharing', 'Information sharing');
  assert.match(await textOf(p.locator('.govuk-notification-banner')), /Sharing decision recorded/);
  assert.match(await textOf(p.locator('main h2[id^="entry-"]').first()), /Not share: Youth club, 20 November 2026/);
  await s.close();
});

test('special category reveals its conditions; an entry is corrected; the register filters', async () => {
  const s = await h.session({ as: worker });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto(`/people/${allocated.id}/sharing/new`);
  await on(s, 'Record a sharing decision', 'Record a sharing decision');
  const p = s.page;
  const block = p.locator('#special-conditions');
  assert.equal(await block.isVisible(), false);
  const special = p.getByRole('group', { name: 'Does it include special category data?' });
  await special.getByLabel('Yes').check();
  assert.equal(await block.isVisible(), true);
  await s.checkAxe();
  await special.getByLabel('No').check();
  assert.equal(await block.isVisible(), false);
  await p.getByRole('group', { name: 'Decision' }).getByLabel('Share', { exact: true }).check();
  await p.getByLabel('What information', { exact: true }).fill('Attendance');
  await p.getByLabel('Organisation', { exact: true }).fill('Town College');
  const date = p.getByRole('group', { name: 'Date of the decision' });
  await date.getByLabel('Day').fill('21');
  await date.getByLabel('Month').fill('11');
  await date.getByLabel('Year').fill('2026');
  await p.getByLabel('Purpose', { exact: true }).fill('Safety plan');
  await p.getByLabel('Why it is necessary and proportionate').fill('To keep her safe');
  await p.getByLabel('Public task (Article 6(1)(e))').check();
  await p.getByLabel('With consent', { exact: true }).check();
  await p.getByRole('group', { name: 'Was the young person or their family told?' }).getByLabel('Yes').check();
  await p.getByLabel('Reasoning', { exact: true }).fill('Agreed');
  await s.click(p.getByRole('button', { name: 'Save sharing decision' }));
  await on(s, 'Information sharing', 'Information sharing');
  const correct = p.getByRole('link', { name: /Correct this entry\s*: Share, Town College/ });
  await s.goto(String(await correct.getAttribute('href')));
  await on(s, 'Correct a sharing decision', 'Correct a sharing decision');
  await p.getByLabel('Organisation', { exact: true }).fill('City College');
  await p.getByLabel('Why are you correcting this entry?').fill('Wrong college');
  await s.click(p.getByRole('button', { name: 'Save correction' }));
  await on(s, 'Information sharing', 'Information sharing');
  assert.match(await textOf(p.locator('.govuk-notification-banner')), /Sharing decision corrected/);
  assert.match(await textOf(p.locator('main h2[id^="entry-"]').first()), /Share: City College, 21 November 2026/);
  await s.close();

  const dpo = await h.session({ as: userByRole(h.org, 'service_manager') });
  await dpo.page.setViewportSize({ width: 320, height: 800 });
  await dpo.goto('/sharing');
  await on(dpo, 'Information-sharing register', 'Information-sharing register');
  await dpo.page.getByLabel('Organisation (part of the name)').fill('college');
  await dpo.click(dpo.page.getByRole('button', { name: 'Apply filters' }));
  await on(dpo, 'Information-sharing register', 'Information-sharing register');
  assert.match(await textOf(dpo.page.locator('main h2').first()), /2 entries/);
  await dpo.close();
});
