// Browser journey for the Devon 16-17 transitions protocol: an action with no owner, a failed referral, the
// service lead, a capacity contingency, the forum, the Governance Group (which sees no name, date of birth,
// address or identifier) and back to an updated plan. axe runs on every page.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '../../src/modules/auth/service.ts';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const { db, org } = h;
const helen = userByRole(org, 'service_manager');
const sam = userByRole(org, 'social_worker');
const chair = userByRole(org, 'forum_chair');
const csc = await db
  .selectFrom('services')
  .where('authority_id', '=', org.authorityId)
  .where('kind', '=', 'childrens')
  .select('id')
  .executeTakeFirstOrThrow();
const lead = await db
  .insertInto('users')
  .values({
    authority_id: org.authorityId,
    email: 'lead@browser.test.example',
    display_name: 'Lena Service-Lead',
    roles: ['service_lead'],
    service_id: csc.id,
  })
  .returning('id')
  .executeTakeFirstOrThrow();
const person = await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'HO555999',
    given_name: 'Orlaith',
    family_name: 'Brackenbury',
    date_of_birth: '2009-03-27',
    nhs_number: '9434765919',
    upn: 'A999123456789',
    address: '4 Tamarisk Row, Exmouth',
    postcode: 'EX8 2QQ',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('contacts')
  .values({ authority_id: org.authorityId, person_id: person.id, name: 'Philippa Brackenbury', relationship: 'Mother' })
  .execute();
await db
  .insertInto('involvements')
  .values({
    authority_id: org.authorityId,
    person_id: person.id,
    team_id: org.teams.ypt as string,
    worker_id: sam.id,
    reason: 'Transition to adulthood',
    start_date: '2026-01-05',
  })
  .execute();
const CANARIES = [
  'Orlaith',
  'Brackenbury',
  'Philippa',
  'HO555999',
  '9434765919',
  '943 476 5919',
  'A999123456789',
  'Tamarisk',
  'EX8 2QQ',
  '27 March 2009',
  '2009-03-27',
];
const P = `/people/${person.id}`;

