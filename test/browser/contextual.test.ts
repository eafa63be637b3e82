// Browser journeys for contextual safeguarding and the cohort (issue 12 parts 3 and 11), at 320px with axe on every
// page: the exploitation lead adds a place of concern (the error summary, then the banner); the place's page as two
// users, each naming only the young person they work with and counting the other; the cohort's filters; a system
// block added with the error summary, then the banner. Nothing scrolls sideways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authUser } from '../../src/modules/demo/journeys.ts';
import { answers, HIGH, tokenFor } from '../contextual-setup.ts';
import { personInTeam, userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const sam = userByRole(h.org, 'social_worker');
const lead = userByRole(h.org, 'exploitation_lead');
const { allocated } = h.people;
// A young adult the Exploitation Hub (the lead) works with, and Sam does not.
const hub = await personInTeam(h.db, {
  authorityId: h.org.authorityId,
  team: h.org.teams['exploitation-hub'] as string,
  worker: lead.id,
  caseNumber: 'HX500001',
  givenName: 'Hollis',
  familyName: 'Hubward',
  dateOfBirth: '2006-04-04',
});
// Screened high (into the cohort), through the API as the lead.
const screened = await h.app.inject({
  method: 'POST',
  url: `/api/v1/people/${hub}/screenings`,
  headers: await tokenFor(h.db, lead.id),
  payload: { instrument_id: 'child-exploitation', reason: 'first', answers: answers(HIGH) },
});
assert.equal(screened.statusCode, 201, screened.body);

async function on(s: Session, h1: string, title: string) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.trim()),
    [h1],
    `the h1 on ${s.page.url()}`,
  );
  assert.equal(await s.page.title(), `${title} – Handover`);
  await s.checkAxe();
  const overflow = await s.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, `${s.page.url()} does not scroll sideways at 320px`);
}

async function summary(s: Session) {
  const box = s.page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await box.waitFor();
  return Promise.all(
    (await box.getByRole('link').all()).map(async (l) => ({
      text: await textOf(l),
      href: await l.getAttribute('href'),
    })),
  );
}

async function focusedBanner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

let placeUrl = '';

test('the lead adds a place of concern: the error summary, then the banner', async () => {
  const s = await h.session({ as: lead });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto('/places');
  await on(s, 'Places of concern', 'Places of concern');
  await s.click(s.page.getByRole('button', { name: 'Add a place' }));
  await on(s, 'Add a place', 'Add a place');
  await s.click(s.page.getByRole('button', { name: 'Save' }));
  await on(s, 'Add a place', 'Error: Add a place');
  assert.deepEqual(await summary(s), [
    { text: 'Enter the name of the place, as staff know it', href: '#name' },
    { text: 'Enter the area, for example the town or the neighbourhood', href: '#area' },
    { text: 'Choose the kind of place', href: '#kind' },
  ]);
  // The summary's link takes the keyboard to the field.
  await s.page.getByRole('link', { name: 'Enter the name of the place, as staff know it' }).click();
  assert.equal((await s.focused()).id, 'name');
  await s.page.getByLabel('Name').fill('Trowford bus station');
  await s.page.getByLabel('Area').fill('Trowford');
  await s.page.getByLabel('Kind of place').selectOption({ label: 'Transport (station, bus route)' });
  await s.page.getByLabel('Description').fill('Older males seen approaching young people after school');
  await s.click(s.page.getByRole('button', { name: 'Save' }));
  await on(s, 'Trowford bus station', 'Trowford bus station');
  assert.equal(await focusedBanner(s), 'Added');
  placeUrl = new URL(s.page.url()).pathname;
  await s.close();

  // Both young people linked to it (from their records, as their workers would).
  const place = placeUrl.split('/')[2] as string;
  for (const [who, personId] of [
    [sam.id, allocated.id],
    [lead.id, hub],
  ] as const)
    await h.app.services.contextual.linkPerson(await authUser(h.db, who), personId, {
      target: 'place',
      target_id: place,
      note: 'Seen at the bus station after school',
    });
});

