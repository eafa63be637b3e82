// Browser journey for the consultation forums (issue 12 part 6), at 320px with axe on every page: a worker books a
// consultation naming a young person they work with (the error summary first, then the banner); the forum (the
// exploitation lead, who does not work with the young person) finds it on its list without the name, records the
// advice from the keyboard and a follow-up owned by the worker (each after an error summary); the worker marks the
// follow-up done.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');
const lead = userByRole(h.org, 'exploitation_lead');
const { allocated } = h.people;

/** Checks the page's one h1 and its title, then runs axe on it. */
async function on(s: Session, h1: string, title: string) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.trim()),
    [h1],
    `the h1 on ${s.page.url()}`,
  );
  assert.equal(await s.page.title(), `${title} – Handover`);
  await s.checkAxe();
}

async function focusedBanner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

async function overflow(s: Session): Promise<number> {
  return s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function summaryLinks(s: Session): Promise<string[]> {
  const summary = s.page.getByRole('alert').filter({ hasText: 'There is a problem' });
  return summary.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
}

test('book a named consultation, the forum advises and adds a follow-up, the owner marks it done', async () => {
  const title = 'Exploitation consultation forum, 1 December 2026';
  const w = await h.session({ as: worker });
  await w.page.setViewportSize({ width: 320, height: 800 });
  await w.goto('/consultations');
  await on(w, 'Consultation forums', 'Consultation forums');
  await w.click(w.page.getByRole('button', { name: 'Book a consultation' }));
  await on(w, 'Book a consultation', 'Book a consultation');

  // Nothing filled in: the error summary names each field, in the form's order.
  await w.click(w.page.getByRole('button', { name: 'Book the consultation' }));
  await on(w, 'Book a consultation', 'Error: Book a consultation');
  assert.deepEqual(await summaryLinks(w), ['#forum', '#forum_date-day', '#person_id', '#question']);
  assert.equal(await overflow(w), 0, 'the booking form does not scroll sideways at 320px');

  await w.page.getByLabel('Forum', { exact: true }).fill('Exploitation consultation forum');
  const date = w.page.getByRole('group', { name: 'Forum date' });
  await date.getByLabel('Day').fill('1');
  await date.getByLabel('Month').fill('12');
  await date.getByLabel('Year').fill('2026');
  await w.page
    .getByRole('group', { name: 'Which young person is it about?' })
    .getByLabel(allocated.fullName, { exact: true })
    .check();
  await w.page.getByLabel('Your question').fill('Seen with older males near the station. Screen now or wait?');
  await w.click(w.page.getByRole('button', { name: 'Book the consultation' }));
  await on(w, title, `Consultation: ${title}`);
  assert.equal(await focusedBanner(w), 'Consultation booked');
  assert.match(await textOf(w.page.locator('main')), new RegExp(allocated.fullName));
  assert.equal(await overflow(w), 0, 'the consultation does not scroll sideways at 320px');
  const url = new URL(w.page.url()).pathname;

  // The forum: the list does not name a young person the lead does not work with.
  const f = await h.session({ as: lead });
  await f.page.setViewportSize({ width: 320, height: 800 });
  await f.goto('/consultations');
  await on(f, 'Consultation forums', 'Consultation forums');
  const awaiting = f.page.getByRole('list', { name: 'Consultations awaiting advice' });
  assert.match(await textOf(awaiting), /Named: a young person you do not work with/);
  assert.doesNotMatch(await textOf(f.page.locator('main')), new RegExp(allocated.familyName));
  await f.click(awaiting.getByRole('link', { name: title }));
  await on(f, title, `Consultation: ${title}`);

  // The advice, from the keyboard: empty first (the error summary), then written.
  await f.page.getByLabel('Advice given').focus();
  await f.follow(async () => {
    await f.page.keyboard.press('Tab');
    await f.page.keyboard.press('Enter');
  });
  await on(f, title, `Error: Consultation: ${title}`);
  assert.deepEqual(await summaryLinks(f), ['#advice']);
  await f.page.getByLabel('Advice given').focus();
  await f.page.keyboard.type('Screen now; bring to the HREM if medium or above.');
  await f.follow(async () => {
    await f.page.keyboard.press('Tab');
    await f.page.keyboard.press('Enter');
  });
  await on(f, title, `Consultation: ${title}`);
  assert.equal(await focusedBanner(f), 'Advice recorded');

  // A follow-up: without an owner or due date, then owned by the worker.
  await f.page.getByLabel('Follow-up', { exact: true }).fill('Complete the exploitation screening');
  await f.click(f.page.getByRole('button', { name: 'Add the follow-up' }));
  await on(f, title, `Error: Consultation: ${title}`);
  assert.deepEqual(await summaryLinks(f), ['#owner_user_id', '#due_date-day']);
  assert.equal(
    await f.page.getByLabel('Follow-up', { exact: true }).inputValue(),
    'Complete the exploitation screening',
  );
  await f.page
    .getByRole('group', { name: 'Owner of the follow-up' })
    .getByLabel('Sam Social-Worker', { exact: true })
    .check();
  const due = f.page.getByRole('group', { name: 'Due date' });
  await due.getByLabel('Day').fill('4');
  await due.getByLabel('Month').fill('12');
  await due.getByLabel('Year').fill('2026');
  await f.click(f.page.getByRole('button', { name: 'Add the follow-up' }));
  await on(f, title, `Consultation: ${title}`);
  assert.equal(await focusedBanner(f), 'Follow-up added');
  const ups = f.page.getByRole('list', { name: 'Follow-ups' });
  assert.match(
    await textOf(ups),
    /Complete the exploitation screening Owner: Sam Social-Worker\. Due 4 December 2026\./,
  );
  assert.equal(await overflow(f), 0, 'the forum’s page does not scroll sideways at 320px');
  await f.close();

  // The owner marks it done.
  await w.goto(url);
  await on(w, title, `Consultation: ${title}`);
  await w.click(w.page.getByRole('button', { name: /^Mark done\W+Complete the exploitation screening$/ }));
  await on(w, title, `Consultation: ${title}`);
  assert.equal(await focusedBanner(w), 'Follow-up marked done');
  assert.match(await textOf(w.page.getByRole('list', { name: 'Follow-ups' })), /Done 23 November 2026/);
  await w.close();
});
