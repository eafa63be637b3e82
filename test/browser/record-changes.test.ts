// Browser journeys: a worker changes records: adds a status, allocates a worker, adds a new person.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userByRole } from '../helpers.ts';
import {
  MyWorkPage,
  NewPersonPage,
  PersonRecordPage,
  type Session,
  StatusEndPage,
  startHarness,
  textOf,
} from './harness.ts';

const h = await startHarness();
const worker = userByRole(h.org, 'social_worker');
const { allocated, waiting } = h.people;

/** A signed-in worker on My work. */
async function signIn(): Promise<[Session, MyWorkPage]> {
  const s = await h.session({ as: worker });
  return [s, await MyWorkPage.open(s)];
}

test('a worker adds a status to a record; choosing none is an error linked to the field', async () => {
  const [s, work] = await signIn();
  let record = await work.openPerson(allocated.fullName);
  await s.click(s.page.getByRole('button', { name: 'Add status' }));
  record = await PersonRecordPage.on(s, allocated.fullName, { error: true });
  const [error, ...others] = await record.errorSummary();
  assert.deepEqual(others, []);
  assert.equal(error?.href, '#status');
  assert.match(error?.text ?? '', /^Choose a status/);
  assert.match(await record.inlineError(s.page.getByLabel('Add a status')), /^Choose a status/);

  record = await record.addStatus('EHC plan');
  assert.deepEqual((await record.currentStatuses()).sort(), ['Child in need', 'Disabled', 'EHC plan']);
  assert.equal((await record.timeline())[0], 'EHC plan started');
  // The save is confirmed in a success banner, which has the focus.
  assert.deepEqual(await record.successBanner(), { text: 'Status added', focused: true });

  // Ending it asks when (today already filled in) and why; no reason is an error linked to the field.
  let end = await record.endStatus('EHC plan');
  assert.deepEqual(await end.dateShown(), ['23', '11', '2026']);
  await end.submit('');
  end = await StatusEndPage.on(s, 'EHC plan', { error: true });
  const [noReason] = await end.errorSummary();
  assert.equal(noReason?.href, '#reason');
  assert.match(noReason?.text ?? '', /^Enter why the status is ending/);
  await end.submit('Plan ceased after annual review');
  record = await PersonRecordPage.on(s, allocated.fullName);
  assert.deepEqual(await record.successBanner(), { text: 'Status ended', focused: true });
  assert.deepEqual((await record.currentStatuses()).sort(), ['Child in need', 'Disabled']);
  assert.equal((await record.timeline())[0], 'EHC plan ended on 23 November 2026');
  await s.close();
});

test('a worker allocates a waiting child to themselves from My work', async () => {
  const [s, myWork] = await signIn();
  let work = myWork;
  assert.deepEqual(await work.waiting(), [waiting.fullName]);
  let record = await work.openPerson(waiting.fullName);
  const [before] = await record.tableRows(`Teams and services working with ${waiting.fullName}`);
  assert.match(before?.[2] ?? '', /^Unallocated/);

  const allocate = await record.allocate("Disabled Children's Team North");
  const choices = await s.page
    .getByRole('radio')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).labels?.[0]?.textContent?.trim()));
  // Nobody holds the case yet: only the team's workers to choose from (no way to "save" it unallocated).
  assert.deepEqual(choices, ['Marcus Team-Manager', 'Sam Social-Worker']);
  await allocate.choose('Sam Social-Worker');
  record = await PersonRecordPage.on(s, waiting.fullName);
  const [after] = await record.tableRows(`Teams and services working with ${waiting.fullName}`);
  assert.match(after?.[2] ?? '', /^Sam Social-Worker/);
  assert.deepEqual(await record.successBanner(), { text: 'Allocation saved', focused: true });
  assert.equal((await record.timeline())[0], 'Allocated to Sam Social-Worker');

  // Opened again, the page shows who holds the case; saving it unchanged keeps them and records nothing.
  const again = await record.allocate("Disabled Children's Team North");
  assert.equal(await s.page.getByRole('radio', { name: 'Sam Social-Worker (allocated now)' }).isChecked(), true);
  assert.equal(await s.page.getByRole('radio', { name: 'Remove the allocated worker' }).isChecked(), false);
  await s.click(again.page.getByRole('button', { name: 'Save allocation' }));
  record = await PersonRecordPage.on(s, waiting.fullName);
  const [kept] = await record.tableRows(`Teams and services working with ${waiting.fullName}`);
  assert.match(kept?.[2] ?? '', /^Sam Social-Worker/);
  assert.equal((await record.timeline())[0], 'Allocated to Sam Social-Worker');

  await s.click(record.nav('My work'));
  work = await MyWorkPage.on(s);
  // Ordered by family name.
  assert.deepEqual(await work.allocatedToMe(), [waiting.fullName, allocated.fullName]);
  assert.deepEqual(await work.waiting(), []);
  await s.close();
});

test('adding a person: errors first (summary, inline, links to the fields), then a new record', async () => {
  const [s, work] = await signIn();
  const search = await work.findAPerson();
  await s.click(search.page.getByRole('link', { name: 'Add a new person' }));
  let form = await NewPersonPage.on(s);
  await form.fill({
    givenName: '',
    familyName: 'Marlowe-Test',
    day: '31',
    month: '2',
    year: '2015',
    reason: 'Referral',
  });
  await form.submit();

  form = await NewPersonPage.on(s, { error: true });
  await s.screenshot('new-person-errors');
  assert.deepEqual(await form.errorSummary(), [
    { text: 'Enter the first name', href: '#given_name' },
    { text: 'Date of birth must be a real date, for example 27 3 2010', href: '#date_of_birth-day' },
  ]);
  assert.equal(await form.inlineError(s.page.getByLabel('First name')), 'Enter the first name');
  const dob = s.page.getByRole('group', { name: 'Date of birth' });
  assert.match(
    await textOf(dob.locator('.govuk-error-message')),
    /Date of birth must be a real date, for example 27 3 2010$/,
  );
  assert.equal(await s.page.getByLabel('Last name').inputValue(), 'Marlowe-Test', 'what was typed is kept');
  assert.deepEqual(
    [
      await dob.getByLabel('Day').inputValue(),
      await dob.getByLabel('Month').inputValue(),
      await dob.getByLabel('Year').inputValue(),
    ],
    ['31', '2', '2015'],
    'the date typed is kept, to be corrected',
  );
  // Each link in the summary takes keyboard focus to its field.
  await s.page.getByRole('link', { name: 'Enter the first name' }).click();
  assert.equal((await s.focused()).id, 'given_name');
  await s.page.getByRole('link', { name: 'Date of birth must be a real date' }).click();
  assert.equal((await s.focused()).id, 'date_of_birth-day', 'the date link focuses the Day box');

  await form.fill({
    givenName: 'Ottilie',
    familyName: 'Marlowe-Test',
    day: '27',
    month: '3',
    year: '2015',
    reason: 'Referral',
  });
  await form.submit();
  const record = await PersonRecordPage.on(s, 'Ottilie Marlowe-Test');
  await s.page.getByText('Case HO900004').first().waitFor();
  const summary = await record.summaryList('Summary');
  assert.equal(summary.Age, '11 years old');
  assert.equal(summary['School year'], 'Year 7');
  const [involvement] = await record.tableRows('Teams and services working with Ottilie Marlowe-Test');
  assert.match(involvement?.[2] ?? '', /^Sam Social-Worker/);
  assert.deepEqual(await record.timeline(), ['Record created']);
  assert.deepEqual(await record.successBanner(), { text: 'Record created', focused: true });
  await s.close();
});