test('the place as two users: each sees by name only the young person they work with', async () => {
  assert.ok(placeUrl, 'the place was added');
  for (const [user, mine, other] of [
    [sam, allocated.fullName, 'Hollis Hubward'],
    [lead, 'Hollis Hubward', allocated.fullName],
  ] as const) {
    const s = await h.session({ as: user });
    await s.page.setViewportSize({ width: 320, height: 800 });
    await s.goto(placeUrl);
    await on(s, 'Trowford bus station', 'Trowford bus station');
    const main = s.page.getByRole('main');
    await main.getByRole('link', { name: mine }).waitFor();
    assert.equal(await main.getByText(other).count(), 0, `${user.email} does not see ${other}`);
    assert.equal(await textOf(s.page.locator('#others')), '1 other young person you do not work with.');
    // The name is a link to the record the viewer may open.
    await s.click(main.getByRole('link', { name: mine }));
    assert.match(new URL(s.page.url()).pathname, /^\/people\/[0-9a-f-]{36}$/);
    await s.checkAxe();
    await s.close();
  }
});

test('the cohort: filters by age band and level, counts and the chart with its table', async () => {
  const s = await h.session({ as: lead });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto('/cohort');
  await on(s, 'Transitional safeguarding cohort', 'Transitional safeguarding cohort');
  assert.equal(await textOf(s.page.locator('#now')), 'Open now: 1');
  await s.page.getByLabel('Age band', { exact: true }).selectOption({ label: '11 to 15' });
  await s.click(s.page.getByRole('button', { name: 'Apply filters' }));
  await on(s, 'Transitional safeguarding cohort', 'Transitional safeguarding cohort');
  assert.equal(await textOf(s.page.locator('#now')), 'Open now: 0');
  await s.page.getByLabel('Age band', { exact: true }).selectOption({ label: '18 to 25' });
  await s.page.getByLabel('Level', { exact: true }).selectOption({ label: 'High' });
  await s.click(s.page.getByRole('button', { name: 'Apply filters' }));
  await on(s, 'Transitional safeguarding cohort', 'Transitional safeguarding cohort');
  assert.equal(await textOf(s.page.locator('#now')), 'Open now: 1');
  assert.match(s.page.url(), /age_band=18-25/);
  assert.match(s.page.url(), /level=high/);
  // The chart is an image with its name; the table beside it has this month's count.
  await s.page.getByRole('img', { name: 'Young people in the cohort by level, at the end of each month' }).waitFor();
  const last = s.page.locator('#counts-history tbody tr').last();
  assert.equal(await textOf(last.locator('th')), '2026-11');
  assert.equal(await textOf(last.locator('td').last()), '1');
  await s.close();
});

test('a system block: the error summary, then the banner, in the register', async () => {
  const s = await h.session({ as: lead });
  await s.page.setViewportSize({ width: 320, height: 800 });
  await s.goto('/system-blocks');
  await on(s, 'System blocks register', 'System blocks register');
  await s.click(s.page.getByRole('button', { name: 'Add a system block' }));
  await on(s, 'Add a system block', 'Add a system block');
  await s.click(s.page.getByRole('button', { name: 'Save' }));
  await on(s, 'Add a system block', 'Error: Add a system block');
  assert.deepEqual(await summary(s), [
    { text: 'Choose the kind of block', href: '#kind' },
    { text: 'Enter what stood in the way. Do not name the young person', href: '#description' },
  ]);
  // Keyboard only: the radios and the box.
  await s.page.getByRole('link', { name: 'Choose the kind of block' }).click();
  assert.equal((await s.focused()).id, 'kind');
  await s.page.keyboard.press('Space');
  assert.ok(
    await s.page.getByRole('group', { name: 'Kind of block' }).getByLabel('Housing for 18 to 25 year olds').isChecked(),
  );
  // Tab leaves the radios for the box; then to Save, and Enter.
  await s.page.keyboard.press('Tab');
  assert.equal((await s.focused()).id, 'description');
  await s.page.keyboard.type('No supported housing for 18 to 25 year olds at risk');
  await s.tabTo((f) => f.tag === 'button' && f.text === 'Save');
  await s.follow(() => s.page.keyboard.press('Enter'));
  await on(s, 'System blocks register', 'System blocks register');
  assert.equal(await focusedBanner(s), 'System block added');
  const row = s.page.locator('#register tbody tr').first();
  assert.match(await textOf(row), /Housing for 18 to 25 year olds/);
  assert.match(await textOf(row), /No supported housing for 18 to 25 year olds at risk/);
  await s.close();
});