async function token(userId: string) {
  const t = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(t), label: 'browser' })
    .execute();
  return `Bearer ${t}`;
}
let instanceId = '';
async function decide(userId: string, outcome: string, fields: object = {}) {
  const s = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/v1${P}/protocols/${instanceId}/steps/${s.id}/decision`,
    headers: { authorization: await token(userId) },
    payload: { outcome, version: s.version, ...fields },
  });
  assert.equal(res.statusCode, 200, `${s.step_key} → ${outcome}: ${res.body}`);
}
/** Opens a page and checks it with axe. */
async function visit(s: Session, path: string, status = 200) {
  assert.equal(await s.goto(path), status, path);
  await s.checkAxe();
}
async function press(s: Session, name: string) {
  await s.click(s.page.getByRole('button', { name, exact: true }));
  await s.checkAxe();
}
const h1 = async (s: Session) => textOf(s.page.getByRole('heading', { level: 1 }));

test('one case from an unowned action to the Governance Group and back to an updated plan', async () => {
  const s = await h.session({ as: helen });
  await visit(s, P);
  await s.click(s.page.getByRole('link', { name: 'Person-led plan, actions, referrals and forum' }));
  await s.checkAxe();
  assert.equal(await h1(s), 'Person-led plan: Orlaith Brackenbury');
  await s.click(s.page.getByRole('link', { name: 'Start the plan' }));
  await s.checkAxe();
  // The error summary links to the field, by keyboard.
  await press(s, 'Save the plan');
  await s.page.getByRole('link', { name: 'Enter what matters to the young person, in their own words' }).focus();
  await s.page.keyboard.press('Enter');
  assert.equal((await s.focused()).id, 'what_matters');
  await s.page.getByLabel('What matters to me').fill('My friends and my music');
  await s.page.getByLabel('What I need').fill('Supported living from 18');
  await press(s, 'Save the plan');
  await s.click(s.page.getByRole('link', { name: 'Add an action' }));
  await s.checkAxe();
  await s.page.getByLabel('Action', { exact: true }).fill('Find supported accommodation from 18');
  await press(s, 'Save action');
  assert.match(await textOf(s.page.locator('main')), /1 with no owner/);

  // A service manager escalates the unowned action: the protocol starts at step 3.
  await s.click(s.page.getByRole('link', { name: 'Escalate Find supported accommodation from 18' }));
  await s.checkAxe();
  await s.page.getByLabel('Usual escalation routes already tried').fill('Team and service meetings; adult duty twice');
  await press(s, 'Start the protocol');
  instanceId = new URL(s.page.url()).pathname.split('/').pop()!;
  await decide(helen.id, 'not_involved');
  await decide(helen.id, 'clear');

  // The referral, then its failure.
  await visit(s, `${P}/plan`);
  await s.click(s.page.getByRole('link', { name: 'Refer Find supported accommodation from 18' }));
  await s.checkAxe();
  await s.page.getByLabel('Service referred to').selectOption({ label: 'Adult Social Care' });
  await s.page.getByLabel('Reason for the referral').fill('Supported living assessment');
  await s.page.getByLabel('The young person consented').check();
  await s.page.getByLabel('How consent was given, or the lawful basis').fill('Agreed at the plan meeting');
  await press(s, 'Send referral');
  await s.click(s.page.getByRole('link', { name: 'Adult Social Care (nobody named yet)' }));
  await s.checkAxe();
  // Its status, due date and chase come from its referral-chase instance.
  const referral = await textOf(s.page.locator('main'));
  assert.match(referral, /Status\s*Sent/);
  assert.match(referral, /Response due[\s\S]*10 working days from the referral/);
  assert.match(referral, /Chased by\s*Chase a referral response/);
  await s.page.getByRole('radio', { name: 'Declined' }).check();
  await s.page.getByLabel('Why it was declined').fill('Not eligible until 18');
  await press(s, 'Save response');
  assert.match(await textOf(s.page.locator('main')), /Declined\s*Not eligible until 18/);

  // The service lead: a capacity problem with a date and a contingency; the plan is updated; issues persist.
  await decide(helen.id, 'decided', { escalation_worker: helen.id });
  await decide(helen.id, 'escalated', { escalation_summary: 'No provision agreed' });
  await decide(lead.id, 'capacity');
  await decide(lead.id, 'agreed', {
    resources_available: '2027-02-01',
    contingency_plan: 'Outreach support twice a week',
  });
  await decide(helen.id, 'updated');
  await decide(sam.id, 'issues_persist');

  // The forum referral form.
  await visit(s, `${P}/plan`);
  await s.click(s.page.getByRole('link', { name: 'Refer to the 16-17 transitions forum' }));
  await s.checkAxe();
  await s.page.getByLabel('What are you asking the forum to resolve?').fill('Who provides supported living from 18?');
  await s.page.getByLabel('Usual escalation routes already tried').fill('Service lead agreed a contingency only');
  await s.page.getByLabel('A capacity problem').check();
  await press(s, 'Send to the forum');
  await s.close();

  // The chair runs the forum: a meeting, the case on its agenda by name, a decision that becomes an action.
  const c = await h.session({ as: chair });
  await visit(c, '/');
  await c.click(c.page.getByRole('link', { name: 'Panels' }));
  await c.checkAxe();
  await c.click(c.page.getByRole('link', { name: '16-17 Transitions Forum' }));
  await c.checkAxe();
  // Held today: decisions are recorded once a meeting has happened (issue 11 defect 5).
  await c.page.getByLabel('Day').fill('23');
  await c.page.getByLabel('Month').fill('11');
  await c.page.getByLabel('Year').fill('2026');
  await press(c, 'Plan meeting');
  assert.match(await textOf(c.page.locator('.govuk-notification-banner')), /Meeting planned/);
  assert.match(await textOf(c.page.locator('main')), /Orlaith Brackenbury/);
  await c.page.getByText('Record a decision on Orlaith Brackenbury').click();
  await c.page.getByLabel('Decision', { exact: true }).fill('No options yet: the chair will clarify responsibilities');
  await c.page.getByLabel('Action for the plan (optional)').fill('Confirm who commissions supported living');
  await c.page.getByLabel('Action owner: a service').selectOption({ label: 'Joint Commissioning' });
  await c.page.getByLabel('Day').fill('15');
  await c.page.getByLabel('Month').fill('1');
  await c.page.getByLabel('Year').fill('2027');
  await press(c, 'Record decision');
  await decide(chair.id, 'no_options');

  // The worker writes the summary for the Governance Group; the detector flags the name until it is taken out.
  const w = await h.session({ as: helen });
  await visit(w, `${P}/plan`);
  await w.click(w.page.getByRole('link', { name: 'Summary for the Transitions Governance Group' }));
  await w.checkAxe();
  const summaryBox = w.page.getByLabel('What the panel needs to decide, and why');
  await summaryBox.fill('Orlaith needs supported living from 18');
  await w.page.getByLabel('Accommodation or supported living').check();
  await press(w, 'Save summary');
  await w.checkAxe();
  assert.match(await textOf(w.page.locator('.govuk-error-summary')), /“Orlaith” may be a name/);
  await summaryBox.fill('Needs supported living from 18; adult services and housing disagree about who commissions it');
  await press(w, 'Save summary');
  assert.match(await textOf(w.page.locator('main')), /Summary for the panel saved/);
  await w.checkAxe();
  await w.close();
  await decide(chair.id, 'unclear');

  // The Governance Group: a pseudonymised summary, and nothing that identifies the young person.
  await visit(c, '/panels');
  await c.click(c.page.getByRole('link', { name: 'Transitions Governance Group' }));
  await c.checkAxe();
  await c.page.getByLabel('Day').fill('14');
  await c.page.getByLabel('Month').fill('12');
  await c.page.getByLabel('Year').fill('2026');
  await press(c, 'Plan meeting');
  const html = await c.page.content();
  assert.match(html, /Young person A/);
  assert.match(html, /17, turns 18 in about \d+ months?/);
  assert.match(html, /adult services and housing disagree/);
  for (const canary of CANARIES) assert.ok(!html.includes(canary), `${canary} reached the Governance Group`);
  assert.ok(!html.includes(person.id), 'no link to the record');
  await visit(c, '/panels/register');
  await c.close();

  await decide(chair.id, 'responsible_found');
  await decide(chair.id, 'options_presented');
  await decide(helen.id, 'plan_updated', { options_discussed: 'Chose the shared flat' });

  // Back on the plan: the forum's action with its owner, the capacity contingency, the escalation at review.
  const back = await h.session({ as: helen });
  await visit(back, `${P}/plan`);
  const main = await textOf(back.page.locator('main'));
  assert.match(main, /Confirm who commissions supported living/);
  assert.match(main, /Joint Commissioning \(nobody named yet\)/);
  assert.match(main, /9 and 12\. Review the plan with the young person, family and teams/);
  await back.close();
});
