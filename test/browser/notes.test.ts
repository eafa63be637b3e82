// Browser journey: a worker writes two case notes (one a significant event), corrects one, and reads and filters the
// chronology; every page is checked with axe, the success banner takes focus, nothing scrolls sideways at 320px,
// and the chronology prints without the navigation and filter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { PersonRecordPage, type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');
const { allocated } = h.people;

/** Checks the page's h1 and title, then runs axe on it. */
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

/** The success banner's text, once it has taken the keyboard focus. */
async function focusedBanner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

/** The page's width beyond the viewport, in pixels (0: nothing scrolls sideways). */
async function overflow(s: Session): Promise<number> {
  return s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function fillNote(
  s: Session,
  n: { type: string; day: string; time: string; present: string; what: string; voice: string; summary?: string },
) {
  const p = s.page;
  await p.getByRole('group', { name: 'Type of note' }).getByLabel(n.type, { exact: true }).check();
  const date = p.getByRole('group', { name: 'Date of the contact' });
  await date.getByLabel('Day').fill(n.day);
  await date.getByLabel('Month').fill('11');
  await date.getByLabel('Year').fill('2026');
  await p.getByLabel('Time of the contact').fill(n.time);
  await p.getByLabel('Who was present (optional)').fill(n.present);
  await p.getByLabel('What happened').fill(n.what);
  await p.getByLabel('The young person’s voice (optional)').fill(n.voice);
  const significant = p.getByRole('group', { name: 'Is this a significant event?' });
  await significant.getByLabel(n.summary ? 'Yes' : 'No', { exact: true }).check();
  if (n.summary) await p.getByLabel('Summary of the significant event (if it is one)').fill(n.summary);
}

test('a worker writes two notes, one significant, corrects one, and sees the chronology', async () => {
  const s = await h.session({ as: worker });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto(`/people/${allocated.id}`);
  const record = await PersonRecordPage.on(s, allocated.fullName);

  // Saving an empty form: the error summary, each message linked to its field.
  await s.click(record.page.getByRole('link', { name: 'Add a case note' }));
  await on(s, 'Add a case note', 'Add a case note');
  await s.click(s.page.getByRole('button', { name: 'Save case note' }));
  await on(s, 'Add a case note', 'Error: Add a case note');
  const summary = s.page.getByRole('alert').filter({ hasText: 'There is a problem' });
  assert.deepEqual(await summary.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href'))), [
    '#note_type',
    '#contact_date-day',
    '#contact_time',
    '#what_happened',
    '#significant',
  ]);

  await fillNote(s, {
    type: 'Visit',
    day: '20',
    time: '2:30pm',
    present: 'Mother, Leah',
    what: 'Home visit. Leah showed me her new room.\nShe was chatty and relaxed.',
    voice: 'Said she likes her new room.',
  });
  await s.click(s.page.getByRole('button', { name: 'Save case note' }));
  await on(s, 'Case notes', 'Case notes');
  assert.equal(await focusedBanner(s), 'Case note added');
  assert.equal(await overflow(s), 0, 'the notes list does not scroll sideways at 320px');
  await s.screenshot('notes-list');

  await s.click(s.page.getByRole('button', { name: 'Add a case note' }));
  await on(s, 'Add a case note', 'Add a case note');
  await fillNote(s, {
    type: 'Phone call',
    day: '21',
    time: '09:15',
    present: 'Head of year',
    what: 'School phoned: Leah told a teacher she is being bullied on the bus.',
    voice: 'Told her teacher she is scared to get the bus.',
    summary: 'Disclosed bullying on the school bus',
  });
  await s.click(s.page.getByRole('button', { name: 'Save case note' }));
  await on(s, 'Case notes', 'Case notes');
  assert.equal(await focusedBanner(s), 'Case note added');
  const headings = await s.page
    .getByRole('list', { name: 'Case notes, newest first' })
    .getByRole('heading')
    .allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.trim()),
    ['Phone call, 21 November 2026 at 9:15am', 'Visit, 20 November 2026 at 2:30pm'],
  );

  // Correct the visit: a new version with a reason; the first is kept and can be read.
  await s.click(s.page.getByRole('link', { name: 'Visit, 20 November 2026 at 2:30pm' }));
  await on(s, 'Visit, 20 November 2026', 'Case note: Visit, 20 November 2026');
  await s.click(s.page.getByRole('button', { name: 'Correct this note' }));
  await on(s, 'Correct this note', 'Correct this note');
  assert.equal(await s.page.getByLabel('Time of the contact').inputValue(), '14:30');
  await s.page.getByLabel('Reason for the correction').fill('Wrong time recorded');
  await s.page.getByLabel('Time of the contact').fill('3:30pm');
  await s.click(s.page.getByRole('button', { name: 'Save correction' }));
  await on(s, 'Visit, 20 November 2026', 'Case note: Visit, 20 November 2026');
  assert.match(await focusedBanner(s), /^Note corrected: this is version 2/);
  assert.equal(await overflow(s), 0, 'a note does not scroll sideways at 320px');
  const earlier = s.page.getByText('Version 1, written by Sam Social-Worker');
  await earlier.click();
  // The note keeps its line breaks, and is not indented by the template.
  const shown = s.page.locator('.govuk-summary-list__value .app-notes__text').first();
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, line breaks and all, is what is checked
  const rendered = await shown.innerText();
  assert.equal(rendered, 'Home visit. Leah showed me her new room.\nShe was chatty and relaxed.');
  assert.match(await textOf(s.page.locator('.govuk-details__text')), /20 November 2026 at 2:30pm/);
  await s.screenshot('notes-corrected');

  // The chronology: the significant event only; filtered to visits, nothing.
  await s.click(s.page.getByRole('link', { name: 'Back to case notes' }));
  await on(s, 'Case notes', 'Case notes');
  await s.click(s.page.getByRole('link', { name: 'Chronology of significant events' }));
  await on(s, 'Chronology', 'Chronology');
  const table = s.page.getByRole('table', { name: `Significant events for ${allocated.fullName}, oldest first` });
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll('td, th')).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim()),
      ),
    );
  assert.deepEqual(rows, [
    ['21 November 2026, 9:15am', 'Phone call', 'Disclosed bullying on the school bus', 'Sam Social-Worker'],
  ]);
  assert.equal(await overflow(s), 0, 'the chronology does not scroll sideways at 320px');
  await s.screenshot('notes-chronology');

  // Printed: the events, without the navigation, the filter or the footer.
  await s.page.emulateMedia({ media: 'print' });
  assert.equal(await s.page.getByRole('navigation', { name: 'Menu' }).isVisible(), false);
  assert.equal(await s.page.getByRole('button', { name: 'Apply filter' }).isVisible(), false);
  assert.equal(await table.isVisible(), true);
  const printed = await table.getByRole('link').evaluate((a) => getComputedStyle(a, '::after').content);
  assert.equal(printed, 'none', 'the printed chronology does not spell out each link');
  await s.screenshot('notes-chronology-print');
  await s.page.emulateMedia({ media: 'screen' });

  await s.page.getByLabel('Type of note').selectOption({ label: 'Visit' });
  await s.click(s.page.getByRole('button', { name: 'Apply filter' }));
  await on(s, 'Chronology', 'Chronology');
  assert.match(await textOf(s.page.locator('main')), /No significant events match the filter/);
  await s.close();
});

