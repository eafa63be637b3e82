// Browser journey: the coordinator amends a final plan inside 8 weeks (proposals sent, representations recorded, the
// amended plan issued), then proposes to cease another plan with an SEN2 reason, records the decision and prints the
// notice with the right of appeal. Every page is checked with axe and the W3C checker, at 320px wide with nothing
// scrolling sideways, and each save shows its success banner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finalPlan } from '../ehc-plan-changes-setup.ts';
import { personInTeam, userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const coordinator = userByRole(h.org, 'ehcp_coordinator');

async function planFor(tag: string, dob: string) {
  const personId = await personInTeam(h.db, {
    authorityId: h.org.authorityId,
    team: h.org.teams['send-statutory'] as string,
    worker: coordinator.id,
    caseNumber: `BPC-${tag}`,
    givenName: 'Robin',
    familyName: `Planner${tag}`,
    dateOfBirth: dob,
  });
  return finalPlan(h.db, { authorityId: h.org.authorityId, personId, coordinatorId: coordinator.id });
}

async function overflow(s: Session): Promise<number> {
  return s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Checks the h1, axe, and that nothing scrolls sideways at 320px. */
async function on(s: Session, h1: string) {
  assert.equal((await textOf(s.page.getByRole('heading', { level: 1 }))).trim(), h1);
  await s.checkAxe();
  assert.equal(await overflow(s), 0, `nothing scrolls sideways on ${s.page.url()}`);
}

async function fillDate(s: Session, group: string, d: string, m: string, y: string) {
  const g = s.page.getByRole('group', { name: group });
  await g.getByLabel('Day').fill(d);
  await g.getByLabel('Month').fill(m);
  await g.getByLabel('Year').fill(y);
}

test('amend a plan inside 8 weeks, then cease another with an SEN2 reason and print the notice', async () => {
  const amendPlan = await planFor('A', '2013-04-04');
  const ceasePlan = await planFor('C', '2008-04-04');
  const s = await h.session({ as: coordinator });
  await s.page.setViewportSize({ width: 320, height: 900 });
  const p = s.page;

  await s.goto(`/ehc-plans/${amendPlan}/changes`);
  await on(s, 'Amendments and cessation of the EHC plan');
  await s.click(p.getByRole('link', { name: 'Propose amendments to this plan' }));
  await on(s, 'Propose amendments to the EHC plan');
  await s.click(p.getByRole('button', { name: 'Start the amendment' }));
  await on(s, 'Propose amendments to the EHC plan');
  assert.match(await textOf(p.locator('.govuk-error-summary')), /Enter why the plan is being amended/);
  await p.getByLabel('Why the plan is being amended').fill('New speech and language targets after the review');
  await s.click(p.getByRole('button', { name: 'Start the amendment' }));
  await on(s, 'Amendment of the EHC plan');
  assert.match(await textOf(p.locator('.govuk-notification-banner')), /Amendment started/);
  await fillDate(s, 'Date the proposals were sent with the notice', '23', '11', '2026');
  await s.click(p.getByRole('button', { name: 'Record the proposals as sent' }));
  await on(s, 'Amendment of the EHC plan');
  assert.match(await textOf(p.locator('main')), /reg 22\(2\)\(c\)/);
  await fillDate(s, 'Date received', '23', '11', '2026');
  await p.getByRole('group', { name: 'Who made them' }).getByLabel('The parent', { exact: true }).check();
  await p.getByLabel('What they said').fill('Happy with the new targets.');
  await p.getByRole('group', { name: 'Did they ask for a meeting?' }).getByLabel('No', { exact: true }).check();
  await s.click(p.getByRole('button', { name: 'Record representations' }));
  await on(s, 'Amendment of the EHC plan');
  assert.match(await textOf(p.locator('.govuk-notification-banner')), /Representations recorded/);
  await fillDate(s, 'Date the amended plan was issued', '23', '11', '2026');
  await s.click(p.getByRole('button', { name: 'Issue the amended plan' }));
  await on(s, 'Amendment of the EHC plan');
  assert.match(await textOf(p.locator('.govuk-notification-banner')), /Amended plan issued/);
  const plan = await h.db
    .selectFrom('ehc_plans')
    .where('id', '=', amendPlan)
    .select('last_issued_date')
    .executeTakeFirstOrThrow();
  assert.equal(plan.last_issued_date, '2026-11-23');

  await s.goto(`/ehc-plans/${ceasePlan}/cessation/new`);
  await on(s, 'Propose to cease the EHC plan');
  await p.getByRole('radio', { name: /Moved on to paid employment/ }).check();
  await s.click(p.getByRole('button', { name: 'Propose to cease the plan' }));
  await on(s, 'Ceasing the EHC plan');
  await fillDate(s, 'Date the parent or young person was consulted', '16', '11', '2026');
  await p.getByLabel('What they said').fill('Agrees: now in full-time work.');
  await p.locator('input[name="decision"][value="cease"]').check();
  await fillDate(s, 'Date the notice was sent (when ceasing)', '23', '11', '2026');
  await s.click(p.getByRole('button', { name: 'Record the decision' }));
  await on(s, 'Ceasing the EHC plan');
  assert.match(await textOf(p.locator('.govuk-notification-banner')), /Decision recorded/);
  await s.click(p.getByRole('link', { name: 'Print the notice of the decision to cease' }));
  await on(s, `Notice of the decision to cease Robin PlannerC’s education, health and care plan`);
  assert.match(await textOf(p.locator('main')), /by 23 January 2027/);
  await s.close();
});
