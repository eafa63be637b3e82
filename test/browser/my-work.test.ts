// Browser journey (issue 11 defects 2, 3 and 8): a worker works through My work and their notifications at 320px
// wide — every page checked with axe, nothing scrolls sideways, the filters work by keyboard-usable controls, and
// marking notifications read (chosen ones, then all) shows a success banner that takes the focus.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notifyUser } from '../../src/modules/notifications/outbox.ts';
import { userByRole } from '../helpers.ts';
import { MyWorkPage, type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');
const { allocated, waiting } = h.people;

/** The page's width beyond the viewport, in pixels (0: nothing scrolls sideways). */
async function overflow(s: Session): Promise<number> {
  return s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The success banner's text, once it has taken the keyboard focus. */
async function focusedBanner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

test('My work at 320px: one list with names, due dates and filters; axe-clean; no sideways scroll', async () => {
  const s = await h.session({ as: worker });
  await s.page.setViewportSize({ width: 320, height: 800 });
  const work = await MyWorkPage.open(s);
  await s.checkAxe();
  assert.equal(await overflow(s), 0, 'My work does not scroll sideways at 320px');
  assert.deepEqual(await work.allocatedToMe(), [allocated.fullName]);
  assert.deepEqual(await work.waiting(), [waiting.fullName]);

  // Only my team's work: the unallocated case, not mine.
  await s.page.getByRole('group', { name: 'Whose work' }).getByLabel('My teams’', { exact: true }).check();
  await s.click(s.page.getByRole('button', { name: 'Show work' }));
  const team = await MyWorkPage.on(s);
  await s.checkAxe();
  assert.deepEqual(await team.allocatedToMe(), []);
  assert.deepEqual(await team.waiting(), [waiting.fullName]);
  assert.equal(await overflow(s), 0);

  // A kind that is not on the list (typed into the address): the error summary names the field.
  await s.goto('/?kind=nonsense');
  await s.checkAxe();
  assert.match(await textOf(s.page.getByRole('alert').filter({ hasText: 'There is a problem' })), /Kind of work/);

  // From My work to the record, by the name.
  await s.goto('/');
  await MyWorkPage.on(s);
  await s.checkAxe();
  const record = await work.openPerson(allocated.fullName);
  assert.ok(record);
  await s.checkAxe();
  await s.close();
});

test('notifications at 320px: reference and time, chosen ones and then all marked read, with a focused banner', async () => {
  await h.db.transaction().execute(async (tx) => {
    for (const [i, step] of ['Review the plan', 'Make a referral', 'Update the plan'].entries())
      await notifyUser(tx, {
        authorityId: h.org.authorityId,
        userId: worker.id,
        message: `A step is waiting for you: ${step}`,
        link: `/people/${allocated.id}`,
        reference: `${allocated.caseNumber}/step-${i}`,
        baseUrl: 'http://localhost',
        email: false,
        at: new Date(Date.parse('2026-11-23T09:00:00Z') + i * 60_000),
      });
  });
  const s = await h.session({ as: worker });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto('/notifications');
  await s.checkAxe();
  assert.equal(await overflow(s), 0, 'notifications do not scroll sideways at 320px');
  const list = await textOf(s.page.locator('main'));
  assert.match(list, new RegExp(`Case ${allocated.caseNumber}`));
  assert.match(list, /23 November 2026, 9:02am/);
  assert.doesNotMatch(list, new RegExp(allocated.fullName));

  // Nothing chosen: an error naming the field.
  await s.click(s.page.getByRole('button', { name: 'Mark as read', exact: true }));
  await s.checkAxe();
  assert.match(
    await textOf(s.page.getByRole('alert').filter({ hasText: 'There is a problem' })),
    /Select the notifications/,
  );

  await s.page.getByRole('checkbox').first().check();
  await s.click(s.page.getByRole('button', { name: 'Mark as read', exact: true }));
  assert.equal(await focusedBanner(s), '1 notification marked as read');
  await s.checkAxe();
  assert.equal(await s.page.getByRole('checkbox').count(), 2);

  await s.click(s.page.getByRole('button', { name: 'Mark all as read' }));
  assert.equal(await focusedBanner(s), 'All notifications marked as read');
  await s.checkAxe();
  assert.equal(await overflow(s), 0);
  assert.equal(await s.page.getByRole('checkbox').count(), 0);
  await s.close();
});
