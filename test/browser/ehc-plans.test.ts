// The EHC plan document in the browser (issue 20): an EHCP coordinator drafts the plan from the assessment's advice,
// edits a section (a colleague's save in between shows the stale-version error, and the reload keeps both), ranks
// the needs, names the placement in section I, serves the draft, records the parent's representations, consults the
// school asked for and records its answer, starts and issues the final plan; then opens the printable page and the
// PDF. Every page is checked with axe and (at close) the W3C checker, at 320px with nothing scrolling sideways;
// every save shows its success banner; bad input shows the error summary naming the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { personInTeam, userByRole } from '../helpers.ts';
import { assessmentWithAdvice, banner, errorSummary, fillDate, mainText, narrow, on } from './ehc-kit.ts';
import { startHarness } from './harness.ts';

const h = await startHarness();
const coordinator = userByRole(h.org, 'ehcp_coordinator');
const giver = userByRole(h.org, 'advice_giver');
const team = h.org.teams['send-statutory'] as string;

test('the plan document: draft from advice, sections, needs, section I, serve, representations, consultation, final, print and PDF', async () => {
  const personId = await personInTeam(h.db, {
    authorityId: h.org.authorityId,
    team,
    worker: coordinator.id,
    caseNumber: 'DOC-0001',
    givenName: 'Jo',
    familyName: 'Document',
    dateOfBirth: '2014-05-05',
  });
  await assessmentWithAdvice(h, personId, coordinator.id, giver.id);

  const s = await narrow(h, coordinator);
  const p = s.page;
  const sectionF = () => p.locator('textarea[name="text"]');

  // ---- drafted from the advice, from the young person's record
  await s.goto(`/people/${personId}`);
  await s.checkAxe();
  await s.click(p.getByRole('link', { name: /EHC plan: its sections/ }));
  await on(s, 'EHC plans');
  await s.click(p.getByRole('button', { name: 'Draft the plan' }));
  await on(s, 'EHC plans');
  await errorSummary(s, /assessment/i);
  assert.equal(
    await h.db
      .selectFrom('ehc_plans')
      .where('person_id', '=', personId)
      .select('id')
      .execute()
      .then((r) => r.length),
    0,
    'nothing written',
  );
  await p.getByLabel('Assessment requested 7 September 2026').check();
  await s.click(p.getByRole('button', { name: 'Draft the plan' }));
  await on(s, 'EHC plan');
  await banner(s, /Plan drafted from the advice/);
  assert.match(await mainText(s), /Educational psychology advice from/, 'section K lists the advice');
  const planUrl = new URL(p.url()).pathname;

  // ---- section F: a colleague saves first; the stale save shows the error and the reload keeps their text
  await s.click(p.getByRole('link', { name: 'Change section F' }));
  await on(s, /^Section F/);
  const sectionUrl = new URL(p.url()).pathname;
  const colleague = await narrow(h, coordinator);
  await colleague.goto(sectionUrl);
  await on(colleague, /^Section F/);
  await colleague.page.locator('textarea[name="text"]').fill('Speech and language therapy once a fortnight.');
  await colleague.click(colleague.page.getByRole('button', { name: 'Save section' }));
  await on(colleague, 'EHC plan');
  await banner(colleague, /Section saved/);
  await colleague.close();

  await sectionF().fill('Daily structured literacy teaching in a group of no more than four.');
  const answered = p.waitForResponse((r) => r.request().method() === 'POST');
  await s.click(p.getByRole('button', { name: 'Save section' }));
  assert.equal((await answered).status(), 409, 'the stale save is refused');
  await on(s, /^Section F/);
  await errorSummary(s, /Someone else changed this plan version while you were editing it/);
  assert.match(await sectionF().inputValue(), /no more than four/, 'what was typed is kept');
  await s.click(p.locator('.govuk-error-summary a').first());
  await on(s, /^Section F/);
  assert.match(await sectionF().inputValue(), /once a fortnight/, 'their change is shown');
  await sectionF().fill(
    'Speech and language therapy once a fortnight.\nDaily structured literacy teaching in a group of no more than four.',
  );
  await s.click(p.getByRole('button', { name: 'Save section' }));
  await on(s, 'EHC plan');
  await banner(s, /Section saved/);
  let text = await mainText(s);
  assert.match(text, /once a fortnight/);
  assert.match(text, /no more than four/);

  // ---- the needs, ranked
  await s.click(p.getByRole('link', { name: 'Change needs' }));
  await on(s, 'Special educational needs, ranked');
  await p.getByLabel('Primary need').selectOption('SPLD');
  await p.getByLabel('Secondary need (optional)').selectOption('SLCN');
  await s.click(p.getByRole('button', { name: 'Save needs' }));
  await on(s, 'EHC plan');
  await banner(s, /Special educational needs saved/);
  assert.match(await mainText(s), /Specific learning difficulty; Speech, language and communication needs/);

  // ---- section I: a bad URN first
  await s.click(p.getByRole('link', { name: 'Change placement' }));
  await on(s, 'Section I: placement');
  await p.getByLabel('Name of the school or other institution').fill('Demoton Primary School');
  await p.getByLabel('URN of the school or other institution').fill('12');
  await s.click(p.getByRole('button', { name: 'Save placement' }));
  await on(s, 'Section I: placement');
  await errorSummary(s, /URN/);
  await p.getByLabel('URN of the school or other institution').fill('100001');
  await s.click(p.getByRole('button', { name: 'Save placement' }));
  await on(s, 'EHC plan');
  await banner(s, /Section I placement saved/);
  assert.match(await mainText(s), /Demoton Primary School \(URN 100001\)/);

  // ---- served
  await s.click(p.getByRole('link', { name: 'Serve the draft plan' }));
  await on(s, 'Serve the draft plan');
  assert.match(await mainText(s), /reg 13\(1\)/);
  await fillDate(s, 'Date the draft was served', '2026-11-23');
  await s.click(p.getByRole('button', { name: 'Serve the draft plan' }));
  await on(s, 'EHC plan');
  await banner(s, /Draft plan served/);
  assert.match(await mainText(s), /reg 13/, 'the representations clock names its regulation');
  assert.equal(await p.getByRole('link', { name: /^Change/ }).count(), 0, 'the served draft is frozen');

  // ---- the parent's representations ask for a school, which is consulted and agrees
  await s.click(p.getByRole('link', { name: 'Record representations' }));
  await on(s, 'Record representations on the draft plan');
  await p.getByRole('group', { name: 'Who made them' }).getByLabel('A parent').check();
  await fillDate(s, 'Date the representations were received', '2026-11-23');
  await p.getByLabel('Summary of the representations').fill('Agree with the provision; please name Demoton Academy.');
  await p.getByLabel('School or college they ask to be named (optional)').fill('Demoton Academy');
  await s.click(p.getByRole('button', { name: 'Save representations' }));
  await on(s, 'EHC plan');
  await banner(s, /Representations recorded/);
  assert.match(await mainText(s), /Demoton Academy/);

  await s.click(p.getByRole('link', { name: 'Consult a school or college' }));
  await on(s, 'Consult a school or college');
  await s.click(p.getByRole('button', { name: 'Record the consultation' }));
  await on(s, 'Consult a school or college');
  await errorSummary(s, /school or college/i);
  await p.getByLabel('School or college consulted').fill('Demoton Academy');
  await fillDate(s, 'Date the draft plan was sent to it', '2026-11-23');
  await p.getByLabel('Representations that asked for it (optional)').selectOption({ index: 1 });
  await s.click(p.getByRole('button', { name: 'Record the consultation' }));
  await on(s, 'EHC plan');
  await banner(s, /Consultation sent: the setting has 15 days/);
  text = await mainText(s);
  assert.match(text, /Schools and colleges consulted/);
  assert.match(text, /Due 8 December 2026/, '15 days for the setting to answer');

  await s.click(p.getByRole('link', { name: /Record the answer/ }));
  await on(s, 'Record the setting’s answer');
  await p.getByRole('group', { name: 'The setting’s answer' }).getByLabel('Agrees to be named').check();
  await fillDate(s, 'Date the setting answered', '2026-11-23');
  await s.click(p.getByRole('button', { name: 'Save the answer' }));
  await on(s, 'EHC plan');
  await banner(s, /The setting’s answer recorded/);
  assert.match(await mainText(s), /Agrees to be named/);

  // ---- the final plan
  await s.click(p.getByRole('button', { name: 'Start the final plan from the draft' }));
  await on(s, 'EHC plan');
  await banner(s, /Final version started/);
  await s.click(p.getByRole('link', { name: 'Change placement' }));
  await on(s, 'Section I: placement');
  await p.getByLabel('Name of the school or other institution').fill('Demoton Academy');
  await p.getByLabel('URN of the school or other institution').fill('100002');
  await s.click(p.getByRole('button', { name: 'Save placement' }));
  await on(s, 'EHC plan');
  await banner(s, /Section I placement saved/);
  await s.click(p.getByRole('link', { name: 'Issue the final plan' }));
  await on(s, 'Issue the final EHC plan');
  await fillDate(s, 'Date the final plan was issued', '2026-11-23');
  await s.click(p.getByRole('button', { name: 'Issue the final plan' }));
  await on(s, 'EHC plan');
  await banner(s, /Final EHC plan issued/);
  text = await mainText(s);
  assert.match(text, /Final/);
  assert.match(text, /First issued\s*23 November 2026/);

  // ---- the printable page and its PDF
  await s.click(p.getByRole('link', { name: 'Printable page' }));
  await on(s, 'Education, health and care plan');
  text = await mainText(s);
  assert.match(text, /Issued on 23 November 2026/);
  assert.match(text, /Section F: /);
  assert.match(text, /no more than four/);
  assert.match(text, /Placement: Demoton Academy \(URN 100002\)/);
  assert.match(text, /Needs, ranked: Specific learning difficulty/);
  const pdfHref = await p.getByRole('link', { name: 'Download as PDF' }).getAttribute('href');
  assert.ok(pdfHref);
  const pdf = await s.context.request.get(pdfHref);
  assert.equal(pdf.status(), 200);
  assert.match(pdf.headers()['content-type'] ?? '', /^application\/pdf/);
  assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');

  await s.goto(planUrl);
  await on(s, 'EHC plan');
  await s.close();
});