test('a half-written note is kept as a draft while typing, offered back on return, and can be discarded', async () => {
  const s = await h.session({ as: worker });
  await s.goto(`/people/${allocated.id}/notes/new`);
  await on(s, 'Add a case note', 'Add a case note');
  await s.page.getByLabel('What happened').fill('Started writing up the visit, then the phone rang');
  // The page's script keeps the draft a few seconds after the last change, and says so.
  await s.page
    .getByRole('status')
    .filter({ hasText: /^Draft saved at \d{1,2}:\d{2}(am|pm)\.$/ })
    .waitFor();

  await s.goto(`/people/${allocated.id}/notes`);
  await on(s, 'Case notes', 'Case notes');
  await s.click(s.page.getByRole('link', { name: 'Carry on with your draft' }));
  await on(s, 'Add a case note', 'Add a case note');
  assert.equal(
    await s.page.getByLabel('What happened').inputValue(),
    'Started writing up the visit, then the phone rang',
  );
  assert.match(await textOf(s.page.locator('#draft-kept')), /This is your draft, last saved/);

  await s.click(s.page.getByRole('button', { name: 'Discard draft' }));
  await on(s, 'Add a case note', 'Add a case note');
  assert.equal(await focusedBanner(s), 'Draft discarded');
  assert.equal(await s.page.getByLabel('What happened').inputValue(), '');
  await s.close();
});
