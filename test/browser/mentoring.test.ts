// Browser journey for the mentoring scheme (issue 12 part 7), at 320px with axe and the HTML checker on every page:
// the exploitation lead adds a vetted volunteer mentor (the empty form's error summary first) and records their
// checks, one expired; a social worker refers a young person they work with from the record's Mentoring link; the
// lead tries to match the mentor whose check has expired (refused, naming the check and its date), records an
// in-date check, matches, records sessions (not attended needs its reason) and ends the mentoring with an outcome.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator } from 'playwright-core';
import { userByRole } from '../helpers.ts';
import { type Session, startHarness, textOf } from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');
const lead = userByRole(h.org, 'exploitation_lead');
const { allocated } = h.people;
const MENTOR = 'Robin Brookside-Mentor';

/** Checks the page's one h1 and its title, that nothing scrolls sideways at 320px, then runs axe on it. */
async function on(s: Session, h1: string, title: string) {
  const headings = await s.page.getByRole('heading', { level: 1 }).allInnerTexts();
  assert.deepEqual(
    headings.map((t) => t.trim()),
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

/** The error summary's links (where each goes) and its text. */
async function summary(s: Session): Promise<{ hrefs: string[]; text: string }> {
  const box = s.page.getByRole('alert').filter({ hasText: 'There is a problem' });
  const hrefs = await box.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return { hrefs, text: await textOf(box) };
}

/** The success banner's text, once GOV.UK Frontend has moved focus to it. */
async function banner(s: Session): Promise<string> {
  await s.page.waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner'));
  return textOf(s.page.locator('.govuk-notification-banner__content'));
}

async function fillDate(group: Locator, day: string, month: string, year: string) {
  await group.getByLabel('Day').fill(day);
  await group.getByLabel('Month').fill(month);
  await group.getByLabel('Year').fill(year);
}

/** Records one check on the mentor page on show. */
async function recordCheck(s: Session, label: string, checked: string[], expires: string[]) {
  const p = s.page;
  await p.getByRole('group', { name: 'Check', exact: true }).getByLabel(label, { exact: true }).check();
  await fillDate(p.getByRole('group', { name: 'Date of the check' }), ...(checked as [string, string, string]));
  await fillDate(p.getByRole('group', { name: 'Expiry date' }), ...(expires as [string, string, string]));
  await s.click(p.getByRole('button', { name: 'Record check' }));
  await on(s, MENTOR, `${MENTOR} – mentor`);
  assert.equal(await banner(s), 'Check recorded');
}

test('a mentor is vetted, a worker refers, the lead matches, records sessions and ends the mentoring', async () => {
  // The lead adds a vetted volunteer: the empty form first.
  const l = await h.session({ as: lead });
  await l.page.setViewportSize({ width: 320, height: 800 });
  const lp = l.page;
  await l.goto('/mentoring');
  await on(l, 'Mentoring scheme', 'Mentoring scheme');
  await l.click(lp.getByRole('link', { name: 'Add a mentor' }));
  await on(l, 'Add a mentor', 'Add a mentor');
  await l.click(lp.getByRole('button', { name: 'Add mentor' }));
  await on(l, 'Add a mentor', 'Error: Add a mentor');
  const empty = await summary(l);
  assert.deepEqual(empty.hrefs, ['#kind', '#name', '#capacity']);
  assert.match(empty.text, /Choose whether the mentor is a member of staff or a vetted volunteer/);
  assert.match(empty.text, /Enter the mentor’s name/);
  assert.match(empty.text, /Enter how many young people the mentor can take/);

  // A volunteer needs an organisation: the error names it, and what was typed stays.
  await lp.getByLabel('Vetted volunteer').check();
  await lp.getByLabel('Name', { exact: true }).fill(MENTOR);
  await lp.getByLabel('Capacity').fill('2');
  await lp.getByLabel('Interests (optional)').fill('Football, cooking');
  await l.click(lp.getByRole('button', { name: 'Add mentor' }));
  await on(l, 'Add a mentor', 'Error: Add a mentor');
  assert.deepEqual((await summary(l)).hrefs, ['#organisation']);
  assert.equal(await lp.getByLabel('Name', { exact: true }).inputValue(), MENTOR);
  await lp.getByLabel('Organisation (required for a volunteer)').fill('Brookside Mentoring Trust');
  await l.click(lp.getByRole('button', { name: 'Add mentor' }));
  await on(l, MENTOR, `${MENTOR} – mentor`);
  assert.equal(await banner(l), 'Mentor added');
  const mentorUrl = new URL(lp.url()).pathname;

  // The checks: the empty check form first, then references and training in date, the DBS check expired.
  await l.click(lp.getByRole('button', { name: 'Record check' }));
  await on(l, MENTOR, `Error: ${MENTOR} – mentor`);
  assert.deepEqual((await summary(l)).hrefs, ['#check_type', '#checked_date-day', '#expiry_date-day']);
  await recordCheck(l, 'References', ['1', '10', '2026'], ['1', '10', '2029']);
  await recordCheck(l, 'Safeguarding training', ['2', '10', '2026'], ['2', '10', '2028']);
  await recordCheck(l, 'Enhanced DBS check', ['10', '1', '2023'], ['10', '1', '2026']);
  const checks = await textOf(lp.locator('main'));
  assert.match(checks, /Enhanced DBS check\s*Expired on 10 January 2026/);
  assert.match(checks, /References\s*In date until 1 October 2029/);
  assert.match(
    await textOf(lp.locator('.govuk-warning-text')),
    new RegExp(`Cannot be matched: ${MENTOR}’s enhanced DBS check expired on 10 January 2026`),
  );

  // A social worker with an involvement refers the young person from the record.
  const w = await h.session({ as: worker });
  await w.page.setViewportSize({ width: 320, height: 800 });
  const wp = w.page;
  await w.goto(`/people/${allocated.id}`);
  await w.checkAxe();
  await w.click(wp.getByRole('link', { name: 'Mentoring', exact: true }));
  await on(w, 'Mentoring', `Mentoring – ${allocated.fullName}`);
  assert.match(await textOf(wp.locator('main')), /No mentoring referrals\./);
  await w.click(wp.getByRole('link', { name: 'Refer for a mentor' }));
  await on(w, 'Refer for a mentor', 'Refer for a mentor');
  // From the keyboard: Tab from the last field to the button, Enter.
  await wp.getByLabel('Goals').focus();
  await w.follow(async () => {
    await wp.keyboard.press('Tab');
    await wp.keyboard.press('Enter');
  });
  await on(w, 'Refer for a mentor', 'Error: Refer for a mentor');
  const referEmpty = await summary(w);
  assert.deepEqual(referEmpty.hrefs, ['#reason', '#hopes', '#goals']);
  assert.match(referEmpty.text, /Enter why the young person is referred for a mentor/);
  assert.match(referEmpty.text, /Enter at least one goal, one a line/);
  await wp.getByLabel('Why are you referring them?').fill('Isolated since leaving school; seen with older peers');
  await wp.getByLabel('What do they (and you) hope mentoring will bring?').fill('A trusted adult outside services');
  await wp.getByLabel('Goals').focus();
  await wp.keyboard.type('Go to college 3 days a week');
  await wp.keyboard.press('Enter');
  await wp.keyboard.type('Join a football club');
  await w.follow(async () => {
    await wp.keyboard.press('Tab');
    await wp.keyboard.press('Enter');
  });
  await on(w, 'Mentoring', `Mentoring – ${allocated.fullName}`);
  assert.equal(await banner(w), 'Referral made: the exploitation lead will match a mentor');
  const referred = await textOf(wp.locator('main'));
  assert.match(referred, /Waiting for a match/);
  assert.match(referred, /Go to college 3 days a week: Not started/);
  assert.match(referred, /Join a football club: Not started/);
  await w.close();

  // The lead opens the referral from the scheme's page.
  await l.goto('/mentoring');
  await on(l, 'Mentoring scheme', 'Mentoring scheme');
  const waiting = lp.getByRole('table', { name: 'Referrals waiting' });
  await l.click(waiting.getByRole('link', { name: allocated.fullName }));
  const referralTitle = `Mentoring referral – ${allocated.fullName}`;
  await on(l, 'Mentoring referral', referralTitle);
  const referralUrl = new URL(lp.url()).pathname;

  // The mentor whose DBS check has expired: refused, naming the check and its date.
  const choose = lp.getByRole('group', { name: 'Mentor', exact: true });
  const match = async () => {
    await choose.getByLabel(`${MENTOR} (vetted volunteer)`).check();
    await fillDate(lp.getByRole('group', { name: 'Match date' }), '23', '11', '2026');
    await l.click(lp.getByRole('button', { name: 'Match', exact: true }));
  };
  await match();
  await on(l, 'Mentoring referral', `Error: ${referralTitle}`);
  const refused = await summary(l);
  assert.deepEqual(refused.hrefs, ['#mentor_id']);
  assert.match(refused.text, new RegExp(`${MENTOR}’s enhanced DBS check expired on 10 January 2026`));
  assert.match(await textOf(lp.locator('main')), /Not matched yet/);

  // An in-date DBS check on the mentor page, then the match.
  await l.goto(mentorUrl);
  await on(l, MENTOR, `${MENTOR} – mentor`);
  await recordCheck(l, 'Enhanced DBS check', ['20', '11', '2026'], ['20', '11', '2029']);
  assert.equal(await lp.locator('.govuk-warning-text').count(), 0, 'no warning once every check is in date');
  await l.goto(referralUrl);
  await on(l, 'Mentoring referral', referralTitle);
  await match();
  await on(l, 'Mentoring referral', referralTitle);
  assert.equal(await banner(l), 'Matched with a mentor');
  assert.match(await textOf(lp.locator('main')), new RegExp(`${MENTOR}, matched 23 November 2026`));

  // Sessions: the empty form, then not attended without a reason, then with one; then one attended.
  await l.click(lp.getByRole('link', { name: 'Record a session' }));
  await on(l, 'Record a mentoring session', 'Record a mentoring session');
  await l.click(lp.getByRole('button', { name: 'Record session' }));
  await on(l, 'Record a mentoring session', 'Error: Record a mentoring session');
  assert.deepEqual((await summary(l)).hrefs, ['#session_date-day', '#attended']);
  const sessionDate = lp.getByRole('group', { name: 'Session date' });
  await fillDate(sessionDate, '23', '11', '2026');
  await lp.getByRole('group', { name: 'Did they attend?' }).getByLabel('No').check();
  await l.click(lp.getByRole('button', { name: 'Record session' }));
  await on(l, 'Record a mentoring session', 'Error: Record a mentoring session');
  const noReason = await summary(l);
  assert.deepEqual(noReason.hrefs, ['#not_attended_reason']);
  assert.match(noReason.text, /Enter why the young person did not attend/);
  assert.equal(await sessionDate.getByLabel('Day').inputValue(), '23', 'the date typed stays');
  await lp.getByLabel('If not, why not?').fill('Unwell');
  await l.click(lp.getByRole('button', { name: 'Record session' }));
  await on(l, 'Record a mentoring session', 'Record a mentoring session');
  assert.equal(await banner(l), 'Session recorded');
  await fillDate(sessionDate, '23', '11', '2026');
  await lp.getByRole('group', { name: 'Did they attend?' }).getByLabel('Yes').check();
  await lp.getByLabel('Notes (optional)').fill('Went to look at the college together');
  await l.click(lp.getByRole('button', { name: 'Record session' }));
  await on(l, 'Record a mentoring session', 'Record a mentoring session');
  assert.equal(await banner(l), 'Session recorded');
  assert.match(await textOf(lp.locator('main')), /Sessions so far \(2\)/);

  // The ending, back on the referral: the empty form first, then an outcome.
  await l.click(lp.getByRole('link', { name: 'Back to the referral' }));
  await on(l, 'Mentoring referral', referralTitle);
  assert.match(await textOf(lp.locator('main')), /did not attend \(Unwell\)/);
  await l.click(lp.getByRole('button', { name: 'End mentoring' }));
  await on(l, 'Mentoring referral', `Error: ${referralTitle}`);
  assert.deepEqual((await summary(l)).hrefs, ['#outcome', '#end_date-day', '#notes']);
  await lp.getByRole('group', { name: 'Outcome' }).getByLabel('Goals met').check();
  await fillDate(lp.getByRole('group', { name: 'End date' }), '23', '11', '2026');
  await lp.getByLabel('Notes', { exact: true }).fill('Started college; no longer needs a mentor');
  await l.click(lp.getByRole('button', { name: 'End mentoring' }));
  await on(l, 'Mentoring referral', referralTitle);
  assert.equal(await banner(l), 'Mentoring ended');
  const ended = await textOf(lp.locator('main'));
  assert.match(ended, /Ended/);
  assert.match(ended, /Goals met, 23 November 2026\. Started college; no longer needs a mentor/);
  assert.equal(await lp.getByRole('button', { name: 'End mentoring' }).count(), 0, 'no forms once ended');
  await l.close();
});
