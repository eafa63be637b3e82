// Browser journey (issue 12 part 8): a worker starts the joint transition plan early from the record, sees the
// warning that nobody holds the case after 18, writes the plan (the empty form's error summary first) and names
// the post-18 owner; every page checked with axe, nothing scrolls sideways at 320px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');
const lead = userByRole(h.org, 'exploitation_lead');
const { allocated } = h.people;

async function on(s: Session, h1: string | null, title: string) {
  if (h1)
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

test('a worker starts the joint transition plan from the record, writes it and names the post-18 owner', async () => {
  const s = await h.session({ as: worker });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto(`/people/${allocated.id}`);
  await s.checkAxe();
  await s.click(s.page.getByRole('link', { name: 'Joint transition plan for after 18' }));
  await on(s, 'Joint transition plan', 'Joint transition plan');
  await s.click(s.page.getByRole('button', { name: 'Start the plan now' }));
  await on(s, 'Joint transition plan', 'Joint transition plan');
  const p = s.page;
  assert.match(await textOf(p.locator('.govuk-notification-banner')), /Joint transition plan started/);
  assert.match(await textOf(p.locator('.govuk-warning-text')), /Nobody is named to hold the case after 18/);

  await s.click(p.getByRole('link', { name: 'Change the plan' }));
  await on(s, 'The joint transition plan', 'The joint transition plan');
  await s.click(p.getByRole('button', { name: 'Save the plan' }));
  await on(s, 'The joint transition plan', 'Error: The joint transition plan');
  assert.match(await textOf(p.locator('.govuk-error-summary')), /Enter what will happen at 18/);
  await p.getByLabel(worker.name).check();
  await p.getByLabel('What will happen at 18').fill('Moves to the Exploitation Hub with a joint visit first');
  await p.getByLabel('The young person’s views').fill('Wants to keep the same youth worker');
  await s.click(p.getByRole('button', { name: 'Save the plan' }));
  await on(s, 'Joint transition plan', 'Joint transition plan');
  assert.match(await textOf(p.locator('.govuk-notification-banner')), /Transition plan saved/);

  await s.click(p.getByRole('link', { name: 'Name the post-18 owner' }));
  await on(s, 'Name the post-18 owner', 'Name the post-18 owner');
  await p.getByLabel('The Exploitation Hub').check();
  const search = p.locator('#post18_owner_id-q');
  if (await search.count()) {
    await search.fill(lead.name.split(' ')[0] as string);
    await s.click(p.locator('#post18_owner_id-search'));
    await p.getByLabel('The Exploitation Hub').check();
  }
  await p.getByLabel(lead.name).check();
  await s.click(p.getByRole('button', { name: 'Name the post-18 owner' }));
  await on(s, 'Joint transition plan', 'Joint transition plan');
  assert.match(await textOf(p.locator('.govuk-notification-banner')), /Post-18 owner named/);
  assert.equal(await p.locator('.govuk-warning-text').count(), 0, 'no warning once someone is named');
  await s.close();
});
