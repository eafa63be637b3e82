// Browser journey of issue 20's Done: an EHCP coordinator, from an assessment whose advice has come in, drafts the
// plan from the advice, edits a section, serves the draft, records the parent's representations and issues the
// final; runs its annual review (advice asked of an advice giver who answers in their own session, the advice
// circulated, the meeting, the report, the decision to amend); sends the amendment's proposals, records the
// representations and issues the amended plan inside 8 weeks and before 15 February; sees the phase-transfer cohort
// for 15 February 2028 with the child listed; and ceases a different plan with an SEN2 reason and prints its notice.
// Every page is checked with axe and (at close) the W3C checker, at 320px with nothing scrolling sideways; every save
// shows its success banner; each clock on the way names its regulation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sweepDue } from '../../src/jobs/deadlines.ts';
import { finalPlan } from '../ehc-plan-changes-setup.ts';
import { personInTeam, userByRole } from '../helpers.ts';
import { assessmentWithAdvice, banner, fillDate, mainText as main, narrow as narrowIn, on } from './ehc-kit.ts';
import { startHarness, textOf } from './harness.ts';

const h = await startHarness();
const coordinator = userByRole(h.org, 'ehcp_coordinator');
const giver = userByRole(h.org, 'advice_giver');
const team = h.org.teams['send-statutory'] as string;
const narrow = (user: { email: string }) => narrowIn(h, user);

/** Moves the clock to 10:00 on `day` and runs the timers due, as the worker would. */
async function dayIs(day: string) {
  h.clock.set(`${day}T10:00:00Z`);
  await sweepDue(h.db, h.clock.now());
}

