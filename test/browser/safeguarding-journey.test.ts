// Browser journey, issue 12 "Done": a social worker screens a 16-year-old from the record (the form's error summary,
// the check answers page with the suggested level, save, banner); the team manager confirms the level; the
// exploitation lead joins the HREM as its chair, adds the police, plans the next meeting and the young person is on
// its agenda; the chair records a decision that becomes an action owned by the worker with a due date, shared with
// the police, and the share is recorded from the form the decision opens (banner, on the record's sharing page); the
// police member reads the record without its edit links. Then a second young person, aged 17 years 6 months and
// screened at medium, gets a plan from the daily job; the worker writes it with nobody named to hold the case after
// 18, and the deadline sweep escalates it by itself to the service manager's My work. Each user in their own
// session, every page checked with axe (and the W3C checker) at 320px, nothing scrolls sideways.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sweepDue } from '../../src/jobs/deadlines.ts';
import { addMonths } from '../../src/modules/post18/dates.ts';
import { registerProtocolTimers } from '../../src/modules/protocols/timers.ts';
import { childExploitation } from '../../src/screening/child-exploitation.ts';
import { personInTeam, userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
after(registerProtocolTimers(h.app.services.protocols));
const worker = userByRole(h.org, 'social_worker');
const teamManager = userByRole(h.org, 'team_manager');
const serviceManager = userByRole(h.org, 'service_manager');
const lead = userByRole(h.org, 'exploitation_lead');
const officer = h.org.users.find((u) => u.email.startsWith('police.officer@')) as { id: string; email: string };
const team = h.org.teams['dct-north'] as string;
const today = '2026-11-23';

const young = (caseNumber: string, givenName: string, familyName: string, dateOfBirth: string) =>
  personInTeam(h.db, {
    authorityId: h.org.authorityId,
    team,
    worker: worker.id,
    caseNumber,
    givenName,
    familyName,
    dateOfBirth,
    reason: 'Worries about exploitation',
  });
// 16 years and 6 months today.
const rowan = { name: 'Rowan Fairweather', id: await young('HO910001', 'Rowan', 'Fairweather', '2010-05-20') };
// 17 years and 6 months today: the post-18 owner is due to be named now.
const tali = {
  name: 'Tali Brookmere',
  id: await young('HO910002', 'Tali', 'Brookmere', addMonths(today, -(17 * 12 + 6))),
};

async function on(s: Session, h1: string | RegExp, title: string) {
  const headings = (await s.page.getByRole('heading', { level: 1 }).allInnerTexts()).map((t) =>
    t.replace(/\s+/g, ' ').trim(),
  );
  assert.equal(headings.length, 1, JSON.stringify(headings));
  if (typeof h1 === 'string') assert.equal(headings[0], h1);
  else assert.match(headings[0] as string, h1);
  assert.equal(await s.page.title(), `${title} – Handover`);
  assert.equal(
    await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
    `nothing scrolls sideways on ${s.page.url()}`,
  );
  await s.checkAxe();
}

async function as(user: { email: string }) {
  const s = await h.session({ as: user });
  await s.page.setViewportSize({ width: 320, height: 800 });
  return s;
}

const screened = 'Exploitation screening, 23 November 2026';
/** The links in the record's "Exploitation and transitional safeguarding" section. */
const sectionLinks = async (s: Session) =>
  (await s.page.locator('#exploitation + ul').getByRole('link').allInnerTexts()).map((t) => t.trim());
const banner = (s: Session) => textOf(s.page.locator('.govuk-notification-banner--success'));

/**
 * The worker screens from the record's link: the empty form's error summary, then every indicator answered (no,
 * except `yes`: yes with evidence from the last 3 months), then the check answers page. Returns the suggested level.
 */
async function screen(s: Session, person: { id: string; name: string }, yes: string[]): Promise<string> {
  const p = s.page;
  await s.goto(`/people/${person.id}`);
  await on(s, person.name, person.name);
  const section = p.locator('#exploitation + ul');
  await s.click(section.getByRole('link', { name: 'Screen for exploitation' }));
  await on(s, 'Screen for exploitation', 'Screen for exploitation');
  await s.click(p.getByRole('button', { name: 'Continue' }));
  await on(s, 'Screen for exploitation', 'Error: Screen for exploitation');
  const summary = await textOf(p.locator('.govuk-error-summary'));
  assert.match(summary, /Choose the reason for the screening/);
  assert.match(summary, /for “Goes missing repeatedly, or is found far from home”/);
  await p.getByRole('group', { name: 'Reason for the screening' }).getByLabel('First screening').check();
  for (const d of childExploitation.domains)
    for (const i of d.indicators) {
      const group = p.getByRole('group', { name: i.text, exact: true });
      if (!yes.includes(i.id)) {
        await group.getByLabel('No', { exact: true }).check();
        continue;
      }
      await group.getByLabel('Yes', { exact: true }).check();
      await p.locator(`#e_${i.id}`).fill('Reported by the school and the police this month');
      await p.getByRole('group', { name: 'Is this evidence or professional judgement?' }).nth(0).waitFor();
      await p.locator(`input[name="b_${i.id}"][value="evidence"]`).check();
      await p.locator(`input[name="w_${i.id}"][value="last_3_months"]`).check();
    }
  await s.click(p.getByRole('button', { name: 'Continue' }));
  await on(s, 'Check your answers before saving the screening', 'Check your answers before saving the screening');
  const suggested = await textOf(p.getByRole('heading', { level: 2, name: /^Suggested level:/ }));
  // The level suggested is the one already chosen; the worker keeps it and saves.
  await s.click(p.getByRole('button', { name: 'Save screening' }));
  await on(s, screened, screened);
  assert.match(await banner(s), /Screening saved: the level proposed is awaiting confirmation/);
  return suggested.replace(/^Suggested level:\s*/, '');
}

test('Done: screened at 16, confirmed, on the agenda, a decision with an owned action, the share recorded; at 17½ with no post-18 owner the case escalates by itself', async () => {
  // 1. The social worker screens Rowan from the record.
  const sw = await as(worker);
  await sw.goto(`/people/${rowan.id}`);
  await on(sw, rowan.name, rowan.name);
  assert.deepEqual(await sectionLinks(sw), [
    'Exploitation screenings',
    'Screen for exploitation',
    'Record a missing episode or other event',
    'Single view of risk',
    'Places, peer groups and system blocks',
    'Exploitation meetings',
    'Joint transition plan for after 18',
    'Mentoring',
    'Creative Solutions Board',
    'Book a consultation about this case',
  ]);
  assert.equal(
    await sw.page.getByRole('link', { name: 'Single view of risk' }).count(),
    1,
    'listed once on the record',
  );
  assert.match(await screen(sw, rowan, ['missing_repeat', 'older_associates']), /^High$/);
  const screeningUrl = new URL(sw.page.url()).pathname;
  await sw.close();

  // 2. The team manager confirms the level from the record's screenings.
  const tm = await as(teamManager);
  await tm.goto(`/people/${rowan.id}`);
  await on(tm, rowan.name, rowan.name);
  await tm.click(tm.page.locator('#exploitation + ul').getByRole('link', { name: 'Exploitation screenings' }));
  await on(tm, 'Exploitation screenings', 'Exploitation screenings');
  await tm.click(tm.page.getByRole('link', { name: '23 November 2026' }));
  assert.equal(new URL(tm.page.url()).pathname, screeningUrl);
  await on(tm, screened, screened);
  assert.match(await textOf(tm.page.locator('main')), /Confirmed level\s*Awaiting confirmation/);
  await tm.click(tm.page.getByRole('button', { name: 'Confirm or change the level' }));
  await on(tm, 'Confirm or change the level', 'Confirm or change the level');
  const level = tm.page.getByRole('group', { name: 'Level' });
  assert.equal(await level.getByLabel('High (proposed)').isChecked(), true, 'the proposed level is chosen already');
  await tm.page
    .getByRole('group', { name: 'Will this decision be shared with another organisation?' })
    .getByLabel('No')
    .check();
  await tm.click(tm.page.getByRole('button', { name: 'Save level' }));
  await on(tm, screened, screened);
  assert.match(await banner(tm), /Level confirmed/);
  await tm.close();

  // 3. The exploitation lead plans the next HREM: Rowan is on its agenda, by rule.
  const el = await as(lead);
  const p = el.page;
  await el.goto('/exploitation-meetings');
  await on(el, 'Exploitation meetings', 'Exploitation meetings');
  // The lead joins the meeting as its chair (as in the demo): members open the records on its agenda.
  const members = p.locator('form[action="/exploitation-meetings/hrem/members"]');
  await members.getByLabel('Add a member').selectOption(lead.id);
  await members.getByLabel('Agency they represent').selectOption('adult');
  await members.getByLabel('Chairs the meeting').check();
  await el.click(members.getByRole('button', { name: 'Add member' }));
  await on(el, 'Exploitation meetings', 'Exploitation meetings');
  assert.match(await banner(el), /Member added/);
  const police = p.locator('form[action="/exploitation-meetings/hrem/members"]');
  await police.getByLabel('Add a member').selectOption(officer.id);
  await police.getByLabel('Agency they represent').selectOption('police');
  await el.click(police.getByRole('button', { name: 'Add member' }));
  await on(el, 'Exploitation meetings', 'Exploitation meetings');
  const plan = p.locator('form[action="/exploitation-meetings/hrem/meetings"]');
  await plan.getByLabel('Day').fill('23');
  await plan.getByLabel('Month').fill('11');
  await plan.getByLabel('Year').fill('2026');
  await el.click(plan.getByRole('button', { name: 'Plan meeting' }));
  const meetingTitle = 'High Risk Exploitation Meeting: 23 November 2026';
  await on(el, meetingTitle, meetingTitle);
  assert.match(await banner(el), /Meeting planned/);
  const card = p.locator('.govuk-summary-card').filter({ hasText: rowan.name });
  assert.equal(await card.count(), 1, 'Rowan is on the agenda');
  assert.match(await textOf(card), /Latest screening High: confirmed/);

  // 4. The chair (the lead) records the decision: an action owned by the worker, due in two weeks, shared.
  await card.getByText(`Record the decision on ${rowan.name}`).click();
  await card.getByRole('group', { name: 'Level the meeting agreed' }).getByLabel('High').check();
  await card.getByLabel('Decision', { exact: true }).fill('Disruption plan with the police; stays high.');
  await card.getByLabel('Action (optional)').fill('Safety plan with Rowan and the family');
  await card.getByLabel('Action owner: a person').selectOption({ label: worker.name });
  const due = card.getByRole('group', { name: 'Action due' });
  await due.getByLabel('Day').fill('7');
  await due.getByLabel('Month').fill('12');
  await due.getByLabel('Year').fill('2026');
  await card
    .getByRole('group', { name: 'Will this decision be shared with another organisation?' })
    .getByLabel('Yes')
    .check();
  await el.click(card.getByRole('button', { name: 'Record decision' }));

  // 5. The share: the form opens from the decision, prefilled; the lead completes and saves it.
  await on(el, 'Record a sharing decision', 'Record a sharing decision');
  assert.match(await p.getByLabel('What information', { exact: true }).inputValue(), /High Risk Exploitation Meeting/);
  await p.getByRole('group', { name: 'Decision' }).getByLabel('Share', { exact: true }).check();
  await p.getByLabel('Organisation', { exact: true }).fill('Wiltshire Police');
  await p.getByLabel('Why it is necessary and proportionate').fill('The police lead the disruption plan');
  await p.getByLabel('Public task (Article 6(1)(e))').check();
  await p.getByRole('group', { name: 'Does it include special category data?' }).getByLabel('No').check();
  await p.getByLabel('Without consent').check();
  await p.getByRole('group', { name: 'Was the young person or their family told?' }).getByLabel('Yes').check();
  await el.click(p.getByRole('button', { name: 'Save sharing decision' }));
  await on(el, 'Information sharing', 'Information sharing');
  assert.match(await banner(el), /Sharing decision recorded/);
  assert.match(await textOf(p.locator('main h2[id^="entry-"]').first()), /Share: Wiltshire Police, 23 November 2026/);

  // The decision and its owned action, back on the meeting.
  await el.goto(new URL(p.url()).pathname.replace(/\/sharing$/, '/exploitation-meetings'));
  await on(el, /exploitation meetings/i, (await p.title()).replace(/ – Handover$/, ''));
  const history = await textOf(p.locator('main'));
  assert.match(history, /Disruption plan with the police; stays high\./);
  assert.match(history, new RegExp(`Safety plan with Rowan and the family.*${worker.name}`));
  await el.close();

  // The police member opens Rowan's record through the agenda: the section offers reading, not screening.
  const dc = await as(officer);
  await dc.goto(`/people/${rowan.id}`);
  await on(dc, rowan.name, rowan.name);
  const links = await sectionLinks(dc);
  assert.ok(links.includes('Single view of risk') && links.includes('Exploitation screenings'), links.join(', '));
  for (const edit of ['Screen for exploitation', 'Record a missing episode or other event'])
    assert.ok(!links.includes(edit), `${edit} is only for those who may edit the record`);
  await dc.close();

  // The owner sees the action with its due date.
  const owner = await as(worker);
  await owner.goto(`/people/${rowan.id}/exploitation-meetings`);
  await on(owner, /exploitation meetings/i, (await owner.page.title()).replace(/ – Handover$/, ''));
  await owner.click(owner.page.getByRole('link', { name: 'Safety plan with Rowan and the family' }));
  await on(owner, 'Action from an exploitation meeting', 'Action from an exploitation meeting');
  assert.match(await textOf(owner.page.locator('main')), /7 December 2026/);

  // 6. Tali, 17 years 6 months, screened at medium: the daily job starts the plan, the worker writes it, and
  // nobody is named to hold the case after 18.
  assert.equal(await screen(owner, tali, ['uses_substances']), 'Medium');
  await owner.close();
  assert.equal(await h.app.services.post18.startDue(), 1, 'the daily job starts Tali’s plan');
  const w = await as(worker);
  await w.goto(`/people/${tali.id}`);
  await on(w, tali.name, tali.name);
  await w.click(w.page.locator('#exploitation + ul').getByRole('link', { name: 'Joint transition plan for after 18' }));
  await on(w, 'Joint transition plan', 'Joint transition plan');
  assert.match(await textOf(w.page.locator('main')), /Now: Start the joint transition plan, due/);
  await w.click(w.page.getByRole('link', { name: 'Change the plan' }));
  await on(w, 'The joint transition plan', 'The joint transition plan');
  await w.page.getByLabel(worker.name).check();
  await w.page.getByLabel('What will happen at 18').fill('Adult services to be asked; a joint visit first');
  await w.page.getByLabel('The young person’s views').fill('Wants to keep the same worker');
  await w.click(w.page.getByRole('button', { name: 'Save the plan' }));
  await on(w, 'Joint transition plan', 'Joint transition plan');
  assert.match(await banner(w), /Transition plan saved/);
  assert.match(await textOf(w.page.locator('.govuk-warning-text')), /Nobody is named to hold the case after 18/);
  assert.match(await textOf(w.page.locator('main')), /Now: Name the post-18 owner, due 23 November 2026\. With Sam/);
  await w.close();
  // The sweep runs the next morning (the app's clock moved on with it): the case escalates by itself.
  h.clock.set('2026-11-24T07:00:00Z');
  await sweepDue(h.db, h.clock.now());

  const sm = await as(serviceManager);
  await sm.goto('/');
  await on(sm, 'My work', 'My work');
  const item = sm.page.locator('.app-work__item').filter({ hasText: tali.name });
  assert.equal(await item.count(), 1, 'the escalation is on the service manager’s My work');
  assert.match(await textOf(item), /Name the post-18 owner/);
  await sm.click(item.getByRole('link').first());
  const protocol = 'Joint transition plan for a young person at risk of exploitation (no cliff edge at 18)';
  await on(sm, protocol, protocol);
  assert.match(await textOf(sm.page.locator('main')), /act on the transition plan page of this record/);
  await sm.click(sm.page.getByRole('link', { name: 'Back to the record' }));
  await on(sm, tali.name, tali.name);
  await sm.click(
    sm.page.locator('#exploitation + ul').getByRole('link', { name: 'Joint transition plan for after 18' }),
  );
  await on(sm, 'Joint transition plan', 'Joint transition plan');
  assert.match(await textOf(sm.page.locator('.govuk-warning-text')), /Nobody is named to hold the case after 18/);
  assert.match(
    await textOf(sm.page.locator('main')),
    new RegExp(`Now: Name the post-18 owner.*With ${serviceManager.name}.*Escalated`),
  );
  await sm.close();
  h.clock.set('2026-11-23T10:00:00Z');
});
