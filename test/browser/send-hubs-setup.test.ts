// Browser walk of SEND hubs Set up (issue 13 part 1) at 320px, with axe and the W3C HTML checker on every page: the
// IT administrator goes from Set up to the hubs, saves a hub with a bad target (error summary, then banner), adds a
// hub service, opens the locality's Further SEND Support, adds a setting (the empty form's error summary first),
// and gives it an account for its SENCO.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const admin = userByRole(h.org, 'admin');

/** The one h1, the title, no sideways scroll at 320px, then axe. */
async function on(s: Session, h1: string, title: string) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.trim().replace(/\s+/g, ' ')),
    [h1],
    `the h1 on ${s.page.url()}`,
  );
  assert.equal(await s.page.title(), `${title} – Handover`);
  assert.equal(
    await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
    `${s.page.url()} does not scroll sideways at 320px`,
  );
  await s.checkAxe();
}

async function summary(s: Session) {
  const box = s.page.getByRole('alert').filter({ hasText: 'There is a problem' });
  const hrefs = await box.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return { hrefs, text: await textOf(box) };
}

async function banner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

test('the administrator sets a hub up, a locality, a setting and its SENCO’s account', async () => {
  const [hub1] = h.org.hubIds as [string];
  const hubName = (await h.db.selectFrom('hubs').where('id', '=', hub1).select('name').executeTakeFirstOrThrow()).name;
  const s = await h.session({ as: admin });
  await s.page.setViewportSize({ width: 320, height: 800 });
  const p = s.page;
  await s.goto('/admin');
  await s.checkAxe();
  await s.click(p.getByRole('link', { name: 'Manage SEND hubs in use and settings' }));
  await on(s, 'SEND hubs in use', 'SEND hubs in use');
  await s.click(p.getByRole('link', { name: `Change ${hubName}` }));
  await on(s, hubName, hubName);

  await p.getByLabel('First response target').fill('0');
  await p.getByRole('radio', { name: 'Friday' }).check();
  await s.click(p.getByRole('button', { name: 'Save hub' }));
  await on(s, hubName, `Error: ${hubName}`);
  const bad = await summary(s);
  assert.deepEqual(bad.hrefs, ['#first_response_working_days']);
  assert.match(bad.text, /Enter the first response target as a whole number of working days from 1 to 60/);
  await p.getByLabel('First response target').fill('12');
  await s.click(p.getByRole('button', { name: 'Save hub' }));
  await on(s, hubName, hubName);
  assert.match(await banner(s), /Hub saved/);

  await p.getByLabel('Service name').fill('Sensory support service');
  await p.getByLabel('Kind of service').selectOption('sensory');
  await s.click(p.getByRole('button', { name: 'Add service' }));
  await on(s, hubName, hubName);
  assert.equal(await banner(s), 'Service added');

  await s.click(p.getByRole('link', { name: /locality team$/ }));
  const loc = ((await p.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
  assert.match(loc, /^Further SEND Support in /);
  await on(s, loc, loc);
  await s.click(p.getByRole('button', { name: 'Save locality' }));
  await on(s, loc, loc);
  assert.equal(await banner(s), 'Locality saved');

  await s.goto('/admin/settings');
  await on(s, 'Settings', 'Settings');
  await s.click(p.getByRole('button', { name: 'Add a setting' }));
  await on(s, 'Add a setting', 'Add a setting');
  await s.click(p.getByRole('button', { name: 'Add setting' }));
  await on(s, 'Add a setting', 'Error: Add a setting');
  const empty = await summary(s);
  assert.deepEqual(empty.hrefs, ['#name', '#kind', '#hub_id', '#inbox_email']);
  await p.getByLabel('Setting name').fill('Meadow Special School');
  await p.getByRole('radio', { name: 'Special school' }).check();
  await p.getByLabel('URN (optional)').fill('113999');
  await p.getByLabel('SEND hub', { exact: true }).selectOption(hub1);
  await p.getByLabel('Team inbox email').fill('send@meadow.example');
  await s.click(p.getByRole('button', { name: 'Add setting' }));
  await on(s, 'Meadow Special School', 'Meadow Special School');
  assert.equal(await banner(s), 'Setting added');

  await s.click(p.getByRole('button', { name: 'Add account' }));
  await on(s, 'Meadow Special School', 'Error: Meadow Special School');
  assert.deepEqual((await summary(s)).hrefs, ['#display_name', '#email', '#position']);
  await p.getByLabel('Full name').fill('Morgan SENCO-Meadow');
  await p.getByLabel('Email', { exact: true }).fill('senco@meadow.example');
  await p.getByRole('group', { name: 'Position at the setting' }).getByLabel('SENCO').check();
  await s.click(p.getByRole('button', { name: 'Add account' }));
  await on(s, 'Meadow Special School', 'Meadow Special School');
  assert.match(await banner(s), /Account added/);
  assert.match(await textOf(p.locator('#accounts ~ .govuk-summary-card').first()), /Morgan SENCO-Meadow[\s\S]*Invited/);
  await s.close();
});
