// Browser walk of partner organisations (issue 17 part 5) at 320px, with axe and the W3C HTML checker on every page:
// the NHS trust's lead opens My organisation, sends the empty invitation form (error summary), invites a member
// (banner), makes them a lead; then the team inbox shows a request a coordinator addressed to the trust, and the new
// member takes it (banner) and opens it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser, userByRole } from '../helpers.ts';
import { startHarness, textOf } from './harness.ts';
import { banner, on } from './send-hubs-kit.ts';

const h = await startHarness();
const fiona = userByRole(h.org, 'advice_giver');
const coordinator = userByRole(h.org, 'ehcp_coordinator');
const nhs = (await h.db.selectFrom('users').where('id', '=', fiona.id).select('service_id').executeTakeFirstOrThrow())
  .service_id as string;

/** A young person on the coordinator's caseload, an assessment and a request to the trust's inbox (over HTTP). */
async function inboxRequest() {
  const person = await h.db
    .insertInto('people')
    .values({
      authority_id: h.org.authorityId,
      case_number: 'HO990009',
      given_name: 'Tess',
      family_name: 'Walker',
      date_of_birth: '2016-02-02',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await h.db
    .insertInto('involvements')
    .values({
      authority_id: h.org.authorityId,
      person_id: person.id,
      team_id: h.org.teams['send-statutory'] as string,
      worker_id: coordinator.id,
      reason: 'EHC needs assessment',
      start_date: '2026-09-01',
    })
    .execute();
  const jo = new Browser(h.app);
  await jo.login(coordinator.email);
  const made = await jo.post(`/people/${person.id}/ehcp`, {
    'request_date-day': '7',
    'request_date-month': '9',
    'request_date-year': '2026',
    requested_by: 'parent',
  });
  const url = String(made.headers.location).split('?')[0];
  await jo.post(`${url}/decision`, {
    decision: 'assess',
    'decision_date-day': '12',
    'decision_date-month': '10',
    'decision_date-year': '2026',
  });
  await jo.get(`${url}/advice/new`);
  const sent = await jo.post(`${url}/advice/new`, {
    kind: 'health',
    giver_user_id: 'inbox',
    inbox_service_id: nhs,
    question: 'Health needs relevant to education, please.',
  });
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 300));
}

test('the lead manages the members; a member takes a request from the team inbox', async () => {
  const s = await h.session({ as: fiona });
  await s.page.setViewportSize({ width: 320, height: 800 });
  const p = s.page;
  await s.goto('/organisation/inbox');
  await on(s, 'Team inbox', 'Team inbox');
  assert.match(await textOf(p.locator('main')), /The inbox is empty/);
  await s.click(p.getByRole('link', { name: 'Manage members' }));
  await on(s, 'Demoshire Community Health NHS Trust', 'Demoshire Community Health NHS Trust');

  await s.click(p.getByRole('button', { name: 'Send invitation' }));
  await on(s, 'Demoshire Community Health NHS Trust', 'Error: Demoshire Community Health NHS Trust');
  const box = p.getByRole('alert').filter({ hasText: 'There is a problem' });
  const hrefs = await box.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, ['#display_name', '#email', '#job_title']);

  await p.getByLabel('Full name').fill('Nia Nurse');
  await p.getByLabel('Email address').fill('nia.nurse@nhs.example');
  await p.getByLabel('Job title').fill('School Nurse');
  await s.click(p.getByRole('button', { name: 'Send invitation' }));
  await on(s, 'Demoshire Community Health NHS Trust', 'Demoshire Community Health NHS Trust');
  assert.match(await banner(s), /Invitation sent/);
  await s.click(p.getByRole('button', { name: /^Make a lead\W+Nia Nurse$/ }));
  await on(s, 'Demoshire Community Health NHS Trust', 'Demoshire Community Health NHS Trust');
  assert.match(await banner(s), /Lead added/);
  await s.close();

  // Nia takes up her invitation (her password set straight in the database here), and a request arrives.
  const { password_hash } = await h.db
    .selectFrom('users')
    .where('id', '=', fiona.id)
    .select('password_hash')
    .executeTakeFirstOrThrow();
  await h.db.updateTable('users').set({ password_hash }).where('email', '=', 'nia.nurse@nhs.example').execute();
  await inboxRequest();

  const n = await h.session({ as: { email: 'nia.nurse@nhs.example' } });
  await n.page.setViewportSize({ width: 320, height: 800 });
  await n.goto('/');
  await n.checkAxe();
  // At 320px the service navigation folds behind its Menu button.
  await n.page.getByRole('button', { name: 'Menu' }).click();
  await n.click(n.page.getByRole('link', { name: 'My organisation' }));
  await on(n, 'Team inbox', 'Team inbox');
  const row = n.page.getByRole('row').filter({ hasText: 'HO990009' });
  assert.match(await textOf(row), /Waiting for advice/);
  await n.click(row.getByRole('button', { name: /Take this request/ }));
  await on(n, 'Team inbox', 'Team inbox');
  assert.match(await banner(n), /Request taken/);
  assert.match(await textOf(n.page.getByRole('row').filter({ hasText: 'HO990009' })), /Nia Nurse/);
  await n.click(n.page.getByRole('link', { name: /HO990009/ }));
  await n.checkAxe();
  assert.match(await textOf(n.page.locator('main')), /Health needs relevant to education/);
  await n.close();
});
