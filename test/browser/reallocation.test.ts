// Browser journey (issue 11 capability 12): a team manager moves a leaver's caseload. From "Move a worker's cases"
// they open the leaver, tick the case, choose the receiving worker (the IT administrator in the team is never
// offered) and move it: a focused success banner, the case now with the new worker. axe on every page, no sideways
// scroll at 320px, keyboard-only choice of the worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const manager = userByRole(h.org, 'team_manager');
const sam = userByRole(h.org, 'social_worker');
const admin = userByRole(h.org, 'admin');
const team = h.org.teams['dct-north'] as string;
const { allocated } = h.people;

// A second worker in the team (same service as Sam), and the IT administrator added to the team too.
const samRow = await h.db.selectFrom('users').where('id', '=', sam.id).selectAll().executeTakeFirstOrThrow();
const riley = await h.db
  .insertInto('users')
  .values({
    authority_id: h.org.authorityId,
    email: 'riley.browser@example.test',
    display_name: 'Riley Second-Worker',
    job_title: 'Social Worker',
    roles: ['social_worker'],
    service_id: samRow.service_id,
    line_manager_id: manager.id,
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await h.db
  .insertInto('team_members')
  .values([
    { team_id: team, user_id: riley.id },
    { team_id: team, user_id: admin.id },
  ])
  .execute();

async function on(s: Session, h1: string) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.trim()),
    [h1],
  );
  await s.checkAxe();
  const overflow = await s.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, `nothing scrolls sideways on ${s.page.url()}`);
}

test('a team manager moves a leaver’s case to another worker of the team', async () => {
  const s = await h.session({ as: manager });
  await s.goto('/');
  await s.checkAxe();
  await s.click(s.page.getByRole('link', { name: 'Team caseloads' }));
  await s.page.setViewportSize({ width: 320, height: 900 });
  await on(s, 'Move a worker’s cases');
  await s.click(s.page.getByRole('link', { name: /^Sam Social-Worker/ }));
  await on(s, 'Move Sam Social-Worker’s cases');

  const cases = s.page.getByRole('group', { name: /Cases Sam Social-Worker holds/ });
  await cases.getByRole('checkbox', { name: new RegExp(allocated.fullName) }).check();
  const who = s.page.getByRole('group', { name: 'Who should they move to?' });
  assert.equal(await who.getByRole('radio', { name: admin.name }).count(), 0, 'the IT administrator is never offered');
  assert.equal(await who.getByRole('radio', { name: 'Sam Social-Worker' }).count(), 0, 'nor the leaver');
  // Keyboard only: Tab to the first worker offered, arrow to Riley.
  const radios = who.getByRole('radio');
  const names = await radios.evaluateAll((els) =>
    els.map((e) => (e as HTMLInputElement).labels?.[0]?.textContent?.trim()),
  );
  assert.deepEqual(names, ['Marcus Team-Manager', 'Riley Second-Worker']);
  await radios.first().focus();
  await s.page.keyboard.press('ArrowDown');
  assert.equal(await who.getByRole('radio', { name: 'Riley Second-Worker' }).isChecked(), true);
  await s.page.getByLabel('Reason (optional)').fill('Sam is on leave until January');
  await s.click(s.page.getByRole('button', { name: 'Move the chosen work' }));

  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  assert.match(
    await textOf(s.page.locator('.govuk-notification-banner__content')),
    /1 case moved to Riley Second-Worker/,
  );
  await on(s, 'Move Sam Social-Worker’s cases');
  const inv = await h.db
    .selectFrom('involvements')
    .where('person_id', '=', allocated.id)
    .where('team_id', '=', team)
    .select('worker_id')
    .executeTakeFirstOrThrow();
  assert.equal(inv.worker_id, riley.id);

  // Sam's only case has gone: the page says there is nothing left to move.
  assert.match(
    await textOf(s.page.locator('main')),
    /Sam Social-Worker holds no cases in Disabled Children's Team North/,
  );
  await s.close();
});