test('an EHC plan’s first year in the browser: plan, annual review, amendment, phase transfer, and ceasing another', async () => {
  // Born 1 October 2016: Year 5 in 2026/27, when the plan is made; Year 6 in 2027/28, the year of the first annual
  // review, which works to the transfer to secondary school in September 2028 (amended by 15 February 2028, reg 18).
  const personId = await personInTeam(h.db, {
    authorityId: h.org.authorityId,
    team,
    worker: coordinator.id,
    caseNumber: 'YRB-0001',
    givenName: 'Sam',
    familyName: 'Yearlong',
    dateOfBirth: '2016-10-01',
  });
  await assessmentWithAdvice(h, personId, coordinator.id, giver.id);

  let s = await narrow(coordinator);
  let p = s.page;
  /** From My work, through the EHCP navigation and the EHC plans caseload, to the plan of `who`. */
  const openPlan = async (who: string) => {
    await s.goto('/');
    await s.checkAxe();
    // At 320px the service navigation folds behind its Menu button.
    await p.getByRole('button', { name: 'Menu' }).click();
    await s.click(p.getByRole('link', { name: 'EHCP', exact: true }));
    await on(s, 'EHC needs assessments');
    await s.click(p.getByRole('link', { name: /^EHC plans: drafts/ }));
    await on(s, 'EHC plans');
    await s.click(p.getByRole('link', { name: who }));
    await on(s, 'EHC plan');
  };
  /** A day later the session has timed out: the coordinator signs in again and opens the plan of `who`. */
  const later = async (day: string, who = 'Sam Yearlong') => {
    await s.close();
    await dayIs(day);
    s = await narrow(coordinator);
    p = s.page;
    await openPlan(who);
  };

  // ---- the plan: drafted from the advice, section F edited, the draft served
  await s.goto(`/people/${personId}`);
  await s.checkAxe();
  await s.click(p.getByRole('link', { name: /EHC plan: its sections/ }));
  await on(s, 'EHC plans');
  await p.getByLabel('Assessment requested 7 September 2026').check();
  await s.click(p.getByRole('button', { name: 'Draft the plan' }));
  await on(s, 'EHC plan');
  await banner(s, /Plan drafted from the advice/);
  assert.match(await main(s), /Educational psychology advice from/, 'section K lists the advice');
  const planId = p.url().split('/ehc-plans/')[1]?.split(/[?#]/)[0] as string;

  await s.click(p.getByRole('link', { name: 'Change section F' }));
  await on(s, /^Section F/);
  await p
    .locator('textarea#text, textarea[name="text"]')
    .first()
    .fill('Daily structured literacy teaching in a group of no more than four.');
  await s.click(p.getByRole('button', { name: 'Save section' }));
  await on(s, 'EHC plan');
  await banner(s, /Section saved/);
  assert.match(await main(s), /group of no more than four/);

  await s.click(p.getByRole('link', { name: 'Serve the draft plan' }));
  await on(s, 'Serve the draft plan');
  assert.match(await main(s), /reg 13\(1\)/);
  await fillDate(s, 'Date the draft was served', '2026-11-23');
  await s.click(p.getByRole('button', { name: 'Serve the draft plan' }));
  await on(s, 'EHC plan');
  await banner(s, /Draft plan served/);
  assert.match(await main(s), /reg 13/, 'the representations clock names its regulation');

  // ---- a week later: the parent's representations, then the final
  await later('2026-11-30');
  await s.click(p.getByRole('link', { name: 'Record representations' }));
  await on(s, 'Record representations on the draft plan');
  await s.click(p.getByRole('button', { name: 'Save representations' }));
  await on(s, 'Record representations on the draft plan');
  assert.match(await textOf(p.locator('.govuk-error-summary')), /Choose who made the representations/);
  await p.getByRole('group', { name: 'Who made them' }).getByLabel('A parent').check();
  await fillDate(s, 'Date the representations were received', '2026-11-27');
  await p.getByLabel('Summary of the representations').fill('Agree with the provision; more detail on speech, please.');
  await s.click(p.getByRole('button', { name: 'Save representations' }));
  await on(s, 'EHC plan');
  await banner(s, /Representations recorded/);
  await s.click(p.getByRole('button', { name: 'Start the final plan from the draft' }));
  await on(s, 'EHC plan');
  await banner(s, /Final version started/);
  await s.click(p.getByRole('link', { name: 'Issue the final plan' }));
  await on(s, 'Issue the final EHC plan');
  await fillDate(s, 'Date the final plan was issued', '2026-11-30');
  await s.click(p.getByRole('button', { name: 'Issue the final plan' }));
  await on(s, 'EHC plan');
  await banner(s, /Final EHC plan issued/);

  // ---- the annual review
  // The plan page's reviews panel links to the review the final plan opened.
  await s.click(p.getByRole('link', { name: 'Open the review' }));
  await on(s, 'Annual review');
  let text = await main(s);
  assert.match(text, /Children and Families Act 2014 s\.44\(1\)/);
  assert.match(text, /15 February 2028 \(SEND Regulations 2014 reg 18\(1\)\)/);

  // Ten months on, in the phase-transfer year: the meeting arranged with 2 weeks' notice, advice asked.
  await later('2027-10-04');
  await s.click(p.getByRole('link', { name: 'Open the review' }));
  await on(s, 'Annual review');
  await fillDate(s, 'Date of the review meeting', '2027-11-08');
  await s.click(p.getByRole('button', { name: 'Record the meeting and invitations sent' }));
  await on(s, 'Annual review');
  await banner(s, /Review meeting arranged/);
  assert.match(await main(s), /reg 20\(4\)/, 'the circulation clock names its regulation');
  await p.getByLabel('Advice giver').selectOption(giver.id);
  await p.getByLabel('What advice is needed').fill('Progress towards the reading outcomes in section E');
  await s.click(p.getByRole('button', { name: 'Request advice' }));
  await on(s, 'Annual review');
  await banner(s, /Advice requested/);

  // The advice giver answers in their own session.
  // The advice giver answers in their own session, from My work.
  const g = await narrow(giver);
  await g.goto('/');
  await g.checkAxe();
  await g.click(g.page.getByRole('link', { name: 'Give your advice for an EHC plan review' }));
  await on(g, 'Advice for an EHC plan review');
  assert.match(await main(g), /reg 20\(4\)/, 'the giver’s due date names its regulation');
  await g.page.getByLabel('Your advice').fill('Reading age up 14 months; keep the small-group teaching.');
  await g.click(g.page.getByRole('button', { name: 'Send your advice' }));
  await on(g, 'Advice for an EHC plan review');
  await banner(g, /Your advice has been sent/);
  await g.close();

  await later('2027-10-25');
  await s.click(p.getByRole('link', { name: 'Open the review' }));
  await on(s, 'Annual review');
  assert.match(await main(s), /Reading age up 14 months/, 'the answer is on the review');
  await fillDate(s, 'Date the advice was circulated', '2027-10-25');
  await s.click(p.getByRole('button', { name: 'Record the advice circulated' }));
  await on(s, 'Annual review');
  await banner(s, /Advice circulation recorded/);

  await later('2027-11-08');
  await s.click(p.getByRole('link', { name: 'Open the review' }));
  await on(s, 'Annual review');
  await fillDate(s, 'Date the meeting was held', '2027-11-08');
  await p.getByLabel('Who attended').fill('Parent, SENCO, educational psychologist');
  await p.getByLabel('Views of the child or young person').fill('I want to go to Demoton Academy.');
  await s.click(p.getByRole('button', { name: 'Record the meeting' }));
  await on(s, 'Annual review');
  await banner(s, /Review meeting recorded/);
  assert.match(await main(s), /reg 20\(7\)/, 'the report clock names its regulation');
  await p.getByLabel('Review report').fill('Good progress; name Demoton Academy for September 2028.');
  await fillDate(s, 'Date the report was sent', '2027-11-08');
  await s.click(p.getByRole('button', { name: 'Record the report sent' }));
  await on(s, 'Annual review');
  await banner(s, /Review report recorded as sent/);
  text = await main(s);
  assert.match(text, /reg 20\(10\)|reg 18/, 'the decision clock names its regulation');
  await p.getByRole('group', { name: 'Decision' }).getByLabel('Amend the plan').check();
  await p.getByLabel('Reasons for the decision').fill('Name the secondary school in section I.');
  await fillDate(s, 'Date of the decision', '2027-11-08');
  await s.click(p.getByRole('button', { name: 'Record the decision' }));
  await on(s, 'Annual review');
  await banner(s, /Decision recorded/);

  // ---- the amendment the decision started
  // Back to the plan: its plan-changes panel shows the amendment the decision started.
  await s.click(p.getByRole('link', { name: "Back to the plan's reviews" }));
  await on(s, 'Annual reviews');
  await s.click(p.getByRole('link', { name: 'Back to the EHC plan' }));
  await on(s, 'EHC plan');
  await s.click(p.getByRole('link', { name: 'View the amendment' }));
  await on(s, 'Amendment of the EHC plan');
  await fillDate(s, 'Date the proposals were sent with the notice', '2027-11-08');
  await s.click(p.getByRole('button', { name: 'Record the proposals as sent' }));
  await on(s, 'Amendment of the EHC plan');
  await banner(s, /Proposals recorded as sent/);
  text = await main(s);
  assert.match(text, /reg 22\(2\)\(c\)/, '15 days for representations');
  // 8 weeks from 8 November 2027 ends before 15 February 2028, so the 8 weeks alone bound it (reg 18 adds no cap).
  assert.match(text, /3 January 2028\s*SEND Regulations 2014 reg 22\(3\)/, 'the 8 weeks');
  await later('2027-11-15');
  await s.click(p.getByRole('link', { name: 'View the amendment' }));
  await on(s, 'Amendment of the EHC plan');
  await fillDate(s, 'Date received', '2027-11-15');
  await p.getByRole('group', { name: 'Who made them' }).getByLabel('The parent', { exact: true }).check();
  await p.getByLabel('What they said').fill('Agree; please name Demoton Academy.');
  await p.getByRole('group', { name: 'Did they ask for a meeting?' }).getByLabel('No', { exact: true }).check();
  await s.click(p.getByRole('button', { name: 'Record representations' }));
  await on(s, 'Amendment of the EHC plan');
  await banner(s, /Representations recorded/);
  await fillDate(s, 'Date the amended plan was issued', '2027-11-15');
  await s.click(p.getByRole('button', { name: 'Issue the amended plan' }));
  await on(s, 'Amendment of the EHC plan');
  await banner(s, /Amended plan issued/);
  const plan = await h.db
    .selectFrom('ehc_plans')
    .where('id', '=', planId)
    .select(['last_issued_date', 'first_issued_date'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(plan, { first_issued_date: '2026-11-30', last_issued_date: '2027-11-15' });

  // ---- the phase-transfer cohort for 15 February 2028
  await p.getByRole('button', { name: 'Menu' }).click();
  await s.click(p.getByRole('link', { name: 'EHCP', exact: true }));
  await on(s, 'EHC needs assessments');
  await s.click(p.getByRole('link', { name: /^EHC plans: drafts/ }));
  await on(s, 'EHC plans');
  await s.click(p.getByRole('link', { name: 'Phase-transfer cohort' }));
  await on(s, 'Phase transfers 2028');
  text = await main(s);
  assert.match(text, /YRB-0001/, 'the child is listed');
  assert.match(text, /15 February 2028/);
  assert.match(text, /reg 18\(1\)\(b\)/);

  // ---- a different plan ceased with an SEN2 reason
  const other = await personInTeam(h.db, {
    authorityId: h.org.authorityId,
    team,
    worker: coordinator.id,
    caseNumber: 'YRB-0002',
    givenName: 'Alex',
    familyName: 'Leaving',
    dateOfBirth: '2006-03-03',
  });
  const otherPlan = await finalPlan(h.db, {
    authorityId: h.org.authorityId,
    personId: other,
    coordinatorId: coordinator.id,
  });
  assert.ok(otherPlan);
  await openPlan('Alex Leaving');
  await s.click(p.getByRole('link', { name: 'Propose to cease this plan' }));
  await on(s, 'Propose to cease the EHC plan');
  await p.locator('input[name="reason"][value="4"]').check();
  await s.click(p.getByRole('button', { name: 'Propose to cease the plan' }));
  await on(s, 'Ceasing the EHC plan');
  await banner(s, /Ceasing the plan proposed/);
  await fillDate(s, 'Date the parent or young person was consulted', '2027-11-12');
  await p.getByLabel('What they said').fill('Alex agrees: working full time.');
  await p.locator('input[name="decision"][value="cease"]').check();
  await fillDate(s, 'Date the notice was sent (when ceasing)', '2027-11-15');
  await s.click(p.getByRole('button', { name: 'Record the decision' }));
  await on(s, 'Ceasing the EHC plan');
  await banner(s, /Decision recorded/);
  assert.match(await main(s), /SEN2 reason 4|Moved on to paid employment/);
  await s.click(p.getByRole('link', { name: 'Print the notice of the decision to cease' }));
  await on(s, 'Notice of the decision to cease Alex Leaving’s education, health and care plan');
  text = await main(s);
  assert.match(text, /by 15 January 2028/, 'the right of appeal and its 2 months');
  assert.match(text, /Moved on to paid employment/);
  await s.close();
});
