// Browser walk of the telephone advice log and the hub dashboard (issue 13 parts 7 and 8) at 320px, with axe and
// the W3C HTML checker on every page: the Navigator logs a call from the keyboard-reachable form (the empty form's
// error summary first, each link to its field), then a call with a follow-up owned by the hub manager (banner); the
// log's filters and counts; the hub manager finds the follow-up in My work, opens the call and marks it done; the
// hub's dashboard (SVG charts each followed by a table) and the view of all their hubs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { submitRequest } from '../../src/modules/send-hubs/intake.ts';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';
import { banner, fillDate, on } from './send-hubs-kit.ts';

const h = await startHarness();
const navigator = userByRole(h.org, 'hub_practitioner');
const manager = userByRole(h.org, 'hub_manager');
const hub1 = h.org.hubIds[0] as string;
const hub = await h.db.selectFrom('hubs').where('id', '=', hub1).select('name').executeTakeFirstOrThrow();

// A few requests for the dashboard, through the module's intake.
for (const [n, receivedOn, consent] of [
  [1, '2026-11-02', 'given'],
  [2, '2026-11-16', 'given'],
  [3, '2026-11-23', 'not_yet'],
] as const)
  await h.db.transaction().execute((tx) =>
    submitRequest(
      h.app.services.sendHubs.ctx,
      tx,
      { id: navigator.id, authorityId: h.org.authorityId },
      {
        setting_id: h.org.settings.northgate,
        child: {
          given_name: `Walk${n}`,
          family_name: 'Browserson',
          date_of_birth: '2017-04-04',
          upn: null,
          gender: null,
        },
        received_on: receivedOn,
        received_via: 'phone',
        contact_name: null,
        year_group: null,
        areas_of_need: ['semh'],
        apdr_cycles: [],
        sen_support_since: null,
        plan_review_date: null,
        current_plan: null,
        asking_for: 'Advice on regulation strategies',
        parent_views: null,
        consent,
        consent_on: consent === 'given' ? receivedOn : null,
      },
    ),
  );

async function summaryHrefs(s: Session): Promise<string[]> {
  const box = s.page.getByRole('alert').filter({ hasText: 'There is a problem' });
  return box.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
}

test('a Navigator logs calls; the owner of the follow-up marks it done; the manager reads the dashboard', async () => {
  const n = await h.session({ as: navigator });
  await n.page.setViewportSize({ width: 320, height: 800 });
  const p = n.page;
  await n.goto(`/hubs/${hub1}/calls`);
  await on(n, 'Telephone advice log', `Advice calls: ${hub.name}`);
  await n.click(p.getByRole('button', { name: 'Log a call' }));
  await on(n, 'Log an advice call', `Log an advice call: ${hub.name}`);

  // Empty (the date is prefilled with today): every missing field in the summary, in the form's order.
  const callDate = p.getByRole('group', { name: 'Date of the call' });
  for (const part of ['Day', 'Month', 'Year']) await callDate.getByLabel(part).fill('');
  await n.click(p.getByRole('button', { name: 'Log the call' }));
  await on(n, 'Log an advice call', `Error: Log an advice call: ${hub.name}`);
  assert.deepEqual(await summaryHrefs(n), ['#caller_type', '#called_on-day', '#topic', '#advice', '#person_id']);

  // A follow-up without its owner and date is named; what was typed stays.
  await p.getByLabel('Parent carer').check();
  await fillDate(n, 'Date of the call', '2026-11-23');
  await p.getByLabel('Topic').selectOption('exclusion_attendance');
  await p.getByLabel('Advice given').fill('Explained part-time timetables and who to talk to at the school');
  await p.getByLabel('Signposted to (optional)').fill('SENDIASS');
  await p.getByLabel('What will be done').fill('Send the attendance guidance');
  await p.getByLabel('Keep the call anonymous').check();
  await n.click(p.getByRole('button', { name: 'Log the call' }));
  await on(n, 'Log an advice call', `Error: Log an advice call: ${hub.name}`);
  assert.deepEqual(await summaryHrefs(n), ['#follow_up_owner_id', '#follow_up_due-day']);
  assert.equal(
    await p.getByLabel('Advice given').inputValue(),
    'Explained part-time timetables and who to talk to at the school',
  );

  await p.getByRole('group', { name: 'Owner of the follow-up' }).getByLabel(manager.name).check();
  await fillDate(n, 'Follow-up due date', '2026-11-27');
  // From the keyboard: focus the button and press Enter.
  await p.getByRole('button', { name: 'Log the call' }).focus();
  await n.follow(() => p.keyboard.press('Enter'));
  await on(n, 'Advice call, 23 November 2026', `Advice call, 23 November 2026: ${hub.name}`);
  assert.equal(await banner(n), 'Advice call logged');
  assert.match(await textOf(p.locator('main')), /Anonymous: no young person is linked/);
  const callPath = new URL(p.url()).pathname;

  // The log: the call, counted; a month filter.
  await n.click(p.getByRole('link', { name: 'Back to the advice log' }));
  await on(n, 'Telephone advice log', `Advice calls: ${hub.name}`);
  assert.match(await textOf(p.locator('#calls-by-topic')), /Exclusion and attendance\s*1/);
  await p.getByLabel('Who called', { exact: true }).selectOption('parent_carer');
  await n.click(p.getByRole('button', { name: 'Show calls' }));
  await on(n, 'Telephone advice log', `Advice calls: ${hub.name}`);
  assert.match(await textOf(p.locator('main')), /1 call match/);
  await n.close();

  // The hub manager owns the follow-up: My work lists it; they mark it done.
  const m = await h.session({ as: manager });
  await m.page.setViewportSize({ width: 320, height: 800 });
  const mp = m.page;
  await m.goto('/');
  await m.checkAxe();
  assert.match(await textOf(mp.locator('main')), /Follow up an advice call \(exclusion and attendance\)/);
  await m.goto(callPath);
  await on(m, 'Advice call, 23 November 2026', `Advice call, 23 November 2026: ${hub.name}`);
  await m.click(mp.getByRole('button', { name: 'Mark the follow-up done' }));
  await on(m, 'Advice call, 23 November 2026', `Advice call, 23 November 2026: ${hub.name}`);
  assert.equal(await banner(m), 'Follow-up marked done');

  // The dashboard: charts each followed by its table, no names.
  await m.goto(`/hubs/${hub1}/dashboard`);
  await on(m, 'Hub dashboard', `Dashboard: ${hub.name}`);
  const charts = mp.getByRole('img');
  assert.ok((await charts.count()) >= 5);
  assert.match(await textOf(mp.locator('#chart-waiting-table')), /Held: waiting for consent\s*1/);
  assert.match(await textOf(mp.locator('#chart-waiting-table')), /Waiting for triage\s*2/);
  assert.doesNotMatch(await textOf(mp.locator('main')), /Browserson/);
  await mp.getByLabel('Period').selectOption('3');
  await m.click(mp.getByRole('button', { name: 'Show the figures' }));
  await on(m, 'Hub dashboard', `Dashboard: ${hub.name}`);
  await m.click(mp.getByRole('link', { name: 'All the hubs you work in' }));
  await on(m, 'Dashboard: the hubs you work in', 'Dashboard: the hubs you work in');
  await m.close();
});
